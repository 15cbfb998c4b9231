import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { Browser } from 'playwright-core';
import { widgetBundlePath } from '../../server/routes/widget-assets';
import { ensureWidgetBundle } from '../../server/widget-build';
import { createTestContext } from '../helpers/app';
import { launchChromium } from '../helpers/browser';

/** A page that loads the bundle twice under two URLs (two module instances), as two embeds on one page would. */
const twicePage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Twice</title>
<script type="module" src="/widget/account-portal.js"></script>
<script type="module" src="/widget/account-portal.js?copy=2"></script>
</head><body><account-portal store="shop"></account-portal></body></html>`;

let browser: Browser;
let server: ServerType;
let baseUrl: string;

before(async () => {
  // Builds only when dist/ is missing or older than widget/ (the same check as `npm start`).
  await ensureWidgetBundle({ logger: { info() {}, warn: console.warn, error: console.error } });
  assert.ok(existsSync(widgetBundlePath), 'the widget bundle could not be built');
  const { app } = createTestContext();
  const site = new Hono().get('/twice.html', (c) => c.html(twicePage)).get('/favicon.ico', (c) => c.body(null, 204))
    .route('/', app);
  server = serve({ fetch: site.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

describe('dist/account-portal.js', () => {
  test('loading the bundle twice on one page is harmless: one definition, no errors, a working element', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
    });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(new URL(request.url()).pathname + new URL(request.url()).search));
    await page.goto(`${baseUrl}/twice.html`);
    // Both module instances ran (the second found every tag defined and left it alone), and the
    // element works: it loaded the store's config and shows the sign-in form.
    await page.waitForFunction(() => document.querySelector('account-portal')?.shadowRoot
      ?.querySelector('ap-sign-in')?.shadowRoot?.querySelector('input[type="email"]'), undefined, { timeout: 10_000 });
    const defined = await page.evaluate(() => ({
      portal: customElements.get('account-portal') !== undefined,
      signIn: customElements.get('ap-sign-in') !== undefined,
      upgraded: document.querySelector('account-portal')?.shadowRoot !== null,
    }));
    assert.deepEqual(defined, { portal: true, signIn: true, upgraded: true });
    assert.ok(requests.includes('/widget/account-portal.js'));
    assert.ok(requests.includes('/widget/account-portal.js?copy=2'));
    // A third copy imported later (say, by a lazily loaded part of the host app) changes nothing either.
    await page.evaluate(async (url) => { await import(url); }, '/widget/account-portal.js?copy=3');
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('the bundle is one self-contained module: it imports nothing and Lit runs in production mode', async () => {
    const page = await browser.newPage();
    const scripts: string[] = [];
    const logs: string[] = [];
    page.on('request', (request) => { if (request.resourceType() === 'script') scripts.push(request.url()); });
    page.on('console', (message) => logs.push(message.text()));
    await page.goto(`${baseUrl}/twice.html`);
    await page.waitForFunction(() => document.querySelector('account-portal')?.shadowRoot?.childElementCount);
    assert.deepEqual(scripts.map((url) => new URL(url).pathname), ['/widget/account-portal.js', '/widget/account-portal.js']);
    assert.ok(!logs.some((text) => /dev mode/i.test(text)), 'Lit must not run in development mode');
    await page.close();
  });
});
