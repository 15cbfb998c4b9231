import type { Deps } from '../../deps';
import { jsonBody, jsonResponse } from '../../schemas/common';
import {
  planChangeConfirmErrors,
  planChangeConflicts,
  planChangeInput,
  planChangePreviewInput,
  planChangeQuoteSchema,
  planOptionListSchema,
  planOptionsQuery,
  portalPlanChangeResultSchema,
  subscriptionErrorNotes,
} from '../../schemas/subscription-actions';
import { portalSubscriptionSchema } from '../../schemas/subscriptions';
import type { ChargeSummary } from '../../schemas/subscription-actions';
import {
  applyPlanChange,
  chargeSummary,
  undoScheduledChange,
  listPlanOptions,
  previewPlanChange,
} from '../../services/billing';
import { actionRequired, answerHeld } from './payment-actions';
import { portalRoute, portalRouter } from './router';
import { actorOf, portalView, subscriptionParams } from './subscription-common';

const tags = ['Subscriptions'];
const params = subscriptionParams;

const plans = portalRoute({
  operationId: 'listPlanOptions',
  permission: 'subscriptions:read',
  method: 'get',
  path: '/{storeId}/subscriptions/{subscriptionId}/plans',
  tags,
  summary: 'The plans the subscription may switch to (the current one flagged), priced in its currency',
  description:
    'Each plan is priced per period at the current quantity, or at `quantity`: net, tax and total as a quote ' +
    'would say them, so that a client shows these figures rather than working out tax itself.',
  request: { params, query: planOptionsQuery },
  responses: { 200: jsonResponse(planOptionListSchema, 'Plans by sort order.') },
});

const preview = portalRoute({
  operationId: 'previewPlanChange',
  permission: 'subscriptions:change-plan',
  method: 'post',
  path: '/{storeId}/subscriptions/{subscriptionId}/change-preview',
  tags,
  summary: 'Quote a plan or quantity change (valid 10 minutes)',
  description: 'Upgrades are charged when confirmed (prorated), downgrades take effect at the end of the period.',
  request: { params, body: jsonBody(planChangePreviewInput) },
  responses: { 201: jsonResponse(planChangeQuoteSchema, 'The quote.') },
  errors: [...planChangeConflicts, 'no_change', 'plan_not_available'],
  errorNotes: subscriptionErrorNotes,
});

const change = portalRoute({
  operationId: 'confirmPlanChange',
  permission: 'subscriptions:change-plan',
  method: 'post',
  path: '/{storeId}/subscriptions/{subscriptionId}/change',
  tags,
  summary: 'Confirm a quote: apply exactly what it said',
  request: { params, body: jsonBody(planChangeInput) },
  responses: {
    200: jsonResponse(portalPlanChangeResultSchema, 'The change was applied (upgrade) or scheduled (downgrade).'),
    202: actionRequired,
  },
  errors: [...planChangeConflicts, ...planChangeConfirmErrors],
  errorNotes: subscriptionErrorNotes,
});

const undo = portalRoute({
  operationId: 'withdrawScheduledChange',
  permission: 'subscriptions:change-plan',
  method: 'delete',
  path: '/{storeId}/subscriptions/{subscriptionId}/scheduled-change',
  tags,
  summary: 'Withdraw a scheduled downgrade',
  request: { params },
  responses: {
    200: jsonResponse(portalSubscriptionSchema, 'The subscription as it is now.'),
  },
  errors: [...planChangeConflicts, 'no_scheduled_change'],
  errorNotes: subscriptionErrorNotes,
});

/** Plan and quantity changes of the customer's subscriptions (mounted behind the session check of `subscriptionRoutes`). */
export const planChangeRoutes = (deps: Deps) =>
  portalRouter()
    .openapi(plans, async (c) => {
      const { quantity } = c.req.valid('query');
      return c.json(
        await listPlanOptions(deps.db, actorOf(c), c.req.valid('param').subscriptionId, deps.clock.now(), quantity),
        200,
      );
    })
    .openapi(preview, async (c) =>
      c.json(await previewPlanChange(deps, actorOf(c), c.req.valid('param').subscriptionId, c.req.valid('json')), 201),
    )
    .openapi(change, async (c) => {
      const { subscriptionId } = c.req.valid('param');
      const outcome = await applyPlanChange(deps, actorOf(c), subscriptionId, c.req.valid('json').quoteId);
      const result = async (charge: ChargeSummary) => ({
        kind: outcome.kind,
        subscription: await portalView(deps, c, subscriptionId),
        charge,
      });
      if (outcome.held)
        return answerHeld(
          deps,
          c,
          subscriptionId,
          outcome.held,
          async (paid) => await result(await chargeSummary(deps, paid)),
        );
      return c.json(await result(outcome.charge), 200);
    })
    .openapi(undo, async (c) => {
      const { id } = await undoScheduledChange(deps, actorOf(c), c.req.valid('param').subscriptionId);
      return c.json(await portalView(deps, c, id), 200);
    });
