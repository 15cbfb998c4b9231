import { z } from '@hono/zod-openapi';
import type { Deps } from '../../deps';
import { activityEntrySchema } from '../../schemas/activity';
import { cursorQuery, jsonResponse, page } from '../../schemas/common';
import { listActivity } from '../../services/activity';
import { portalRoute, portalRouter, requireCustomer, storeParam } from './router';

const list = portalRoute({
  operationId: 'listActivity',
  method: 'get',
  path: '/{storeId}/activity',
  permission: 'account:read',
  tags: ['Account'],
  summary: "The account's activity: sign-ins and every change, with who made it, newest first",
  description:
    'Sign-ins say how (`method`) and on what (`device`: browser and operating system families only). Changes to ' +
    'the account, its subscriptions, payment methods and billing details say who made them (`actor`: the customer, ' +
    'the merchant, the renewal run or the payment processor).',
  request: { params: storeParam, query: z.object(cursorQuery) },
  responses: { 200: jsonResponse(page(activityEntrySchema), 'A page of entries.') },
});

/** The signed-in customer's activity log. */
export const activityRoutes = (deps: Deps) => {
  const router = portalRouter();
  router.use('/:storeId/activity', requireCustomer(deps));
  return router.openapi(list, async (c) =>
    c.json(await listActivity(deps.db, c.get('store').id, c.get('account').id, c.req.valid('query')), 200),
  );
};
