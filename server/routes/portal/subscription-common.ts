import type { Context } from 'hono';
import type { Deps } from '../../deps';
import type { PortalEnv } from '../../middleware/portal';
import { idParam } from '../../schemas/common';
import { subscriptionConflicts, subscriptionErrorNotes } from '../../schemas/subscription-actions';
import { getPortalSubscription, type Actor } from '../../services/billing';
import { storeParam } from './router';
import { storeSettings } from '../../lib/store-settings';

/** The store and subscription path parameters. */
export const subscriptionParams = storeParam.merge(idParam('subscriptionId', 'sub'));

/** Errors of the routes that cancel, resume, pause or unpause a subscription. */
export const changeErrors = {
  errors: [
    ...subscriptionConflicts,
    'immediate_cancel_not_allowed',
    'pause_not_allowed',
    'pause_too_long',
    'resume_date_too_early',
  ],
  errorNotes: subscriptionErrorNotes,
} as const;

/** The signed-in customer: only their own subscriptions exist for them. */
export const actorOf = (c: Context<PortalEnv>): Actor => ({ storeId: c.var.store.id, accountId: c.var.account.id });

/** The portal view of one of the signed-in customer's subscriptions, as it is now. */
export const portalView = (deps: Deps, c: Context<PortalEnv>, subscriptionId: string) =>
  getPortalSubscription(
    deps.db,
    c.var.store.id,
    c.var.account.id,
    subscriptionId,
    storeSettings(c.var.store),
    deps.clock.now(),
  );
