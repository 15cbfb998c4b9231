import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client';
import { paymentMethods, subscriptions } from '../../db/schema';
import type { Deps } from '../../deps';
import { subscriptionNoticeEmail, type PlanLine, type SubscriptionNotice } from '../../email/subscription-templates';
import { DomainError, notFound } from '../../lib/errors';
import { getAccount } from '../accounts';
import { lockSubscription, unlockSubscription } from './charge-once';
import { queueEmail } from '../../email/queue';
import { emitEvent, type EventType } from '../../webhooks/emit';
import { listPaymentMethods } from './payment-methods/payment-methods';
import { portalUrl } from '../sign-in';
import { periodBounds, resumeAnchor } from './periods';
import { getStore } from '../stores';
import { getSubscription, isPendingCancellation, loadSubscriptionView } from './subscriptions/subscriptions';
import type { PaymentMethodRow, ProductRow, SubscriptionRow } from '../../db/schema';

/**
 * Who acts on a subscription: a signed-in customer (`accountId` set: only that
 * account's subscriptions exist for them) or the merchant through the Server API.
 */
export interface Actor {
  storeId: string;
  accountId?: string;
}

/** Whether the merchant acts (through the Server API), who may do more than customers. */
export const isMerchant = (actor: Actor) => actor.accountId === undefined;

/** A subscription with its plan. */
export interface Subscribed {
  subscription: SubscriptionRow;
  plan: ProductRow;
}

/** The subscription if the actor may see it; the same 404 for another account's, another store's and unknown ids. */
export function findOwnSubscription(db: DbOrTx, actor: Actor, subscriptionId: string): Subscribed {
  const found = getSubscription(db, actor.storeId, subscriptionId);
  if (actor.accountId !== undefined && found.subscription.accountId !== actor.accountId) {
    throw notFound('Subscription', { subscriptionId });
  }
  return found;
}

/** The answer while someone else holds the subscription's lock: 409, try again in a moment. */
export const subscriptionBusy = (subscriptionId: string) => new DomainError(409, 'subscription_busy',
  'The subscription is being charged or changed right now. Please try again in a moment.', { subscriptionId }, { 'Retry-After': '2' });

/**
 * Runs a change that is complete within one transaction while holding the
 * subscription's lock: refused (409 `subscription_busy`) while a charge or another
 * change holds it.
 */
export function withSubscriptionLock<T>(tx: Tx, subscriptionId: string, now: Date, change: () => T): T {
  if (!lockSubscription(tx, subscriptionId, now)) throw subscriptionBusy(subscriptionId);
  const result = change();
  unlockSubscription(tx, subscriptionId);
  return result;
}

/** Writes changes to a subscription, bumping its version (so earlier quotes go stale) and `updatedAt`. */
export function updateSubscription(tx: Tx, row: SubscriptionRow, changes: Partial<SubscriptionRow>, now: Date): SubscriptionRow {
  tx.update(subscriptions).set({ ...changes, version: sql`${subscriptions.version} + 1`, updatedAt: now })
    .where(eq(subscriptions.id, row.id)).run();
  return { ...row, ...changes, version: row.version + 1, updatedAt: now };
}

/** Refuses anything but viewing for a subscription that has ended. */
export function assertNotEnded(sub: SubscriptionRow): void {
  if (sub.status === 'canceled' || sub.status === 'deactivated') {
    throw new DomainError(409, 'subscription_ended', 'This subscription has ended and can no longer be changed.',
      { subscriptionId: sub.id, status: sub.status });
  }
}

/** Refuses a plan change (or a pause) unless the subscription is active or in its trial with nothing else pending. */
export function assertChangeable(sub: SubscriptionRow): void {
  assertNotEnded(sub);
  const refuse = (code: string, message: string) => {
    throw new DomainError(409, code, message, { subscriptionId: sub.id, status: sub.status });
  };
  if (sub.status === 'paused') refuse('subscription_paused', 'This subscription is paused. Resume it first.');
  if (sub.status === 'overdue') {
    refuse('subscription_overdue', 'A payment for this subscription is overdue. Update the payment method first.');
  }
  if (isPendingCancellation(sub)) {
    refuse('cancellation_pending', 'This subscription is set to end. Resume it first to change it.');
  }
  if (sub.pauseStartsAt) refuse('pause_scheduled', 'A pause is scheduled for this subscription. Withdraw it first.');
}

/** What an email says about the plan. */
export function planLine(plan: ProductRow, quantity: number): PlanLine {
  return { name: plan.name, quantity, interval: plan.interval ?? 'month', intervalCount: plan.intervalCount };
}

/**
 * Emits the events of a change and queues the customer's confirmation email, in
 * the change's transaction. Returns the Server API view the events carry.
 */
export function announce(
  tx: Tx, deps: Deps, sub: SubscriptionRow, events: EventType[], notice: SubscriptionNotice | null, now: Date,
) {
  const view = loadSubscriptionView(tx, sub.storeId, sub.id, now);
  for (const type of events) emitEvent(tx, sub.storeId, type, view, now);
  if (notice) {
    const store = getStore(tx, sub.storeId);
    const account = getAccount(tx, sub.storeId, sub.accountId);
    const manageUrl = `${portalUrl(store, deps.config.publicBaseUrl)}#/subscriptions/${sub.id}`;
    queueEmail(tx, {
      store, accountId: account.id, to: account.email, kind: `subscription_${notice.kind}`,
      email: subscriptionNoticeEmail(store, account, notice, manageUrl),
    }, now);
  }
  return view;
}

/**
 * The method a charge of the subscription uses: its own (while saved), else the
 * account's default; 422 `payment_method_required` when there is none.
 */
export function chargeableMethod(db: DbOrTx, sub: SubscriptionRow): PaymentMethodRow {
  const own = sub.paymentMethodId
    ? db.select().from(paymentMethods).where(and(eq(paymentMethods.id, sub.paymentMethodId), eq(paymentMethods.storeId, sub.storeId)))
      .get()
    : undefined;
  if (own && !own.removedAt) return own;
  const fallback = listPaymentMethods(db, sub.storeId, sub.accountId).find((m) => m.isDefault);
  if (fallback) return fallback;
  throw new DomainError(422, 'payment_method_required',
    'This needs a payment, and there is no saved payment method. Please add one first.', { subscriptionId: sub.id });
}

/** Gives the lock back if it is still the one taken at `until` (a lapsed lock may have passed to someone else). */
export function releaseLock(tx: Tx, subscriptionId: string, until: Date): void {
  tx.update(subscriptions).set({ lockedUntil: null })
    .where(and(eq(subscriptions.id, subscriptionId), eq(subscriptions.lockedUntil, until))).run();
}

/**
 * The fields of a new period starting at `at` on `plan` (an upgrade to a longer
 * interval, or a pause ended early). Billing is re-anchored so that period
 * `periodIndex` starts exactly at `at` and later ones fall on the same day of the
 * month; the index continues above every period charged before, because charges
 * are keyed by period index and must never repeat one.
 */
export function restartPeriod(sub: SubscriptionRow, plan: ProductRow, at: Date) {
  const { anchor, periodIndex } = resumeAnchor(at, plan, sub.periodIndex + 1);
  const { end } = periodBounds(anchor, plan, periodIndex);
  return { billingAnchorAt: anchor, periodIndex, currentPeriodStart: at, currentPeriodEnd: end, nextChargeAt: end };
}
