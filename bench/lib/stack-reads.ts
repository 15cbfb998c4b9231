import { Hono, type Context } from 'hono';
import type { z } from '@hono/zod-openapi';
import { useAppWideMiddleware } from '../../server/app';
import type { Db } from '../../server/db/types';
import type { Deps } from '../../server/deps';
import type { Clock } from '../../server/lib/clock';
import { silentLogger } from '../../server/lib/logger';
import { createMetrics, type Metrics } from '../../server/lib/metrics';
import { createTurns } from '../../server/lib/turns';
import { basicCredentials } from '../../server/middleware/api-auth';
import { errorHandler, validationHook } from '../../server/middleware/errors';
import { clientIp, PERSONAL_HEADERS } from '../../server/middleware/portal';
import { defaultHeaders, NO_STORE, varyOn } from '../../server/middleware/response-headers';
import { takeTurns } from '../../server/middleware/turns';
import { storeParam } from '../../server/routes/portal/router';
import { idParam, ofAccountQuery } from '../../server/schemas/common';
import { toPortalAccountView } from '../../server/services/accounts';
import { getOrderView, listOrderViews } from '../../server/services/orders';
import { authenticateApiCaller, authenticateSession } from '../../server/services/sign-in';
import { findStore } from '../../server/services/stores';

/**
 * The stack's floor of the three reads bench:api measures: Hono and Drizzle running
 * the portal's own services and views for them (the Server API's credentials check,
 * the order and the orders of an account as the merchant sees them, the session check
 * and the account as the customer sees it) — and nothing else: one plain route per
 * read, no middleware, no request validation, no OpenAPI routing, no other routes.
 * What the app takes beyond this is what it adds itself: its middleware (request ids,
 * metrics, security headers, limits, turns, CORS), validation and a router of every
 * route. The bodies are the app's (test/server/bench-floor.test.ts); errors answer as
 * the app's do (its error handler runs only when one is thrown).
 */
export function stackReads(db: Db, clock: Clock) {
  return readRoutes(db, clock, createMetrics(), false).onError(errorHandler(silentLogger));
}

/**
 * The stack's floor with the work the portal must do for each of these reads, done
 * with the portal's own code but without the portal's structure: its app-wide
 * middleware (request id, metrics, security headers, URL limit) and turns, the path
 * validated with the portal's schemas, and each API's own headers (`no-store`;
 * the Portal API's personal headers and `Vary: Origin`) — on a router of these three
 * routes, with no middleware per API or per route and no OpenAPI routes. What the
 * portal takes beyond this is its structure's; what this takes beyond the stack is
 * the least that work costs here.
 */
export function layeredReads(deps: Deps) {
  const app = new Hono();
  useAppWideMiddleware(app, deps);
  app.use('*', takeTurns(createTurns()));
  return app.route('/', readRoutes(deps.db, deps.clock, deps.metrics, true)).onError(errorHandler(silentLogger));
}

/** The three routes; `layered`: with the portal's validation and per-API headers. */
function readRoutes(db: Db, clock: Clock, metrics: Metrics, layered: boolean) {
  const merchant = async (c: Context) => {
    const credentials = basicCredentials(c.req.header('authorization'));
    return (
      credentials && (await authenticateApiCaller(db, { ...credentials, ip: clientIp(c, false) }, clock.now(), metrics))
    );
  };
  /** The path or the query as the portal's schema reads it (or its 422); unlayered, as given. */
  const valid = <T extends z.ZodTypeAny>(c: Context, target: 'param' | 'query', schema: T): z.infer<T> | Response => {
    const given = target === 'param' ? c.req.param() : c.req.query();
    if (!layered) return given as z.infer<T>;
    const result = schema.safeParse(given);
    return result.success ? result.data : (validationHook({ ...result, target }, c) as Response);
  };
  return new Hono()
    .get('/api/orders/:orderId', async (c) => {
      const store = await merchant(c);
      if (!store) return c.json({ error: { code: 'unauthorized' } }, 401);
      const path = valid(c, 'param', orderIdParam);
      if (path instanceof Response) return path;
      if (layered) defaultHeaders(c, NO_STORE);
      return c.json(await getOrderView(db, store.id, path.orderId));
    })
    .get('/api/orders', async (c) => {
      const store = await merchant(c);
      if (!store) return c.json({ error: { code: 'unauthorized' } }, 401);
      const query = valid(c, 'query', ofAccountQuery);
      if (query instanceof Response) return query;
      if (layered) defaultHeaders(c, NO_STORE);
      return c.json(await listOrderViews(db, store.id, { ...query, limit: layered ? query.limit : 20 }));
    })
    .get('/portal/:storeId/me', async (c) => {
      const path = valid(c, 'param', storeParam);
      if (path instanceof Response) return path;
      const store = await findStore(db, path.storeId);
      if (!store) return c.json({ error: { code: 'store_not_found' } }, 404);
      if (layered) {
        varyOn(c, 'Origin');
        defaultHeaders(c, PERSONAL_HEADERS);
      }
      const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
      const { account } = await authenticateSession(db, store, token, clock.now());
      return c.json(toPortalAccountView(account));
    });
}

const orderIdParam = idParam('orderId', 'ord');
