import type { Context } from 'hono';
import type { Deps } from '../../deps';
import type { PortalEnv } from '../../middleware/portal';
import { errorSchema, idParam } from '../../schemas/common';
import { getPortalSubscription, type Actor } from '../../services/billing';
import { portalErrors, storeParam } from './router';
import { storeSettings } from '../../lib/store-settings';

/** The store and subscription path parameters. */
export const subscriptionParams = storeParam.merge(idParam('subscriptionId', 'sub'));

/** A documented error response in the house shape. */
export const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: errorSchema } } });

/** Errors of the routes that change a subscription. */
export const changeErrors = {
  ...portalErrors,
  403: errorResponse('The store does not allow this (`immediate_cancel_not_allowed`, `pause_not_allowed`).'),
  409: errorResponse('Not possible in the subscription\'s state (`subscription_ended`, `cancellation_pending`, '
    + '`subscription_paused`, `subscription_overdue`, `pause_scheduled`, `not_pending_cancellation`, `not_paused`, '
    + '`no_scheduled_change`), or another change is running (`subscription_busy`).'),
} as const;

/** The signed-in customer: only their own subscriptions exist for them. */
export const actorOf = (c: Context<PortalEnv>): Actor => ({ storeId: c.var.store.id, accountId: c.var.account.id });

/** The portal view of one of the signed-in customer's subscriptions, as it is now. */
export const portalView = (deps: Deps, c: Context<PortalEnv>, subscriptionId: string) =>
  getPortalSubscription(deps.db, c.var.store.id, c.var.account.id, subscriptionId, storeSettings(c.var.store), deps.clock.now());
