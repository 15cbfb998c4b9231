import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { Browser, Page } from 'playwright-core';
import { createTestContext, type TestContext, type TestStore } from '../helpers/app';
import { launchChromium } from '../helpers/browser';
import { fakeStripeEnv, startFakeStripe, type FakeStripe } from '../helpers/fake-stripe';
import { oneTimeOrder } from '../helpers/fixtures';
import { portal, signInByEmail } from '../helpers/portal';

/** The merchant's page: frames the setup page from `?src=` as the widget does and keeps every message. */
const parentPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Merchant</title></head>
<body><iframe id="setup" title="Add a card" style="width:100%;height:600px;border:0"></iframe><script>
window.received = [];
window.addEventListener('message', (event) => window.received.push({ origin: event.origin, data: event.data }));
document.getElementById('setup').src = new URLSearchParams(location.search).get('src');
</script></body></html>`;

let t: TestContext;
let store: TestStore;
let fake: FakeStripe;
let browser: Browser;
let server: ServerType;
let merchant: ServerType;
let portalOrigin: string;
let merchantOrigin: string;
let session: string;

async function listen(fetch: (request: Request) => Response | Promise<Response>): Promise<[ServerType, string]> {
  const running = serve({ fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => running.once('listening', () => resolve()));
  return [running, `http://127.0.0.1:${(running.address() as AddressInfo).port}`];
}

before(async () => {
  fake = await startFakeStripe();
  t = await createTestContext({ now: new Date().toISOString(), stripe: fakeStripeEnv(fake) });
  [server, portalOrigin] = await listen(t.app.fetch);
  t.deps.config.publicBaseUrl = portalOrigin;
  [merchant, merchantOrigin] = await listen(new Hono().get('/parent.html', (c) => c.html(parentPage)).fetch);
  store = await t.addStore('e2e', { allowedOrigins: [merchantOrigin] });
  assert.equal((await t.api('POST', '/api/orders', oneTimeOrder(), { store })).status, 201);
  session = (await signInByEmail(t, 'ada@example.com', { store })).token;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await Promise.all([server, merchant].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  await fake.close();
});

async function openSetup(): Promise<{ page: Page; setupId: string; requests: string[] }> {
  const response = await portal(t, 'POST', '/payment-methods/setup', {}, { token: session, store });
  assert.equal(response.status, 201, await response.clone().text());
  const setup = (await response.json()) as { setupId: string; url: string };
  const context = await browser.newContext();
  const requests: string[] = [];
  context.on('request', (request) => requests.push(`${request.url()} ${request.postData() ?? ''}`));
  const page = await context.newPage();
  await page.goto(`${merchantOrigin}/parent.html?src=${encodeURIComponent(setup.url)}`);
  return { page, setupId: setup.setupId, requests };
}

async function waitForMessage(page: Page, type: string) {
  await page.waitForFunction((wanted) => (window as any).received.some((m: any) => m.data?.type === wanted), type, {
    timeout: 10_000,
  });
  return ((await page.evaluate(() => (window as any).received)) as { origin: string; data: any }[]).find(
    (m) => m.data?.type === type,
  )!;
}

async function typeCard(page: Page, number: string) {
  const frame = page.frameLocator('#setup');
  await frame.getByLabel('Card number').fill(number);
  await frame.getByLabel('Expiry').fill('12 / 34');
  await frame.getByLabel('CVC').fill('123');
  await frame.getByRole('button', { name: 'Save payment method' }).click();
  return frame;
}

describe("the Stripe setup page in a merchant's iframe (stand-in Stripe.js)", () => {
  test('a card confirmed with Stripe posts its pm_ id to the parent; the portal server never sees the card number', async () => {
    const { page, setupId, requests } = await openSetup();
    await typeCard(page, '4242 4242 4242 4242');
    const message = await waitForMessage(page, 'ap-payment-method');
    assert.equal(message.origin, portalOrigin);
    assert.match(message.data.token, /^pm_/);
    assert.equal(message.data.setupId, setupId);
    const saved = await portal(
      t,
      'POST',
      '/payment-methods',
      { setupId, token: message.data.token },
      { token: session, store },
    );
    assert.equal(saved.status, 201, await saved.clone().text());
    const toPortal = requests.filter((r) => r.startsWith(portalOrigin));
    assert.ok(toPortal.length > 0);
    assert.ok(
      toPortal.every((r) => !r.replace(/\D/g, '').includes('4242424242424242')),
      'no request to the portal carries the card',
    );
    await page.context().close();
  });

  test('a card that asks for 3-D Secure at setup shows the challenge; completing it saves the card', async () => {
    const { page, setupId } = await openSetup();
    const frame = await typeCard(page, '4000 0025 0000 3155');
    await frame.getByRole('button', { name: 'Complete' }).click();
    const message = await waitForMessage(page, 'ap-payment-method');
    const saved = await portal(
      t,
      'POST',
      '/payment-methods',
      { setupId, token: message.data.token },
      { token: session, store },
    );
    assert.equal(saved.status, 201);
    await page.context().close();
  });

  test("a declined card shows Stripe's message in the page and posts nothing", async () => {
    const { page } = await openSetup();
    const frame = await typeCard(page, '4000 0000 0000 0002');
    await frame.getByRole('alert').filter({ hasText: 'Your card was declined.' }).waitFor({ timeout: 10_000 });
    assert.ok(
      !((await page.evaluate(() => (window as any).received)) as any[]).some(
        (m) => m.data?.type === 'ap-payment-method',
      ),
    );
    await page.context().close();
  });
});
