import { affected } from '../../db/query';
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { prepared } from '../../db/prepared';
import { loginLinkRequests, type AccountRow, type LinkRequestPurpose, type StoreRow } from '../../db/schema';
import type { Deps } from '../../deps';
import { loginLinkEmail } from '../../email/templates';
import { queueEmail } from '../../email/queue';
import { newId } from '../../lib/ids';
import { storeSettings } from '../../lib/store-settings';
import { getAccount, normaliseEmail } from '../accounts';
import { limits } from './limits';
import { TOKEN_PARAM } from '../../contract';
import { issueManagementUrl, linkWithToken, portalUrl } from './portal-links';
import { consumeLimits } from './rate-limits';
import type { Requester } from './sign-in';
import { issueToken, peekToken, revokeUnusedTokens } from './tokens';

/** What a customer asks for: a link to an address, or to the owner of a management URL; `returnTo` is a portal route. */
export interface LoginLinkRequest {
  email?: string;
  managementToken?: string;
  returnTo?: string;
}

/**
 * Takes a customer's request for a single-use sign-in link. The answer is the same
 * whether or not the address has an account — the same limits, no error — and so is
 * the work: the request counts itself against the limits and queues a job, and
 * never looks at accounts. The login-link worker then issues the link and queues
 * the email ({@link sendLoginLink}), or does nothing for an unknown address. So
 * neither the answer nor its timing tells which emails have accounts.
 *
 * `managementToken` stands in for the email when a customer on a new device asks
 * for a link from their management URL (the token is a secret, so its account's
 * existence is no news to its holder).
 */
export async function requestLoginLink(
  deps: Deps,
  store: StoreRow,
  request: LoginLinkRequest,
  from: Requester,
): Promise<void> {
  if (request.managementToken)
    return await requestLinkForManagementUrl(deps, store, request.managementToken, request.returnTo, from);
  const email = normaliseEmail(request.email ?? '');
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    await consumeLimits(
      tx,
      [limits.loginLinkEmail(store.id, email), limits.loginLinkNetwork(from.ip)],
      now,
      deps.metrics,
    );
    await queueLinkRequest(tx, { storeId: store.id, email, returnTo: request.returnTo, purpose: 'login' }, now);
  });
}

async function requestLinkForManagementUrl(
  deps: Deps,
  store: StoreRow,
  token: string,
  returnTo: string | undefined,
  from: Requester,
) {
  // Counted before the token is looked at, in a transaction of its own, so a wrong token counts too.
  await deps.db.transaction(
    async (tx) =>
      await consumeLimits(
        tx,
        [limits.loginLinkNetwork(from.ip), limits.linkAttempts(token)],
        deps.clock.now(),
        deps.metrics,
      ),
  );
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const account = await getAccount(tx, store.id, (await peekToken(tx, store.id, token, 'management', now)).accountId);
    await consumeLimits(tx, [limits.loginLinkEmail(store.id, account.email)], now, deps.metrics);
    await queueLinkRequest(tx, { storeId: store.id, email: account.email, returnTo, purpose: 'login' }, now);
  });
}

/**
 * Drops the login-link requests waiting for an address (an account being erased): the
 * worker would answer them as for an unknown address anyway, and the address goes.
 */
export async function dropLoginLinkRequests(tx: Tx, storeId: string, email: string): Promise<number> {
  return affected(
    await tx
      .delete(loginLinkRequests)
      .where(and(eq(loginLinkRequests.storeId, storeId), eq(loginLinkRequests.email, email))),
  );
}

/** What the login-link worker is asked to email: a link of `purpose` to the account with `email`, if there is one. */
export interface LinkRequest {
  storeId: string;
  email: string;
  returnTo?: string;
  purpose: LinkRequestPurpose;
}

/** Queues a request for the login-link worker, without looking at accounts. */
export async function queueLinkRequest(tx: Tx, request: LinkRequest, now: Date): Promise<void> {
  const { storeId, email, returnTo, purpose } = request;
  await prepared(tx, 'login-link-request-insert', (db) =>
    db
      .insert(loginLinkRequests)
      .values({
        id: sql.placeholder('id'),
        storeId: sql.placeholder('storeId'),
        email: sql.placeholder('email'),
        returnTo: sql.placeholder('returnTo'),
        purpose: sql.placeholder('purpose'),
        requestedAt: sql.placeholder('now'),
        nextAttemptAt: sql.placeholder('now'),
      })
      .prepare(),
  ).run({ id: newId('llr'), storeId, email, returnTo: returnTo ?? null, purpose, now });
}

/**
 * Issues a login link to an account and queues its email (the worker's half of a
 * request). A new link makes the account's earlier unused ones invalid; `returnTo`
 * goes into the link's fragment.
 */
export async function sendLoginLink(
  tx: Tx,
  store: StoreRow,
  account: AccountRow,
  options: { publicBaseUrl: string; returnTo: string | null },
  now: Date,
): Promise<void> {
  const ttlSeconds = storeSettings(store).loginLinkTtlSeconds;
  await revokeUnusedTokens(tx, store.id, account.id, 'login', now);
  const { token, expiresAt } = await issueToken(
    tx,
    { storeId: store.id, accountId: account.id, purpose: 'login', ttlMs: ttlSeconds * 1000 },
    now,
  );
  const management = await issueManagementUrl(tx, store, account, options.publicBaseUrl, now);
  const link = linkWithToken(portalUrl(store, options.publicBaseUrl), TOKEN_PARAM, token);
  const message = loginLinkEmail(store, account, {
    // The screen the customer was on when their session expired opens after they sign in again.
    url: options.returnTo ? `${link.split('#')[0]}#${options.returnTo}` : link,
    managementUrl: management.url,
    ttlSeconds,
  });
  await queueEmail(
    tx,
    {
      store,
      accountId: account.id,
      to: account.email,
      kind: 'login_link',
      email: message,
      linkExpiries: [expiresAt, management.expiresAt],
    },
    now,
  );
}
