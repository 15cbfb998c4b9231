import type { Context, MiddlewareHandler } from 'hono';
import { problem } from '../lib/errors';
import type { StoreRow } from '../db/schema';

export type ApiEnv = { Variables: { store: StoreRow } };

const unauthorized = () =>
  problem('unauthorized', undefined, {
    'WWW-Authenticate': 'Basic realm="Account Portal Server API", charset="UTF-8"',
  });

/**
 * Finds the store whose Server API credentials these are (routes pass the stores
 * service's check, which also limits failures and may throw a 429).
 */
export type StoreAuthenticator = (caller: {
  user: string;
  password: string;
  ip: string;
}) => Promise<StoreRow | undefined>;

/** The user name and password of an HTTP Basic `Authorization` header, or undefined. */
export function basicCredentials(header: string | undefined): { user: string; password: string } | undefined {
  const match = header && /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * HTTP Basic authentication with a store's Server API credentials; sets the `store` variable.
 * `ipOf` tells where a request comes from, for the limits on failures.
 */
export function apiAuth(authenticate: StoreAuthenticator, ipOf: (c: Context) => string): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const credentials = basicCredentials(c.req.header('authorization'));
    if (!credentials) throw unauthorized();
    const store = await authenticate({ ...credentials, ip: ipOf(c) });
    if (!store) throw unauthorized();
    c.set('store', store);
    await next();
  };
}
