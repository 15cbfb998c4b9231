import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps';
import { cursorQuery, errorResponses, idParam, jsonResponse, page } from '../../schemas/common';
import { subscriptionSchema } from '../../schemas/subscriptions';
import { getSubscription, listSubscriptions, toSubscriptionView } from '../../services/subscriptions';
import { apiRouter, basicAuth } from './router';

const tags = ['Subscriptions'];

const list = createRoute({
  method: 'get', path: '/', tags, security: basicAuth,
  summary: 'List subscriptions (of one account), newest first',
  request: { query: z.object({ accountId: z.string().max(64).optional(), ...cursorQuery }) },
  responses: { 200: jsonResponse(page(subscriptionSchema), 'A page of subscriptions.'), ...errorResponses },
});

const get = createRoute({
  method: 'get', path: '/{subscriptionId}', tags, security: basicAuth,
  summary: 'Get a subscription',
  request: { params: idParam('subscriptionId', 'sub') },
  responses: { 200: jsonResponse(subscriptionSchema, 'The subscription, with its account id.'), ...errorResponses },
});

export const subscriptionRoutes = (deps: Deps) => apiRouter()
  .openapi(list, (c) => {
    const result = listSubscriptions(deps.db, c.var.store.id, c.req.valid('query'));
    return c.json({
      data: result.data.map((r) => toSubscriptionView(r.subscription, r.plan)), nextCursor: result.nextCursor,
    }, 200);
  })
  .openapi(get, (c) => {
    const { subscription, plan } = getSubscription(deps.db, c.var.store.id, c.req.valid('param').subscriptionId);
    return c.json(toSubscriptionView(subscription, plan), 200);
  });
