import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Hono } from 'hono';
import { widgetAssetRoutes } from '../../server/routes/widget-assets';
import { createTestContext } from '../helpers/app';

// A stand-in bundle in a temporary folder: the real one needs `npm run build`, and these
// tests are about how it is served, not what it contains.
const dir = mkdtempSync(join(tmpdir(), 'portal-widget-assets-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const bundlePath = join(dir, 'account-portal.js');
writeFileSync(bundlePath, 'customElements.get("account-portal");\n');

function assets(paths: Parameters<typeof widgetAssetRoutes>[0] = { bundlePath }) {
  return new Hono().route('/widget', widgetAssetRoutes(paths));
}

describe('GET /widget/account-portal.js', () => {
  test('GET /widget/account-portal.js serves the bundle as JavaScript with caching headers and an ETag', async () => {
    const response = await assets().request('/widget/account-portal.js');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.match(response.headers.get('cache-control') ?? '', /^public, max-age=\d+/);
    assert.match(response.headers.get('etag') ?? '', /^"[A-Za-z0-9_-]{10,}"$/);
    assert.equal(await response.text(), readFileSync(bundlePath, 'utf8'));
  });

  test('GET /widget/account-portal.js may be loaded from any origin (CORS *, CORP cross-origin)', async () => {
    const response = await assets().request('/widget/account-portal.js', { headers: { origin: 'https://merchant.example' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.equal(response.headers.get('cross-origin-resource-policy'), 'cross-origin');
    assert.equal(response.headers.get('access-control-allow-credentials'), null);
  });

  test('GET /widget/account-portal.js answers 304 to a matching If-None-Match', async () => {
    const app = assets();
    const first = await app.request('/widget/account-portal.js');
    assert.equal(first.status, 200);
    const etag = first.headers.get('etag')!;
    const again = await app.request('/widget/account-portal.js', { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get('etag'), etag);
    assert.equal(again.headers.get('access-control-allow-origin'), '*');
    assert.equal(await again.text(), '');
    const stale = await app.request('/widget/account-portal.js', { headers: { 'if-none-match': '"something-else"' } });
    assert.equal(stale.status, 200);
  });

  test('GET /widget/account-portal.js picks up a rebuilt bundle with a new ETag', async () => {
    const path = join(dir, 'rebuilt.js');
    writeFileSync(path, 'export const version = 1;\n');
    utimesSync(path, new Date('2030-01-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z'));
    const app = assets({ bundlePath: path });
    const before = await app.request('/widget/account-portal.js');
    assert.equal(before.status, 200);
    writeFileSync(path, 'export const version = 2;\n');
    utimesSync(path, new Date('2030-01-02T00:00:00Z'), new Date('2030-01-02T00:00:00Z'));
    const afterRebuild = await app.request('/widget/account-portal.js', { headers: { 'if-none-match': before.headers.get('etag')! } });
    assert.equal(afterRebuild.status, 200);
    assert.notEqual(afterRebuild.headers.get('etag'), before.headers.get('etag'));
    assert.equal(await afterRebuild.text(), 'export const version = 2;\n');
  });

  test('GET /widget/account-portal.js answers a JSON 404 that says how to build it when there is no bundle', async () => {
    const response = await assets({ bundlePath: join(dir, 'missing.js') }).request('/widget/account-portal.js');
    assert.equal(response.status, 404);
    const body = await response.json() as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'not_found');
    assert.match(body.error.message, /npm run build/);
  });
});

describe('GET /widget/i18n/{lang}.json', () => {
  test('GET /widget/i18n/de.json serves the German locale cross-origin through the full app', async () => {
    const { app } = createTestContext();
    const response = await app.request('/widget/i18n/de.json', { headers: { origin: 'https://merchant.example' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.equal(response.headers.get('cross-origin-resource-policy'), 'cross-origin');
    assert.match(response.headers.get('cache-control') ?? '', /^public, max-age=\d+/);
    assert.ok(response.headers.get('etag'));
    const messages = await response.json() as Record<string, unknown>;
    assert.deepEqual(messages, JSON.parse(readFileSync(new URL('../../widget/locales/de.json', import.meta.url), 'utf8')));
  });

  test('GET /widget/i18n/{lang}.json answers 304 to a matching If-None-Match', async () => {
    const { app } = createTestContext();
    const first = await app.request('/widget/i18n/en.json');
    assert.equal(first.status, 200);
    const again = await app.request('/widget/i18n/en.json', { headers: { 'if-none-match': first.headers.get('etag')! } });
    assert.equal(again.status, 304);
  });

  test('GET /widget/i18n/{lang}.json answers 404 for a language without a locale and for odd names', async () => {
    const { app } = createTestContext();
    assert.equal((await app.request('/widget/i18n/xx.json')).status, 404);
    assert.equal((await app.request('/widget/i18n/..%2Fen.json')).status, 404);
    assert.equal((await app.request('/widget/i18n/english.json')).status, 404);
  });

  test('the widget bundle route is mounted at /widget in the app', async () => {
    const { app } = createTestContext();
    const response = await app.request('/widget/account-portal.js');
    // 200 after `npm run build`, 404 before; never the app's generic "no route".
    if (response.status === 404) {
      assert.match((await response.json() as { error: { message: string } }).error.message, /npm run build/);
    } else {
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cross-origin-resource-policy'), 'cross-origin');
    }
  });
});
