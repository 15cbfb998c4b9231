import { z } from '@hono/zod-openapi';
import type { Deps } from '../../deps';
import { cursorQuery, jsonBody, jsonResponse, page } from '../../schemas/common';
import {
  cancelInput,
  pauseInput,
  subscriptionConflicts,
  subscriptionErrorNotes,
} from '../../schemas/subscription-actions';
import { portalSubscriptionSchema } from '../../schemas/subscriptions';
import {
  cancelSubscription,
  resumeSubscription,
  pauseSubscription,
  unpauseSubscription,
  listPortalSubscriptions,
} from '../../services/billing';
import { actionRequired, answerHeld } from './payment-actions';
import { planChangeRoutes } from './plan-changes';
import { portalRoute, portalRouter, storeParam, requireCustomer } from './router';
import { actorOf, changeErrors, portalView, subscriptionParams, withinScope } from './subscription-common';
import { storeSettings } from '../../lib/store-settings';

const tags = ['Subscriptions'];
/** The actions under `/subscriptions/{id}/` served here and in `plan-changes.ts`. */
const ACTIONS = ['plans', 'change-preview', 'change', 'scheduled-change', 'cancel', 'resume', 'pause', 'unpause'];
const params = subscriptionParams;
const view = jsonResponse(portalSubscriptionSchema, 'The subscription as it is now.');

const list = portalRoute({
  operationId: 'listSubscriptions',
  permission: 'subscriptions:read',
  method: 'get',
  path: '/{storeId}/subscriptions',
  tags,
  summary: "The customer's subscriptions in every status, newest first",
  request: { params: storeParam, query: z.object(cursorQuery) },
  responses: { 200: jsonResponse(page(portalSubscriptionSchema), 'A page of subscriptions.') },
});

const get = portalRoute({
  operationId: 'getSubscription',
  permission: 'subscriptions:read',
  method: 'get',
  path: '/{storeId}/subscriptions/{subscriptionId}',
  tags,
  summary: "One of the customer's subscriptions, with the actions open to them",
  request: { params },
  responses: { 200: view },
});

const cancel = portalRoute({
  operationId: 'cancelSubscription',
  permission: 'subscriptions:cancel',
  method: 'post',
  path: '/{storeId}/subscriptions/{subscriptionId}/cancel',
  tags,
  summary: 'Cancel, with a reason: at the end of the period, or now where the store allows it',
  description:
    'Paused and overdue subscriptions end at once. Cancelling again while a cancellation is pending changes nothing.',
  request: { params, body: jsonBody(cancelInput) },
  responses: { 200: view },
  ...changeErrors,
});

const resume = portalRoute({
  operationId: 'resumeSubscription',
  permission: 'subscriptions:resume',
  method: 'post',
  path: '/{storeId}/subscriptions/{subscriptionId}/resume',
  tags,
  summary: 'Undo a pending cancellation before the period ends',
  request: { params },
  responses: { 200: view },
  ...changeErrors,
});

const pause = portalRoute({
  operationId: 'pauseSubscription',
  permission: 'subscriptions:pause',
  method: 'post',
  path: '/{storeId}/subscriptions/{subscriptionId}/pause',
  tags,
  summary: 'Pause from the end of the paid period, for some periods or until a date',
  request: { params, body: jsonBody(pauseInput) },
  responses: { 200: view },
  ...changeErrors,
});

const unpause = portalRoute({
  operationId: 'unpauseSubscription',
  permission: 'subscriptions:pause',
  method: 'post',
  path: '/{storeId}/subscriptions/{subscriptionId}/unpause',
  tags,
  summary: 'Withdraw a scheduled pause, or end a running one now (a new period is charged now)',
  request: { params },
  responses: { 200: view, 202: actionRequired },
  errors: [...subscriptionConflicts, 'payment_method_required', 'payment_declined', 'gateway_unavailable'],
  errorNotes: subscriptionErrorNotes,
});

/** The customer's subscriptions: list, detail, plan changes, cancel, resume, pause and unpause. */
export const subscriptionRoutes = (deps: Deps) => {
  const router = portalRouter();
  // Only this file's routes: others under /subscriptions/{id}/ (renew, payment-method) check the session themselves.
  const customer = requireCustomer(deps);
  // One path per action, not one `:action{…}` pattern: a pattern beside static segments keeps PortalRouter off its fast path.
  for (const path of ['', '/:subscriptionId', ...ACTIONS.map((action) => `/:subscriptionId/${action}`)]) {
    router.use(`/:storeId/subscriptions${path}`, customer);
  }
  return router
    .openapi(list, async (c) => {
      const page = await listPortalSubscriptions(
        deps.db,
        c.get('store').id,
        c.get('account').id,
        storeSettings(c.get('store')),
        c.req.valid('query'),
        deps.clock.now(),
      );
      return c.json({ ...page, data: page.data.map((view) => withinScope(view, c.get('session'))) }, 200);
    })
    .openapi(get, async (c) => c.json(await portalView(deps, c, c.req.valid('param').subscriptionId), 200))
    .openapi(cancel, async (c) => {
      const { id } = await cancelSubscription(
        deps,
        actorOf(c),
        c.req.valid('param').subscriptionId,
        c.req.valid('json'),
      );
      return c.json(await portalView(deps, c, id), 200);
    })
    .openapi(resume, async (c) =>
      c.json(
        await portalView(deps, c, (await resumeSubscription(deps, actorOf(c), c.req.valid('param').subscriptionId)).id),
        200,
      ),
    )
    .openapi(pause, async (c) => {
      const { id } = await pauseSubscription(
        deps,
        actorOf(c),
        c.req.valid('param').subscriptionId,
        c.req.valid('json'),
      );
      return c.json(await portalView(deps, c, id), 200);
    })
    .openapi(unpause, async (c) => {
      const { subscriptionId } = c.req.valid('param');
      const { held } = await unpauseSubscription(deps, actorOf(c), subscriptionId);
      if (held) return answerHeld(deps, c, subscriptionId, held, async () => await portalView(deps, c, subscriptionId));
      return c.json(await portalView(deps, c, subscriptionId), 200);
    })
    .route('/', planChangeRoutes(deps));
};
