import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/client';
import { portalTokens, type TokenPurpose } from '../db/schema';
import { hashSecret, randomSecret, safeEqual } from '../lib/crypto';
import { DomainError } from '../lib/errors';
import { newId } from '../lib/ids';

export type PortalTokenRow = typeof portalTokens.$inferSelect;

/** Management URLs are reusable until they expire; every other token works once. */
const reusable: TokenPurpose[] = ['management'];

/** Issues a random 256-bit token for one purpose; only its hash is stored. */
export function issueToken(
  tx: Tx, grant: { storeId: string; accountId: string; purpose: TokenPurpose; ttlMs: number }, now: Date,
): { token: string; expiresAt: Date } {
  const token = randomSecret(32, 'pt_');
  const expiresAt = new Date(now.getTime() + grant.ttlMs);
  tx.insert(portalTokens).values({
    id: newId('tok'), storeId: grant.storeId, accountId: grant.accountId, purpose: grant.purpose,
    tokenHash: hashSecret(token), createdAt: now, expiresAt,
  }).run();
  return { token, expiresAt };
}

/** Makes an account's unused tokens of one purpose unusable (a newer link replaces them). */
export function revokeUnusedTokens(tx: Tx, storeId: string, accountId: string, purpose: TokenPurpose, now: Date): void {
  tx.update(portalTokens).set({ revokedAt: now }).where(and(
    eq(portalTokens.storeId, storeId), eq(portalTokens.accountId, accountId), eq(portalTokens.purpose, purpose),
    isNull(portalTokens.usedAt), isNull(portalTokens.revokedAt),
  )).run();
}

const invalidToken = () => new DomainError(401, 'invalid_token', 'This link is not valid. Ask for a new sign-in link.');

/**
 * Finds a token of this store issued for one of `purposes`, and consumes it when it
 * is single-use. A token of another store or purpose is as unknown as a made-up
 * one. Consumption is a conditional UPDATE, so of many parallel redemptions exactly
 * one wins.
 */
export function redeemToken(tx: Tx, storeId: string, token: string, purposes: TokenPurpose[], now: Date): PortalTokenRow {
  const hash = hashSecret(token);
  const row = tx.select().from(portalTokens).where(eq(portalTokens.tokenHash, hash)).get();
  if (!row || !safeEqual(row.tokenHash, hash) || row.storeId !== storeId || !purposes.includes(row.purpose)) {
    throw invalidToken();
  }
  if (row.revokedAt) {
    throw new DomainError(410, 'token_superseded', 'A newer link was sent for this account; use the latest email.');
  }
  if (row.usedAt) throw new DomainError(410, 'token_used', 'This link was already used. Ask for a new sign-in link.');
  if (now >= row.expiresAt) throw new DomainError(410, 'token_expired', 'This link has expired. Ask for a new sign-in link.');
  if (!reusable.includes(row.purpose)) {
    const claimed = tx.update(portalTokens).set({ usedAt: now })
      .where(and(eq(portalTokens.id, row.id), isNull(portalTokens.usedAt))).run();
    if (claimed.changes !== 1) throw new DomainError(410, 'token_used', 'This link was already used. Ask for a new sign-in link.');
  }
  return row;
}

/** Reads a token without consuming it (for management URLs). */
export function peekToken(db: DbOrTx, storeId: string, token: string, purpose: TokenPurpose, now: Date): PortalTokenRow {
  const hash = hashSecret(token);
  const row = db.select().from(portalTokens).where(eq(portalTokens.tokenHash, hash)).get();
  if (!row || !safeEqual(row.tokenHash, hash) || row.storeId !== storeId || row.purpose !== purpose || row.revokedAt) {
    throw invalidToken();
  }
  if (now >= row.expiresAt) throw new DomainError(410, 'token_expired', 'This link has expired. Ask for a new sign-in link.');
  return row;
}
