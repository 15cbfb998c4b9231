import type { Db } from '../../../db/client';
import { releaseLock, takeLock } from '../subscription-lock';

/**
 * Subscriptions claimed together: each claim is a `takeLock`, but one
 * transaction (one commit) serves the whole chunk. Kept small, so a chunk is
 * worked off well within the lock's two minutes.
 */
export const CLAIM_CHUNK = 16;

/** Claims those of `ids` nobody holds; returns each claimed id with its lock. */
export async function claimSubscriptions(db: Db, ids: string[], now: Date): Promise<Map<string, Date>> {
  return await db.transaction(async (tx) => {
    const claims = new Map<string, Date>();
    for (const id of ids) {
      const lock = await takeLock(tx, id, now);
      if (lock) claims.set(id, lock);
    }
    return claims;
  });
}

/** Releases every claim of a chunk in one transaction. */
export async function releaseClaims(db: Db, claims: Map<string, Date>): Promise<void> {
  if (claims.size === 0) return;
  await db.transaction(async (tx) => {
    for (const [id, lock] of claims) await releaseLock(tx, id, lock);
  });
}
