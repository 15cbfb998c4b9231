import { getRequestListener } from '@hono/node-server';
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { createApp } from '../../../server/app';
import { openDatabase } from '../../../server/db/client';
import { sessions } from '../../../server/db/schema';
import { createDeps, createServerDeps } from '../../../server/deps';
import { createDevelopment } from '../../../server/dev';
import { hashSecret, randomSecret } from '../../../server/lib/crypto';
import { systemClock } from '../../../server/lib/clock';
import { silentLogger } from '../../../server/lib/logger';
import { createLoginLinkWorker } from '../../../server/services/sign-in';
import { createStore } from '../../../server/services/stores/stores';
import { runRenewals } from '../../../server/services/billing/renewals/run';
import { fakeStripeEnv, startFakeStripe } from '../../helpers/fake-stripe';

/**
 * The real Portal API for the browser tests, mounted as @web/test-runner middleware:
 * `/portal`, `/api`, `/dev`, `/widget/i18n`, `/downloads` and `/gateway` (the test gateway's card page) go to the Hono app
 * (over a fresh in-memory database), and `/__test` holds a few controls the tests
 * need and no real client could have (new stores, ending a session early).
 */
/**
 * Sends the request as if from an address of its test page's own (derived from the
 * runner's `wtr-session-id` in the Referer), so that the per-address sign-in limits
 * count one test file's sign-ins, not those of the whole suite.
 */
function actAsOwnAddress(req: IncomingMessage): void {
  const session = /[?&]wtr-session-id=([^&#]+)/.exec(req.headers.referer ?? '')?.[1];
  if (!session || req.headers['x-forwarded-for']) return;
  const hash = createHash('sha256').update(session).digest();
  const address = `10.${hash[0]}.${hash[1]}.${hash[2]}`;
  req.headers['x-forwarded-for'] = address;
  req.rawHeaders.push('X-Forwarded-For', address);
}

/**
 * A second Portal API with the Stripe gateway against a fake Stripe API of its own,
 * mounted at `/stripe-portal/` (an `api-base` for the widget), for the tests of the
 * payments a bank holds for 3-D Secure: the widget loads the fake's Stripe.js
 * stand-in and shows its challenge. Its controls are under `/__test/stripe/`.
 */
async function createStripePortal(port: number) {
  const fake = await startFakeStripe();
  const deps = await createServerDeps({
    db: openDatabase(':memory:'),
    clock: systemClock,
    logger: silentLogger,
    stripe: fakeStripeEnv(fake),
    config: { production: false, publicBaseUrl: `http://localhost:${port}${STRIPE_PREFIX}`, trustProxy: true },
  });
  const app = createApp(deps);
  const controls = new Hono()
    .post('/__test/stripe/stores', async (c) => {
      const id = `s-${randomSecret(6)
        .toLowerCase()
        .replace(/[^a-z0-9]/g, 'x')}`;
      const { credentials } = await createStore(deps.db, deps.clock, { id, name: 'Northwind Stripe Shop' });
      const auth = `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
      return c.json({ id, auth, base: STRIPE_PREFIX, stripeUrl: fake.url });
    })
    .post('/__test/stripe/renewals', async (c) => c.json(await runRenewals(deps)));
  return { fake, deps, app, controls };
}

/** Where the Stripe-backed Portal API is mounted in the test runner's server. */
const STRIPE_PREFIX = '/stripe-portal';

export async function createWidgetTestServer(port: number) {
  const stripe = await createStripePortal(port);
  const deps = createDeps({
    db: openDatabase(':memory:'),
    clock: systemClock,
    logger: silentLogger,
    // Behind a "proxy": the middleware below gives each test page an address of its own.
    config: { production: false, publicBaseUrl: `http://localhost:${port}`, trustProxy: true },
  });
  const app = createApp(deps, { development: createDevelopment(deps, { host: 'localhost' }) });
  // Login-link requests are answered in the background, as in the server process; often, so tests wait little.
  createLoginLinkWorker(deps, { pollIntervalMs: 50 }).start();
  const controls = new Hono()
    .post('/__test/stores', async (c) => {
      const body = (await c.req.json().catch(() => ({}))) as { settings?: Record<string, unknown> };
      const id = `t-${randomSecret(6)
        .toLowerCase()
        .replace(/[^a-z0-9]/g, 'x')}`;
      const { credentials } = await createStore(deps.db, deps.clock, {
        id,
        name: 'Northwind Test Shop',
        settings: body.settings,
      });
      return c.json({
        id,
        auth: `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`,
      });
    })
    .post('/__test/sessions/expire', async (c) => {
      const { token } = (await c.req.json()) as { token: string };
      const past = new Date(Date.now() - 1000);
      await deps.db
        .update(sessions)
        .set({ idleExpiresAt: past, lastSeenAt: past })
        .where(eq(sessions.tokenHash, hashSecret(token)));
      return c.body(null, 204);
    });
  const handleApp = getRequestListener(app.fetch);
  const handleControls = getRequestListener(new Hono().route('/', stripe.controls).route('/', controls).fetch);
  const handleStripeApp = getRequestListener(stripe.app.fetch);
  const appPrefixes = ['/portal/', '/api/', '/dev/', '/widget/i18n/', '/downloads/', '/demo/files/', '/gateway/'];

  return {
    deps,
    /** Koa middleware for @web/dev-server. */
    async middleware(ctx: { path: string; req: never; res: never; respond: boolean }, next: () => Promise<void>) {
      if (ctx.path.startsWith(`${STRIPE_PREFIX}/`)) {
        const req = ctx.req as unknown as IncomingMessage;
        req.url = req.url!.slice(STRIPE_PREFIX.length);
        actAsOwnAddress(req);
        ctx.respond = false;
        return handleStripeApp(ctx.req, ctx.res);
      }
      const handler = ctx.path.startsWith('/__test/')
        ? handleControls
        : appPrefixes.some((prefix) => ctx.path.startsWith(prefix))
          ? handleApp
          : undefined;
      if (!handler) return next();
      actAsOwnAddress(ctx.req as unknown as IncomingMessage);
      ctx.respond = false;
      await handler(ctx.req, ctx.res);
    },
  };
}
