import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { DEFAULT_HTTP_LIMITS, httpServerOptions } from '../../server/lib/http-server';
import { SECURITY_HEADERS } from '../../server/middleware/response-headers';
import { API_BODY_LIMIT } from '../../server/routes/server-api';
import { createTestContext, type TestContext } from '../helpers/app';
import { signInByEmail } from '../helpers/portal';

/** Headers that differ between two answers to the same request by nature. */
const VOLATILE = new Set(['date', 'connection', 'keep-alive', 'x-request-id', 'content-length', 'set-cookie']);

const comparable = (headers: Headers) =>
  Object.fromEntries([...headers].filter(([name]) => !VOLATILE.has(name)).sort(([a], [b]) => a.localeCompare(b)));

describe('response headers added by middleware', () => {
  let t: TestContext;
  let servers: ServerType[];
  // The portal's own server (main.ts's options: headers go to its DefaultingServerResponse), and the app
  // served by a plain @hono/node-server of someone else's (they go on the Response's Headers).
  let base: string;
  let plainBase: string;
  let token: string;

  before(async () => {
    t = await createTestContext();
    assert.equal((await t.api('POST', '/api/accounts', { email: 'headers@example.com' })).status, 201);
    token = (await signInByEmail(t, 'headers@example.com')).token;
    const listen = (serverOptions?: object) =>
      new Promise<ServerType>((resolve) => {
        const server = serve({ fetch: t.app.fetch, hostname: '127.0.0.1', port: 0, serverOptions }, () =>
          resolve(server),
        );
      });
    servers = [await listen(httpServerOptions(DEFAULT_HTTP_LIMITS)), await listen()];
    [base, plainBase] = servers.map((server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  after(() => servers.forEach((server) => server.close()));

  test("are Hono's secureHeaders() defaults", async () => {
    const probe = new Hono().use(secureHeaders()).get('/', (c) => c.text('ok'));
    const expected = [...(await probe.request('/')).headers].filter(([name]) => name !== 'content-type');
    assert.deepEqual(SECURITY_HEADERS.map(([name, value]) => [name.toLowerCase(), value]).sort(), expected.sort());
  });

  // Served by Node they go on the ServerResponse, in-process on the Response: the same answer either way.
  const requests: [string, string, RequestInit?][] = [
    ['signed in, from an allowed origin', '/portal/shop/me', { headers: { origin: 'https://shop.example' } }],
    ['a disallowed origin', '/portal/shop/me', { headers: { origin: 'https://evil.example' } }],
    ['a public route with its own caching', '/portal/shop/config'],
    ['an error', '/portal/shop/orders/ord_unknown'],
    ['an unknown store', '/portal/nope/me'],
    [
      'a preflight',
      '/portal/shop/me',
      { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'GET' } },
    ],
    ['the Server API', '/api/accounts'],
    ['the Server API without credentials', '/api/orders'],
    ['the hosted page, with its own framing policy', '/account/shop'],
    ['no route', '/nowhere'],
  ];
  for (const [name, path, init] of requests) {
    test(`are the same over HTTP as in-process: ${name}`, async () => {
      const headers = new Headers(init?.headers);
      if (path.startsWith('/portal/shop/') && init?.method !== 'OPTIONS')
        headers.set('authorization', `Bearer ${token}`);
      if (path === '/api/accounts') headers.set('authorization', t.store.auth);
      const inProcess = await t.app.request(path, { ...init, headers });
      for (const server of [base, plainBase]) {
        const overHttp = await fetch(`${server}${path}`, { ...init, headers });
        assert.equal(overHttp.status, inProcess.status, name);
        assert.deepEqual(comparable(overHttp.headers), comparable(inProcess.headers), name);
        assert.ok(overHttp.headers.get('x-request-id'), `${name}: a request id`);
        if (overHttp.status !== 404 || path.startsWith('/portal')) {
          assert.equal(overHttp.headers.get('x-content-type-options'), 'nosniff', name);
        }
      }
    });
  }

  test('a Server API answer after the credentials is no-store, an error from a later middleware too', async () => {
    const tooLarge = 'x'.repeat(API_BODY_LIMIT + 1);
    for (const server of [base, plainBase]) {
      const response = await fetch(`${server}/api/accounts`, {
        method: 'POST',
        headers: { authorization: t.store.auth, 'content-type': 'application/json' },
        body: JSON.stringify({ email: tooLarge }),
      });
      assert.equal(response.status, 413);
      assert.equal(response.headers.get('cache-control'), 'no-store');
    }
  });

  test("a route's own header wins over a middleware's default, over HTTP too", async () => {
    const page = await fetch(`${base}/account/shop`);
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    const config = await fetch(`${base}/portal/shop/config`);
    assert.notEqual(config.headers.get('cache-control'), 'no-store');
    const me = await fetch(`${base}/portal/shop/me`, {
      headers: { authorization: `Bearer ${token}`, origin: 'https://shop.example' },
    });
    assert.equal(me.headers.get('cache-control'), 'no-store');
    assert.equal(me.headers.get('vary'), 'Origin');
    assert.equal(me.headers.get('access-control-allow-origin'), 'https://shop.example');
  });
});
