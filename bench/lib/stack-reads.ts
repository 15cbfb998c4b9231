import { Hono, type Context } from 'hono';
import type { Db } from '../../server/db/types';
import type { Clock } from '../../server/lib/clock';
import { silentLogger } from '../../server/lib/logger';
import { createMetrics } from '../../server/lib/metrics';
import { basicCredentials } from '../../server/middleware/api-auth';
import { errorHandler } from '../../server/middleware/errors';
import { clientIp } from '../../server/middleware/portal';
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
  const metrics = createMetrics();
  const merchant = async (c: Context) => {
    const credentials = basicCredentials(c.req.header('authorization'));
    return (
      credentials && (await authenticateApiCaller(db, { ...credentials, ip: clientIp(c, false) }, clock.now(), metrics))
    );
  };
  return new Hono()
    .get('/api/orders/:orderId', async (c) => {
      const store = await merchant(c);
      if (!store) return c.json({ error: { code: 'unauthorized' } }, 401);
      return c.json(await getOrderView(db, store.id, c.req.param('orderId')));
    })
    .get('/api/orders', async (c) => {
      const store = await merchant(c);
      if (!store) return c.json({ error: { code: 'unauthorized' } }, 401);
      return c.json(await listOrderViews(db, store.id, { accountId: c.req.query('accountId'), limit: 20 }));
    })
    .get('/portal/:storeId/me', async (c) => {
      const store = await findStore(db, c.req.param('storeId'));
      if (!store) return c.json({ error: { code: 'store_not_found' } }, 404);
      const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
      const { account } = await authenticateSession(db, store, token, clock.now());
      return c.json(toPortalAccountView(account));
    })
    .onError(errorHandler(silentLogger));
}
