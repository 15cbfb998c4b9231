import { affected, first } from '../db/query';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client';
import { idempotencyKeys } from '../db/schema';
import { SECOND, type Clock } from '../lib/clock';
import { hashJson } from '../lib/crypto';
import { problem, problemSaying } from '../lib/errors';

/** The longest `Idempotency-Key` (a key is 1 to this many characters). */
export const IDEMPOTENCY_KEY_MAX = 255;

/** How long a key's first response is replayed. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;

/**
 * How long a key stays claimed by a request that is still running. A request cut
 * off by a crash before its response was stored frees its key after this, so a
 * merchant's retry after a restart waits at most this long (409 with
 * `Retry-After` meanwhile). Server API requests finish in well under it.
 */
export const IDEMPOTENCY_CLAIM_MS = 30 * SECOND;

/** `responseStatus` of a key whose first request is still running. */
const RUNNING = 0;

/** A key held by the request now running; see {@link claimIdempotencyKey}. */
export interface IdempotencyClaim {
  storeId: string;
  scope: string;
  key: string;
  claimedAt: Date;
  /** Encrypts the stored response; derived from the request's credentials, never stored. */
  cipherKey: Buffer;
}

/** What a request with a key does: replay the stored response, or run (holding the key). */
export type IdempotencyStart =
  { replay: true; status: number; body: string } | { replay: false; claim: IdempotencyClaim };

/** The key of a request: the operation, the key and the request's body. */
export interface IdempotentRequest {
  storeId: string;
  /** The operation, such as `POST /api/orders`; the same key may be used once per operation. */
  scope: string;
  key: string;
  /** The parsed request body (or its text): the same key must come with the same body. */
  request: unknown;
  /**
   * A secret of the caller's that the database does not hold (the Server API
   * password), from which the key that encrypts the stored response is derived: the
   * response may carry secrets (a webhook signing secret, sign-in URLs), and at rest
   * it is readable only by a request with the same credentials.
   */
  callerSecret: string;
}

const reused = (message: string | null = null) => problemSaying('idempotency_key_reused', message);

/** The most HKDF takes as its `info`. */
const HKDF_INFO_MAX = 1024;

/**
 * What a key's response is encrypted for: its operation and key, or their digest when
 * longer than HKDF takes (a path with an oversized id, which its route then refuses).
 */
function cipherInfo(scope: string, key: string): string {
  const info = `idempotency\0${scope}\0${key}`;
  return Buffer.byteLength(info) <= HKDF_INFO_MAX ? info : `idempotency-sha256\0${hashJson(info)}`;
}

/**
 * Starts a request made with an `Idempotency-Key`. Within 24 hours of the first
 * request with the same key (per store and operation): the same body replays the
 * first response; another body is a 422 `idempotency_key_reused`; while the first
 * request is still running, a 409 `idempotency_key_in_use` (with `Retry-After`).
 * Otherwise the key is claimed for this request, which must end with
 * {@link completeIdempotencyKey} (a 2xx response) or {@link releaseIdempotencyKey}
 * (anything else, so that a corrected retry can use the same key). Claiming is one
 * transaction, so of two concurrent requests with one key exactly one runs.
 */
export async function claimIdempotencyKey(db: Db, clock: Clock, request: IdempotentRequest): Promise<IdempotencyStart> {
  const { storeId, scope, key } = request;
  if (key.length < 1 || key.length > IDEMPOTENCY_KEY_MAX) {
    throw problem('invalid_idempotency_key');
  }
  const requestHash = hashJson(request.request);
  const cipherKey = Buffer.from(hkdfSync('sha256', request.callerSecret, storeId, cipherInfo(scope, key), 32));
  const where = whereKey({ storeId, scope, key });
  return await db.transaction(async (tx) => {
    const now = clock.now();
    const existing = first(await tx.select().from(idempotencyKeys).where(where));
    if (existing && existing.expiresAt > now) {
      if (existing.requestHash !== requestHash) throw reused();
      if (existing.responseStatus === RUNNING) {
        throw problem('idempotency_key_in_use', undefined, { 'Retry-After': '1' });
      }
      const body = decrypt(existing.responseBody, cipherKey);
      // Only different credentials (rotated since) fail to decrypt: the response cannot be told, nor the request repeated.
      if (body === undefined) throw reused('This Idempotency-Key was used with other API credentials. Use a new key.');
      return { replay: true, status: existing.responseStatus, body };
    }
    if (existing) await tx.delete(idempotencyKeys).where(where);
    await tx.insert(idempotencyKeys).values({
      storeId,
      scope,
      key,
      requestHash,
      responseStatus: RUNNING,
      responseBody: '',
      createdAt: now,
      expiresAt: new Date(now.getTime() + IDEMPOTENCY_CLAIM_MS),
    });
    return { replay: false, claim: { storeId, scope, key, claimedAt: now, cipherKey } };
  });
}

/**
 * Stores the response of a claimed key for replay (for 24 hours from the first
 * request). Call it inside the transaction that made the request's changes when
 * there is one, so that a crash can never keep the changes and lose the response.
 * Completing a key twice, or after it was released, changes nothing.
 */
export async function completeIdempotencyKey(
  db: DbOrTx,
  claim: IdempotencyClaim | undefined,
  response: { status: number; body: string },
): Promise<void> {
  if (!claim) return;
  await db
    .update(idempotencyKeys)
    .set({
      responseStatus: response.status,
      responseBody: encrypt(response.body, claim.cipherKey),
      expiresAt: new Date(claim.claimedAt.getTime() + IDEMPOTENCY_TTL_MS),
    })
    .where(and(whereClaim(claim), eq(idempotencyKeys.responseStatus, RUNNING)));
}

/** Frees a claimed key whose request did not succeed, so that it can be retried with the same key. */
export async function releaseIdempotencyKey(db: DbOrTx, claim: IdempotencyClaim): Promise<void> {
  await db.delete(idempotencyKeys).where(and(whereClaim(claim), eq(idempotencyKeys.responseStatus, RUNNING)));
}

/** Deletes keys past their replay window (and claims abandoned by a crash); returns how many. */
export async function purgeExpiredIdempotencyKeys(db: Db, now: Date): Promise<number> {
  return affected(await db.delete(idempotencyKeys).where(lt(idempotencyKeys.expiresAt, now)));
}

function whereKey(k: { storeId: string; scope: string; key: string }) {
  return and(
    eq(idempotencyKeys.storeId, k.storeId),
    eq(idempotencyKeys.scope, k.scope),
    eq(idempotencyKeys.key, k.key),
  );
}

/** This claim's row, not a later claim of the same key after this one's expired. */
const whereClaim = (claim: IdempotencyClaim) => and(whereKey(claim), eq(idempotencyKeys.createdAt, claim.claimedAt));

const ENCRYPTED = 'v1.';

/** AES-256-GCM: `v1.` iv, tag and ciphertext, base64url, dot-separated. */
function encrypt(text: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return `${ENCRYPTED}${[iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url')).join('.')}`;
}

/** The stored text, or undefined when `key` is not the one it was encrypted with. */
function decrypt(stored: string, key: Buffer): string | undefined {
  // Responses stored before they were encrypted are plain JSON.
  if (!stored.startsWith(ENCRYPTED)) return stored;
  const [iv, tag, data] = stored
    .slice(ENCRYPTED.length)
    .split('.')
    .map((part) => Buffer.from(part, 'base64url'));
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
