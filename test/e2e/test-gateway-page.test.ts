import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { decodeTestToken } from '../../server/payments/test-gateway';
import { createTestContext, type TestContext, type TestStore } from '../helpers/app';
import { launchChromium } from '../helpers/browser';
import { oneTimeOrder } from '../helpers/fixtures';
import { portal, signInByEmail } from '../helpers/portal';

/**
 * The merchant's page: it frames the setup page given in `?src=` (as the widget
 * does) and keeps every message it receives, sizing the frame by the resize messages.
 */
const parentPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Merchant</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>body{margin:0;font:16px system-ui}iframe{display:block;width:100%;height:300px;border:0}</style></head>
<body><iframe id="setup" title="Add a card"></iframe><script>
window.received = [];
window.addEventListener('message', (event) => {
  window.received.push({ origin: event.origin, data: event.data });
  if (event.data && event.data.type === 'ap-payment-method-resize') document.getElementById('setup').style.height = event.data.height + 'px';
});
document.getElementById('setup').addEventListener('load', () => { window.frameLoaded = true; });
document.getElementById('setup').src = new URLSearchParams(location.search).get('src');
</script></body></html>`;

let t: TestContext;
let store: TestStore;
let browser: Browser;
const servers: ServerType[] = [];
let portalOrigin: string;
let merchantOrigin: string;
let strangerOrigin: string;
let session: string;

/** Serves a fetch handler on a free loopback port; returns its origin. */
async function listen(fetch: (request: Request) => Response | Promise<Response>): Promise<string> {
  const server = serve({ fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

before(async () => {
  t = await createTestContext({ now: new Date().toISOString() });
  portalOrigin = await listen(t.app.fetch);
  // The gateway and the CORS/frame policies read the base URL at request time.
  t.deps.config.publicBaseUrl = portalOrigin;
  const merchant = new Hono()
    .get('/parent.html', (c) => c.html(parentPage))
    .get('/favicon.ico', (c) => c.body(null, 204));
  merchantOrigin = await listen(merchant.fetch);
  strangerOrigin = await listen(merchant.fetch);
  store = await t.addStore('e2e', { allowedOrigins: [merchantOrigin] });
  const order = await t.api('POST', '/api/orders', oneTimeOrder(), { store });
  assert.equal(order.status, 201);
  session = (await signInByEmail(t, 'ada@example.com', { store })).token;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

async function newSetupUrl(language = 'en'): Promise<{ setupId: string; url: string }> {
  const response = await portal(t, 'POST', '/payment-methods/setup', { language }, { token: session, store });
  assert.equal(response.status, 201, await response.clone().text());
  return response.json();
}

interface Opened {
  context: BrowserContext;
  page: Page;
  /** Every request any frame made: URL, body and headers, for the "card never leaves" check. */
  requests: string[];
  errors: string[];
}

/** Opens the merchant page (at `origin`) framing the setup page, recording every request through interception. */
async function open(origin: string, setupUrl: string, width = 800): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const requests: string[] = [];
  await context.route('**/*', async (route) => {
    const request = route.request();
    requests.push(
      `${request.method()} ${request.url()} ${request.postData() ?? ''} ${JSON.stringify(await request.allHeaders())}`,
    );
    await route.continue();
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${origin}/parent.html?src=${encodeURIComponent(setupUrl)}`);
  return { context, page, requests, errors };
}

const frameOf = (page: Page) => page.frameLocator('#setup');
const received = (page: Page) =>
  page.evaluate(() => (window as unknown as { received: { origin: string; data: any }[] }).received);

async function waitForMessage(page: Page, type: string) {
  await page.waitForFunction(
    (wanted) =>
      (window as unknown as { received: { data: { type?: string } }[] }).received.some((m) => m.data?.type === wanted),
    type,
    { timeout: 10_000 },
  );
  return (await received(page)).find((m) => m.data?.type === type)!;
}

/**
 * Screenshots the merchant page with the whole frame in view: the viewport grows
 * to the page (a cross-origin frame is painted by its own process, so a
 * full-page capture that resizes on the fly can catch it unpainted), then both
 * documents get two animation frames to paint.
 */
async function screenshot(page: Page, frame: Frame, path: string) {
  const paint = () =>
    new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
  await frame.evaluate(paint);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: page.viewportSize()!.width, height });
  await frame.evaluate(paint);
  await page.evaluate(paint);
  await page.screenshot({ path });
}

describe("the test gateway's setup page in a merchant's iframe", () => {
  test('typing a test card posts a token to the parent that the Portal API saves; the card number goes nowhere', async () => {
    const setup = await newSetupUrl();
    const { context, page, requests, errors } = await open(merchantOrigin, setup.url);
    const frame = frameOf(page);
    await frame.getByLabel('Card number').click();
    await page.keyboard.type('4242 4242 4242 4242');
    await page.keyboard.press('Tab');
    await page.keyboard.type('12/34');
    await page.keyboard.press('Tab');
    await page.keyboard.type('123');
    await page.keyboard.press('Enter');
    const message = await waitForMessage(page, 'ap-payment-method');
    assert.equal(message.origin, portalOrigin);
    assert.deepEqual(
      { ...message.data, token: undefined },
      { type: 'ap-payment-method', setupId: setup.setupId, token: undefined, brand: 'visa', last4: '4242' },
    );
    const body = decodeTestToken(message.data.token);
    assert.deepEqual(body && { ...body, nonce: undefined }, {
      v: 1,
      brand: 'visa',
      last4: '4242',
      expMonth: 12,
      expYear: 2034,
      behaviour: 'succeeds',
      nonce: undefined,
    });
    const saved = await portal(
      t,
      'POST',
      '/payment-methods',
      { setupId: setup.setupId, token: message.data.token },
      { token: session, store },
    );
    assert.equal(saved.status, 201, await saved.clone().text());
    assert.deepEqual(await saved.json().then((m) => [m.brand, m.last4, m.expMonth, m.expYear]), [
      'visa',
      '4242',
      12,
      2034,
    ]);

    assert.ok(
      requests.some((r) => r.includes('/gateway/test/setup.js')),
      "the interception saw the frame's requests",
    );
    for (const request of requests) {
      const squeezed = decodeURIComponent(request.replace(/%(?![0-9a-f]{2})/gi, '%25')).replace(/[\s+-]/g, '');
      assert.ok(!squeezed.includes('4242424242424242'), `no request carries the card number: ${request}`);
    }
    assert.ok((await received(page)).some((m) => m.data?.type === 'ap-payment-method-resize' && m.data.height > 300));
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('checks the card in the browser: errors next to the fields, the first invalid field focused', async () => {
    const { context, page } = await open(merchantOrigin, (await newSetupUrl()).url);
    const frame = frameOf(page);
    await frame.getByRole('button', { name: 'Save card' }).click();
    assert.equal(await frame.locator('#card-number-error').textContent(), 'Enter the card number.');
    assert.equal(await frame.locator('#card-number').getAttribute('aria-invalid'), 'true');
    assert.equal(await frame.locator('#card-number').evaluate((el) => el === document.activeElement), true);
    await frame.getByLabel('Card number').fill('4242 4242 4242 4241');
    await frame.getByLabel('Expiry date').fill('01/20');
    await frame.getByLabel('Security code').fill('12');
    await frame.getByRole('button', { name: 'Save card' }).click();
    assert.equal(
      await frame.locator('#card-number-error').textContent(),
      'This card number is not valid. Please check it.',
    );
    assert.equal(
      await frame.locator('#card-expiry-error').textContent(),
      'This card has expired. Please use another card.',
    );
    assert.equal(await frame.locator('#card-cvc-error').textContent(), 'The security code is 3 digits.');
    await frame.getByLabel('Card number').fill('3782 822463 10005');
    await frame.getByLabel('Expiry date').fill('0130');
    await frame.getByLabel('Security code').fill('123');
    await frame.getByRole('button', { name: 'Save card' }).click();
    assert.equal(await frame.locator('#card-cvc-error').textContent(), 'The security code is 4 digits.');
    assert.equal(await frame.locator('#card-expiry').inputValue(), '01/30');
    assert.ok(!(await received(page)).some((m) => m.data?.type === 'ap-payment-method'), 'nothing was posted');
    await context.close();
  });

  test('a declined test card: the Portal API answers 402, the parent passes the message back, the frame shows it', async () => {
    const setup = await newSetupUrl();
    const { context, page } = await open(merchantOrigin, setup.url);
    const frame = frameOf(page);
    await frame.getByRole('button', { name: /^Use Visa 4000 0000 0000 0002$/ }).click();
    await frame.getByLabel('Expiry date').fill('08/31');
    await frame.getByLabel('Security code').fill('999');
    await frame.getByRole('button', { name: 'Save card' }).click();
    const message = await waitForMessage(page, 'ap-payment-method');
    assert.equal(decodeTestToken(message.data.token)?.behaviour, 'declined_at_setup');
    const refused = await portal(
      t,
      'POST',
      '/payment-methods',
      { setupId: setup.setupId, token: message.data.token },
      { token: session, store },
    );
    assert.equal(refused.status, 402);
    const { error } = await refused.json();
    assert.equal(error.details.declineCode, 'card_declined');
    await page.evaluate(
      ([setupId, text, origin]) =>
        (document.getElementById('setup') as HTMLIFrameElement).contentWindow!.postMessage(
          { type: 'ap-payment-method-error', setupId, message: text },
          origin,
        ),
      [setup.setupId, error.message, portalOrigin],
    );
    await frame.getByRole('alert').filter({ hasText: error.message }).waitFor();
    await frame.getByRole('button', { name: 'Cancel' }).click();
    const cancel = await waitForMessage(page, 'ap-payment-method-cancel');
    assert.deepEqual(cancel.data, { type: 'ap-payment-method-cancel', setupId: setup.setupId });
    await context.close();
  });

  test('a parent origin the store does not allow cannot frame the page and receives nothing', async () => {
    const setup = await newSetupUrl();
    const logs: string[] = [];
    const { context, page } = await open(strangerOrigin, 'about:blank');
    page.on('console', (message) => logs.push(message.text()));
    // Even a forged `parent` naming an allowed origin changes nothing: the browser checks the real ancestor.
    await page.goto(
      `${strangerOrigin}/parent.html?src=${encodeURIComponent(`${setup.url}&parent=${encodeURIComponent(merchantOrigin)}`)}`,
    );
    await page.waitForFunction(() => (window as unknown as { frameLoaded?: boolean }).frameLoaded);
    assert.equal(await frameOf(page).locator('#card-number').count(), 0, 'the frame shows no form');
    assert.ok(
      logs.some((text) => text.includes('frame-ancestors')),
      `blocked by frame-ancestors: ${logs.join(' | ')}`,
    );
    assert.deepEqual(await received(page), []);
    await context.close();
  });

  test('fits 320 px without scrolling sideways; screenshots at 375 and 800 px in English and German', async () => {
    const shots: string[] = [];
    for (const language of ['en', 'de']) {
      for (const width of [320, 375, 800]) {
        const { context, page } = await open(merchantOrigin, (await newSetupUrl(language)).url, width);
        const frame = page.frame({ url: /\/gateway\/test\/setup\// })!;
        await frame.locator('#card-number').waitFor();
        await waitForMessage(page, 'ap-payment-method-resize');
        assert.ok(
          await frame.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
          `no sideways scroll at ${width}px (${language})`,
        );
        if (width !== 320) {
          const path = `/tmp/test-gateway-${language}-${width}.png`;
          await screenshot(page, frame, path);
          await frame.getByRole('button', { name: language === 'en' ? 'Save card' : 'Karte speichern' }).click();
          const errorsPath = `/tmp/test-gateway-${language}-${width}-errors.png`;
          await screenshot(page, frame, errorsPath);
          shots.push(path, errorsPath);
        }
        await context.close();
      }
    }
    assert.equal(shots.length, 8);
  });
});
