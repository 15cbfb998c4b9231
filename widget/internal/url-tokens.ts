import { MANAGE_PARAM, TOKEN_PARAM, TOKEN_PREFIX } from '../../server/contract';

const bareToken = new RegExp(`^${TOKEN_PREFIX}[A-Za-z0-9_-]+$`);

/** A sign-in token found in a URL, or given on its own. */
export interface FoundToken {
  token: string;
  kind: 'token' | 'management';
  /** The route in the URL's fragment (`/subscriptions`), when it has one. */
  route: string | null;
}

/**
 * Reads the token of a pre-authenticated URL (`…?portal_token=…#/subscriptions`), of
 * a management URL (`?portal_manage=…`), or a bare token as the `auth-url`
 * attribute may carry.
 */
export function tokenFrom(value: string | null | undefined, base = location.href): FoundToken | null {
  const text = value?.trim();
  if (!text) return null;
  if (bareToken.test(text)) return { token: text, kind: 'token', route: null };
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    return null;
  }
  const route = url.hash.startsWith('#/') ? url.hash.slice(1) : null;
  const single = url.searchParams.get(TOKEN_PARAM);
  if (single) return { token: single, kind: 'token', route };
  const manage = url.searchParams.get(MANAGE_PARAM);
  return manage ? { token: manage, kind: 'management', route } : null;
}

/** Removes sign-in tokens from the address bar, keeping the path, other parameters and the `#/…` route. */
export function removeTokensFromAddressBar(): void {
  const url = new URL(location.href);
  if (!url.searchParams.has(TOKEN_PARAM) && !url.searchParams.has(MANAGE_PARAM)) return;
  url.searchParams.delete(TOKEN_PARAM);
  url.searchParams.delete(MANAGE_PARAM);
  history.replaceState(history.state, '', url.toString());
}
