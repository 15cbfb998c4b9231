import { and, asc, eq, gt, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { prepared } from '../../db/prepared';
import { rateLimitHits } from '../../db/schema';
import { hashSecret } from '../../lib/crypto';
import { problemSaying } from '../../lib/errors';

/** At most `max` hits per `windowMs` (sliding window). */
export interface Rule {
  max: number;
  windowMs: number;
}

/** A counted key and the rules it must stay under. */
export interface Limit {
  key: string;
  rules: Rule[];
}

const bucketOf = (key: string) => hashSecret(key);

/**
 * Throws a 429 with `Retry-After` when any limit is reached; otherwise does nothing.
 * Keys are hashed before they are stored, so no email address or IP sits in the table.
 */
export function assertWithinLimits(db: DbOrTx, limits: Limit[], now: Date, message: string): void {
  let retryAfterMs = 0;
  for (const limit of limits) {
    const bucket = bucketOf(limit.key);
    for (const rule of limit.rules) {
      const since = new Date(now.getTime() - rule.windowMs);
      const hits = prepared(db, 'rate-limit-hits', (db) => db.select({ at: rateLimitHits.at }).from(rateLimitHits)
        .where(and(eq(rateLimitHits.bucket, sql.placeholder('bucket')), gt(rateLimitHits.at, sql.placeholder('since'))))
        .orderBy(asc(rateLimitHits.at)).prepare()).all({ bucket, since: since.getTime() });
      if (hits.length >= rule.max) {
        // The request is allowed again once enough of the oldest hits have left the window.
        const freeing = hits[hits.length - rule.max];
        retryAfterMs = Math.max(retryAfterMs, freeing.at.getTime() + rule.windowMs - now.getTime());
      }
    }
  }
  if (retryAfterMs > 0) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    throw problemSaying('rate_limited', message, { retryAfterSeconds: seconds }, { 'Retry-After': String(seconds) });
  }
}

/** Counts one hit against each key. */
export function recordHits(db: DbOrTx, keys: string[], now: Date): void {
  if (keys.length === 0) return;
  db.insert(rateLimitHits).values(keys.map((key) => ({ bucket: bucketOf(key), at: now }))).run();
}

/** Checks the limits and, when under them, counts this request. */
export function consumeLimits(db: DbOrTx, limits: Limit[], now: Date, message: string): void {
  assertWithinLimits(db, limits, now, message);
  recordHits(db, limits.map((l) => l.key), now);
}

/** Forgets hits older than any window in use (a day). */
export function purgeRateLimitHits(db: DbOrTx, now: Date): number {
  return db.delete(rateLimitHits).where(lt(rateLimitHits.at, new Date(now.getTime() - 86_400_000))).run().changes;
}
