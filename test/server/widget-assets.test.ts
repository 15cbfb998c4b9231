import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync } from 'node:zlib';
import { after, describe, test } from 'node:test';
import { Hono } from 'hono';
import { chooseEncoding, widgetAssetRoutes } from '../../server/routes/widget-assets';
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
    // The entry's URL is stable: browsers and CDNs keep it but ask every time (a 304 when unchanged).
    assert.equal(response.headers.get('cache-control'), 'no-cache');
    assert.equal(response.headers.get('vary'), 'Accept-Encoding');
    assert.match(response.headers.get('etag') ?? '', /^"[A-Za-z0-9_-]{10,}"$/);
    assert.equal(await response.text(), readFileSync(bundlePath, 'utf8'));
  });

  test('GET /widget/account-portal.js may be loaded from any origin (CORS *, CORP cross-origin)', async () => {
    const response = await assets().request('/widget/account-portal.js', {
      headers: { origin: 'https://merchant.example' },
    });
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
    const afterRebuild = await app.request('/widget/account-portal.js', {
      headers: { 'if-none-match': before.headers.get('etag')! },
    });
    assert.equal(afterRebuild.status, 200);
    assert.notEqual(afterRebuild.headers.get('etag'), before.headers.get('etag'));
    assert.equal(await afterRebuild.text(), 'export const version = 2;\n');
  });

  test('GET /widget/account-portal.js answers a JSON 404 that says how to build it when there is no bundle', async () => {
    const response = await assets({ bundlePath: join(dir, 'missing.js') }).request('/widget/account-portal.js');
    assert.equal(response.status, 404);
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'not_found');
    assert.match(body.error.message, /npm run build/);
  });
});

describe('GET /widget/* compression', () => {
  const big = join(dir, 'big.js');
  const code = `export const words = ${JSON.stringify('account portal '.repeat(400))};\n`;
  writeFileSync(big, code);

  test('GET /widget/account-portal.js sends brotli when accepted, else gzip, else the plain file, each with its own ETag', async () => {
    const app = assets({ bundlePath: big });
    const br = await app.request('/widget/account-portal.js', {
      headers: { 'accept-encoding': 'gzip, deflate, br, zstd' },
    });
    assert.equal(br.status, 200);
    assert.equal(br.headers.get('content-encoding'), 'br');
    assert.equal(br.headers.get('vary'), 'Accept-Encoding');
    const brBody = Buffer.from(await br.arrayBuffer());
    assert.ok(brBody.length < code.length / 10, `brotli body of ${brBody.length} bytes`);
    assert.equal(brotliDecompressSync(brBody).toString(), code);

    const gzip = await app.request('/widget/account-portal.js', { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gzip.status, 200);
    assert.equal(gzip.headers.get('content-encoding'), 'gzip');
    assert.equal(gunzipSync(Buffer.from(await gzip.arrayBuffer())).toString(), code);

    const plain = await app.request('/widget/account-portal.js', { headers: { 'accept-encoding': 'identity' } });
    assert.equal(plain.status, 200);
    assert.equal(plain.headers.get('content-encoding'), null);
    assert.equal(await plain.text(), code);

    const etags = new Set([br, gzip, plain].map((r) => r.headers.get('etag')));
    assert.equal(etags.size, 3, 'each encoding is its own representation');
    const again = await app.request('/widget/account-portal.js', {
      headers: { 'accept-encoding': 'br', 'if-none-match': br.headers.get('etag')! },
    });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get('vary'), 'Accept-Encoding');
  });

  test('GET /widget/account-portal.js sends the precompressed copy from the build, unless it holds other content', async () => {
    const built = join(dir, 'prebuilt.js');
    writeFileSync(built, code);
    // Quality 1: other bytes than the server's own quality 11, so the test sees which copy went out.
    const marker = brotliCompressSync(Buffer.from(code), { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } });
    assert.notDeepEqual(
      marker,
      brotliCompressSync(Buffer.from(code), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    );
    writeFileSync(`${built}.br`, marker);
    const response = await assets({ bundlePath: built }).request('/widget/account-portal.js', {
      headers: { 'accept-encoding': 'br' },
    });
    assert.equal(response.status, 200);
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), marker);

    const stale = join(dir, 'stale.js');
    writeFileSync(stale, code);
    writeFileSync(`${stale}.br`, brotliCompressSync(Buffer.from('export const old = 1;\n')));
    const fixed = await assets({ bundlePath: stale }).request('/widget/account-portal.js', {
      headers: { 'accept-encoding': 'br' },
    });
    assert.equal(fixed.status, 200);
    assert.equal(brotliDecompressSync(Buffer.from(await fixed.arrayBuffer())).toString(), code);
  });

  test('chooseEncoding honours q-values and wildcards', () => {
    assert.equal(chooseEncoding(undefined), 'identity');
    assert.equal(chooseEncoding('gzip;q=0.5, br;q=0'), 'gzip');
    assert.equal(chooseEncoding('*'), 'br');
    assert.equal(chooseEncoding('br;q=0, gzip;q=0'), 'identity');
  });
});

describe('GET /widget/chunks/{name}-{hash}.js', () => {
  const chunkDir = join(dir, 'with-chunks');
  mkdirSync(join(chunkDir, 'chunks'), { recursive: true });
  writeFileSync(join(chunkDir, 'account-portal.js'), 'import("./chunks/orders-Ab3_x-9Z.js");\n');
  writeFileSync(join(chunkDir, 'chunks', 'orders-Ab3_x-9Z.js'), 'export const orders = [];\n');
  const app = () => assets({ bundlePath: join(chunkDir, 'account-portal.js') });

  test('GET /widget/chunks/{name}-{hash}.js serves a chunk cross-origin, cached for a year as immutable', async () => {
    const response = await app().request('/widget/chunks/orders-Ab3_x-9Z.js', {
      headers: { origin: 'https://merchant.example' },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.equal(response.headers.get('cross-origin-resource-policy'), 'cross-origin');
    assert.equal(response.headers.get('vary'), 'Accept-Encoding');
    assert.equal(await response.text(), 'export const orders = [];\n');
  });

  test('GET /widget/chunks/{file} answers 404 for an unknown chunk, a name without a hash and a path', async () => {
    assert.equal((await app().request('/widget/chunks/orders-Zz3_x-9Z.js')).status, 404);
    assert.equal((await app().request('/widget/chunks/orders.js')).status, 404);
    assert.equal((await app().request('/widget/chunks/..%2Faccount-portal.js')).status, 404);
  });
});

describe('GET /widget/i18n/{lang}.json', () => {
  test('GET /widget/i18n/de.json serves the German locale cross-origin through the full app', async () => {
    const { app } = await createTestContext();
    const response = await app.request('/widget/i18n/de.json', { headers: { origin: 'https://merchant.example' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.equal(response.headers.get('cross-origin-resource-policy'), 'cross-origin');
    assert.match(response.headers.get('cache-control') ?? '', /^public, max-age=\d+/);
    assert.ok(response.headers.get('etag'));
    const messages = (await response.json()) as Record<string, unknown>;
    assert.deepEqual(
      messages,
      JSON.parse(readFileSync(new URL('../../widget/locales/de.json', import.meta.url), 'utf8')),
    );
  });

  test('GET /widget/i18n/{lang}.json answers 304 to a matching If-None-Match', async () => {
    const { app } = await createTestContext();
    const first = await app.request('/widget/i18n/en.json');
    assert.equal(first.status, 200);
    const again = await app.request('/widget/i18n/en.json', {
      headers: { 'if-none-match': first.headers.get('etag')! },
    });
    assert.equal(again.status, 304);
  });

  test('GET /widget/i18n/{lang}.json answers 404 for a language without a locale and for odd names', async () => {
    const { app } = await createTestContext();
    assert.equal((await app.request('/widget/i18n/xx.json')).status, 404);
    assert.equal((await app.request('/widget/i18n/..%2Fen.json')).status, 404);
    assert.equal((await app.request('/widget/i18n/english.json')).status, 404);
  });

  test('the widget bundle route is mounted at /widget in the app', async () => {
    const { app } = await createTestContext();
    const response = await app.request('/widget/account-portal.js');
    // 200 after `npm run build`, 404 before; never the app's generic "no route".
    if (response.status === 404) {
      assert.match(((await response.json()) as { error: { message: string } }).error.message, /npm run build/);
    } else {
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cross-origin-resource-policy'), 'cross-origin');
    }
  });
});
