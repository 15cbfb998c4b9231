import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { accounts } from '../../db/schema';
import type { Deps } from '../../deps';
import { HOUR, MINUTE } from '../../lib/clock';
import { invalid, problem } from '../../lib/errors';
import { hashPassword, verifyDecoy, verifyPassword } from '../../lib/password';
import { loginLinkEmail } from '../../email/templates';
import { findAccountByEmail, getAccount, normaliseEmail } from '../accounts';
import { rememberDevice, recogniseDevice } from './devices';
import { queueEmail } from '../../email/queue';
import { TOKEN_PARAM } from '../../contract';
import { issueManagementUrl, linkWithToken, portalUrl } from './portal-links';
import { assertWithinLimits, consumeLimits, recordHits } from './rate-limits';
import { startSession } from './sessions';
import { peekToken, redeemToken, issueToken, revokeUnusedTokens } from './tokens';
import type { AccountRow, SessionRow, StoreRow } from '../../db/schema';
import { storeSettings } from '../../lib/store-settings';

/** A new session, and the device credential to set as a cookie. */
export interface SignedIn {
  token: string;
  session: SessionRow;
  account: AccountRow;
  device: { secret: string; expiresAt: Date };
}

/** Where a request comes from, for per-IP limits and device recognition. */
export interface Requester {
  ip: string;
  deviceSecret?: string;
}

const emailLimit = (store: StoreRow, email: string) => ({
  key: `login-email:${store.id}:${email}`, rules: [{ max: 1, windowMs: MINUTE }, { max: 5, windowMs: HOUR }],
});
const ipLimit = (ip: string) => ({ key: `login-ip:${ip}`, rules: [{ max: 20, windowMs: HOUR }] });

/**
 * Emails a single-use sign-in link when the address belongs to an account. The
 * outcome is the same whether or not it does — the same limits, no error — so
 * nobody can learn which emails have accounts. A new link makes the account's
 * earlier unused ones invalid. `managementToken` stands in for the email when a
 * customer on a new device asks for a link from their management URL; `returnTo`
 * (a portal route) is put in the link's fragment.
 */
export function requestLoginLink(
  deps: Deps, store: StoreRow, request: { email?: string; managementToken?: string; returnTo?: string }, from: Requester,
): void {
  deps.db.transaction((tx) => {
    const now = deps.clock.now();
    const account = request.managementToken
      ? getAccount(tx, store.id, peekToken(tx, store.id, request.managementToken, 'management', now).accountId)
      : findAccountByEmail(tx, store.id, request.email ?? '');
    const email = account?.email ?? normaliseEmail(request.email ?? '');
    consumeLimits(tx, [emailLimit(store, email), ipLimit(from.ip)], now,
      'A sign-in link was sent very recently. Please check your inbox or wait a little before asking again.');
    if (!account) return;
    const ttlSeconds = storeSettings(store).loginLinkTtlSeconds;
    revokeUnusedTokens(tx, store.id, account.id, 'login', now);
    const { token, expiresAt } = issueToken(tx, { storeId: store.id, accountId: account.id, purpose: 'login', ttlMs: ttlSeconds * 1000 }, now);
    const management = issueManagementUrl(tx, store, account, deps.config.publicBaseUrl, now);
    const link = linkWithToken(portalUrl(store, deps.config.publicBaseUrl), TOKEN_PARAM, token);
    const message = loginLinkEmail(store, account, {
      // The screen the customer was on when their session expired opens after they sign in again.
      url: request.returnTo ? `${link.split('#')[0]}#${request.returnTo}` : link,
      managementUrl: management.url, ttlSeconds,
    });
    queueEmail(tx, {
      store, accountId: account.id, to: account.email, kind: 'login_link', email: message,
      linkExpiries: [expiresAt, management.expiresAt],
    }, now);
  });
}

const redeemLimit = (ip: string) => ({ key: `redeem-ip:${ip}`, rules: [{ max: 60, windowMs: 10 * MINUTE }] });

/**
 * Redeems a login link, invitation or pre-authenticated URL token for a session.
 * The token works once; login links and invitations also prove the mailbox, so
 * they mark the email verified.
 */
export function redeemSignInToken(deps: Deps, store: StoreRow, token: string, from: Requester): SignedIn {
  return deps.db.transaction((tx) => {
    const now = deps.clock.now();
    consumeLimits(tx, [redeemLimit(from.ip)], now, 'Too many sign-in attempts from your network. Please wait a few minutes.');
    const row = redeemToken(tx, store.id, token, ['login', 'invitation', 'authenticate'], now);
    let account = getAccount(tx, store.id, row.accountId);
    if (row.purpose !== 'authenticate' && !account.emailVerifiedAt) {
      tx.update(accounts).set({ emailVerifiedAt: now }).where(and(eq(accounts.storeId, store.id), eq(accounts.id, account.id))).run();
      account = { ...account, emailVerifiedAt: now };
    }
    return signIn(tx, store, account, row.purpose, from, now);
  });
}

/**
 * Signs in with a management URL: directly when the store does not require a
 * verified email; otherwise only for a verified email on a device that has signed
 * in to this account before. Anyone else is asked to request a login link.
 */
export function signInWithManagementUrl(deps: Deps, store: StoreRow, token: string, from: Requester): SignedIn {
  return deps.db.transaction((tx) => {
    const now = deps.clock.now();
    consumeLimits(tx, [redeemLimit(from.ip)], now, 'Too many sign-in attempts from your network. Please wait a few minutes.');
    const account = getAccount(tx, store.id, peekToken(tx, store.id, token, 'management', now).accountId);
    if (storeSettings(store).emailVerificationRequired) {
      const details = { emailHint: maskEmail(account.email), canRequestLink: true };
      if (!account.emailVerifiedAt) {
        throw problem('email_not_verified', details);
      }
      if (recogniseDevice(tx, store.id, from.deviceSecret, now)?.accountId !== account.id) {
        throw problem('login_link_required', details);
      }
    }
    return signIn(tx, store, account, 'management', from, now);
  });
}

const passwordLimits = (store: StoreRow, email: string, ip: string) => [
  { key: `password-account:${store.id}:${email}`, rules: [{ max: 100, windowMs: HOUR }] },
  { key: `password-ip:${ip}`, rules: [{ max: 30, windowMs: 15 * MINUTE }] },
];

const wrongPassword = () => problem('invalid_credentials');

/**
 * Password sign-in (when the store allows it). A wrong email and a wrong password
 * get the same answer in about the same time; failures count against the account
 * (100 an hour) and the IP address.
 */
export async function signInWithPassword(
  deps: Deps, store: StoreRow, credentials: { email: string; password: string }, from: Requester,
): Promise<SignedIn> {
  if (!storeSettings(store).passwordLogin) {
    throw problem('password_login_disabled');
  }
  const email = normaliseEmail(credentials.email);
  const limits = passwordLimits(store, email, from.ip);
  assertWithinLimits(deps.db, limits, deps.clock.now(), 'Too many failed sign-in attempts. Please try again later.');
  const account = findAccountByEmail(deps.db, store.id, email);
  const ok = account?.passwordHash
    ? await verifyPassword(credentials.password, account.passwordHash)
    : await verifyDecoy(credentials.password);
  if (!ok || !account) {
    recordHits(deps.db, limits.map((l) => l.key), deps.clock.now());
    throw wrongPassword();
  }
  return deps.db.transaction((tx) => signIn(tx, store, getAccount(tx, store.id, account.id), 'password', from, deps.clock.now()));
}

/**
 * Sets the signed-in customer's password. Changing an existing one needs the
 * current password, unless the session started from an emailed link minutes ago
 * (which is how a forgotten password is reset).
 */
export async function setPassword(
  deps: Deps, store: StoreRow, session: SessionRow, input: { password: string; currentPassword?: string },
): Promise<void> {
  if (!storeSettings(store).passwordLogin) {
    throw problem('password_login_disabled');
  }
  const account = getAccount(deps.db, store.id, session.accountId);
  const now = deps.clock.now();
  const fromFreshLink = ['login', 'invitation'].includes(session.via) && now.getTime() - session.createdAt.getTime() < 15 * MINUTE;
  if (account.passwordHash && !fromFreshLink) {
    if (!input.currentPassword || !(await verifyPassword(input.currentPassword, account.passwordHash))) {
      throw invalid('The current password is wrong.',
        [{ field: 'currentPassword', code: 'wrong_password', message: 'The current password is wrong.' }]);
    }
  }
  const passwordHash = await hashPassword(input.password);
  deps.db.update(accounts).set({ passwordHash, passwordSetAt: now, updatedAt: now })
    .where(and(eq(accounts.storeId, store.id), eq(accounts.id, account.id))).run();
}

function signIn(tx: Tx, store: StoreRow, account: AccountRow, via: string, from: Requester, now: Date): SignedIn {
  const { device, secret } = rememberDevice(tx, store.id, account.id, from.deviceSecret, now);
  const { token, session } = startSession(tx, store, { accountId: account.id, via, deviceId: device.id }, now);
  return { token, session, account, device: { secret, expiresAt: device.expiresAt } };
}

/** `ada@example.com` → `a••@example.com`: enough to recognise, not enough to learn. */
export function maskEmail(email: string): string {
  const [local, domain] = email.split('@');
  return `${local.slice(0, 1)}${'•'.repeat(Math.min(Math.max(local.length - 1, 2), 6))}@${domain}`;
}
