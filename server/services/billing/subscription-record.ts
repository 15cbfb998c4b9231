import { first } from '../../db/query';
import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client';
import { prepared, updateById } from '../../db/prepared';
import {
  products,
  subscriptions,
  type ProductRow,
  type SubscriptionRow,
  type SubscriptionStatus,
} from '../../db/schema';
import type { ErrorCode } from '../../contract';
import { notFound, problem } from '../../lib/errors';

/**
 * The subscription record: reading a subscription, the rules that guard a
 * change, and the one write that changes it. {@link updateSubscription} is the
 * only code that writes the `version` column — every change bumps it, which is
 * what makes a plan-change quote taken before the change stale.
 */

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

/** Who acts, as the activity log and the charges name them. */
export const actorName = (actor: Actor): 'customer' | 'merchant' => (isMerchant(actor) ? 'merchant' : 'customer');

/** A subscription with its plan. */
export interface Subscribed {
  subscription: SubscriptionRow;
  plan: ProductRow;
}

/** The statuses of a subscription that has ended for good. */
export const endedStatuses: readonly SubscriptionStatus[] = ['canceled', 'deactivated'];

/** The statuses of a subscription that still renews, or may again (a paused one). */
export const liveStatuses: SubscriptionStatus[] = ['trial', 'active', 'overdue', 'paused'];

/**
 * Everything that stops when billing ends (a cancellation, a lapse, a
 * deactivation): the next charge, a scheduled downgrade, a pause and a
 * renewal waiting for the customer's confirmation.
 */
export const endsBilling = {
  nextChargeAt: null,
  confirmationChargeId: null,
  nextChargeAmount: null,
  scheduledProductId: null,
  scheduledQuantity: null,
  scheduledUnitPrice: null,
  pauseStartsAt: null,
  pauseResumesAt: null,
} satisfies Partial<SubscriptionRow>;

/** A subscription of the store with its plan; 404 for an unknown id or another store's. */
export async function getSubscription(db: DbOrTx, storeId: string, subscriptionId: string): Promise<Subscribed> {
  const row = first(
    await db
      .select()
      .from(subscriptions)
      .innerJoin(products, eq(products.id, subscriptions.productId))
      .where(and(eq(subscriptions.storeId, storeId), eq(subscriptions.id, subscriptionId))),
  );
  if (!row) throw notFound('Subscription', { subscriptionId });
  return { subscription: row.subscriptions, plan: row.products };
}

/** The subscription by id, for background work that already knows it exists. */
export async function readSubscription(db: DbOrTx, subscriptionId: string): Promise<SubscriptionRow> {
  return (await prepared(db, 'subscription:read', (root) =>
    root
      .select()
      .from(subscriptions)
      .where(eq(subscriptions.id, sql.placeholder('id')))
      .prepare(),
  ).get({ id: subscriptionId }))!;
}

/** The subscription if the actor may see it; the same 404 for another account's, another store's and unknown ids. */
export async function findOwnSubscription(db: DbOrTx, actor: Actor, subscriptionId: string): Promise<Subscribed> {
  const found = await getSubscription(db, actor.storeId, subscriptionId);
  if (actor.accountId !== undefined && found.subscription.accountId !== actor.accountId) {
    throw notFound('Subscription', { subscriptionId });
  }
  return found;
}

/** Writes changes to a subscription, bumping its version (so earlier quotes go stale) and `updatedAt`; returns the row as written. */
export async function updateSubscription(
  tx: Tx,
  row: SubscriptionRow,
  changes: Partial<SubscriptionRow>,
  now: Date,
): Promise<SubscriptionRow> {
  await updateById(
    tx,
    subscriptions,
    row.id,
    { ...changes, updatedAt: now },
    { version: sql`${subscriptions.version} + 1` },
  );
  return { ...row, ...changes, version: row.version + 1, updatedAt: now };
}

/** Whether a cancellation is pending: the subscription runs to its period's end, then stops. */
export function isPendingCancellation(row: Pick<SubscriptionRow, 'status' | 'cancelAtPeriodEnd'>): boolean {
  return row.cancelAtPeriodEnd && (row.status === 'active' || row.status === 'trial');
}

/** Refuses anything but viewing for a subscription that has ended. */
export function assertNotEnded(sub: SubscriptionRow): void {
  if (endedStatuses.includes(sub.status)) {
    throw problem('subscription_ended', { subscriptionId: sub.id, status: sub.status });
  }
}

/** Refuses a plan change (or a pause) unless the subscription is active or in its trial with nothing else pending. */
export function assertChangeable(sub: SubscriptionRow): void {
  assertNotEnded(sub);
  const refuse = (code: ErrorCode) => {
    throw problem(code, { subscriptionId: sub.id, status: sub.status });
  };
  if (sub.status === 'paused') refuse('subscription_paused');
  if (sub.status === 'overdue') refuse('subscription_overdue');
  if (isPendingCancellation(sub)) refuse('cancellation_pending');
  if (sub.pauseStartsAt) refuse('pause_scheduled');
}
