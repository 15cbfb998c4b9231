import { createRoute } from '@hono/zod-openapi';
import type { Deps } from '../../deps';
import { errorResponses, errorSchema, idParam, jsonBody, jsonResponse } from '../../schemas/common';
import {
  planChangeInput, planChangePreviewInput, planChangeQuoteSchema, planChangeResultSchema,
} from '../../schemas/subscription-actions';
import { subscriptionSchema } from '../../schemas/subscriptions';
import { applyPlanChange, undoScheduledChange, previewPlanChange, loadSubscriptionView } from '../../services/billing';
import { apiRouter, basicAuth } from './router';

const tags = ['Subscriptions'];
const params = idParam('subscriptionId', 'sub');
const error = (description: string) => ({ description, content: { 'application/json': { schema: errorSchema } } });
const stateErrors = {
  ...errorResponses,
  409: error('Not possible in the subscription\'s state (`subscription_ended`, `cancellation_pending`, `subscription_paused`, '
    + '`subscription_overdue`, `pause_scheduled`, `no_scheduled_change`), or another change or charge is running (`subscription_busy`).'),
} as const;

const preview = createRoute({
  method: 'post', path: '/{subscriptionId}/change-preview', tags, security: basicAuth,
  summary: 'Quote a plan or quantity change (valid 10 minutes)',
  description: 'The merchant may switch to any subscription plan with a price in the subscription\'s currency, hidden '
    + 'ones included. Upgrades are charged to the customer\'s saved method when confirmed; downgrades wait for the period\'s end.',
  request: { params, body: jsonBody(planChangePreviewInput) },
  responses: { 201: jsonResponse(planChangeQuoteSchema, 'The quote.'), ...stateErrors },
});

const change = createRoute({
  method: 'post', path: '/{subscriptionId}/change', tags, security: basicAuth,
  summary: 'Confirm a quote: apply exactly what it said',
  description: 'An upgrade is charged (one charge per quote) and records a `plan_change` order with an invoice number.',
  request: { params, body: jsonBody(planChangeInput) },
  responses: {
    200: jsonResponse(planChangeResultSchema, 'The change was applied (upgrade) or scheduled (downgrade).'),
    ...stateErrors,
    402: error('The charge was declined (`payment_declined`, `details.declineCode`); nothing changed.'),
    409: error('`quote_used`, `quote_stale`, `subscription_busy`, `payment_pending`, or the state does not allow the change.'),
    410: error('The quote expired (`quote_expired`).'),
    503: error('The payment gateway is unreachable (`gateway_unavailable`); retry with the same quote.'),
  },
});

const undo = createRoute({
  method: 'delete', path: '/{subscriptionId}/scheduled-change', tags, security: basicAuth,
  summary: 'Withdraw a scheduled downgrade',
  request: { params },
  responses: { 200: jsonResponse(subscriptionSchema, 'The subscription as it is now.'), ...stateErrors },
});

/** The merchant's plan and quantity changes of a subscription. */
export const planChangeRoutes = (deps: Deps) => apiRouter()
  .openapi(preview, (c) =>
    c.json(previewPlanChange(deps, { storeId: c.var.store.id }, c.req.valid('param').subscriptionId, c.req.valid('json')), 201))
  .openapi(change, async (c) => {
    const storeId = c.var.store.id;
    const outcome = await applyPlanChange(deps, { storeId }, c.req.valid('param').subscriptionId, c.req.valid('json').quoteId);
    const subscription = loadSubscriptionView(deps.db, storeId, outcome.subscriptionId, deps.clock.now());
    return c.json({ kind: outcome.kind, subscription, charge: outcome.charge }, 200);
  })
  .openapi(undo, (c) => {
    const { id } = undoScheduledChange(deps, { storeId: c.var.store.id }, c.req.valid('param').subscriptionId);
    return c.json(loadSubscriptionView(deps.db, c.var.store.id, id, deps.clock.now()), 200);
  });
