import type { Context, MiddlewareHandler } from 'hono';
import { DefaultingServerResponse, type HeaderPair } from '../lib/defaulting-response';

/** What Server API responses carry (customer data, sign-in URLs): never cache them anywhere. */
export const NO_STORE: readonly HeaderPair[] = [['Cache-Control', 'no-store']];

/**
 * The security headers every response gets unless its route set its own (the hosted
 * page and the card pages set their own CSP and framing): Hono's `secureHeaders()`
 * defaults, written out here so they are added the cheap way below.
 * test/server/response-headers.test.ts holds them to Hono's.
 */
export const SECURITY_HEADERS: readonly HeaderPair[] = [
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['Referrer-Policy', 'no-referrer'],
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Frame-Options', 'SAMEORIGIN'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
];

/** Adds {@link SECURITY_HEADERS} to every response, the route's own winning. */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    defaultHeaders(c, SECURITY_HEADERS);
  };
}

/**
 * Adds headers to the response unless its route set its own (call it after `next()`).
 *
 * Served by the portal's Node server, they go to its `DefaultingServerResponse`
 * (@hono/node-server's `c.env.outgoing`), which writes them with the route's headers,
 * the route's winning, without touching the route's response (why: see
 * lib/defaulting-response.ts). Anywhere else (requests made in-process: the tests, the
 * theme editor's preview; a server of someone else's) they go on the response's
 * `Headers`, with the same precedence.
 */
export function defaultHeaders(c: Context, headers: readonly HeaderPair[]): void {
  const outgoing = nodeResponse(c);
  if (outgoing) {
    outgoing.addDefaults(headers);
    return;
  }
  const own = c.res.headers;
  for (const [name, value] of headers) if (!own.has(name)) own.set(name, value);
}

/**
 * Adds a field to the response's `Vary` (call it after `next()`), after any the route
 * gave itself: routes behind a middleware that varies (the Portal API's CORS) keep theirs.
 */
export function varyOn(c: Context, field: string): void {
  const outgoing = nodeResponse(c);
  if (outgoing) outgoing.addVary(field);
  else c.res.headers.append('Vary', field);
}

/** The portal server's Node response the request arrived on, while its head is still unwritten. */
function nodeResponse(c: Context): DefaultingServerResponse | undefined {
  const outgoing = (c.env as { outgoing?: unknown } | undefined)?.outgoing;
  return outgoing instanceof DefaultingServerResponse && !outgoing.headersSent ? outgoing : undefined;
}
