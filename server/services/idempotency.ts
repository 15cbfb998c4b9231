import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '../db/client';
import { idempotencyKeys } from '../db/schema';
import type { Clock } from '../lib/clock';
import { hashJson } from '../lib/crypto';
import { DomainError } from '../lib/errors';

/** How long a key's first response is replayed. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;

export interface StoredResponse {
  status: number;
  body: unknown;
  /** True when this is a replay of an earlier response. */
  replayed: boolean;
}

/**
 * Runs `operation` at most once per (store, scope, key) within 24 hours. The first
 * response is stored in the same transaction as the operation's writes, so a
 * replay always matches what happened; the same key with a different request body
 * is refused with 422. Without a key the operation simply runs.
 */
export function withIdempotency(
  db: Db, clock: Clock,
  scope: { storeId: string; operation: string; key: string | undefined; request: unknown },
  operation: () => { status: number; body: unknown },
): StoredResponse {
  if (scope.key === undefined) return { ...operation(), replayed: false };
  const key = scope.key;
  if (key.length < 1 || key.length > 255) {
    throw new DomainError(400, 'invalid_idempotency_key', 'An Idempotency-Key is 1 to 255 characters.');
  }
  const requestHash = hashJson(scope.request);
  const where = and(eq(idempotencyKeys.storeId, scope.storeId), eq(idempotencyKeys.scope, scope.operation),
    eq(idempotencyKeys.key, key));
  return db.transaction((tx) => {
    const now = clock.now();
    const existing = tx.select().from(idempotencyKeys).where(where).get();
    if (existing && existing.expiresAt > now) {
      if (existing.requestHash !== requestHash) {
        throw new DomainError(422, 'idempotency_key_reused',
          'This Idempotency-Key was used with a different request body in the last 24 hours.');
      }
      return { status: existing.responseStatus, body: JSON.parse(existing.responseBody), replayed: true };
    }
    if (existing) tx.delete(idempotencyKeys).where(where).run();
    const result = operation();
    tx.insert(idempotencyKeys).values({
      storeId: scope.storeId, scope: scope.operation, key, requestHash,
      responseStatus: result.status, responseBody: JSON.stringify(result.body),
      createdAt: now, expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
    }).run();
    return { ...result, replayed: false };
  });
}

/** Deletes keys past their replay window; returns how many. */
export function purgeExpiredIdempotencyKeys(db: Db, now: Date): number {
  return db.delete(idempotencyKeys).where(lt(idempotencyKeys.expiresAt, now)).run().changes;
}
