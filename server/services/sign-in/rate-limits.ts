import { mapInOrder } from '../../lib/in-order';
import { affected } from '../../db/query';
import { and, asc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { prepared } from '../../db/prepared';
import { rateLimitHits } from '../../db/schema';
import { hashSecret } from '../../lib/crypto';
import type { ErrorCode } from '../../contract';
import { problemSaying } from '../../lib/errors';
import type { Observer } from '../../lib/observer';

/** At most `max` hits per `windowMs` (sliding window). */
export interface Rule {
  max: number;
  windowMs: number;
}

/** A counted key, the rules it must stay under, and what a 429 from it says (its own code and message). */
export interface Limit {
  /** The limit's name in the metrics (`portal_rate_limit_hits_total{limit}`): the same for every key it counts. */
  name: string;
  key: string;
  rules: Rule[];
  code: ErrorCode;
  /** A message more specific than the contract's for the code, when the code is a general one. */
  message?: string;
}

/** The counted hits of one request (row ids), so a request that turns out not to count can take them back. */
export type Hits = number[];

/** Each limit's stored bucket (its hashed key), hashed once per limit however often the request checks and counts it. */
const buckets = new WeakMap<Limit, string>();
function bucketOf(limit: Limit | string): string {
  if (typeof limit === 'string') return hashSecret(limit);
  let bucket = buckets.get(limit);
  if (bucket === undefined) buckets.set(limit, (bucket = hashSecret(limit.key)));
  return bucket;
}

/**
 * Throws a 429 with `Retry-After` when any limit is reached; otherwise says whether
 * any hit was found within the limits' windows (an address that failed recently).
 * When several are reached, the one that holds longest speaks (its code and message).
 * Keys are hashed before they are stored, so no email address or IP sits in the table.
 * The refusal is reported to `observer` under the name of the limit that speaks.
 */
export async function assertWithinLimits(db: DbOrTx, limits: Limit[], now: Date, observer: Observer): Promise<boolean> {
  let reached: { limit: Limit; retryAfterMs: number } | undefined;
  let found = false;
  for (const limit of limits) {
    // One read per limit, over its widest window; each rule counts the hits within its own.
    const widest = Math.max(...limit.rules.map((rule) => rule.windowMs));
    const hits = await prepared(db, 'rate-limit-hits', (db) =>
      db
        .select({ at: rateLimitHits.at })
        .from(rateLimitHits)
        .where(and(eq(rateLimitHits.bucket, sql.placeholder('bucket')), gt(rateLimitHits.at, sql.placeholder('since'))))
        .orderBy(asc(rateLimitHits.at))
        .prepare(),
    ).all({ bucket: bucketOf(limit), since: now.getTime() - widest });
    found ||= hits.length > 0;
    for (const rule of limit.rules) {
      const since = now.getTime() - rule.windowMs;
      const first = hits.findIndex((hit) => hit.at.getTime() > since);
      const within = first < 0 ? 0 : hits.length - first;
      if (within >= rule.max) {
        // The request is allowed again once enough of the oldest hits have left the window.
        const freeing = hits[hits.length - rule.max];
        const retryAfterMs = freeing.at.getTime() + rule.windowMs - now.getTime();
        if (!reached || retryAfterMs > reached.retryAfterMs) reached = { limit, retryAfterMs };
      }
    }
  }
  if (reached) {
    observer.rateLimited(reached.limit.name);
    const seconds = Math.max(1, Math.ceil(reached.retryAfterMs / 1000));
    throw problemSaying(
      reached.limit.code,
      reached.limit.message ?? null,
      { retryAfterSeconds: seconds },
      { 'Retry-After': String(seconds) },
    );
  }
  return found;
}

/** Counts one hit against each limit (or key); returns the hits, for {@link refundHits}. */
export async function recordHits(db: DbOrTx, limits: (Limit | string)[], now: Date): Promise<Hits> {
  const insert = prepared(db, 'rate-limit-hit-insert', (db) =>
    db
      .insert(rateLimitHits)
      .values({ bucket: sql.placeholder('bucket'), at: sql.placeholder('at') })
      .returning({ id: rateLimitHits.id })
      .prepare(),
  );
  return await mapInOrder(limits, async (limit) => (await insert.get({ bucket: bucketOf(limit), at: now }))!.id);
}

/**
 * Checks the limits and, when under them, counts this request, in the caller's
 * transaction. To count an attempt whatever becomes of it — before a slow password
 * hash, or ahead of work that may fail and roll back — run it in a transaction of
 * its own first: then parallel attempts are counted one after another, and a failed
 * one stays counted.
 */
export async function consumeLimits(db: DbOrTx, limits: Limit[], now: Date, observer: Observer): Promise<Hits> {
  await assertWithinLimits(db, limits, now, observer);
  return await recordHits(db, limits, now);
}

/** Takes back hits counted for a request that turned out not to count (a correct password). */
export async function refundHits(db: DbOrTx, hits: Hits): Promise<void> {
  if (hits.length === 0) return;
  await db.delete(rateLimitHits).where(inArray(rateLimitHits.id, hits));
}

/** Forgets hits older than any window in use (a day). */
export async function purgeRateLimitHits(db: DbOrTx, now: Date): Promise<number> {
  return affected(await db.delete(rateLimitHits).where(lt(rateLimitHits.at, new Date(now.getTime() - 86_400_000))));
}
