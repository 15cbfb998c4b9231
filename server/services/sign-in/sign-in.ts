import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { accounts } from '../../db/schema';
import type { Deps } from '../../deps';
import { MINUTE } from '../../lib/clock';
import { invalid, problem } from '../../lib/errors';
import { hashPassword, verifyDecoy, verifyPassword } from '../../lib/password';
import { findAccountByEmail, getAccount, normaliseEmail } from '../accounts';
import { rememberDevice, recogniseDevice } from './devices';
import { limits } from './limits';
import { consumeLimits, refundHits } from './rate-limits';
import { startSession } from './sessions';
import { peekToken, redeemToken } from './tokens';
import type { AccountRow, SessionRow, StoreRow, TokenScope } from '../../db/schema';
import type { SignInMethod } from '../../contract';
import { describeDevice } from '../../lib/user-agent';
import { recordActivity } from '../activity';
import { storeSettings } from '../../lib/store-settings';

/** A new session, and the device credential to set as a cookie. */
export interface SignedIn {
  token: string;
  session: SessionRow;
  account: AccountRow;
  device: { secret: string; expiresAt: Date };
}

/** Where a request comes from, for per-IP limits, device recognition and the activity log's device description. */
export interface Requester {
  ip: string;
  deviceSecret?: string;
  /** The User-Agent header: only its browser and OS families are kept (see describeDevice). */
  userAgent?: string;
}

/**
 * Counts a sign-in attempt with a token against its network address and against the
 * token, in a transaction of its own: a failed attempt rolls its own work back, and
 * must still count.
 */
export async function countTokenAttempt(deps: Deps, token: string, from: Requester): Promise<void> {
  await deps.db.transaction(
    async (tx) =>
      await consumeLimits(
        tx,
        [limits.signInNetwork(from.ip), limits.linkAttempts(token)],
        deps.clock.now(),
        deps.metrics,
      ),
  );
}

/**
 * Redeems a login link, invitation or pre-authenticated URL token for a session.
 * The token works once; login links and invitations also prove the mailbox, so
 * they mark the email verified.
 */
export async function redeemSignInToken(
  deps: Deps,
  store: StoreRow,
  token: string,
  from: Requester,
): Promise<SignedIn> {
  await countTokenAttempt(deps, token, from);
  return await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const signInPurposes = ['login', 'invitation', 'authenticate'] as const;
    const row = await redeemToken(tx, store.id, token, [...signInPurposes], now);
    const via = row.purpose as (typeof signInPurposes)[number];
    let account = await getAccount(tx, store.id, row.accountId);
    if (row.purpose !== 'authenticate' && !account.emailVerifiedAt) {
      await tx
        .update(accounts)
        .set({ emailVerifiedAt: now })
        .where(and(eq(accounts.storeId, store.id), eq(accounts.id, account.id)));
      account = { ...account, emailVerifiedAt: now };
    }
    return await signIn(tx, store, account, via, from, now, row.scope);
  });
}

/**
 * Signs in with a management URL: directly when the store does not require a
 * verified email; otherwise only for a verified email on a device that has signed
 * in to this account before. Anyone else is asked to request a login link.
 */
export async function signInWithManagementUrl(
  deps: Deps,
  store: StoreRow,
  token: string,
  from: Requester,
): Promise<SignedIn> {
  await countTokenAttempt(deps, token, from);
  return await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const account = await getAccount(tx, store.id, (await peekToken(tx, store.id, token, 'management', now)).accountId);
    if (storeSettings(store).emailVerificationRequired) {
      const details = { emailHint: maskEmail(account.email), canRequestLink: true };
      if (!account.emailVerifiedAt) {
        throw problem('email_not_verified', details);
      }
      if ((await recogniseDevice(tx, store.id, from.deviceSecret, now))?.accountId !== account.id) {
        throw problem('login_link_required', details);
      }
    }
    return await signIn(tx, store, account, 'management', from, now);
  });
}

const wrongPassword = () => problem('invalid_credentials');

/**
 * Password sign-in (when the store allows it). A wrong email and a wrong password
 * get the same answer in about the same time; failures count against the account
 * (100 an hour) and the IP address. Every attempt is counted before its password is
 * hashed, in a transaction of its own, so parallel guesses cannot all slip under the
 * limit while the slow hashes run; a correct password takes its count back.
 */
export async function signInWithPassword(
  deps: Deps,
  store: StoreRow,
  credentials: { email: string; password: string },
  from: Requester,
): Promise<SignedIn> {
  if (!storeSettings(store).passwordLogin) {
    throw problem('password_login_disabled');
  }
  const email = normaliseEmail(credentials.email);
  const counted = await deps.db.transaction(
    async (tx) =>
      await consumeLimits(
        tx,
        [limits.passwordAccount(store.id, email), limits.passwordNetwork(from.ip)],
        deps.clock.now(),
        deps.metrics,
      ),
  );
  const account = await findAccountByEmail(deps.db, store.id, email);
  const ok = account?.passwordHash
    ? await verifyPassword(credentials.password, account.passwordHash)
    : await verifyDecoy(credentials.password);
  if (!ok || !account) throw wrongPassword();
  return await deps.db.transaction(async (tx) => {
    await refundHits(tx, counted);
    return await signIn(tx, store, await getAccount(tx, store.id, account.id), 'password', from, deps.clock.now());
  });
}

/**
 * Sets the signed-in customer's password. Changing an existing one needs the
 * current password, unless the session started from an emailed link minutes ago.
 * A wrong current password counts against the account's password limit (100 an
 * hour, shared with password sign-in), counted before the slow hash runs, so a
 * session cannot be used to guess the password; a right one takes its count back.
 */
export async function setPassword(
  deps: Deps,
  store: StoreRow,
  session: SessionRow,
  input: { password: string; currentPassword?: string },
): Promise<void> {
  if (!storeSettings(store).passwordLogin) {
    throw problem('password_login_disabled');
  }
  const account = await getAccount(deps.db, store.id, session.accountId);
  const now = deps.clock.now();
  const fromFreshLink =
    ['login', 'invitation'].includes(session.via) && now.getTime() - session.createdAt.getTime() < 15 * MINUTE;
  if (account.passwordHash && !fromFreshLink) {
    const counted = await deps.db.transaction(
      async (tx) => await consumeLimits(tx, [limits.passwordAccount(store.id, account.email)], now, deps.metrics),
    );
    if (!input.currentPassword || !(await verifyPassword(input.currentPassword, account.passwordHash))) {
      throw invalid('The current password is wrong.', [
        { field: 'currentPassword', code: 'wrong_password', message: 'The current password is wrong.' },
      ]);
    }
    await refundHits(deps.db, counted);
  }
  const passwordHash = await hashPassword(input.password);
  await deps.db.transaction(async (tx) => {
    await tx
      .update(accounts)
      .set({ passwordHash, passwordSetAt: now, updatedAt: now })
      .where(and(eq(accounts.storeId, store.id), eq(accounts.id, account.id)));
    await recordActivity(
      tx,
      { storeId: store.id, accountId: account.id, kind: 'password_set', actor: 'customer' },
      now,
    );
  });
}

/** Starts a session (`via`: how it got in) on the requester's device, which it remembers, and logs the sign-in. */
export async function signIn(
  tx: Tx,
  store: StoreRow,
  account: AccountRow,
  via: SignInMethod,
  from: Requester,
  now: Date,
  scope: TokenScope | null = null,
): Promise<SignedIn> {
  const { device, secret } = await rememberDevice(tx, store.id, account.id, from.deviceSecret, now);
  const { token, session } = await startSession(
    tx,
    store,
    { accountId: account.id, via, deviceId: device.id, scope },
    now,
  );
  await recordActivity(
    tx,
    {
      storeId: store.id,
      accountId: account.id,
      kind: 'signed_in',
      actor: 'customer',
      method: via,
      device: describeDevice(from.userAgent),
    },
    now,
  );
  return { token, session, account, device: { secret, expiresAt: device.expiresAt } };
}

/** `ada@example.com` → `a••@example.com`: enough to recognise, not enough to learn. */
export function maskEmail(email: string): string {
  const [local, domain] = email.split('@');
  return `${local.slice(0, 1)}${'•'.repeat(Math.min(Math.max(local.length - 1, 2), 6))}@${domain}`;
}
