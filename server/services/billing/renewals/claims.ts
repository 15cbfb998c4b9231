import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { prepared } from '../../../db/prepared';
import { subscriptions } from '../../../db/schema';
import { SECOND } from '../../../lib/clock';
import { lockSubscription, SUBSCRIPTION_LOCK_MS } from '../charge-once';

/**
 * Subscriptions claimed together: each claim is a `lockSubscription`, but one
 * transaction (one commit) serves the whole chunk. Kept small, so a chunk is
 * worked off well within the lock's two minutes.
 */
export const CLAIM_CHUNK = 16;

/** A claimed subscription is only worked on while its lock has at least this long to run; otherwise it is extended first. */
export const MIN_LOCK_LEFT_MS = 60 * SECOND;

/** Claims those of `ids` nobody holds; returns each claimed id with its lock. */
export function claimSubscriptions(db: Db, ids: string[], now: Date): Map<string, Date> {
  return db.transaction((tx) => {
    const claims = new Map<string, Date>();
    for (const id of ids) {
      const lock = lockSubscription(tx, id, now);
      if (lock) claims.set(id, lock);
    }
    return claims;
  });
}

/**
 * The lock to work under: `lock` itself while it has {@link MIN_LOCK_LEFT_MS} to
 * run, else extended — which fails (undefined) only if it lapsed and someone
 * else took the subscription meanwhile.
 */
export function keepLock(db: Db, subscriptionId: string, lock: Date, now: Date): Date | undefined {
  if (lock.getTime() - now.getTime() >= MIN_LOCK_LEFT_MS) return lock;
  const until = new Date(now.getTime() + SUBSCRIPTION_LOCK_MS);
  const moved = db.update(subscriptions).set({ lockedUntil: until })
    .where(and(eq(subscriptions.id, subscriptionId), eq(subscriptions.lockedUntil, lock))).run();
  return moved.changes === 1 ? until : undefined;
}

/** Releases a subscription's lock, unless it lapsed and someone else holds it now. */
export function releaseSubscription(db: Db, subscriptionId: string, lock: Date): void {
  prepared(db, 'renewal:release', (root) => root.update(subscriptions).set({ lockedUntil: null })
    .where(and(eq(subscriptions.id, sql.placeholder('id')), eq(subscriptions.lockedUntil, sql.placeholder('lock')))).prepare())
    .run({ id: subscriptionId, lock: lock.getTime() });
}

/** Releases every claim of a chunk in one transaction. */
export function releaseClaims(db: Db, claims: Map<string, Date>): void {
  if (claims.size === 0) return;
  db.transaction(() => {
    for (const [id, lock] of claims) releaseSubscription(db, id, lock);
  });
}
