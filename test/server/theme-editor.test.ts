import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { createApp } from '../../server/app';
import { themeWarnings } from '../../server/contract';
import { createThemeEditor } from '../../server/dev';
import { readEnv } from '../../server/env';
import { defaultTheme } from '../../server/lib/theme';
import { findStore } from '../../server/services/stores';
import { basic, createTestContext, json, type TestContext } from '../helpers/app';

let t: TestContext;
let app: ReturnType<typeof createApp>;
beforeEach(async () => {
  t = await createTestContext();
  app = createApp(t.deps, { themeEditor: createThemeEditor(t.deps) });
});

const get = (path: string, headers: Record<string, string> = {}) =>
  app.request(path, { headers: { authorization: t.store.auth, ...headers } });
const check = (body: unknown, headers: Record<string, string> = {}) =>
  app.request('/theme-editor/check', {
    method: 'POST',
    headers: { authorization: t.store.auth, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** The page's data block, parsed. */
const dataOf = (html: string) =>
  JSON.parse(/<script type="application\/json" id="editor-data">(.*?)<\/script>/s.exec(html)![1]);

describe('GET /theme-editor', () => {
  test("asks for the store's Server API credentials, as the Server API does", async () => {
    const anonymous = await app.request('/theme-editor');
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get('www-authenticate'), 'Basic realm="Account Portal Server API", charset="UTF-8"');
    const wrong = await get('/theme-editor', {
      authorization: basic({ user: t.store.credentials.user, password: 'not-the-password' }),
    });
    assert.equal(wrong.status, 401);
    assert.equal((await json(wrong)).error.code, 'unauthorized');
    const other = await t.addStore('other');
    const page = await get('/theme-editor', { authorization: other.auth });
    assert.equal(page.status, 200);
    assert.equal(dataOf(await page.text()).store.id, 'other', 'the credentials say which store');
  });

  test('serves the editor with a strict policy, the portal theme and a preview signed in to the demo data', async () => {
    const page = await get('/theme-editor');
    assert.equal(page.status, 200);
    const csp = page.headers.get('content-security-policy')!;
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /style-src 'self' 'sha256-[^']+'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(page.headers.get('cache-control'), 'no-store');
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    const html = await page.text();
    assert.doesNotMatch(html, /<script(?![^>]*(type="application\/json"|src="))/, 'no inline script');
    assert.match(html, /<script type="module" src="\/widget\/account-portal\.js"><\/script>/);
    assert.match(html, /<script type="module" src="\/theme-editor\/editor\.js"><\/script>/);
    assert.match(
      html,
      /<account-portal store="demo" api-base="\/theme-editor\/preview" no-hash-routing route="\/orders">/,
    );
    const data = dataOf(html);
    assert.deepEqual(data.theme, defaultTheme);
    assert.deepEqual(data.warnings, themeWarnings(defaultTheme));
    assert.equal(data.preview.base, '/theme-editor/preview');
    assert.match(data.preview.authUrl, /portal_token=pt_/);
    assert.equal(data.words.title, 'Theme editor');
  });

  test("speaks the browser's language, and English where a language has no words for it yet", async () => {
    const german = await get('/theme-editor', { 'accept-language': 'de-DE,de;q=0.9' });
    const html = await german.text();
    assert.match(html, /<html lang="de" dir="ltr">/);
    assert.match(html, /<h1>Theme-Editor<\/h1>/);
    assert.match(html, />Eigene dunkle Farben verwenden</);
    assert.equal(dataOf(html).words.warning.text_contrast.includes('{{required}}'), true);
    const hebrew = await get('/theme-editor?lang=he');
    assert.equal(hebrew.status, 200);
    assert.match(await hebrew.text(), /<html lang="he" dir="rtl">/);
  });

  test('serves its script to anyone (it holds nothing of a store)', async () => {
    const script = await app.request('/theme-editor/editor.js');
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type')!, /text\/javascript/);
    assert.match(await script.text(), /\/api\/checkouts\/portal/);
  });
});

describe('POST /theme-editor/check', () => {
  test('answers the contrast warnings of a theme being edited, without storing it', async () => {
    const yellow = { ...defaultTheme, primaryColor: '#facc15' };
    const response = await check(yellow);
    assert.equal(response.status, 200);
    const body = await json(response);
    assert.deepEqual(body.warnings, themeWarnings(yellow));
    assert.equal(body.warnings[0].code, 'primary_adjusted');
    assert.match(body.builtInDark.backgroundColor, /^#/);
    const stored = await t.api('GET', '/api/checkouts/portal');
    assert.equal((await json(stored)).theme.primaryColor, defaultTheme.primaryColor);
  });

  test('names the fields a theme gets wrong, as PUT /api/checkouts/portal would', async () => {
    const response = await check({
      ...defaultTheme,
      primaryColor: '#12',
      logoUrl: 'http://shop.example/logo.png',
      dark: {
        ...defaultTheme,
        fontFamily: undefined,
        radius: undefined,
        logoUrl: undefined,
        dark: undefined,
        textColor: 'red',
      },
    });
    assert.equal(response.status, 422);
    const fields = (await json(response)).error.details.map((d: { field: string }) => d.field).sort();
    assert.deepEqual(fields, ['dark.textColor', 'logoUrl', 'primaryColor']);
  });

  test('needs the credentials and a JSON body', async () => {
    const anonymous = await app.request('/theme-editor/check', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(defaultTheme),
    });
    assert.equal(anonymous.status, 401);
    assert.equal((await check('{', {})).status, 400);
    const form = await check('primaryColor=%23000', { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(form.status, 415);
  });
});

describe('/theme-editor/preview', () => {
  /** Signs the preview in as the page's widget does, with the URL the page carries. */
  async function previewSession() {
    const data = dataOf(await (await get('/theme-editor')).text());
    const token = new URL(data.preview.authUrl).searchParams.get('portal_token');
    const session = await app.request('/theme-editor/preview/portal/demo/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    assert.equal(session.status, 201, await session.clone().text());
    assert.equal(session.headers.get('set-cookie'), null, 'no device cookie on this server’s own paths');
    return (await json(session)).token as string;
  }

  test("is the demo store's real Portal API, read-only, in a database of its own", async () => {
    const config = await app.request('/theme-editor/preview/portal/demo/config');
    assert.equal(config.status, 200);
    assert.equal((await json(config)).store.name, 'Northwind Software');
    const token = await previewSession();
    const orders = await app.request('/theme-editor/preview/portal/demo/orders', {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(orders.status, 200);
    assert.ok((await json(orders)).data.length >= 3, "Ada's history");
    assert.equal(await findStore(t.db, 'demo'), undefined, "the server's own database has no demo store");
  });

  test('refuses every change and everything but the Portal API and the widget', async () => {
    const token = await previewSession();
    const send = (method: string, path: string) =>
      app.request(`/theme-editor/preview${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: method === 'GET' ? undefined : '{}',
      });
    for (const [method, path] of [
      ['POST', '/portal/demo/login-links'],
      ['PATCH', '/portal/demo/me'],
      ['POST', '/portal/demo/subscriptions/sub_x/cancel'],
      ['POST', '/portal/demo/downloads/ful_x/link'],
      ['GET', '/api/accounts'],
      ['GET', '/account/demo'],
    ]) {
      const response = await send(method, path);
      assert.equal(response.status, 403, `${method} ${path}`);
      assert.equal((await json(response)).error.code, 'forbidden');
    }
    assert.equal((await send('GET', '/widget/i18n/de.json')).status, 200);
    assert.equal((await send('DELETE', '/portal/demo/sessions/current')).status, 204);
  });
});

describe('THEME_EDITOR', () => {
  test('is on outside production and off in production unless asked for', () => {
    assert.equal(readEnv({}).themeEditor, true);
    assert.equal(readEnv({ THEME_EDITOR: 'false' }).themeEditor, false);
    assert.equal(readEnv({ NODE_ENV: 'production' }).themeEditor, false);
    assert.equal(readEnv({ NODE_ENV: 'production', THEME_EDITOR: 'true' }).themeEditor, true);
    assert.throws(() => readEnv({ THEME_EDITOR: 'yes' }), /THEME_EDITOR/);
    // On either engine: the preview's SQLite lives in a thread of its own.
    const pg = 'postgres://portal@127.0.0.1:5432/portal';
    assert.equal(readEnv({ DATABASE_URL: pg }).themeEditor, true);
    assert.equal(readEnv({ NODE_ENV: 'production', DATABASE_URL: pg, THEME_EDITOR: 'true' }).themeEditor, true);
  });

  test('is not there when not mounted', async () => {
    assert.equal((await t.app.request('/theme-editor', { headers: { authorization: t.store.auth } })).status, 404);
  });
});
