import type { Db } from '../../../db/client';
import { releaseLock, takeLock } from '../subscription-lock';

/**
 * Subscriptions claimed together: each claim is a `takeLock`, but one
 * transaction (one commit) serves the whole chunk. Kept small, so a chunk is
 * worked off well within the lock's two minutes.
 */
export const CLAIM_CHUNK = 16;

/** Claims those of `ids` nobody holds; returns each claimed id with its lock. */
export function claimSubscriptions(db: Db, ids: string[], now: Date): Map<string, Date> {
  return db.transaction((tx) => {
    const claims = new Map<string, Date>();
    for (const id of ids) {
      const lock = takeLock(tx, id, now);
      if (lock) claims.set(id, lock);
    }
    return claims;
  });
}

/** Releases every claim of a chunk in one transaction. */
export function releaseClaims(db: Db, claims: Map<string, Date>): void {
  if (claims.size === 0) return;
  db.transaction(() => {
    for (const [id, lock] of claims) releaseLock(db, id, lock);
  });
}
