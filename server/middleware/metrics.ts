import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { UNKNOWN_ROUTE, UNMATCHED_ROUTE, type Metrics } from '../lib/metrics';

type UnmatchedEnv = { Variables: { unmatched: true } };

/** Marks a request that no route matched (the app's not-found handler calls it). */
export const markUnmatched = (c: Context) => (c as Context<UnmatchedEnv>).set('unmatched', true);

/**
 * The route pattern that answered the request, such as `/api/orders/:id` — never the
 * URL itself, so ids and tokens in paths never become labels or log fields; a
 * middleware that answered on its own (a refused credential) gives its pattern
 * (`/api/*`), a request no route matched {@link UNMATCHED_ROUTE}.
 */
export function routeOf(c: Context): string {
  if ((c as Context<UnmatchedEnv>).get('unmatched')) return UNMATCHED_ROUTE;
  try {
    return routePath(c);
  } catch {
    // No match result of this Hono's: the app mounted in an application built on another copy of
    // Hono (its CommonJS build, say). A label is not worth failing the request, nor its error log.
    return UNKNOWN_ROUTE;
  }
}

/** Counts and times every request, by method, route pattern and status: one `inc` and one `observe` each. */
export function measureRequests(metrics: Metrics): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    metrics.requestServed(c.req.method, routeOf(c), c.res.status, (performance.now() - started) / 1000);
  };
}
