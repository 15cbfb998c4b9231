import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { UNMATCHED_ROUTE, type Metrics } from '../lib/metrics';

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
  return (c as Context<UnmatchedEnv>).get('unmatched') ? UNMATCHED_ROUTE : routePath(c);
}

/** Counts and times every request, by method, route pattern and status: one `inc` and one `observe` each. */
export function measureRequests(metrics: Metrics): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    metrics.requestServed(c.req.method, routeOf(c), c.res.status, (performance.now() - started) / 1000);
  };
}
