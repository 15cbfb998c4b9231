import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps';
import { errorResponses, idParam, jsonBody, jsonResponse } from '../../schemas/common';
import { paymentMethodAttachInput, paymentMethodSchema } from '../../schemas/payment-methods';
import { getAccount } from '../../services/accounts';
import { attachPaymentMethod, listPaymentMethods, toPaymentMethodView } from '../../services/payment-methods';
import { apiRouter, basicAuth } from './router';

const tags = ['Payment methods'];
const params = idParam('accountId', 'acc');

const attach = createRoute({
  method: 'post', path: '/{accountId}/payment-methods', tags, security: basicAuth,
  summary: 'Attach a tokenised payment method to an account',
  description: 'The processor token is write-only: it is stored for charging and never returned.',
  request: { params, body: jsonBody(paymentMethodAttachInput) },
  responses: { 201: jsonResponse(paymentMethodSchema, 'The saved method (brand and last 4 only).'), ...errorResponses },
});

const list = createRoute({
  method: 'get', path: '/{accountId}/payment-methods', tags, security: basicAuth,
  summary: 'List an account\'s saved payment methods',
  request: { params },
  responses: { 200: jsonResponse(z.object({ data: z.array(paymentMethodSchema) }), 'Saved methods, default first.'), ...errorResponses },
});

export const paymentMethodRoutes = (deps: Deps) => apiRouter()
  .openapi(attach, (c) => {
    const method = attachPaymentMethod(deps, c.var.store.id, c.req.valid('param').accountId, c.req.valid('json'));
    return c.json(toPaymentMethodView(method, deps.clock.now()), 201);
  })
  .openapi(list, (c) => {
    const { accountId } = c.req.valid('param');
    getAccount(deps.db, c.var.store.id, accountId);
    const now = deps.clock.now();
    return c.json({ data: listPaymentMethods(deps.db, c.var.store.id, accountId).map((m) => toPaymentMethodView(m, now)) }, 200);
  });
