import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../lib/logger';
import { routeOf } from './metrics';
import { requestIdOf } from './request-id';

/**
 * Logs one line per request once it is answered (`LOG_REQUESTS`): method, route
 * pattern, status, milliseconds and request id. Never the URL (its query may hold a
 * sign-in token), headers or body.
 */
export function logRequests(logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    logger.info('request', {
      method: c.req.method,
      route: routeOf(c),
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      requestId: requestIdOf(c),
    });
  };
}
