import type { Context } from 'hono';
import { permits, type Permission } from '../../contract';
import type { SessionRow } from '../../db/schema';
import type { Deps } from '../../deps';
import type { PortalEnv } from '../../middleware/portal';
import { idParam } from '../../schemas/common';
import { subscriptionConflicts, subscriptionErrorNotes } from '../../schemas/subscription-actions';
import type { PortalSubscriptionView, SubscriptionActions } from '../../schemas/subscriptions';
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
export const actorOf = (c: Context<PortalEnv>): Actor => ({
  storeId: c.get('store').id,
  accountId: c.get('account').id,
});

/** The permission each of a subscription's actions needs of the session. */
const actionPermissions: Record<keyof SubscriptionActions, Permission> = {
  change: 'subscriptions:change-plan',
  undoScheduledChange: 'subscriptions:change-plan',
  cancel: 'subscriptions:cancel',
  cancelImmediately: 'subscriptions:cancel',
  resume: 'subscriptions:resume',
  pause: 'subscriptions:pause',
  unpause: 'subscriptions:pause',
  renew: 'subscriptions:renew',
  confirmPayment: 'payments:confirm',
};

/** The subscription as this session may act on it: actions its capabilities take away are false. */
export function withinScope(view: PortalSubscriptionView, session: SessionRow): PortalSubscriptionView {
  const actions = Object.fromEntries(
    Object.entries(view.actions).map(([action, open]) => [
      action,
      open && permits(session.capabilities, actionPermissions[action as keyof SubscriptionActions]),
    ]),
  ) as SubscriptionActions;
  return { ...view, actions, pauseOptions: actions.pause ? view.pauseOptions : null };
}

/** The portal view of one of the signed-in customer's subscriptions, as it is now and as this session may act on it. */
export const portalView = async (deps: Deps, c: Context<PortalEnv>, subscriptionId: string) =>
  withinScope(
    await getPortalSubscription(
      deps.db,
      c.get('store').id,
      c.get('account').id,
      subscriptionId,
      storeSettings(c.get('store')),
      deps.clock.now(),
    ),
    c.get('session'),
  );
