import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { Hono } from 'hono';
import { DEMO_CUSTOMER_EMAIL, DEMO_GIFT_RECIPIENT_EMAIL, DEMO_SAAS_USER_ID, seedDemo } from '../../demo/seed';
import { createApp } from '../../server/app';
import type { Db } from '../../server/db/client';
import { createDeps, type Deps } from '../../server/deps';
import { FakeClock } from '../../server/lib/clock';
import { silentLogger } from '../../server/lib/logger';
import { demoFileRoutes } from '../../server/dev/demo-files';
import { basic, openTestDatabase } from '../helpers/app';
import { rowsOf, tableNames } from '../helpers/engine-sql';

const credentials = { user: 'demo', password: 'demo-password' };
const NOW = '2026-01-15T12:00:00.000Z';

let db: Db;
let deps: Deps;
let app: ReturnType<typeof createApp>;

beforeEach(async () => {
  db = await openTestDatabase();
  deps = createDeps({
    db,
    clock: new FakeClock(NOW),
    logger: silentLogger,
    config: { production: false, publicBaseUrl: 'http://127.0.0.1:8787' },
  });
  app = createApp(deps);
});

/** A Server API GET as the demo store; asserts 200 and returns the JSON body. */
async function get(path: string, as = credentials) {
  const response = await app.request(path, { headers: { authorization: basic(as) } });
  assert.equal(response.status, 200, `${path}: ${await response.clone().text()}`);
  return response.json() as Promise<any>;
}

async function rowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of await tableNames(db)) {
    const [{ n }] = await rowsOf<{ n: number | string }>(db, `SELECT count(*) AS n FROM "${name}"`);
    counts[name] = Number(n);
  }
  return counts;
}

describe('seedDemo', () => {
  test('creates accounts with countries, languages and business billing details', async () => {
    assert.deepEqual(await seedDemo(deps, credentials), { created: true });
    const accounts = (await get('/api/accounts?limit=100')).data;
    assert.ok(accounts.length >= 6, `${accounts.length} accounts`);
    assert.ok(accounts.every((a: any) => a.firstName && a.lastName && a.country && a.language));
    assert.ok(accounts.filter((a: any) => a.language === 'de').length >= 2);
    assert.ok(accounts.some(({ billingDetails: b }: any) => b.isBusiness && b.taxId && b.businessName));
    const saas = (await get(`/api/accounts?customUserId=${DEMO_SAAS_USER_ID}`)).data;
    assert.equal(saas.length, 1);
  });

  test('records orders over ~18 months with several items, discounts, taxes and every kind of fulfilment', async () => {
    await seedDemo(deps, credentials);
    const orders = (await get('/api/orders?limit=100')).data;
    assert.ok(orders.length >= 10);
    assert.ok(orders.some((o: any) => o.items.length > 1 && o.discount > 0 && o.tax > 0));
    const oldest = Math.min(...orders.map((o: any) => Date.parse(o.completedAt)));
    assert.ok(Date.parse(NOW) - oldest > 365 * 86_400_000, 'history older than a year');
    const byTime = [...orders].sort((a: any, b: any) => Date.parse(a.completedAt) - Date.parse(b.completedAt));
    assert.deepEqual(
      byTime.map((o: any) => Number(o.invoiceNumber.slice(-6))),
      byTime.map((_: unknown, i: number) => i + 1),
    );
    assert.ok(
      byTime.every((o: any) => o.invoiceNumber.startsWith(`NW-${o.completedAt.slice(0, 4)}-`)),
      'issued when recorded',
    );
    const fulfilments = orders.flatMap((o: any) => o.fulfilments);
    for (const type of ['license_key', 'download', 'instructions']) {
      assert.ok(
        fulfilments.some((f: any) => f.type === type),
        type,
      );
    }
    assert.ok(
      fulfilments
        .filter((f: any) => f.type === 'license_key')
        .every((f: any) => /^[A-Z0-9]+(-[0-9A-Z]{5}){4}$/.test(f.licenseKey)),
    );
  });

  test('has exactly one gift, from the demo customer to another account, with a message', async () => {
    await seedDemo(deps, credentials);
    const gifts = (await get('/api/orders?limit=100')).data.filter((o: any) => o.gift);
    assert.equal(gifts.length, 1);
    const [gift] = gifts;
    assert.notEqual(gift.gift.recipient.accountId, gift.accountId);
    assert.equal(gift.customer.email, DEMO_CUSTOMER_EMAIL);
    assert.equal(gift.gift.recipient.email, DEMO_GIFT_RECIPIENT_EMAIL);
    assert.ok(gift.gift.message.length > 0);
    assert.ok(gift.fulfilments.every((f: any) => f.accountId === gift.gift.recipient.accountId));
  });

  test('offers one plan family in three tiers, monthly and yearly, priced in USD and EUR', async () => {
    await seedDemo(deps, credentials);
    const plans = (await get('/api/products?family=studio')).data;
    assert.equal(plans.length, 6);
    assert.deepEqual(new Set(plans.map((p: any) => p.interval)), new Set(['month', 'year']));
    assert.ok(plans.every((p: any) => p.kind === 'subscription' && p.prices.USD > 0 && p.prices.EUR > 0));
    const oneTime = (await get('/api/products')).data.filter((p: any) => p.kind === 'one_time');
    assert.ok(oneTime.length >= 2);
  });

  test('starts current auto- and manual-renewal subscriptions, monthly and yearly, one with several seats', async () => {
    await seedDemo(deps, credentials);
    const subscriptions = (await get('/api/subscriptions?limit=100')).data;
    assert.ok(subscriptions.some((s: any) => s.autoRenew && s.paymentMethodId));
    assert.ok(subscriptions.some((s: any) => !s.autoRenew && !s.paymentMethodId));
    assert.deepEqual(new Set(subscriptions.map((s: any) => s.product.interval)), new Set(['month', 'year']));
    assert.ok(subscriptions.some((s: any) => s.quantity > 1));
    assert.ok(
      subscriptions.every((s: any) => s.status === 'active' && Date.parse(s.currentPeriodEnd) > Date.parse(NOW)),
    );
  });

  test('saves payment methods with brand and last four, one expired and one expiring this month', async () => {
    await seedDemo(deps, credentials);
    const accounts = (await get('/api/accounts?limit=100')).data;
    const methods = (await Promise.all(accounts.map((a: any) => get(`/api/accounts/${a.id}/payment-methods`)))).flatMap(
      (page) => page.data,
    );
    assert.ok(methods.length >= 3);
    assert.ok(methods.every((m: any) => m.brand && /^\d{4}$/.test(m.last4) && m.expMonth && m.expYear));
    assert.ok(methods.some((m: any) => m.expired));
    assert.ok(methods.some((m: any) => !m.expired && m.expYear === 2026 && m.expMonth === 1));
  });

  test('gives the demo customer a rich history', async () => {
    await seedDemo(deps, credentials);
    const [ada] = (await get(`/api/accounts?email=${DEMO_CUSTOMER_EMAIL}`)).data;
    const orders = (await get(`/api/orders?accountId=${ada.id}`)).data;
    assert.ok(orders.length >= 3);
    const own = orders.filter((o: any) => !o.gift).flatMap((o: any) => o.fulfilments);
    assert.ok(own.some((f: any) => f.type === 'license_key'));
    assert.ok(own.some((f: any) => f.type === 'download'));
    assert.equal((await get(`/api/subscriptions?accountId=${ada.id}`)).data.length, 1);
    assert.equal((await get(`/api/accounts/${ada.id}/payment-methods`)).data.length, 1);
  });

  test('seeding twice creates nothing new', async () => {
    await seedDemo(deps, credentials);
    const before = await rowCounts();
    assert.ok(before.orders > 0 && before.events > 0);
    deps.clock = new FakeClock('2026-03-01T00:00:00.000Z');
    assert.deepEqual(await seedDemo(deps, credentials), { created: false });
    assert.deepEqual(await rowCounts(), before);
  });

  test('changed credentials take effect on an existing demo store', async () => {
    await seedDemo(deps, credentials);
    const changed = { user: 'northwind', password: 'a-new-demo-password' };
    assert.deepEqual(await seedDemo(deps, changed), { created: false });
    const response = await app.request('/api/accounts', { headers: { authorization: basic(credentials) } });
    assert.equal(response.status, 401);
    assert.ok((await get('/api/accounts', changed)).data.length > 0);
    assert.equal((await rowCounts()).stores, 1);
  });

  test('refuses to run in production', async () => {
    deps.config = { ...deps.config, production: true };
    await assert.rejects(async () => await seedDemo(deps, credentials), /never seeded in production/);
    assert.equal((await rowCounts()).stores, 0);
  });
});

describe('GET /demo/files/:name', () => {
  const files = new Hono().route('/demo/files', demoFileRoutes());

  test('serves every download the demo links to as an attachment', async () => {
    await seedDemo(deps, credentials);
    const orders = (await get('/api/orders?limit=100')).data;
    const downloads = orders.flatMap((o: any) => o.fulfilments).filter((f: any) => f.type === 'download');
    const urls = new Set<string>(downloads.map((f: any) => f.downloadUrl));
    assert.ok(urls.size >= 2);
    for (const url of urls) {
      assert.ok(url.startsWith('http://127.0.0.1:8787/demo/files/'), url);
      const response = await files.request(new URL(url).pathname);
      assert.equal(response.status, 200, url);
      const body = new Uint8Array(await response.arrayBuffer());
      assert.equal(body.byteLength, downloads.find((f: any) => f.downloadUrl === url).fileSize);
      assert.ok(body.byteLength > 0 && body.byteLength < 50_000);
      assert.match(response.headers.get('content-disposition') ?? '', /^attachment; filename="[\w.-]+"$/);
      assert.match(response.headers.get('content-type') ?? '', /^(application\/(zip|pdf)|text\/markdown)/);
    }
  });

  test('answers a JSON 404 for unknown names and anything outside the folder', async () => {
    for (const path of [
      'nope.zip',
      '..%2F..%2Fpackage.json',
      '..%5Cseed.ts',
      '.gitignore',
      'files%2Fphoto-toolkit-3.zip',
    ]) {
      const response = await files.request(`/demo/files/${path}`);
      assert.equal(response.status, 404, path);
      assert.equal((await response.json()).error.code, 'not_found');
    }
    // Dot segments are resolved by URL parsing before routing, so they never reach the route at all.
    assert.equal((await files.request('/demo/files/%2E%2E/seed.ts')).status, 404);
  });
});
