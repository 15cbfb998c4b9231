import { createRoute } from '@hono/zod-openapi';
import { errorResponses, jsonResponse } from '../../schemas/common';
import { cancellationReasonListSchema } from '../../schemas/subscription-actions';
import { listCancellationReasons } from '../../services/billing';
import { apiRouter, basicAuth } from './router';

const list = createRoute({
  method: 'get',
  path: '/',
  tags: ['Subscriptions'],
  security: basicAuth,
  summary: 'The reasons customers choose from when cancelling, with English labels',
  description: 'The codes appear as `cancellation.reason` on subscriptions and in `subscription.canceled` webhooks.',
  responses: { 200: jsonResponse(cancellationReasonListSchema, 'Every reason code.'), 401: errorResponses[401] },
});

/** The cancellation survey's reason codes. */
export const cancellationReasonRoutes = () => apiRouter().openapi(list, (c) => c.json(listCancellationReasons(), 200));
