import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { Browser, Page } from 'playwright-core';
import { widgetAssetRoutes, widgetBundlePath } from '../../server/routes/widget-assets';
import { ensureWidgetBundle } from '../../server/widget-build';
import { createTestContext, json, type TestContext } from '../helpers/app';
import { launchChromium } from '../helpers/browser';

/** A page that loads the bundle twice under two URLs (two module instances), as two embeds on one page would. */
/**
 * A page that has the widget in its own code, as a bundler would put it: the built files
 * under /assets/ (not the portal's /widget/), with `api-base` from the query when given.
 */
const bundledPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bundled</title>
<script type="module" src="/assets/account-portal.js"></script>
<script type="module" src="/assets/set-api-base.js"></script>
</head><body><account-portal store="shop"></account-portal></body></html>`;
const setApiBase = `const base = new URL(location.href).searchParams.get('api-base');
if (base) document.querySelector('account-portal').setAttribute('api-base', base);`;

const twicePage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Twice</title>
<script type="module" src="/widget/account-portal.js"></script>
<script type="module" src="/widget/account-portal.js?copy=2"></script>
</head><body><account-portal store="shop"></account-portal></body></html>`;

let browser: Browser;
let context: TestContext;
let server: ServerType;
let baseUrl: string;

before(async () => {
  // Builds only when dist/ is missing or older than widget/ (the same check as `npm start`).
  await ensureWidgetBundle({ logger: { info() {}, warn: console.warn, error: console.error } });
  assert.ok(existsSync(widgetBundlePath), 'the widget bundle could not be built');
  context = await createTestContext();
  const site = new Hono()
    .get('/twice.html', (c) => c.html(twicePage))
    .get('/favicon.ico', (c) => c.body(null, 204))
    .get('/bundled.html', (c) => c.html(bundledPage))
    .get('/assets/set-api-base.js', (c) => c.body(setApiBase, 200, { 'content-type': 'text/javascript' }))
    .route('/assets', widgetAssetRoutes())
    .route('/', context.app);
  server = serve({ fetch: site.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Links the server makes (the card page's URL among them) point at where it really listens.
  context.deps.config.publicBaseUrl = baseUrl;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

/** Records every CSP violation the page reports, shadow DOM included (the event is composed). */
const VIOLATIONS = `window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI), true);`;

/** Console errors and warnings, page errors and CSP violations (Chromium reports these as console errors). */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`${message.type()}: ${message.text()}`);
  });
  return problems;
}

/**
 * A merchant's page on another origin with the given CSP, embedding the widget from the
 * portal with a pre-authenticated URL for a new customer of a store that allows the origin.
 */
async function merchantSite(policy: (portalOrigin: string) => string) {
  let html = '';
  const site = new Hono()
    .get('/', (c) => {
      c.header('Content-Security-Policy', policy(baseUrl));
      return c.html(html);
    })
    .get('/favicon.ico', (c) => c.body(null, 204));
  const merchant = serve({ fetch: site.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => merchant.once('listening', () => resolve()));
  const origin = `http://127.0.0.1:${(merchant.address() as AddressInfo).port}`;
  const store = await context.addStore(`m${Math.random().toString(36).slice(2, 8)}`, { allowedOrigins: [origin] });
  const created = await context.api(
    'POST',
    '/api/accounts',
    { email: `${store.id}@example.com`, firstName: 'Ada' },
    { store },
  );
  assert.equal(created.status, 201);
  const { id } = (await json(created)) as { id: string };
  const link = await context.api('GET', `/api/accounts/${id}/authenticate`, undefined, { store });
  assert.equal(link.status, 200);
  const { url } = (await json(link)) as { url: string };
  html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Merchant</title>
<script type="module" src="${baseUrl}/widget/account-portal.js"></script></head>
<body><account-portal store="${store.id}" auth-url="${url}"></account-portal></body></html>`;
  return { url: `${origin}/`, close: () => new Promise<void>((resolve) => merchant.close(() => resolve())) };
}

describe('dist/account-portal.js', () => {
  test('loading the bundle twice on one page is harmless: one definition, no errors, a working element', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`${message.type()}: ${message.text()}`);
    });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(new URL(request.url()).pathname + new URL(request.url()).search));
    await page.goto(`${baseUrl}/twice.html`);
    // Both module instances ran (the second found every tag defined and left it alone), and the
    // element works: it loaded the store's config and shows the sign-in form.
    await page.waitForFunction(
      () =>
        document
          .querySelector('account-portal')
          ?.shadowRoot?.querySelector('ap-sign-in')
          ?.shadowRoot?.querySelector('input[type="email"]'),
      undefined,
      { timeout: 10_000 },
    );
    const defined = await page.evaluate(() => ({
      portal: customElements.get('account-portal') !== undefined,
      signIn: customElements.get('ap-sign-in') !== undefined,
      upgraded: document.querySelector('account-portal')?.shadowRoot !== null,
    }));
    assert.deepEqual(defined, { portal: true, signIn: true, upgraded: true });
    assert.ok(requests.includes('/widget/account-portal.js'));
    assert.ok(requests.includes('/widget/account-portal.js?copy=2'));
    // A third copy imported later (say, by a lazily loaded part of the host app) changes nothing either.
    await page.evaluate(async (url) => {
      await import(url);
    }, '/widget/account-portal.js?copy=3');
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('the entry imports nothing statically: the sign-in screen needs the entry and the translations chunk beside it, and Lit runs in production mode', async () => {
    const page = await browser.newPage();
    const scripts: string[] = [];
    const logs: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(request.url());
    });
    page.on('console', (message) => logs.push(message.text()));
    await page.goto(`${baseUrl}/twice.html`);
    await page.waitForFunction(
      () =>
        document
          .querySelector('account-portal')
          ?.shadowRoot?.querySelector('ap-sign-in')
          ?.shadowRoot?.querySelector('input[type="email"]'),
      undefined,
      { timeout: 10_000 },
    );
    const paths = scripts.map((url) => new URL(url).pathname);
    // Both copies import the one chunk by the same relative URL, so it is fetched once.
    assert.deepEqual(
      paths.filter((path) => path === '/widget/account-portal.js'),
      ['/widget/account-portal.js', '/widget/account-portal.js'],
    );
    assert.deepEqual(
      paths
        .filter((path) => path !== '/widget/account-portal.js')
        .map((path) => path.replace(/-[\w-]{8}\.js$/, '-{hash}.js')),
      ['/widget/chunks/localizer-{hash}.js'],
    );
    assert.ok(!logs.some((text) => /dev mode/i.test(text)), 'Lit must not run in development mode');
    await page.close();
  });

  test("on a merchant's origin under a strict CSP, each tab's chunk loads compressed from the portal beside the entry, with no violation or error", async () => {
    const merchant = await merchantSite((portal) =>
      [
        "default-src 'none'",
        `script-src ${portal}`,
        `connect-src ${portal}`,
        `frame-src ${portal}`,
        `img-src ${portal} data:`,
        "style-src 'self'",
        "base-uri 'none'",
      ].join('; '),
    );
    try {
      const page = await browser.newPage();
      const problems = watchProblems(page);
      await page.addInitScript({ content: VIOLATIONS });
      const chunks: { url: string; encoding: string | undefined; cache: string | undefined }[] = [];
      page.on('response', (response) => {
        if (new URL(response.url()).pathname.startsWith('/widget/chunks/')) {
          chunks.push({
            url: response.url(),
            encoding: response.headers()['content-encoding'],
            cache: response.headers()['cache-control'],
          });
        }
      });
      await page.goto(merchant.url);
      await page.getByRole('tab', { name: 'Orders' }).waitFor({ timeout: 10_000 });
      for (const [tab, tag] of [
        ['Subscriptions', 'ap-subscriptions'],
        ['Payment methods', 'ap-payment-methods'],
        ['Account', 'ap-account-form'],
      ]) {
        await page.getByRole('tab', { name: tab }).click();
        await page.waitForFunction(
          (name) =>
            customElements.get(name) &&
            document.querySelector('account-portal')?.shadowRoot?.querySelector(name)?.shadowRoot?.childElementCount,
          tag,
          { timeout: 10_000 },
        );
      }
      assert.ok(chunks.length >= 4, `chunks loaded: ${chunks.map((c) => c.url).join(', ')}`);
      for (const chunk of chunks) {
        assert.equal(new URL(chunk.url).origin, baseUrl, 'chunks come from where the entry came from');
        assert.equal(chunk.encoding, 'br');
        assert.equal(chunk.cache, 'public, max-age=31536000, immutable');
      }
      assert.deepEqual(problems, []);
      assert.deepEqual(await page.evaluate('window.__violations'), []);
      await page.close();
    } finally {
      await merchant.close();
    }
  });

  test('the add-card dialog opens under a strict CSP without any violation (no style attribute on its frame)', async () => {
    const merchant = await merchantSite((portal) =>
      [
        "default-src 'none'",
        `script-src ${portal}`,
        `connect-src ${portal}`,
        `frame-src ${portal}`,
        `img-src ${portal} data:`,
        "style-src 'self'",
        "base-uri 'none'",
      ].join('; '),
    );
    try {
      const page = await browser.newPage();
      const problems = watchProblems(page);
      await page.addInitScript({ content: VIOLATIONS });
      await page.goto(merchant.url);
      await page.getByRole('tab', { name: 'Payment methods' }).click();
      await page.getByRole('button', { name: 'Add a payment method' }).first().click();
      const frame = page.frameLocator('account-portal >> iframe[part~="frame"]');
      await frame.locator('body').waitFor({ timeout: 10_000 });
      // The page reported its height, which the widget applied through the CSSOM.
      await page.waitForFunction(
        () =>
          document
            .querySelector('account-portal')
            ?.shadowRoot?.querySelector('ap-payment-methods')
            ?.shadowRoot?.querySelector('ap-payment-method-setup')
            ?.shadowRoot?.querySelector('iframe')
            ?.style.height.endsWith('px'),
        undefined,
        { timeout: 10_000 },
      );
      assert.deepEqual(problems, []);
      assert.deepEqual(await page.evaluate('window.__violations'), []);
      await page.close();
    } finally {
      await merchant.close();
    }
  });

  test("when the page's CSP refuses the card frame (no frame-src), the add-card dialog tells the customer", async () => {
    const merchant = await merchantSite((portal) =>
      [`script-src ${portal}`, `connect-src ${portal}`, "default-src 'self'"].join('; '),
    );
    try {
      const page = await browser.newPage();
      const events: string[] = [];
      await page.exposeFunction('noteEvent', (code: string) => events.push(code));
      await page.goto(merchant.url);
      await page.evaluate(() =>
        document
          .querySelector('account-portal')!
          .addEventListener('ap-error', (event) =>
            (window as unknown as { noteEvent(code: string): void }).noteEvent(
              (event as Event & { code: string }).code,
            ),
          ),
      );
      await page.getByRole('tab', { name: 'Payment methods' }).click();
      await page.getByRole('button', { name: 'Add a payment method' }).first().click();
      await page
        .getByRole('alert')
        .filter({ hasText: "The secure card form couldn't be loaded" })
        .waitFor({ timeout: 15_000 });
      await page.getByRole('button', { name: 'Start again' }).waitFor();
      assert.ok(events.includes('card_frame_failed'), events.join(', '));
      await page.close();
    } finally {
      await merchant.close();
    }
  });

  test("bundled into a page's own code without api-base, the widget says so in the console and on screen and calls no API", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    const apiCalls: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/portal/')) apiCalls.push(request.url());
    });
    await page.goto(`${baseUrl}/bundled.html`);
    await page.getByRole('alert').filter({ hasText: 'set api-base' }).waitFor({ timeout: 10_000 });
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0], /set the api-base attribute to your portal server's URL/);
    assert.match(errors[0], /\/assets\/account-portal\.js/);
    assert.deepEqual(apiCalls, []);

    // With api-base the same copy works.
    await page.goto(`${baseUrl}/bundled.html?api-base=${encodeURIComponent(baseUrl)}`);
    await page.waitForFunction(
      () =>
        document
          .querySelector('account-portal')
          ?.shadowRoot?.querySelector('ap-sign-in')
          ?.shadowRoot?.querySelector('input[type="email"]'),
      undefined,
      { timeout: 10_000 },
    );
    await page.close();
  });
});
