import type { Deps } from '../../deps';
import { idParam, jsonBody, jsonResponse } from '../../schemas/common';
import {
  paymentSetupCompleteInput,
  paymentSetupInput,
  paymentSetupSchema,
  portalPaymentMethodList,
  portalPaymentMethodSchema,
  subscriptionPaymentMethodInput,
} from '../../schemas/payment-methods';
import { portalSubscriptionSchema } from '../../schemas/subscriptions';
import {
  listPortalPaymentMethods,
  removePaymentMethod,
  setDefaultPaymentMethod,
  setSubscriptionPaymentMethod,
  completePaymentSetup,
  startPaymentSetup,
} from '../../services/billing';
import { portalRoute, portalRouter, storeParam, requireCustomer } from './router';
import { portalView } from './subscription-common';

const tags = ['Payment methods'];
const methodParams = storeParam.merge(idParam('paymentMethodId', 'pm'));
const list = (description: string) => jsonResponse(portalPaymentMethodList, description);

const get = portalRoute({
  operationId: 'listPaymentMethods',
  permission: 'payment-methods:read',
  method: 'get',
  path: '/{storeId}/payment-methods',
  tags,
  summary: "The customer's saved payment methods, default first, with the subscriptions each pays for",
  request: { params: storeParam },
  responses: { 200: list('Saved methods.') },
});

const makeDefault = portalRoute({
  operationId: 'setDefaultPaymentMethod',
  permission: 'payment-methods:write',
  method: 'put',
  path: '/{storeId}/payment-methods/{paymentMethodId}/default',
  tags,
  summary: 'Make a saved method the default',
  request: { params: methodParams },
  responses: { 200: list('All saved methods, the chosen one now the default.') },
});

const remove = portalRoute({
  operationId: 'removePaymentMethod',
  permission: 'payment-methods:write',
  method: 'delete',
  path: '/{storeId}/payment-methods/{paymentMethodId}',
  tags,
  summary: 'Remove a saved method; its subscriptions move to the default method',
  description:
    'When the default is removed another saved method becomes the default. The only method cannot be ' +
    'removed while an automatically renewing subscription depends on it (409 `payment_method_in_use`, ' +
    '`details.subscriptions` names them).',
  request: { params: methodParams },
  responses: { 200: list('The remaining saved methods.') },
  errors: ['payment_method_in_use', 'subscription_busy'],
  errorNotes: {
    payment_method_in_use: '`details.subscriptions` names the subscriptions that need it.',
    subscription_busy: '`Retry-After` says when.',
  },
});

const setup = portalRoute({
  operationId: 'startPaymentMethodSetup',
  permission: 'payment-methods:write',
  method: 'post',
  path: '/{storeId}/payment-methods/setup',
  tags,
  summary: "Start adding a payment method: the gateway's setup page (for an iframe), valid for 30 minutes",
  request: { params: storeParam, body: jsonBody(paymentSetupInput) },
  responses: { 201: jsonResponse(paymentSetupSchema, 'The setup and its page.') },
  errors: ['not_found', 'subscription_ended', 'rate_limited'],
  errorNotes: {
    not_found: "One of `subscriptionIds` is not one of the customer's subscriptions.",
    rate_limited: 'Too many setups were started for this account.',
  },
});

const complete = portalRoute({
  operationId: 'completePaymentMethodSetup',
  permission: 'payment-methods:write',
  method: 'post',
  path: '/{storeId}/payment-methods',
  tags,
  summary: 'Save the method the setup page tokenised (single use per setup)',
  request: { params: storeParam, body: jsonBody(paymentSetupCompleteInput) },
  responses: { 201: jsonResponse(portalPaymentMethodSchema, 'The saved method.') },
  errors: ['payment_declined', 'setup_not_found', 'setup_used', 'setup_expired', 'gateway_unavailable', 'rate_limited'],
  errorNotes: {
    payment_declined: '`details.declineCode` is card_declined, expired_card or invalid_token.',
    rate_limited: 'Too many cards were checked for this account.',
  },
});

const useForSubscription = portalRoute({
  operationId: 'setSubscriptionPaymentMethod',
  permission: 'payment-methods:write',
  method: 'put',
  path: '/{storeId}/subscriptions/{subscriptionId}/payment-method',
  tags,
  summary: 'Choose the method a subscription is charged with (turns on automatic renewal)',
  request: {
    params: storeParam.merge(idParam('subscriptionId', 'sub')),
    body: jsonBody(subscriptionPaymentMethodInput),
  },
  responses: { 200: jsonResponse(portalSubscriptionSchema, 'The subscription as the portal shows it.') },
  errors: ['subscription_ended', 'subscription_busy', 'payment_method_expired'],
  errorNotes: { subscription_busy: '`Retry-After` says when.' },
});

/** The signed-in customer's payment methods: list, default, remove, add through the gateway, per subscription. */
export const paymentMethodRoutes = (deps: Deps) => {
  const router = portalRouter();
  router.use('/:storeId/payment-methods', requireCustomer(deps));
  router.use('/:storeId/payment-methods/*', requireCustomer(deps));
  router.use('/:storeId/subscriptions/:subscriptionId/payment-method', requireCustomer(deps));
  const methods = async (storeId: string, accountId: string) => ({
    data: await listPortalPaymentMethods(deps.db, storeId, accountId, deps.clock.now()),
  });
  return router
    .openapi(get, async (c) => c.json(await methods(c.get('store').id, c.get('account').id), 200))
    .openapi(makeDefault, async (c) => {
      await setDefaultPaymentMethod(deps, c.get('store').id, c.get('account').id, c.req.valid('param').paymentMethodId);
      return c.json(await methods(c.get('store').id, c.get('account').id), 200);
    })
    .openapi(remove, async (c) => {
      const { paymentMethodId } = c.req.valid('param');
      await removePaymentMethod(deps, c.get('store').id, c.get('account').id, paymentMethodId, 'customer');
      return c.json(await methods(c.get('store').id, c.get('account').id), 200);
    })
    .openapi(setup, async (c) =>
      c.json(await startPaymentSetup(deps, c.get('store'), c.get('account'), c.req.valid('json')), 201),
    )
    .openapi(complete, async (c) => {
      const saved = await completePaymentSetup(deps, c.get('store').id, c.get('account').id, c.req.valid('json'));
      return c.json(
        (await methods(c.get('store').id, c.get('account').id)).data.find((m) => m.id === saved.id)!,
        201,
      );
    })
    .openapi(useForSubscription, async (c) => {
      const { subscriptionId } = c.req.valid('param');
      await setSubscriptionPaymentMethod(
        deps,
        c.get('store').id,
        c.get('account').id,
        subscriptionId,
        c.req.valid('json').paymentMethodId,
      );
      return c.json(await portalView(deps, c, subscriptionId), 200);
    });
};
