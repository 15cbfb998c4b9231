import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { serve } from '@hono/node-server';
import { DEMO_SAAS_USER_EMAIL, DEMO_STORE_ID, seedDemo } from '../../demo/seed';
import { createDemoSite } from '../../demo/site/app';
import { startDemoSite } from '../../demo/site/server';
import { findStore } from '../../server/services/stores/stores';
import { createTestContext } from '../helpers/app';

const credentials = { user: 'demo-site-test', password: 'demo-site-password' };
const PORTAL = 'https://portal.test';
const SITE = 'http://127.0.0.1:8788';

/** A portal app in-process with the demo store seeded, and the demo site calling it through `app.request`. */
async function setUp(siteCredentials = credentials) {
  const context = await createTestContext({ config: { publicBaseUrl: PORTAL } });
  await seedDemo(context.deps, credentials);
  const site = createDemoSite({
    portalPublicUrl: PORTAL,
    siteUrl: SITE,
    serverApi: {
      baseUrl: PORTAL,
      credentials: siteCredentials,
      fetch: async (input, init) => context.app.request(input, init),
    },
  });
  return { ...context, site };
}

describe('demo site: SaaS backend route', () => {
  test('GET /api/portal-session returns a pre-authenticated portal URL for the SaaS user', async () => {
    const { app, clock, site } = await setUp();
    const response = await site.request('/api/portal-session');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const body = (await response.json()) as { url: string; expiresAt: string };
    const url = new URL(body.url);
    assert.equal(url.origin + url.pathname, `${PORTAL}/account/${DEMO_STORE_ID}`);
    const token = url.searchParams.get('portal_token');
    assert.ok(token);
    assert.equal(Date.parse(body.expiresAt), clock.now().getTime() + 24 * 3600_000);

    // The URL signs in as the SaaS user, exactly once.
    const redeem = () =>
      app.request(`/portal/${DEMO_STORE_ID}/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token }),
      });
    const session = await redeem();
    assert.equal(session.status, 201);
    assert.equal(((await session.json()) as { account: { email: string } }).account.email, DEMO_SAAS_USER_EMAIL);
    assert.notEqual((await redeem()).status, 201);
  });

  test('GET /api/portal-session issues a new single-use URL on every call', async () => {
    const { site } = await setUp();
    const first = (await (await site.request('/api/portal-session')).json()) as { url: string };
    const second = (await (await site.request('/api/portal-session')).json()) as { url: string };
    assert.notEqual(first.url, second.url);
  });

  test("GET /api/portal-session answers 502 with the portal's reason when the Server API refuses", async () => {
    const { site } = await setUp({ user: credentials.user, password: 'not-the-password' });
    const response = await site.request('/api/portal-session');
    assert.equal(response.status, 502);
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'portal_unavailable');
    assert.doesNotMatch(JSON.stringify(body), /not-the-password/);
  });
});

describe('demo site: the retention offer', () => {
  /** A Server API GET as the demo store. */
  async function serverApi<T>(app: Awaited<ReturnType<typeof setUp>>['app'], path: string): Promise<T> {
    const authorization = `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
    const response = await app.request(path, { headers: { authorization } });
    assert.equal(response.status, 200, path);
    return (await response.json()) as T;
  }

  const subscriptionsOf = async (app: Awaited<ReturnType<typeof setUp>>['app'], email: string) => {
    const { data } = await serverApi<{ data: { id: string }[] }>(app, `/api/accounts?email=${email}`);
    return (
      await serverApi<{ data: { id: string; status: string }[] }>(app, `/api/subscriptions?accountId=${data[0].id}`)
    ).data;
  };

  const pause = (site: Awaited<ReturnType<typeof setUp>>['site'], body: unknown) =>
    site.request('/api/retention/pause', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  test("POST /api/retention/pause pauses the SaaS user's subscription for one period through the Server API", async () => {
    const { app, site } = await setUp();
    const [subscription] = (await subscriptionsOf(app, DEMO_SAAS_USER_EMAIL)).filter((s) => s.status === 'active');
    assert.ok(subscription, 'the demo gives the SaaS user an active subscription');
    const response = await pause(site, { subscriptionId: subscription.id });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const body = (await response.json()) as { subscriptionId: string; pause: { startsAt: string } | null };
    assert.equal(body.subscriptionId, subscription.id);
    const now = await serverApi<{ pause: { startsAt: string; resumesAt: string } | null }>(
      app,
      `/api/subscriptions/${subscription.id}`,
    );
    assert.ok(now.pause, 'the subscription has a scheduled pause');
    assert.equal(body.pause?.startsAt, now.pause.startsAt);
  });

  test("refuses another customer's subscription (404, nothing paused) and a body without an id (422)", async () => {
    const { app, site } = await setUp();
    const [other] = await subscriptionsOf(app, 'ada@example.com');
    const response = await pause(site, { subscriptionId: other.id });
    assert.equal(response.status, 404);
    assert.equal(
      (await serverApi<{ pause: unknown }>(app, `/api/subscriptions/${other.id}`)).pause,
      null,
      "the other customer's subscription is untouched",
    );
    assert.equal((await pause(site, { subscriptionId: 'sub_doesnotexist' })).status, 404);
    assert.equal((await pause(site, {})).status, 422);
  });
});

describe('demo site: pages', () => {
  test("GET / is the shop page embedding the widget from the portal's public URL", async () => {
    const { site } = await setUp();
    const response = await site.request('/');
    assert.equal(response.status, 200);
    const html = await response.text();
    assert.ok(html.includes(`<script type="module" src="${PORTAL}/widget/account-portal.js"></script>`));
    assert.match(html, /<account-portal store="demo"><\/account-portal>/);
    assert.match(html, /ada@example\.com/);
    assert.ok(html.includes(`href="${PORTAL}/dev/outbox"`), 'links to the email outbox');
    assert.match(html, /Northwind Software/);
  });

  test("GET /app is the SaaS dashboard whose panel drives the element's route itself", async () => {
    const { site } = await setUp();
    const response = await site.request('/app');
    assert.equal(response.status, 200);
    const html = await response.text();
    assert.match(html, /Manage subscription/);
    assert.match(html, /<account-portal store="demo" no-hash-routing route="\/orders"><\/account-portal>/);
    assert.ok(html.includes(`<script type="module" src="${PORTAL}/widget/account-portal.js"></script>`));
    assert.match(html, /<script type="module" src="\/assets\/dashboard\.js"><\/script>/);
    assert.match(html, /data-route="\/orders"[^>]*>Orders</);
    assert.match(html, /data-route="\/account"[^>]*>Account</);
    assert.match(html, /data-route="\/subscriptions"[^>]*>Subscription</);
    assert.match(html, /<dialog id="retention"/);
  });

  test("the pages carry no API credentials and no inline script, under a CSP that allows the portal's origin", async () => {
    const { site } = await setUp();
    for (const path of ['/', '/app', '/assets/dashboard.js', '/assets/shop.css', '/assets/dashboard.css']) {
      const response = await site.request(path);
      assert.equal(response.status, 200, path);
      const text = await response.text();
      assert.ok(!text.includes(credentials.password), `${path} leaks the API password`);
      assert.ok(!text.includes(Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')), path);
      if (!path.startsWith('/assets/')) {
        for (const [, attributes] of text.matchAll(/<script\b([^>]*)>/g)) assert.match(attributes, /\ssrc="/, path);
        const csp = response.headers.get('content-security-policy') ?? '';
        assert.match(csp, /script-src 'self' https:\/\/portal\.test(;|$)/);
        assert.match(csp, /connect-src 'self' https:\/\/portal\.test(;|$)/);
        // The card page of "Add a payment method" is framed from the portal.
        assert.match(csp, /frame-src https:\/\/portal\.test(;|$)/);
      }
    }
    const script = await site.request('/assets/dashboard.js');
    assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal((await site.request('/assets/secrets.txt')).status, 404);
  });
});

describe('demo site: on its own port', () => {
  test('startDemoSite serves another origin whose backend reaches the portal over HTTP, and allows that origin', async () => {
    const { app, deps } = await createTestContext({ config: { publicBaseUrl: PORTAL } });
    await seedDemo(deps, credentials);
    const portal = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => portal.once('listening', () => resolve()));
    const portalUrl = `http://127.0.0.1:${(portal.address() as AddressInfo).port}`;
    const site = await startDemoSite({ deps, host: '127.0.0.1', port: 0, portalLocalUrl: portalUrl, credentials });
    try {
      assert.ok(site);
      const origin = new URL(site.url).origin;
      assert.notEqual(origin, portalUrl);
      assert.ok((await findStore(deps.db, DEMO_STORE_ID))?.allowedOrigins.includes(origin));

      const session = await fetch(`${site.url}/api/portal-session`);
      assert.equal(session.status, 200);
      assert.match(((await session.json()) as { url: string }).url, /portal_token=/);

      // The browser's preflight from the demo site's origin to the Portal API is allowed.
      const preflight = await app.request(`/portal/${DEMO_STORE_ID}/config`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      });
      assert.equal(preflight.headers.get('access-control-allow-origin'), origin);
    } finally {
      await site?.close();
      await new Promise<void>((resolve) => portal.close(() => resolve()));
    }
  });

  test('startDemoSite resolves null when its port is taken, so the portal keeps running', async () => {
    const { deps } = await createTestContext();
    const blocker = serve({ fetch: () => new Response('busy'), port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => blocker.once('listening', () => resolve()));
    const port = (blocker.address() as AddressInfo).port;
    const warnings: string[] = [];
    deps.logger = {
      ...deps.logger,
      warn: (message) => {
        warnings.push(message);
      },
    };
    try {
      const site = await startDemoSite({
        deps,
        host: '127.0.0.1',
        port,
        portalLocalUrl: 'http://127.0.0.1:1',
        credentials,
      });
      assert.equal(site, null);
      assert.match(warnings.join('\n'), /demo site could not listen/);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});
