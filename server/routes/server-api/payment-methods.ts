import { z } from '@hono/zod-openapi';
import type { Deps } from '../../deps';
import { idParam, jsonBody, jsonResponse } from '../../schemas/common';
import { paymentMethodAttachInput, paymentMethodSchema } from '../../schemas/payment-methods';
import { getAccount } from '../../services/accounts';
import {
  attachPaymentMethod,
  listPaymentMethods,
  removePaymentMethod,
  toPaymentMethodView,
} from '../../services/billing';
import { apiRoute, apiRouter } from './router';

const tags = ['Payment methods'];
const params = idParam('accountId', 'acc');

const attach = apiRoute({
  operationId: 'attachPaymentMethod',
  method: 'post',
  path: '/{accountId}/payment-methods',
  tags,
  summary: 'Attach a tokenised payment method to an account',
  description:
    'The processor token is write-only: it is stored for charging and never returned. The processor is ' +
    'asked about the token before anything is saved; its brand, last 4 and expiry win over the ones sent. This is how a ' +
    "merchant running its own processor's flow (the widget's cancelable `ap-request-update-payment-method` event) " +
    "hands the new method over. `subscriptionIds` (the account's subscriptions, not ended) switch to it and renew " +
    'automatically from then on.',
  request: { params, body: jsonBody(paymentMethodAttachInput) },
  responses: { 201: jsonResponse(paymentMethodSchema, 'The saved method (brand and last 4 only).') },
  errors: [
    'subscription_ended',
    'subscription_busy',
    'payment_method_expired',
    'payment_declined',
    'gateway_unavailable',
    'account_deleted',
  ],
  errorNotes: {
    payment_declined: 'The processor does not accept the token; `details.declineCode` says why (`invalid_token`, …).',
  },
});

const list = apiRoute({
  operationId: 'listPaymentMethods',
  method: 'get',
  path: '/{accountId}/payment-methods',
  tags,
  summary: "List an account's saved payment methods",
  request: { params },
  responses: {
    200: jsonResponse(z.object({ data: z.array(paymentMethodSchema) }), 'Saved methods, default first.'),
  },
});

const remove = apiRoute({
  operationId: 'removePaymentMethod',
  method: 'delete',
  path: '/{accountId}/payment-methods/{paymentMethodId}',
  tags,
  summary: 'Remove a saved payment method',
  description:
    "Subscriptions that used it move to the account's default method; when the default is removed, " +
    'another saved method becomes the default. The only method cannot be removed while an automatically renewing ' +
    'subscription depends on it: 409 `payment_method_in_use` with `details.subscriptions` ([{ id, productName }]).',
  request: { params: params.merge(idParam('paymentMethodId', 'pm')) },
  responses: { 204: { description: 'Removed.' } },
  errors: ['payment_method_in_use', 'subscription_busy'],
  errorNotes: {
    payment_method_in_use: '`details.subscriptions` names the subscriptions that need it.',
    subscription_busy:
      'A subscription that moves to another method is being charged or changed; `Retry-After` says when.',
  },
});

export const paymentMethodRoutes = (deps: Deps) =>
  apiRouter()
    .openapi(attach, async (c) => {
      const method = await attachPaymentMethod(
        deps,
        c.get('store').id,
        c.req.valid('param').accountId,
        c.req.valid('json'),
      );
      return c.json(toPaymentMethodView(method, deps.clock.now()), 201);
    })
    .openapi(list, async (c) => {
      const { accountId } = c.req.valid('param');
      await getAccount(deps.db, c.get('store').id, accountId);
      const now = deps.clock.now();
      return c.json(
        {
          data: (await listPaymentMethods(deps.db, c.get('store').id, accountId)).map((m) =>
            toPaymentMethodView(m, now),
          ),
        },
        200,
      );
    })
    .openapi(remove, async (c) => {
      const { accountId, paymentMethodId } = c.req.valid('param');
      await getAccount(deps.db, c.get('store').id, accountId);
      await removePaymentMethod(deps, c.get('store').id, accountId, paymentMethodId, 'merchant');
      return c.body(null, 204);
    });
