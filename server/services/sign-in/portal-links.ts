import { capabilitiesDenying, MANAGE_PARAM, routePermissions, TOKEN_PARAM } from '../../contract';
import type { Tx } from '../../db/client';
import { DAY, HOUR, SECOND } from '../../lib/clock';
import { invalid } from '../../lib/errors';
import type { SessionLimitsInput } from '../../schemas/session-scope';
import { issueToken } from './tokens';
import type { AccountRow, StoreRow, TokenScope } from '../../db/schema';
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
export async function issueManagementUrl(
  tx: Tx,
  store: StoreRow,
  account: AccountRow,
  publicBaseUrl: string,
  now: Date,
) {
  const ttlMs = storeSettings(store).managementUrlTtlDays * DAY;
  const { token, expiresAt } = await issueToken(
    tx,
    { storeId: store.id, accountId: account.id, purpose: 'management', ttlMs },
    now,
  );
  return { url: linkWithToken(portalUrl(store, publicBaseUrl), MANAGE_PARAM, token), expiresAt };
}

/**
 * A pre-authenticated, single-use portal URL for an account (the SaaS "Manage
 * subscription" button), with the id the merchant can revoke it by. The merchant's
 * limits, checked against the store (see {@link scopeOf}), go with the URL into the
 * session it starts.
 */
export async function issueAuthenticateUrl(
  tx: Tx,
  store: StoreRow,
  account: AccountRow,
  publicBaseUrl: string,
  now: Date,
  limits: SessionLimitsInput = {},
) {
  const { id, token, expiresAt } = await issueToken(
    tx,
    {
      storeId: store.id,
      accountId: account.id,
      purpose: 'authenticate',
      ttlMs: limits.urlLifetimeSeconds === undefined ? AUTHENTICATE_TTL_MS : limits.urlLifetimeSeconds * SECOND,
      scope: scopeOf(store, limits),
    },
    now,
  );
  return { id, url: linkWithToken(portalUrl(store, publicBaseUrl), TOKEN_PARAM, token), expiresAt };
}

/**
 * The scope a pre-authenticated URL carries, or null for a full session. A lifetime
 * longer than the store's `sessionMaxSeconds`, or a landing route the capabilities
 * take away, is a 422 naming the field.
 */
export function scopeOf(store: StoreRow, limits: SessionLimitsInput): TokenScope | null {
  const capabilities = [...new Set(limits.capabilities ?? [])];
  const { landingRoute = null, sessionLifetimeSeconds = null } = limits;
  const maxSeconds = storeSettings(store).sessionMaxSeconds;
  if (sessionLifetimeSeconds !== null && sessionLifetimeSeconds > maxSeconds) {
    const message = `A session of this store lasts at most ${maxSeconds} seconds (its sessionMaxSeconds).`;
    throw invalid(message, [{ field: 'sessionLifetimeSeconds', code: 'too_big', message }]);
  }
  const denying = landingRoute
    ? (routePermissions(landingRoute) ?? []).flatMap((permission) => capabilitiesDenying(capabilities, permission))
    : [];
  if (denying.length > 0) {
    const message = `The capabilities ${[...new Set(denying)].join(', ')} take this screen away.`;
    throw invalid(message, [{ field: 'landingRoute', code: 'not_permitted', message }]);
  }
  if (capabilities.length === 0 && landingRoute === null && sessionLifetimeSeconds === null) return null;
  return { capabilities, landingRoute, sessionLifetimeSeconds };
}
