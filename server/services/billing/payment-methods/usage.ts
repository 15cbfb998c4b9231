import { first } from '../../../db/query';
import { mapInOrder } from '../../../lib/in-order';
import { and, eq, inArray } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../../db/client';
import { products, subscriptions } from '../../../db/schema';
import { notFound } from '../../../lib/errors';
import { emitEvent } from '../../../webhooks/emit';
import { loadSubscriptionView } from '../subscriptions/subscriptions';
import type { SubscriptionRow } from '../../../db/schema';
import { withSubscriptionLock } from '../subscription-lock';
import { assertNotEnded, liveStatuses, updateSubscription } from '../subscription-record';
import { recordSubscriptionActivity } from '../subscription-activity';
import type { ActivityActor } from '../../../contract';

/** A live subscription of an account, with the product name the customer knows it by. */
export interface SubscriptionUse {
  subscription: SubscriptionRow;
  productName: string;
}

/** The account's live subscriptions, optionally only those charged with one method, oldest first. */
export async function liveSubscriptions(
  db: DbOrTx,
  storeId: string,
  accountId: string,
  paymentMethodId?: string,
): Promise<SubscriptionUse[]> {
  return (
    await db
      .select({ subscription: subscriptions, productName: products.name })
      .from(subscriptions)
      .innerJoin(products, eq(products.id, subscriptions.productId))
      .where(
        and(
          eq(subscriptions.storeId, storeId),
          eq(subscriptions.accountId, accountId),
          inArray(subscriptions.status, liveStatuses),
          paymentMethodId === undefined ? undefined : eq(subscriptions.paymentMethodId, paymentMethodId),
        ),
      )
  ).sort((a, b) => a.subscription.createdAt.getTime() - b.subscription.createdAt.getTime());
}

/**
 * Whether a subscription needs a saved method to go on: it renews automatically
 * and will be charged again (a pending cancellation will not).
 */
export function dependsOnMethod(sub: SubscriptionRow): boolean {
  return sub.autoRenew && liveStatuses.includes(sub.status) && !sub.cancelAtPeriodEnd;
}

/**
 * Looks up subscriptions the account wants a method for: each must be the
 * account's own (404 otherwise, also for another store's) and not ended (409).
 */
export async function ownLiveSubscriptions(
  db: DbOrTx,
  storeId: string,
  accountId: string,
  ids: readonly string[],
): Promise<SubscriptionRow[]> {
  return await mapInOrder([...new Set(ids)], async (id) => {
    const found = first(
      await db
        .select()
        .from(subscriptions)
        .where(
          and(eq(subscriptions.storeId, storeId), eq(subscriptions.accountId, accountId), eq(subscriptions.id, id)),
        ),
    );
    if (!found) throw notFound('Subscription', { subscriptionId: id });
    assertNotEnded(found);
    return found;
  });
}

/**
 * Points a subscription at another method (or none) inside the caller's
 * transaction, bumps its version and emits `subscription.updated`. With
 * `autoRenew`, a manual-renewal subscription starts renewing automatically. A
 * renewal waiting for the customer's confirmation is settled at the scheduler's
 * next run instead of at its deadline, so the new method is charged then.
 * Refuses (409 `subscription_busy`) while a charge or another change holds the
 * subscription's lock; the change is one transaction, so the lock is taken and
 * given back within it.
 */
export async function switchSubscriptionMethod(
  tx: Tx,
  sub: SubscriptionRow,
  paymentMethodId: string | null,
  now: Date,
  by: ActivityActor,
  autoRenew?: true,
): Promise<SubscriptionRow> {
  const replacesConfirmation = sub.confirmationChargeId !== null && paymentMethodId !== sub.paymentMethodId;
  const next = await withSubscriptionLock(
    tx,
    sub.id,
    now,
    async () =>
      await updateSubscription(
        tx,
        sub,
        { paymentMethodId, ...(autoRenew && { autoRenew }), ...(replacesConfirmation && { nextChargeAt: now }) },
        now,
      ),
  );
  const view = await loadSubscriptionView(tx, sub.storeId, sub.id, now);
  await emitEvent(tx, sub.storeId, 'subscription.updated', view, now);
  const card = { brand: view.paymentMethod?.brand ?? null, last4: view.paymentMethod?.last4 ?? null };
  await recordSubscriptionActivity(
    tx,
    next,
    'subscription_payment_method_changed',
    by,
    { plan: view.product.name, ...card },
    now,
  );
  return next;
}
