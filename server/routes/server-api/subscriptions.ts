import type { Deps } from '../../deps';
import { idParam, jsonBody, jsonResponse, ofAccountQuery, page } from '../../schemas/common';
import {
  cancelInput,
  pauseInput,
  subscriptionConflicts,
  subscriptionErrorNotes,
} from '../../schemas/subscription-actions';
import { subscriptionSchema } from '../../schemas/subscriptions';
import {
  cancelSubscription,
  resumeSubscription,
  pauseSubscription,
  unpauseSubscription,
  listSubscriptions,
  loadSubscriptionView,
  toSubscriptionViews,
} from '../../services/billing';
import { planChangeRoutes } from './subscription-changes';
import { apiRoute, apiRouter } from './router';

const tags = ['Subscriptions'];
const params = idParam('subscriptionId', 'sub');
const view = jsonResponse(subscriptionSchema, 'The subscription as it is now.');

/** Errors of the routes that cancel, resume, pause or unpause a subscription. */
const changeErrors = {
  errors: [...subscriptionConflicts, 'pause_too_long', 'resume_date_too_early'],
  errorNotes: subscriptionErrorNotes,
} as const;

const list = apiRoute({
  operationId: 'listSubscriptions',
  method: 'get',
  path: '/',
  tags,
  summary: 'List subscriptions (of one account), newest first',
  request: { query: ofAccountQuery },
  responses: { 200: jsonResponse(page(subscriptionSchema), 'A page of subscriptions.') },
});

const get = apiRoute({
  operationId: 'getSubscription',
  method: 'get',
  path: '/{subscriptionId}',
  tags,
  summary: 'Get a subscription',
  description:
    'Includes the cancellation (reason, comment, dates), a scheduled change, a pause and the payment method.',
  request: { params },
  responses: { 200: jsonResponse(subscriptionSchema, 'The subscription, with its account id.') },
});

const cancel = apiRoute({
  operationId: 'cancelSubscription',
  method: 'post',
  path: '/{subscriptionId}/cancel',
  tags,
  summary: 'Cancel a subscription, at the end of the period or (always allowed here) immediately',
  description:
    'Emits `subscription.canceled` (with the reason and comment), and `subscription.deactivated` when it ends now. ' +
    'Paused and overdue subscriptions end at once. Cancelling again while a cancellation is pending changes nothing.',
  request: { params, body: jsonBody(cancelInput) },
  responses: { 200: view },
  ...changeErrors,
});

const resume = apiRoute({
  operationId: 'resumeSubscription',
  method: 'post',
  path: '/{subscriptionId}/resume',
  tags,
  summary: 'Undo a pending cancellation before the period ends (`subscription.uncanceled`)',
  request: { params },
  responses: { 200: view },
  ...changeErrors,
});

const pause = apiRoute({
  operationId: 'pauseSubscription',
  method: 'post',
  path: '/{subscriptionId}/pause',
  tags,
  summary: 'Pause from the end of the paid period (also where customers may not pause), up to 12 periods',
  request: { params, body: jsonBody(pauseInput) },
  responses: { 200: view },
  ...changeErrors,
});

const unpause = apiRoute({
  operationId: 'unpauseSubscription',
  method: 'post',
  path: '/{subscriptionId}/unpause',
  tags,
  summary: 'Withdraw a scheduled pause, or end a running one now (charges a new period now)',
  request: { params },
  responses: { 200: view },
  errors: [...subscriptionConflicts, 'payment_method_required', 'payment_declined', 'gateway_unavailable'],
  errorNotes: subscriptionErrorNotes,
});

/** Subscriptions for the merchant: list, get, plan changes, cancel, resume, pause and unpause. */
export const subscriptionRoutes = (deps: Deps) => {
  const merchant = (storeId: string) => ({ storeId });
  const current = async (storeId: string, id: string) =>
    await loadSubscriptionView(deps.db, storeId, id, deps.clock.now());
  return apiRouter()
    .openapi(list, async (c) => {
      const result = await listSubscriptions(deps.db, c.get('store').id, c.req.valid('query'));
      return c.json(
        {
          data: await toSubscriptionViews(deps.db, result.data, deps.clock.now()),
          nextCursor: result.nextCursor,
        },
        200,
      );
    })
    .openapi(get, async (c) => c.json(await current(c.get('store').id, c.req.valid('param').subscriptionId), 200))
    .openapi(cancel, async (c) => {
      const { id } = await cancelSubscription(
        deps,
        merchant(c.get('store').id),
        c.req.valid('param').subscriptionId,
        c.req.valid('json'),
      );
      return c.json(await current(c.get('store').id, id), 200);
    })
    .openapi(resume, async (c) =>
      c.json(
        await current(
          c.get('store').id,
          (await resumeSubscription(deps, merchant(c.get('store').id), c.req.valid('param').subscriptionId)).id,
        ),
        200,
      ),
    )
    .openapi(pause, async (c) => {
      const { id } = await pauseSubscription(
        deps,
        merchant(c.get('store').id),
        c.req.valid('param').subscriptionId,
        c.req.valid('json'),
      );
      return c.json(await current(c.get('store').id, id), 200);
    })
    .openapi(unpause, async (c) => {
      const { subscription } = await unpauseSubscription(
        deps,
        merchant(c.get('store').id),
        c.req.valid('param').subscriptionId,
      );
      return c.json(await current(c.get('store').id, subscription.id), 200);
    })
    .route('/', planChangeRoutes(deps));
};
