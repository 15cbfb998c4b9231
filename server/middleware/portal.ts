import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { resolveClientIp, type TrustProxy } from '../lib/client-ip';
import { capabilitiesDenying, type SessionRequirement } from '../contract';
import { problem } from '../lib/errors';
import type { AccountRow, SessionRow, StoreRow } from '../db/schema';
import { REQUEST_ID_HEADER } from './request-id';
import type { HeaderPair } from '../lib/defaulting-response';
import { defaultHeaders, varyOn } from './response-headers';

export type PortalEnv = {
  Variables: { store: StoreRow; session: SessionRow; account: AccountRow };
};

/** What marks a Portal API response as personal (a route may declare its own caching). */
export const PERSONAL_HEADERS: readonly HeaderPair[] = [
  ['Cache-Control', 'no-store'],
  ['Referrer-Policy', 'no-referrer'],
];

/**
 * Resolves `/portal/{storeId}/…` to its store (404 for an unknown one) and marks
 * Portal API responses as personal: never sent as a referrer, and never cached
 * unless the route itself declared a caching policy (the public config does).
 */
export function portalStore(
  findStore: (storeId: string) => Promise<StoreRow | undefined>,
): MiddlewareHandler<PortalEnv> {
  return async (c, next) => {
    const store = await findStore(c.req.param('storeId') ?? '');
    if (!store) throw problem('store_not_found');
    c.set('store', store);
    await next();
    defaultHeaders(c, PERSONAL_HEADERS);
  };
}

/** The response headers a cross-origin widget may read. */
const EXPOSED = `Retry-After, Content-Disposition, ${REQUEST_ID_HEADER}`;

/**
 * CORS for the Portal API: only the store's allowed origins and the server's own
 * origin (the hosted page) get their origin echoed, with credentials (for the
 * device cookie). Any other origin gets no CORS headers at all, so the browser
 * blocks it; `Vary: Origin` keeps caches from mixing the two.
 */
export function portalCors(publicBaseUrl: () => string): MiddlewareHandler<PortalEnv> {
  // The server's own origin, parsed once per base URL (which is set once the server knows its port).
  let base = '';
  let ownOrigin = '';
  return async (c, next) => {
    if (publicBaseUrl() !== base) ownOrigin = new URL((base = publicBaseUrl())).origin;
    const origin = c.req.header('origin');
    const allowed = origin !== undefined && (origin === ownOrigin || c.get('store').allowedOrigins.includes(origin));
    if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method')) {
      const response = c.body(null, 204);
      response.headers.set('Vary', 'Origin');
      if (allowed) {
        response.headers.set('Access-Control-Allow-Origin', origin);
        response.headers.set('Access-Control-Allow-Credentials', 'true');
        response.headers.set('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE');
        response.headers.set(
          'Access-Control-Allow-Headers',
          'authorization, content-type, idempotency-key, accept-language',
        );
        response.headers.set('Access-Control-Max-Age', '600');
      }
      return response;
    }
    await next();
    varyOn(c, 'Origin');
    if (allowed) {
      defaultHeaders(c, [
        ['Access-Control-Allow-Origin', origin],
        ['Access-Control-Allow-Credentials', 'true'],
        ['Access-Control-Expose-Headers', EXPOSED],
      ]);
    }
  };
}

/** Checks a bearer token against the store's sessions (routes pass the sessions service's check); throws 401. */
export type SessionAuthenticator = (
  store: StoreRow,
  token: string,
) => Promise<{ session: SessionRow; account: AccountRow }>;

/**
 * Requires a valid bearer session of this store; sets the `session` and `account` variables.
 * Checked once per request: Hono runs both `/me` and `/me/*` guards for `/me`.
 */
export function requireSession(authenticate: SessionAuthenticator): MiddlewareHandler<PortalEnv> {
  return async (c, next) => {
    if (c.get('session')) return next();
    const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
    if (!match) throw problem('invalid_session');
    const { session, account } = await authenticate(c.get('store'), match[1]);
    c.set('session', session);
    c.set('account', account);
    await next();
  };
}

/**
 * Requires that the session may do what a route needs (after `requireSession`):
 * a session the merchant limited answers 403 `session_not_permitted`, with
 * `details.permission` and the `details.capabilities` that take it away. Runs before
 * the request is validated, so a refused request reveals nothing about its input.
 */
export function requirePermission(requirement: SessionRequirement): MiddlewareHandler<PortalEnv> {
  return async (c, next) => {
    const session = c.get('session') as SessionRow | undefined;
    // Fail closed: a route whose session check was forgotten refuses everyone.
    if (!session) throw problem('invalid_session');
    if (requirement !== 'signed-in') {
      const denying = capabilitiesDenying(session.capabilities, requirement);
      if (denying.length > 0)
        throw problem('session_not_permitted', { permission: requirement, capabilities: denying });
    }
    await next();
  };
}

/**
 * The client's IP address: the socket's peer, or — behind reverse proxies the operator
 * vouches for (`TRUST_PROXY`) — the address the nearest trusted proxy saw, from
 * `X-Forwarded-For` (see resolveClientIp).
 */
export function clientIp(c: Context, trustProxy: TrustProxy): string {
  return resolveClientIp(socketAddress(c), c.req.header('x-forwarded-for'), trustProxy) ?? 'unknown';
}

/** The address of the connection's peer; undefined for a request made in-process (tests). */
export function socketAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    // In-process requests (tests) have no socket.
    return undefined;
  }
}
