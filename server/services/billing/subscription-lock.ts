import { affected } from '../../db/query';
import { and, eq, isNull, lte, or, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client';
import { prepared } from '../../db/prepared';
import { subscriptions } from '../../db/schema';
import { MINUTE, SECOND } from '../../lib/clock';
import { problem } from '../../lib/errors';

/**
 * The subscription lock: the only code that reads or writes `subscriptions.locked_until`.
 *
 * Whoever charges or changes a subscription holds its lock while doing so, so
 * that a renewal, an upgrade and a card switch never interleave. A lock is a
 * time (`lockedUntil`) that is also its identity: releasing or extending it
 * succeeds only while it is still the holder's, so a crashed holder's lock
 * lapses after {@link SUBSCRIPTION_LOCK_MS} and a late holder cannot release
 * its successor's.
 */

/** How long a subscription stays locked for one charge or change; a crashed holder's lock lapses after it. */
export const SUBSCRIPTION_LOCK_MS = 2 * MINUTE;

/** A held lock is only worked under while it has at least this long to run; otherwise it is extended first. */
export const MIN_LOCK_LEFT_MS = 60 * SECOND;

/** The answer while someone else holds the subscription's lock: 409, try again in a moment. */
export const subscriptionBusy = (subscriptionId: string) =>
  problem('subscription_busy', { subscriptionId }, { 'Retry-After': '2' });

/**
 * Takes the subscription's lock if nobody holds it (or a holder's lock lapsed):
 * one conditional UPDATE, so of many concurrent callers exactly one gets it.
 * Returns the lock's expiry (its identity), or undefined when it is held.
 */
export async function takeLock(tx: Tx, subscriptionId: string, now: Date): Promise<Date | undefined> {
  const until = new Date(now.getTime() + SUBSCRIPTION_LOCK_MS);
  const taken = await prepared(tx, 'subscription:take-lock', (root) =>
    root
      .update(subscriptions)
      .set({ lockedUntil: sql`${sql.placeholder('until')}` })
      .where(
        and(
          eq(subscriptions.id, sql.placeholder('id')),
          or(isNull(subscriptions.lockedUntil), lte(subscriptions.lockedUntil, sql.placeholder('now'))),
        ),
      )
      .prepare(),
  ).run({ id: subscriptionId, until: until.getTime(), now: now.getTime() });
  return affected(taken) === 1 ? until : undefined;
}

/** {@link takeLock}, or 409 `subscription_busy` when someone holds it. */
export async function takeLockOrBusy(tx: Tx, subscriptionId: string, now: Date): Promise<Date> {
  const lock = await takeLock(tx, subscriptionId, now);
  if (!lock) throw subscriptionBusy(subscriptionId);
  return lock;
}

/**
 * The lock to work under: `lock` itself while it has {@link MIN_LOCK_LEFT_MS} to
 * run, else extended — which fails (undefined) only if it lapsed and someone
 * else took the subscription meanwhile.
 */
export async function extendLock(db: DbOrTx, subscriptionId: string, lock: Date, now: Date): Promise<Date | undefined> {
  if (lock.getTime() - now.getTime() >= MIN_LOCK_LEFT_MS) return lock;
  const until = new Date(now.getTime() + SUBSCRIPTION_LOCK_MS);
  const moved = await db
    .update(subscriptions)
    .set({ lockedUntil: until })
    .where(and(eq(subscriptions.id, subscriptionId), eq(subscriptions.lockedUntil, lock)));
  return affected(moved) === 1 ? until : undefined;
}

/** Gives the lock back if it is still the one taken at `lock` (a lapsed lock may have passed to someone else). */
export async function releaseLock(db: DbOrTx, subscriptionId: string, lock: Date): Promise<void> {
  await prepared(db, 'subscription:release-lock', (root) =>
    root
      .update(subscriptions)
      .set({ lockedUntil: null })
      .where(and(eq(subscriptions.id, sql.placeholder('id')), eq(subscriptions.lockedUntil, sql.placeholder('lock'))))
      .prepare(),
  ).run({ id: subscriptionId, lock: lock.getTime() });
}

/**
 * Runs a change that is complete within one transaction while holding the
 * subscription's lock: refused (409 `subscription_busy`) while a charge or another
 * change holds it.
 */
export async function withSubscriptionLock<T>(
  tx: Tx,
  subscriptionId: string,
  now: Date,
  change: () => Promise<T>,
): Promise<T> {
  const lock = await takeLockOrBusy(tx, subscriptionId, now);
  const result = await change();
  await releaseLock(tx, subscriptionId, lock);
  return result;
}
