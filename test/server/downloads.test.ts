import { first } from '../../server/db/query';
import assert from 'node:assert/strict';
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeEach, describe, test, type TestContext as NodeTestContext } from 'node:test';
import { eq } from 'drizzle-orm';
import { runCli } from '../../server/cli/commands';
import { fulfilments, orders, stores } from '../../server/db/schema';
import { MINUTE, SECOND } from '../../server/lib/clock';
import { signDownloadUrl } from '../../server/lib/download-signing';
import { findStore } from '../../server/services/stores/stores';
import { createTestContext, json, type TestContext } from '../helpers/app';
import { oneTimeOrder } from '../helpers/fixtures';
import { portal, setSetting, signInByEmail } from '../helpers/portal';

let t: TestContext;
beforeEach(async () => {
  t = await createTestContext();
});

/**
 * nginx's `secure_link $arg_md5,$arg_expires; secure_link_md5 "$secure_link_expires$uri <secret>";`
 * written from its documentation, apart from the server's code: `$uri` is the
 * percent-decoded path, the hash is `openssl md5 -binary | openssl base64 | tr +/ -_ | tr -d =`.
 * Returns what `$secure_link` becomes: "" (wrong or missing hash), "0" (expired), "1" (good).
 */
function nginxSecureLink(requestUrl: string, secret: string, nowMs: number): '' | '0' | '1' {
  const query = new URL(requestUrl).search
    .slice(1)
    .split('&')
    .map((pair) => pair.split('='));
  const arg = (name: string) => query.find(([key]) => key === name)?.[1];
  const md5 = arg('md5');
  const expires = arg('expires');
  if (!md5 || !expires) return '';
  const uri = decodeURIComponent(new URL(requestUrl).pathname);
  const digest = createHash('md5')
    .update(Buffer.from(`${expires}${uri} ${secret}`, 'utf8'))
    .digest('base64');
  const expected = digest.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  if (md5 !== expected) return '';
  return Number(expires) < Math.floor(nowMs / 1000) ? '0' : '1';
}

const secretOf = async (storeId = 'shop') => (await findStore(t.db, storeId))!.downloadSigningSecret!;

async function order(download: Record<string, unknown> = {}) {
  const body = oneTimeOrder({
    items: [
      {
        product: 'toolkit',
        displayName: 'Photo Toolkit',
        quantity: 1,
        unitPrice: 4900,
        fulfilments: [
          { type: 'download', url: 'https://cdn.example/files/toolkit-3.2.zip', ...download },
          { type: 'license_key', licenseKey: 'TK-1111-2222' },
        ],
      },
    ],
  });
  const response = await t.api('POST', '/api/orders', body);
  assert.equal(response.status, 201, await response.clone().text());
  const view = await json(response);
  return { ...view, downloadId: view.fulfilments[0].id as string, keyId: view.fulfilments[1].id as string };
}

async function linkFor(fulfilmentId: string, token: string) {
  const response = await portal(t, 'POST', `/downloads/${fulfilmentId}/link`, undefined, { token });
  assert.equal(response.status, 201, await response.clone().text());
  return new URL((await json(response)).url).pathname;
}

describe('GET /downloads/{token}, signed delivery (the default)', () => {
  test('redirects to the file with a signature nginx secure_link accepts until the link expires, not after', async () => {
    const { downloadId } = await order();
    const { token } = await signInByEmail(t, 'ada@example.com');
    const issued = t.clock.now().getTime();
    const path = await linkFor(downloadId, token);
    const response = await t.app.request(path);
    assert.equal(response.status, 302);
    const location = response.headers.get('location')!;
    const target = new URL(location);
    assert.equal(`${target.origin}${target.pathname}`, 'https://cdn.example/files/toolkit-3.2.zip');
    assert.equal(
      target.searchParams.get('expires'),
      String(Math.floor((issued + 5 * MINUTE) / 1000)),
      "the target expires with the portal's link",
    );

    assert.equal(nginxSecureLink(location, await secretOf(), t.clock.now().getTime()), '1');
    assert.equal(
      nginxSecureLink(location, await secretOf(), issued + 5 * MINUTE),
      '1',
      'still good in its last second',
    );
    assert.equal(nginxSecureLink(location, await secretOf(), issued + 5 * MINUTE + SECOND), '0', 'expired right after');
    assert.equal(nginxSecureLink(location, 'dls_another-secret', t.clock.now().getTime()), '', 'another secret');
    assert.equal(
      nginxSecureLink(location.replace('toolkit-3.2', 'toolkit-4.0'), await secretOf(), t.clock.now().getTime()),
      '',
      'another file',
    );
    const later = location.replace(/expires=\d+/, `expires=${Number(target.searchParams.get('expires')) + 86_400}`);
    assert.equal(nginxSecureLink(later, await secretOf(), t.clock.now().getTime()), '', 'a longer life');
    assert.equal(
      nginxSecureLink('https://cdn.example/files/toolkit-3.2.zip', await secretOf(), t.clock.now().getTime()),
      '',
      'the bare URL does not pass',
    );
  });

  test("signs the decoded path and keeps the URL's own query string", () => {
    const secret = 'dls_test';
    const expiresAt = new Date('2026-03-01T12:00:00.000Z');
    const url = 'https://cdn.example/files/Photo%20Toolkit%20%C3%BC.zip?version=3&lang=de';
    const signed = signDownloadUrl(url, secret, expiresAt);
    assert.ok(signed.startsWith(`${url}&md5=`), signed);
    assert.match(signed, /&expires=1772366400$/);
    assert.equal(nginxSecureLink(signed, secret, expiresAt.getTime() - MINUTE), '1');
    assert.equal(
      nginxSecureLink(
        signDownloadUrl('https://cdn.example//a///b.zip', secret, expiresAt).replace('//a///b', '/a/b'),
        secret,
        expiresAt.getTime(),
      ),
      '1',
      'slashes merged as nginx merges them',
    );
  });

  test("the README's Node verifier accepts what the portal signs, and refuses it expired or changed", async () => {
    const readme = readFileSync('README.md', 'utf8');
    const snippet = /```js\n(import \{ createHash, timingSafeEqual \}[\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(snippet?.includes('function checkDownloadSignature'), 'the snippet is in the README');
    const secret = 'dls_readme-check';
    let nowMs = Date.parse('2026-03-01T12:00:00.000Z');
    const source = snippet!
      .replace(/^import .*$/gm, '')
      .replace(/^app\.use\(.*$/gm, '')
      .replace('process.env.PORTAL_DOWNLOAD_SECRET', JSON.stringify(secret));
    const check = new Function('createHash', 'timingSafeEqual', 'Date', `${source}\nreturn checkDownloadSignature;`)(
      createHash,
      timingSafeEqual,
      { now: () => nowMs },
    );
    const statusFor = (url: string) => {
      const parsed = new URL(url);
      let status = 0;
      check(
        { query: Object.fromEntries(parsed.searchParams), originalUrl: `${parsed.pathname}${parsed.search}` },
        {
          sendStatus: (code: number) => {
            status = code;
          },
        },
        () => {
          status = 200;
        },
      );
      return status;
    };
    const signed = signDownloadUrl(
      'https://cdn.example/ptk/Photo%20Toolkit.zip?v=3',
      secret,
      new Date(nowMs + 5 * MINUTE),
    );
    assert.equal(statusFor(signed), 200);
    assert.equal(statusFor(signed.replace('Toolkit', 'Tool')), 403);
    assert.equal(statusFor('https://cdn.example/ptk/Photo%20Toolkit.zip'), 403);
    nowMs += 6 * MINUTE;
    assert.equal(statusFor(signed), 410);
  });

  /** An order whose one item is delivered as a download from `url`. */
  const orderWithDownload = (url: string) =>
    t.api(
      'POST',
      '/api/orders',
      oneTimeOrder({
        items: [
          { product: 'toolkit', displayName: 'T', quantity: 1, unitPrice: 1, fulfilments: [{ type: 'download', url }] },
        ],
      }),
    );

  test('an order refuses a download URL whose path does not decode', async () => {
    assert.equal((await orderWithDownload('https://cdn.example/%E0%A4%A.zip')).status, 422);
  });

  test('a download URL that is no URL at all is a 422, not a server error', async () => {
    for (const url of ['not a url', 'https://', 'https://[::1']) {
      assert.equal((await orderWithDownload(url)).status, 422, url);
    }
  });
});

describe('the download signing secret', () => {
  test('is made with the store, shown once by the CLI, and in no Server API or Portal API response', async () => {
    const out: string[] = [];
    const code = await runCli(['store', 'create', 'acme', '--name', 'Acme'], {
      db: t.db,
      clock: t.clock,
      out: (l) => out.push(l),
      err: () => {},
    });
    assert.equal(code, 0);
    const printed = /Download signing secret:\s+(dls_[A-Za-z0-9_-]{43})/.exec(out.join('\n'))?.[1];
    assert.equal(printed, await secretOf('acme'));
    const listed: string[] = [];
    await runCli(['store', 'list', '--json'], { db: t.db, clock: t.clock, out: (l) => listed.push(l), err: () => {} });
    assert.ok(!listed.join('\n').includes(printed!), 'store list does not show it');

    const { downloadId } = await order();
    const { token } = await signInByEmail(t, 'ada@example.com');
    const secret = await secretOf();
    const bodies = await Promise.all(
      [
        t.api('GET', '/api/orders'),
        t.api('GET', '/api/checkouts/portal'),
        t.api('GET', '/api/openapi.json'),
        portal(t, 'GET', '/config'),
        portal(t, 'GET', '/orders', undefined, { token }),
        portal(t, 'GET', '/me', undefined, { token }),
        portal(t, 'POST', `/downloads/${downloadId}/link`, undefined, { token }),
      ].map(async (r) => (await r).text()),
    );
    for (const body of bodies) assert.ok(!body.includes(secret));
  });

  test('stores made before secrets existed get one when first needed; rotating it invalidates old signatures', async () => {
    await t.db.update(stores).set({ downloadSigningSecret: null }).where(eq(stores.id, 'shop'));
    const { downloadId } = await order();
    const { token } = await signInByEmail(t, 'ada@example.com');
    const path = await linkFor(downloadId, token);
    const location = (await t.app.request(path)).headers.get('location')!;
    const first = await secretOf();
    assert.match(first, /^dls_/);
    assert.equal(nginxSecureLink(location, first, t.clock.now().getTime()), '1');
    assert.equal((await t.app.request(path)).headers.get('location'), location, 'the same secret next time');

    const out: string[] = [];
    assert.equal(
      await runCli(['store', 'rotate-download-secret', 'shop'], {
        db: t.db,
        clock: t.clock,
        out: (l) => out.push(l),
        err: () => {},
      }),
      0,
    );
    const rotated = await secretOf();
    assert.notEqual(rotated, first);
    assert.ok(out.join('\n').includes(rotated), 'printed once');
    assert.equal(nginxSecureLink(location, rotated, t.clock.now().getTime()), '', 'old signatures fail');
    const again = (await t.app.request(path)).headers.get('location')!;
    assert.equal(nginxSecureLink(again, rotated, t.clock.now().getTime()), '1');
  });
});

/** A merchant's file server on 127.0.0.1 that `handle` answers. */
async function fileServer(tc: NodeTestContext, handle: (req: IncomingMessage, res: ServerResponse) => void) {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  tc.after(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

const fileBytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));

function serveFile(req: IncomingMessage, res: ServerResponse) {
  if (req.url !== '/private/toolkit.zip?key=merchant-secret') {
    res.writeHead(404).end();
    return;
  }
  const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
  if (range) {
    const [start, end] = [Number(range[1]), Number(range[2])];
    res
      .writeHead(206, {
        'content-type': 'application/zip',
        'content-length': String(end - start + 1),
        'content-range': `bytes ${start}-${end}/${fileBytes.length}`,
        'accept-ranges': 'bytes',
        'set-cookie': 'origin=1',
      })
      .end(fileBytes.subarray(start, end + 1));
    return;
  }
  res
    .writeHead(200, {
      'content-type': 'application/zip',
      'content-length': String(fileBytes.length),
      'accept-ranges': 'bytes',
      'set-cookie': 'origin=1',
      'x-origin-secret': 'nope',
      location: 'http://127.0.0.1/elsewhere',
    })
    .end(fileBytes);
}

describe('GET /downloads/{token}, private delivery', () => {
  test('streams the file with its name, type and length; the private URL reaches the browser nowhere', async (tc) => {
    const origin = await fileServer(tc, serveFile);
    const privateUrl = `${origin.url}/private/toolkit.zip?key=merchant-secret`;
    const { downloadId } = await order({ url: privateUrl, delivery: 'private', fileName: 'Photo Toolkit ü.zip' });
    const { token } = await signInByEmail(t, 'ada@example.com');
    const view = await portal(t, 'GET', '/orders', undefined, { token });
    const linkResponse = await portal(t, 'POST', `/downloads/${downloadId}/link`, undefined, { token });
    const path = new URL((await json(linkResponse)).url).pathname;

    const response = await t.app.request(path);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('location'), null);
    assert.equal(response.headers.get('content-type'), 'application/zip');
    assert.equal(response.headers.get('content-length'), String(fileBytes.length));
    assert.equal(
      response.headers.get('content-disposition'),
      'attachment; filename="Photo Toolkit _.zip"; filename*=UTF-8\'\'Photo%20Toolkit%20%C3%BC.zip',
    );
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('set-cookie'), null, "the origin's cookies stay behind");
    assert.equal(response.headers.get('x-origin-secret'), null);
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), fileBytes);
    assert.equal(origin.requests.length, 1);
    assert.equal(origin.requests[0].headers['accept-encoding'], 'identity');

    const seen = [...response.headers.entries()].flat().join('\n') + (await view.text());
    for (const leak of [origin.url, 'merchant-secret', '/private/']) assert.ok(!seen.includes(leak), leak);
  });

  test('passes a range through so a browser can resume', async (tc) => {
    const origin = await fileServer(tc, serveFile);
    const { downloadId } = await order({
      url: `${origin.url}/private/toolkit.zip?key=merchant-secret`,
      delivery: 'private',
    });
    const { token } = await signInByEmail(t, 'ada@example.com');
    const response = await t.app.request(await linkFor(downloadId, token), { headers: { range: 'bytes=100-199' } });
    assert.equal(response.status, 206);
    assert.equal(response.headers.get('content-range'), `bytes 100-199/${fileBytes.length}`);
    assert.equal(response.headers.get('content-length'), '100');
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), fileBytes.subarray(100, 200));
  });

  test("hands the first bytes on before the merchant's server has sent the rest (nothing is buffered)", async (tc) => {
    let finish!: () => void;
    const rest = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const origin = await fileServer(tc, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(Buffer.alloc(64 * 1024, 1));
      void rest.then(() => res.end(Buffer.alloc(1024, 2)));
    });
    const { downloadId } = await order({ url: `${origin.url}/big.bin`, delivery: 'private' });
    const { token } = await signInByEmail(t, 'ada@example.com');
    const response = await t.app.request(await linkFor(downloadId, token));
    assert.equal(response.status, 200);
    const reader = response.body!.getReader();
    const first = await reader.read();
    assert.equal(first.value?.[0], 1, 'the first chunk arrived while the origin still holds the rest');
    finish();
    let total = first.value!.byteLength;
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) total += chunk.value.byteLength;
    assert.equal(total, 64 * 1024 + 1024);
  });

  test("a file the merchant's server does not send is a 502 that names no URL", async (tc) => {
    const origin = await fileServer(tc, serveFile);
    const { downloadId } = await order({ url: `${origin.url}/private/missing.zip`, delivery: 'private' });
    const { token } = await signInByEmail(t, 'ada@example.com');
    const path = await linkFor(downloadId, token);
    const response = await t.app.request(path);
    assert.equal(response.status, 502);
    const text = await response.text();
    assert.equal(JSON.parse(text).error.code, 'download_unavailable');
    assert.ok(!text.includes(origin.url) && !text.includes('missing.zip'), text);
    const page = await t.app.request(path, { headers: { accept: 'text/html' } });
    assert.equal(page.status, 502);
    assert.match(await page.text(), /try again/i);
  });

  test("the store's downloadDelivery setting makes downloads without their own choice private", async (tc) => {
    const origin = await fileServer(tc, serveFile);
    const { downloadId } = await order({ url: `${origin.url}/private/toolkit.zip?key=merchant-secret` });
    const signedOne = await order({ url: 'https://cdn.example/files/a.zip', delivery: 'signed' });
    await setSetting(t, 'downloadDelivery', 'private');
    const { token } = await signInByEmail(t, 'ada@example.com');
    const streamed = await t.app.request(await linkFor(downloadId, token));
    assert.equal(streamed.status, 200);
    assert.deepEqual(Buffer.from(await streamed.arrayBuffer()), fileBytes);
    assert.equal((await t.app.request(await linkFor(signedOne.downloadId, token))).status, 302, 'its own choice wins');
  });

  test('in production, an internal address is refused when the order is recorded and when the file is fetched', async (tc) => {
    t = await createTestContext({ config: { production: true } });
    const origin = await fileServer(tc, serveFile);
    for (const url of [
      `${origin.url}/private/toolkit.zip`,
      'http://localhost/x.zip',
      'http://169.254.169.254/latest/',
    ]) {
      const response = await t.api(
        'POST',
        '/api/orders',
        oneTimeOrder({
          items: [
            {
              product: 'toolkit',
              displayName: 'T',
              quantity: 1,
              unitPrice: 1,
              fulfilments: [{ type: 'download', url, delivery: 'private' }],
            },
          ],
        }),
      );
      assert.equal(response.status, 422, url);
      assert.equal((await json(response)).error.details[0].code, 'forbidden_address');
    }
    // A name that resolves to loopback passes the first check; the fetch refuses it.
    const { downloadId } = await order({ url: 'https://files.example/toolkit.zip', delivery: 'private' });
    await t.db
      .update(fulfilments)
      .set({ downloadUrl: `${origin.url.replace('127.0.0.1', 'localhost')}/private/toolkit.zip?key=merchant-secret` })
      .where(eq(fulfilments.id, downloadId));
    const { token } = await signInByEmail(t, 'ada@example.com');
    const response = await t.app.request(await linkFor(downloadId, token));
    assert.equal(response.status, 502);
    assert.equal((await json(response)).error.code, 'download_unavailable');
    assert.equal(origin.requests.length, 0, 'nothing reached the internal server');
  });
});

describe('POST /api/orders/{orderId}/fulfilments/{fulfilmentId}/revoke', () => {
  test('stops new links and live ones with 410 download_revoked, and the portal shows the fulfilment revoked', async () => {
    const placed = await order();
    const { token } = await signInByEmail(t, 'ada@example.com');
    const live = await linkFor(placed.downloadId, token);

    const revoked = await t.api('POST', `/api/orders/${placed.id}/fulfilments/${placed.downloadId}/revoke`);
    assert.equal(revoked.status, 200);
    const view = await json(revoked);
    assert.equal(view.fulfilments[0].revokedAt, t.clock.now().toISOString());
    assert.equal(view.fulfilments[1].revokedAt, null);

    const again = await portal(t, 'POST', `/downloads/${placed.downloadId}/link`, undefined, { token });
    assert.equal(again.status, 410);
    assert.equal((await json(again)).error.code, 'download_revoked');
    const old = await t.app.request(live);
    assert.equal(old.status, 410);
    assert.equal(old.headers.get('location'), null);
    assert.equal((await json(old)).error.code, 'download_revoked');
    const page = await t.app.request(live, { headers: { accept: 'text/html' } });
    assert.equal(page.status, 410);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);

    const detail = await json(await portal(t, 'GET', `/orders/${placed.id}`, undefined, { token }));
    assert.deepEqual(
      detail.fulfilments.map((f: { type: string; revoked: boolean }) => [f.type, f.revoked]),
      [
        ['download', true],
        ['license_key', false],
      ],
    );

    t.clock.advance(MINUTE);
    const twice = await t.api('POST', `/api/orders/${placed.id}/fulfilments/${placed.downloadId}/revoke`);
    assert.equal(twice.status, 200);
    assert.equal((await json(twice)).fulfilments[0].revokedAt, view.fulfilments[0].revokedAt, 'the first time stays');
  });

  test("is a 404 for another order's, another store's or an unknown fulfilment", async () => {
    const mine = await order();
    const other = await order();
    const foreignStore = await t.addStore('other');
    assert.equal((await t.api('POST', `/api/orders/${mine.id}/fulfilments/${other.downloadId}/revoke`)).status, 404);
    assert.equal(
      (await t.api('POST', `/api/orders/${mine.id}/fulfilments/ful_doesnotexist0000000/revoke`)).status,
      404,
    );
    const cross = await t.api('POST', `/api/orders/${mine.id}/fulfilments/${mine.downloadId}/revoke`, undefined, {
      store: foreignStore,
    });
    assert.equal(cross.status, 404);
    assert.equal(
      first(await t.db.select().from(fulfilments).where(eq(fulfilments.id, mine.downloadId)))!.revokedAt,
      null,
    );
  });

  test("a refunded order's fulfilments count as revoked: no links, shown revoked", async () => {
    const placed = await order();
    const { token } = await signInByEmail(t, 'ada@example.com');
    const live = await linkFor(placed.downloadId, token);
    await t.db.update(orders).set({ status: 'refunded' }).where(eq(orders.id, placed.id));
    const link = await portal(t, 'POST', `/downloads/${placed.downloadId}/link`, undefined, { token });
    assert.equal(link.status, 410);
    assert.equal((await json(link)).error.code, 'download_revoked');
    assert.equal((await t.app.request(live)).status, 410);
    const detail = await json(await portal(t, 'GET', `/orders/${placed.id}`, undefined, { token }));
    assert.ok(detail.fulfilments.every((f: { revoked: boolean }) => f.revoked));
  });
});
