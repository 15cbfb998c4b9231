import { MANAGE_PARAM, TOKEN_PARAM } from '../../contract';
import type { Tx } from '../../db/client';
import { DAY, HOUR } from '../../lib/clock';
import { issueToken } from './tokens';
import type { AccountRow, StoreRow } from '../../db/schema';
import { storeSettings } from '../../lib/store-settings';

/** How long a pre-authenticated URL from the Server API works. */
export const AUTHENTICATE_TTL_MS = 24 * HOUR;

/** Where the store's customers use the portal: its own page, or the portal's hosted page. */
export function portalUrl(store: StoreRow, publicBaseUrl: string): string {
  return store.portalUrl ?? `${publicBaseUrl}/account/${encodeURIComponent(store.id)}`;
}

/**
 * The portal URL with a token in its query string. The URL API keeps any fragment
 * after the query, so `#/subscriptions` can be appended (or already be there).
 */
export function linkWithToken(base: string, param: string, token: string): string {
  const url = new URL(base);
  url.searchParams.set(param, token);
  return url.toString();
}

/** A new management URL for an account, valid for the store's management URL lifetime. */
export function issueManagementUrl(tx: Tx, store: StoreRow, account: AccountRow, publicBaseUrl: string, now: Date) {
  const ttlMs = storeSettings(store).managementUrlTtlDays * DAY;
  const { token, expiresAt } = issueToken(
    tx,
    { storeId: store.id, accountId: account.id, purpose: 'management', ttlMs },
    now,
  );
  return { url: linkWithToken(portalUrl(store, publicBaseUrl), MANAGE_PARAM, token), expiresAt };
}

/**
 * A pre-authenticated, single-use portal URL for an account (the SaaS "Manage
 * subscription" button), with the id the merchant can revoke it by.
 */
export function issueAuthenticateUrl(tx: Tx, store: StoreRow, account: AccountRow, publicBaseUrl: string, now: Date) {
  const { id, token, expiresAt } = issueToken(
    tx,
    {
      storeId: store.id,
      accountId: account.id,
      purpose: 'authenticate',
      ttlMs: AUTHENTICATE_TTL_MS,
    },
    now,
  );
  return { id, url: linkWithToken(portalUrl(store, publicBaseUrl), TOKEN_PARAM, token), expiresAt };
}
