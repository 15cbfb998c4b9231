import { affected, first } from '../../db/query';
import { and, eq, isNull, lt } from 'drizzle-orm';
import { TOKEN_PREFIX } from '../../contract';
import type { DbOrTx, Tx } from '../../db/client';
import { portalTokens, type TokenPurpose, type TokenScope } from '../../db/schema';
import { hashSecret, randomSecret, safeEqual } from '../../lib/crypto';
import { problem } from '../../lib/errors';
import { newId } from '../../lib/ids';
import type { PortalTokenRow } from '../../db/schema';

/** Management URLs and download links are reusable until they expire; every other token works once. */
const reusable: TokenPurpose[] = ['management', 'download'];

/** What a token is issued for: an account, a purpose and, for some purposes, a subject such as a fulfilment. */
export interface TokenGrant {
  storeId: string;
  accountId: string;
  purpose: TokenPurpose;
  ttlMs: number;
  subjectId?: string;
  /** The limits a pre-authenticated URL puts on its session. */
  scope?: TokenScope | null;
}

/** Issues a random 256-bit token for one purpose; only its hash is stored. Returns its row id too. */
export async function issueToken(
  tx: Tx,
  grant: TokenGrant,
  now: Date,
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const id = newId('tok');
  const token = randomSecret(32, TOKEN_PREFIX);
  const expiresAt = new Date(now.getTime() + grant.ttlMs);
  await tx.insert(portalTokens).values({
    id,
    storeId: grant.storeId,
    accountId: grant.accountId,
    purpose: grant.purpose,
    subjectId: grant.subjectId ?? null,
    tokenHash: hashSecret(token),
    scope: grant.scope ?? null,
    createdAt: now,
    expiresAt,
  });
  return { id, token, expiresAt };
}

/**
 * Deletes every token of an account that could still be used, of every purpose
 * (used single-use tokens stay: they open nothing). Returns how many. A deleted
 * token answers like a made-up one, 401 `invalid_token`.
 */
export async function deleteUsableTokens(tx: Tx, storeId: string, accountId: string): Promise<number> {
  return affected(
    await tx
      .delete(portalTokens)
      .where(
        and(eq(portalTokens.storeId, storeId), eq(portalTokens.accountId, accountId), isNull(portalTokens.usedAt)),
      ),
  );
}

/**
 * Deletes one token of an account, issued for `purpose`, unless it was used already.
 * Returns false when the account has no such token (another store's, another
 * account's, another purpose's, or none at all).
 */
export async function deleteToken(
  tx: Tx,
  storeId: string,
  accountId: string,
  purpose: TokenPurpose,
  id: string,
): Promise<boolean> {
  const mine = and(
    eq(portalTokens.id, id),
    eq(portalTokens.storeId, storeId),
    eq(portalTokens.accountId, accountId),
    eq(portalTokens.purpose, purpose),
  );
  if (!first(await tx.select({ id: portalTokens.id }).from(portalTokens).where(mine))) return false;
  await tx.delete(portalTokens).where(and(mine, isNull(portalTokens.usedAt)));
  return true;
}

/** Makes an account's unused tokens of one purpose unusable (a newer link replaces them). */
export async function revokeUnusedTokens(
  tx: Tx,
  storeId: string,
  accountId: string,
  purpose: TokenPurpose,
  now: Date,
): Promise<void> {
  await tx
    .update(portalTokens)
    .set({ revokedAt: now })
    .where(
      and(
        eq(portalTokens.storeId, storeId),
        eq(portalTokens.accountId, accountId),
        eq(portalTokens.purpose, purpose),
        isNull(portalTokens.usedAt),
        isNull(portalTokens.revokedAt),
      ),
    );
}

const invalidToken = () => problem('invalid_token');

/**
 * Finds a usable token of this store issued for one of `purposes`, without
 * consuming it. A token of another store or purpose is as unknown as a made-up one;
 * a revoked, used or expired one says so.
 */
export async function checkToken(
  db: DbOrTx,
  storeId: string,
  token: string,
  purposes: TokenPurpose[],
  now: Date,
): Promise<PortalTokenRow> {
  const row = await findTokenRow(db, token);
  if (!row || row.storeId !== storeId || !purposes.includes(row.purpose)) throw invalidToken();
  if (row.revokedAt) {
    throw problem('token_superseded');
  }
  if (row.usedAt) throw problem('token_used');
  if (now >= row.expiresAt) throw problem('token_expired');
  return row;
}

/**
 * Finds a token of this store issued for one of `purposes` ({@link checkToken}), and
 * consumes it when it is single-use. Consumption is a conditional UPDATE, so of many
 * parallel redemptions exactly one wins.
 */
export async function redeemToken(
  tx: Tx,
  storeId: string,
  token: string,
  purposes: TokenPurpose[],
  now: Date,
): Promise<PortalTokenRow> {
  const row = await checkToken(tx, storeId, token, purposes, now);
  if (!reusable.includes(row.purpose)) {
    const claimed = await tx
      .update(portalTokens)
      .set({ usedAt: now })
      .where(and(eq(portalTokens.id, row.id), isNull(portalTokens.usedAt)));
    if (affected(claimed) !== 1) throw problem('token_used');
  }
  return row;
}

/** Reads a token without consuming it (for management URLs). */
export async function peekToken(
  db: DbOrTx,
  storeId: string,
  token: string,
  purpose: TokenPurpose,
  now: Date,
): Promise<PortalTokenRow> {
  const row = await findTokenRow(db, token);
  if (!row || row.storeId !== storeId || row.purpose !== purpose || row.revokedAt) throw invalidToken();
  if (now >= row.expiresAt) throw problem('token_expired');
  return row;
}

/**
 * A live (issued for `purpose`, neither revoked nor expired) token of any store, or
 * undefined. For links that carry no store of their own, such as download links;
 * the row names its store and account.
 */
export async function findLiveToken(
  db: DbOrTx,
  token: string,
  purpose: TokenPurpose,
  now: Date,
): Promise<PortalTokenRow | undefined> {
  const row = await findTokenRow(db, token);
  if (!row || row.purpose !== purpose || row.revokedAt || now >= row.expiresAt) return undefined;
  return row;
}

/** The row of a token, looked up by its hash and compared in constant time. */
async function findTokenRow(db: DbOrTx, token: string): Promise<PortalTokenRow | undefined> {
  const hash = hashSecret(token);
  const row = first(await db.select().from(portalTokens).where(eq(portalTokens.tokenHash, hash)));
  return row && safeEqual(row.tokenHash, hash) ? row : undefined;
}

/**
 * Deletes tokens that expired more than a week ago (download links, old login
 * links). Recently expired ones stay, so a late click still hears "expired"
 * rather than "not valid".
 */
export async function purgeExpiredTokens(db: DbOrTx, now: Date): Promise<number> {
  return affected(
    await db.delete(portalTokens).where(lt(portalTokens.expiresAt, new Date(now.getTime() - 7 * 86_400_000))),
  );
}
