import { affected } from '../../db/query';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { permissionsOf } from '../../contract';
import type { Db, Tx } from '../../db/client';
import { prepared } from '../../db/prepared';
import { sessions } from '../../db/schema';
import { hashSecret, randomSecret, safeEqual } from '../../lib/crypto';
import { problem } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { getAccount } from '../accounts';
import type { AccountRow, SessionRow, StoreRow, TokenScope } from '../../db/schema';
import { storeSettings } from '../../lib/store-settings';
import type { SessionScopeView } from '../../schemas/session-scope';

/** The idle window is moved at most this often, so a busy session is not written on every request. */
export const SLIDE_THROTTLE_MS = 60_000;

/** Who a session is for and how it started, with the limits a pre-authenticated URL carried. */
export interface SessionGrant {
  accountId: string;
  via: string;
  deviceId: string | null;
  scope?: TokenScope | null;
}

/**
 * Starts a session: a random 256-bit bearer token, of which only the hash is stored.
 * A scope's capabilities and landing route go with it; its lifetime shortens the
 * store's `sessionMaxSeconds`, never lengthens it.
 */
export async function startSession(
  tx: Tx,
  store: StoreRow,
  grant: SessionGrant,
  now: Date,
): Promise<{ token: string; session: SessionRow }> {
  const settings = storeSettings(store);
  const token = randomSecret(32, 'st_');
  const lifetime = Math.min(settings.sessionMaxSeconds, grant.scope?.sessionLifetimeSeconds ?? Infinity);
  const expiresAt = new Date(now.getTime() + lifetime * 1000);
  const session: SessionRow = {
    id: newId('ses'),
    storeId: store.id,
    accountId: grant.accountId,
    tokenHash: hashSecret(token),
    via: grant.via,
    deviceId: grant.deviceId,
    capabilities: grant.scope?.capabilities ?? [],
    landingRoute: grant.scope?.landingRoute ?? null,
    createdAt: now,
    lastSeenAt: now,
    idleExpiresAt: earliest(new Date(now.getTime() + settings.sessionIdleSeconds * 1000), expiresAt),
    expiresAt,
    revokedAt: null,
  };
  await tx.insert(sessions).values(session);
  return { token, session };
}

const earliest = (a: Date, b: Date) => (a < b ? a : b);

const invalidSession = () => problem('invalid_session');

/**
 * The session and account behind a bearer token at this store. An expired session
 * is a 401 `session_expired` (the widget then asks the customer to sign in again);
 * anything unknown, revoked or of another store is a 401 `invalid_session`. Use
 * slides the idle window, written at most once a minute.
 */
export async function authenticateSession(
  db: Db,
  store: StoreRow,
  token: string,
  now: Date,
): Promise<{ session: SessionRow; account: AccountRow }> {
  const hash = hashSecret(token);
  const session = await prepared(db, 'session-by-hash', (db) =>
    db
      .select()
      .from(sessions)
      .where(eq(sessions.tokenHash, sql.placeholder('hash')))
      .prepare(),
  ).get({ hash });
  if (!session || !safeEqual(session.tokenHash, hash) || session.storeId !== store.id || session.revokedAt) {
    throw invalidSession();
  }
  if (now >= session.idleExpiresAt || now >= session.expiresAt) {
    throw problem('session_expired');
  }
  if (now.getTime() - session.lastSeenAt.getTime() >= SLIDE_THROTTLE_MS) {
    const idle = storeSettings(store).sessionIdleSeconds * 1000;
    session.lastSeenAt = now;
    session.idleExpiresAt = earliest(new Date(now.getTime() + idle), session.expiresAt);
    await db
      .update(sessions)
      .set({ lastSeenAt: now, idleExpiresAt: session.idleExpiresAt })
      .where(eq(sessions.id, session.id));
  }
  return { session, account: await getAccount(db, store.id, session.accountId) };
}

/** What a session may do, as the widget reads it (its capabilities, the permissions they leave, its landing route). */
export function toSessionScope(session: SessionRow): SessionScopeView {
  return {
    capabilities: session.capabilities,
    permissions: permissionsOf(session.capabilities),
    landingRoute: session.landingRoute,
    expiresAt: session.expiresAt.toISOString(),
  };
}

/** Ends one session. */
export async function endSession(db: Db, sessionId: string, now: Date): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

/** Ends every session of an account; returns how many were open. */
export async function endAllSessions(db: Db | Tx, storeId: string, accountId: string, now: Date): Promise<number> {
  return affected(
    await db
      .update(sessions)
      .set({ revokedAt: now })
      .where(and(eq(sessions.storeId, storeId), eq(sessions.accountId, accountId), isNull(sessions.revokedAt))),
  );
}
