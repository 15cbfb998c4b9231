import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { createApp } from '../../server/app';
import { createDevelopment } from '../../server/dev';
import { defaultTheme, themeColourSchemes } from '../../server/lib/theme';
import { createTestContext } from '../helpers/app';

/** The CSP's directives by name (`script-src` → `["'self'"]`). */
function directives(csp: string | null): Map<string, string[]> {
  assert.ok(csp, 'the page has a Content-Security-Policy');
  return new Map(
    csp
      .split(';')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [name = '', ...values] = part.split(/\s+/);
        return [name, values];
      }),
  );
}

const portalTheme = {
  ...defaultTheme,
  primaryColor: '#0f766e',
  textColor: '#102a43',
  backgroundColor: '#f0fdfa',
  surfaceColor: '#ffffff',
  fontFamily: '"Source Sans 3", Helvetica, sans-serif',
  radius: 12,
  dark: { primaryColor: '#5eead4', textColor: '#e6fffa', backgroundColor: '#042f2e', surfaceColor: '#0b3b3a' },
};

describe('GET /account/{store}', () => {
  test('GET /account/{store} hosts the widget with a module script from this server and the store id', async () => {
    const { app } = await createTestContext();
    const response = await app.request('/account/shop');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    const html = await response.text();
    assert.match(html, /<script type="module" src="\/widget\/account-portal\.js"><\/script>/);
    assert.match(html, /<account-portal store="shop"><\/account-portal>/);
    assert.match(html, /<title>Your account · Store shop<\/title>/);
    assert.match(html, /<html lang="en" dir="ltr">/);
  });

  test("with the Stripe gateway the page also allows Stripe.js, Stripe's API and frames, for 3-D Secure challenges", async () => {
    const { app } = await createTestContext({
      stripe: { secretKey: 'sk_test_x', publishableKey: 'pk_test_x', webhookSecret: 'whsec_x', live: false },
    });
    const response = await app.request('/account/shop');
    assert.equal(response.status, 200);
    const csp = directives(response.headers.get('content-security-policy'));
    assert.deepEqual(csp.get('script-src'), ["'self'", 'https://js.stripe.com']);
    assert.deepEqual(csp.get('connect-src'), ["'self'", 'https://api.stripe.com']);
    assert.deepEqual(csp.get('frame-src'), ["'self'", 'https://js.stripe.com', 'https://hooks.stripe.com']);
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
    const testGateway = directives(
      (await (await createTestContext()).app.request('/account/shop')).headers.get('content-security-policy'),
    );
    assert.deepEqual(testGateway.get('frame-src'), ["'self'"]);
  });

  test('GET /account/{store} sends a strict CSP, no referrer and no caching', async () => {
    const { app } = await createTestContext();
    const response = await app.request('/account/shop?portal_token=pt_secret');
    assert.equal(response.status, 200);
    const csp = directives(response.headers.get('content-security-policy'));
    assert.deepEqual(csp.get('script-src'), ["'self'"]);
    assert.deepEqual(csp.get('connect-src'), ["'self'"]);
    assert.deepEqual(csp.get('img-src'), ["'self'", 'https:', 'data:']);
    assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
    assert.deepEqual(csp.get('base-uri'), ["'none'"]);
    assert.deepEqual(csp.get('form-action'), ["'none'"]);
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
    const styles = csp.get('style-src') ?? [];
    assert.ok(!styles.includes("'unsafe-inline'"), 'inline styles are allowed by hash only');
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('x-frame-options'), 'DENY');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  });

  test('GET /account/{store} carries no inline script, and its one inline style matches the CSP hash', async () => {
    const { app } = await createTestContext();
    const response = await app.request('/account/shop');
    assert.equal(response.status, 200);
    const html = await response.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    for (const [, attributes, body] of scripts) {
      assert.match(attributes, /\ssrc="/, 'every script is loaded from a file');
      assert.equal(body.trim(), '');
    }
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
    assert.equal(styles.length, 1);
    const hash = `'sha256-${createHash('sha256').update(styles[0]).digest('base64')}'`;
    assert.ok(directives(response.headers.get('content-security-policy')).get('style-src')?.includes(hash));
    assert.doesNotMatch(html, /\sstyle="/, 'no style attributes (they would need unsafe-inline)');
  });

  test("GET /account/{store} is themed with the store's portal checkout, dark palette included", async () => {
    const { app, api } = await createTestContext();
    const put = await api('PUT', '/api/checkouts/portal', portalTheme);
    assert.equal(put.status, 200);
    const response = await app.request('/account/shop');
    assert.equal(response.status, 200);
    const html = await response.text();
    const css = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    assert.match(css, /--page-background:#f0fdfa/);
    assert.match(css, /--page-text:#102a43/);
    assert.match(css, /--page-primary:#0f766e/);
    assert.match(css, /font-family:"Source Sans 3", Helvetica, sans-serif/);
    assert.match(css, /@media \(prefers-color-scheme:dark\)\{:root\{color-scheme:dark;--page-primary:#5eead4/);
    assert.match(css, /body\{[^}]*background:var\(--page-background\)/);
  });

  test('GET /account/{store} goes dark with the widget: the built-in dark palette without one of its own, none with colorScheme light', async () => {
    const { app, api } = await createTestContext();
    const style = async () =>
      /<style>([\s\S]*?)<\/style>/.exec(await (await app.request('/account/shop')).text())?.[1] ?? '';
    const builtIn = themeColourSchemes(defaultTheme).dark!;
    assert.match(
      await style(),
      new RegExp(
        `@media \\(prefers-color-scheme:dark\\)\\{:root\\{color-scheme:dark;--page-primary:${builtIn.primary};`,
      ),
    );
    assert.match(await style(), new RegExp(`--page-background:${builtIn.background}`));
    assert.equal((await api('PUT', '/api/checkouts/portal', { ...portalTheme, colorScheme: 'light' })).status, 200);
    const light = await style();
    assert.doesNotMatch(light, /prefers-color-scheme/);
    assert.match(light, /:root\{color-scheme:light;--page-primary:#0f766e/);
    assert.equal((await api('PUT', '/api/checkouts/portal', { ...portalTheme, colorScheme: 'dark' })).status, 200);
    const dark = await style();
    assert.doesNotMatch(dark, /prefers-color-scheme/);
    assert.match(dark, /:root\{color-scheme:dark;--page-primary:#5eead4/);
  });

  test("GET /account/{store} falls back to the default checkout's theme, then the built-in one", async () => {
    const { app, api } = await createTestContext();
    const builtIn = await (await app.request('/account/shop')).text();
    assert.match(builtIn, new RegExp(`--page-primary:${defaultTheme.primaryColor}`));
    const put = await api('PUT', '/api/checkouts/default', { ...defaultTheme, primaryColor: '#b91c1c' });
    assert.equal(put.status, 200);
    assert.match(await (await app.request('/account/shop')).text(), /--page-primary:#b91c1c/);
  });

  test("GET /account/{store} escapes the store's name", async () => {
    const { app, db, clock } = await createTestContext();
    const { setStoreValue } = await import('../../server/services/stores/stores');
    await setStoreValue(db, clock, 'shop', 'name', 'Tom & Jerry <Shop>');
    const html = await (await app.request('/account/shop')).text();
    assert.match(html, /<title>Your account · Tom &#38; Jerry &#60;Shop&#62;<\/title>/);
  });

  test("GET /account/{store} writes the page in the browser's language when the portal has it", async () => {
    const { app } = await createTestContext();
    const response = await app.request('/account/shop', {
      headers: { 'accept-language': 'sw-KE, *;q=0.9, de-AT;q=0.8, en;q=0.5' },
    });
    assert.equal(response.status, 200);
    const html = await response.text();
    assert.match(html, /<html lang="de" dir="ltr">/);
    assert.match(html, /<h1>Ihr Konto<\/h1>/);
    assert.match(response.headers.get('vary') ?? '', /accept-language/i);
  });

  test('GET /account/{unknown} answers a 404 page with the same policy and no widget', async () => {
    const { app } = await createTestContext();
    const response = await app.request('/account/nope');
    assert.equal(response.status, 404);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.deepEqual(directives(response.headers.get('content-security-policy')).get('script-src'), ["'self'"]);
    const html = await response.text();
    assert.match(html, /no customer account page at this address/);
    assert.doesNotMatch(html, /<script/);
    assert.doesNotMatch(html, /<account-portal/);
  });

  test('GET /account/{store}/ with a trailing slash serves the same page', async () => {
    const { app } = await createTestContext();
    const response = await app.request('/account/shop/');
    assert.equal(response.status, 200);
    assert.match(await response.text(), /<account-portal store="shop">/);
  });

  test('GET /account/{store} is served in production too', async () => {
    const { app } = await createTestContext({ config: { production: true } });
    const response = await app.request('/account/shop');
    assert.equal(response.status, 200);
  });
});

describe('GET / (landing page)', () => {
  test('GET / links to the demo site, the hosted page and the outbox outside production', async () => {
    const { app, deps } = await createTestContext();
    deps.config.demoSiteUrl = 'http://127.0.0.1:8788';
    const response = await app.request('/');
    assert.equal(response.status, 200);
    const html = await response.text();
    assert.match(html, /href="http:\/\/127\.0\.0\.1:8788\/"/);
    assert.match(html, /href="http:\/\/127\.0\.0\.1:8788\/app"/);
    assert.match(html, /href="https:\/\/portal\.test\/account\/demo"/);
    assert.match(html, /href="https:\/\/portal\.test\/dev\/outbox"/);
    assert.match(html, /ada@example\.com/);
    assert.doesNotMatch(html, /<script/);
  });

  test('GET / links to the theme editor when it is served', async () => {
    const { deps } = await createTestContext();
    const on = createApp(deps, { development: createDevelopment(deps, { host: '127.0.0.1', themeEditor: true }) });
    assert.match(await (await on.request('/')).text(), /href="https:\/\/portal\.test\/theme-editor"/);
    const off = createApp(deps, { development: createDevelopment(deps, { host: '127.0.0.1' }) });
    const html = await (await off.request('/')).text();
    assert.doesNotMatch(html, /href="[^"]*\/theme-editor"/);
    assert.match(html, /THEME_EDITOR=false/);
  });

  test('GET / says so when the demo site is not running', async () => {
    const { app } = await createTestContext();
    const html = await (await app.request('/')).text();
    assert.match(html, /demo site is not running/);
  });

  test('GET / is not served in production', async () => {
    const { app } = await createTestContext({ config: { production: true } });
    const response = await app.request('/');
    assert.equal(response.status, 404);
  });
});
