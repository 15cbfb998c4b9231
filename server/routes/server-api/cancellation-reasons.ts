import { jsonResponse } from '../../schemas/common';
import { cancellationReasonListSchema } from '../../schemas/subscription-actions';
import { listCancellationReasons } from '../../services/billing';
import { apiRoute, apiRouter } from './router';

const list = apiRoute({
  operationId: 'listCancellationReasons',
  method: 'get',
  path: '/',
  tags: ['Subscriptions'],
  summary: 'The reasons customers choose from when cancelling, with English labels',
  description: 'The codes appear as `cancellation.reason` on subscriptions and in `subscription.canceled` webhooks.',
  responses: { 200: jsonResponse(cancellationReasonListSchema, 'Every reason code.') },
});

/** The cancellation survey's reason codes. */
export const cancellationReasonRoutes = () => apiRouter().openapi(list, (c) => c.json(listCancellationReasons(), 200));
