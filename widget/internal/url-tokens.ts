import { MANAGE_PARAM, RESET_PARAM, TOKEN_PARAM, TOKEN_PREFIX } from '../../server/contract';

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

/** Whether two finds are the same token to redeem. */
export const sameToken = (a: FoundToken, b: FoundToken): boolean => a.token === b.token && a.kind === b.kind;

/** The token of a password reset link (`…?portal_reset=…`) in a URL, if it has one. */
export function resetTokenFrom(value: string): string | null {
  try {
    return new URL(value).searchParams.get(RESET_PARAM)?.trim() || null;
  } catch {
    return null;
  }
}

const tokenParams = [TOKEN_PARAM, MANAGE_PARAM, RESET_PARAM];

/** Removes sign-in and reset tokens from the address bar, keeping the path, other parameters and the `#/…` route. */
export function removeTokensFromAddressBar(): void {
  const url = new URL(location.href);
  if (!tokenParams.some((param) => url.searchParams.has(param))) return;
  for (const param of tokenParams) url.searchParams.delete(param);
  history.replaceState(history.state, '', url.toString());
}
