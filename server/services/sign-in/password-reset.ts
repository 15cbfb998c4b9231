import { and, eq } from 'drizzle-orm';
import { PASSWORD_RESET_TTL_MINUTES, RESET_PARAM } from '../../contract';
import type { Tx } from '../../db/client';
import { accounts, type AccountRow, type StoreRow } from '../../db/schema';
import type { Deps } from '../../deps';
import { passwordResetEmail } from '../../email/templates';
import { queueEmail } from '../../email/queue';
import { MINUTE } from '../../lib/clock';
import { problem } from '../../lib/errors';
import { hashPassword } from '../../lib/password';
import { storeSettings } from '../../lib/store-settings';
import { getAccount, normaliseEmail } from '../accounts';
import { limits } from './limits';
import { queueLinkRequest } from './login-links';
import { linkWithToken, portalUrl } from './portal-links';
import { consumeLimits } from './rate-limits';
import { endAllSessions } from './sessions';
import { countTokenAttempt, signIn, type Requester, type SignedIn } from './sign-in';
import { checkToken, issueToken, redeemToken, revokeUnusedTokens } from './tokens';

/** How long a password reset link works: long enough to find the email, short as such links should be. */
export const PASSWORD_RESET_TTL_MS = PASSWORD_RESET_TTL_MINUTES * MINUTE;

const requirePasswordLogin = (store: StoreRow) => {
  if (!storeSettings(store).passwordLogin) throw problem('password_login_disabled');
};

/**
 * Takes a customer's request for a link to choose a new password. Like a login-link
 * request, the answer is the same whether or not the address has an account (the
 * same limits, no error), and the request never looks at accounts: it counts itself
 * and queues a job for the login-link worker, which emails the link
 * ({@link sendPasswordResetLink}) or does nothing for an unknown address.
 */
export async function requestPasswordReset(
  deps: Deps,
  store: StoreRow,
  input: { email: string },
  from: Requester,
): Promise<void> {
  requirePasswordLogin(store);
  const email = normaliseEmail(input.email);
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    await consumeLimits(
      tx,
      [limits.passwordResetEmail(store.id, email), limits.loginLinkNetwork(from.ip)],
      now,
      deps.metrics,
    );
    await queueLinkRequest(tx, { storeId: store.id, email, purpose: 'password_reset' }, now);
  });
}

/**
 * Issues a password reset link to an account and queues its email (the worker's half
 * of a request). A new link makes the account's earlier unused ones invalid. Nothing
 * is sent once the store has stopped offering passwords.
 */
export async function sendPasswordResetLink(
  tx: Tx,
  store: StoreRow,
  account: AccountRow,
  options: { publicBaseUrl: string },
  now: Date,
): Promise<void> {
  if (!storeSettings(store).passwordLogin) return;
  await revokeUnusedTokens(tx, store.id, account.id, 'password_reset', now);
  const { token, expiresAt } = await issueToken(
    tx,
    { storeId: store.id, accountId: account.id, purpose: 'password_reset', ttlMs: PASSWORD_RESET_TTL_MS },
    now,
  );
  const url = linkWithToken(portalUrl(store, options.publicBaseUrl), RESET_PARAM, token);
  await queueEmail(
    tx,
    {
      store,
      accountId: account.id,
      to: account.email,
      kind: 'password_reset',
      email: passwordResetEmail(store, account, { url, ttlSeconds: PASSWORD_RESET_TTL_MS / 1000 }),
      linkExpiries: [expiresAt],
    },
    now,
  );
}

/**
 * Sets a new password with a reset link's token and signs the customer in. The
 * attempt counts against the network address and the token first (like every
 * token sign-in); the token is checked before the slow hash and consumed with the
 * password change, in one transaction, so it works exactly once. The link proves
 * the mailbox (the email counts as verified), and every other session of the
 * account ends: whoever knew the old password is signed out.
 */
export async function resetPassword(
  deps: Deps,
  store: StoreRow,
  input: { token: string; password: string },
  from: Requester,
): Promise<SignedIn> {
  requirePasswordLogin(store);
  await countTokenAttempt(deps, input.token, from);
  await checkToken(deps.db, store.id, input.token, ['password_reset'], deps.clock.now());
  const passwordHash = await hashPassword(input.password);
  return await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const row = await redeemToken(tx, store.id, input.token, ['password_reset'], now);
    const account = await getAccount(tx, store.id, row.accountId);
    const changes = {
      passwordHash,
      passwordSetAt: now,
      updatedAt: now,
      emailVerifiedAt: account.emailVerifiedAt ?? now,
    };
    await tx
      .update(accounts)
      .set(changes)
      .where(and(eq(accounts.storeId, store.id), eq(accounts.id, account.id)));
    await endAllSessions(tx, store.id, account.id, now);
    await revokeUnusedTokens(tx, store.id, account.id, 'password_reset', now);
    return await signIn(tx, store, { ...account, ...changes }, 'password_reset', from, now);
  });
}
