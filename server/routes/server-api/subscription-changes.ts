import type { Deps } from '../../deps';
import { idParam, jsonBody, jsonResponse } from '../../schemas/common';
import {
  planChangeConfirmErrors,
  planChangeConflicts,
  planChangeInput,
  planChangePreviewInput,
  planChangeQuoteSchema,
  planChangeResultSchema,
  subscriptionErrorNotes,
} from '../../schemas/subscription-actions';
import { subscriptionSchema } from '../../schemas/subscriptions';
import { applyPlanChange, undoScheduledChange, previewPlanChange, loadSubscriptionView } from '../../services/billing';
import { apiRoute, apiRouter } from './router';

const tags = ['Subscriptions'];
const params = idParam('subscriptionId', 'sub');

const preview = apiRoute({
  operationId: 'previewPlanChange',
  method: 'post',
  path: '/{subscriptionId}/change-preview',
  tags,
  summary: 'Quote a plan or quantity change (valid 10 minutes)',
  description:
    "The merchant may switch to any subscription plan with a price in the subscription's currency, hidden " +
    "ones included. Upgrades are charged to the customer's saved method when confirmed; downgrades wait for the period's end.",
  request: { params, body: jsonBody(planChangePreviewInput) },
  responses: { 201: jsonResponse(planChangeQuoteSchema, 'The quote.') },
  errors: [...planChangeConflicts, 'no_change', 'plan_not_available'],
  errorNotes: subscriptionErrorNotes,
});

const change = apiRoute({
  operationId: 'confirmPlanChange',
  method: 'post',
  path: '/{subscriptionId}/change',
  tags,
  summary: 'Confirm a quote: apply exactly what it said',
  description: 'An upgrade is charged (one charge per quote) and records a `plan_change` order with an invoice number.',
  request: { params, body: jsonBody(planChangeInput) },
  responses: {
    200: jsonResponse(planChangeResultSchema, 'The change was applied (upgrade) or scheduled (downgrade).'),
  },
  errors: [...planChangeConflicts, ...planChangeConfirmErrors],
  errorNotes: subscriptionErrorNotes,
});

const undo = apiRoute({
  operationId: 'withdrawScheduledChange',
  method: 'delete',
  path: '/{subscriptionId}/scheduled-change',
  tags,
  summary: 'Withdraw a scheduled downgrade',
  request: { params },
  responses: {
    200: jsonResponse(subscriptionSchema, 'The subscription as it is now.'),
  },
  errors: [...planChangeConflicts, 'no_scheduled_change'],
  errorNotes: subscriptionErrorNotes,
});

/** The merchant's plan and quantity changes of a subscription. */
export const planChangeRoutes = (deps: Deps) =>
  apiRouter()
    .openapi(preview, async (c) =>
      c.json(
        await previewPlanChange(
          deps,
          { storeId: c.get('store').id },
          c.req.valid('param').subscriptionId,
          c.req.valid('json'),
        ),
        201,
      ),
    )
    .openapi(change, async (c) => {
      const storeId = c.get('store').id;
      const outcome = await applyPlanChange(
        deps,
        { storeId },
        c.req.valid('param').subscriptionId,
        c.req.valid('json').quoteId,
      );
      const subscription = await loadSubscriptionView(deps.db, storeId, outcome.subscriptionId, deps.clock.now());
      return c.json({ kind: outcome.kind, subscription, charge: outcome.charge }, 200);
    })
    .openapi(undo, async (c) => {
      const { id } = await undoScheduledChange(
        deps,
        { storeId: c.get('store').id },
        c.req.valid('param').subscriptionId,
      );
      return c.json(await loadSubscriptionView(deps.db, c.get('store').id, id, deps.clock.now()), 200);
    });
