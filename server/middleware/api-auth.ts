import type { MiddlewareHandler } from 'hono';
import { DomainError } from '../lib/errors';
import type { StoreRow } from '../db/schema';

export type ApiEnv = { Variables: { store: StoreRow } };

const unauthorized = () => new DomainError(401, 'unauthorized',
  'Send the store\'s Server API credentials with HTTP Basic authentication.', undefined,
  { 'WWW-Authenticate': 'Basic realm="Account Portal Server API", charset="UTF-8"' });

/** Finds the store whose Server API credentials these are (routes pass the stores service's check). */
export type StoreAuthenticator = (user: string, password: string) => StoreRow | undefined;

/** HTTP Basic authentication with a store's Server API credentials; sets `c.var.store`. */
export function apiAuth(authenticate: StoreAuthenticator): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const match = header && /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim());
    if (!match) throw unauthorized();
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw unauthorized();
    const store = authenticate(decoded.slice(0, colon), decoded.slice(colon + 1));
    if (!store) throw unauthorized();
    c.set('store', store);
    await next();
  };
}
