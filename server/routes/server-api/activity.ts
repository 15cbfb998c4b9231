import { z } from '@hono/zod-openapi';
import type { Deps } from '../../deps';
import { activityEntrySchema } from '../../schemas/activity';
import { cursorQuery, idParam, jsonResponse, page } from '../../schemas/common';
import { getAccount } from '../../services/accounts';
import { listActivity } from '../../services/activity';
import { apiRoute, apiRouter } from './router';

const list = apiRoute({
  operationId: 'listAccountActivity',
  method: 'get',
  path: '/{accountId}/activity',
  tags: ['Accounts'],
  summary: "The account's activity log: sign-ins and every change, with who made it",
  description:
    'Newest first: what the customer sees in the Account tab of the portal. Sign-ins say how (`method`) and on ' +
    'what (`device`: browser and operating system families; no address or User-Agent is kept). Changes to the ' +
    'account, its subscriptions, payment methods and billing details say who made them (`actor`).',
  request: { params: idParam('accountId', 'acc'), query: z.object(cursorQuery) },
  responses: { 200: jsonResponse(page(activityEntrySchema), 'A page of entries.') },
});

/** The merchant reads an account's activity log. */
export const activityRoutes = (deps: Deps) =>
  apiRouter().openapi(list, async (c) => {
    const account = await getAccount(deps.db, c.get('store').id, c.req.valid('param').accountId);
    return c.json(await listActivity(deps.db, c.get('store').id, account.id, c.req.valid('query')), 200);
  });
