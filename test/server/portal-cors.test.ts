import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { createTestContext, type TestContext } from '../helpers/app';
import { portal } from '../helpers/portal';

let t: TestContext;
beforeEach(async () => {
  t = await createTestContext();
});

const preflight = (origin: string) =>
  t.app.request('/portal/shop/me', {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
  });

describe('Portal API CORS', () => {
  test('echoes an allowed origin with credentials, and Vary: Origin', async () => {
    const response = await portal(t, 'GET', '/me', undefined, { headers: { origin: 'https://shop.example' } });
    assert.equal(response.headers.get('access-control-allow-origin'), 'https://shop.example');
    assert.equal(response.headers.get('access-control-allow-credentials'), 'true');
    assert.match(response.headers.get('vary') ?? '', /Origin/);
    const pre = await preflight('https://shop.example');
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), 'https://shop.example');
    assert.match(pre.headers.get('access-control-allow-headers') ?? '', /authorization/);
    assert.match(pre.headers.get('access-control-allow-methods') ?? '', /PATCH/);
  });

  test("allows the server's own origin (the hosted page)", async () => {
    const response = await portal(t, 'GET', '/me', undefined, { headers: { origin: 'https://portal.test' } });
    assert.equal(response.headers.get('access-control-allow-origin'), 'https://portal.test');
  });

  test('never echoes a disallowed origin, nor names another one', async () => {
    for (const origin of [
      'https://evil.example',
      'https://shop.example.evil.example',
      'null',
      'https://other.example',
    ]) {
      const response = await portal(t, 'POST', '/login-links', { email: 'a@example.com' }, { headers: { origin } });
      assert.equal(response.headers.get('access-control-allow-origin'), null, origin);
      assert.equal(response.headers.get('access-control-allow-credentials'), null);
      assert.match(response.headers.get('vary') ?? '', /Origin/);
      const pre = await preflight(origin);
      assert.equal(pre.headers.get('access-control-allow-origin'), null, origin);
    }
  });

  test('an origin allowed for one store is not allowed at another', async () => {
    await t.addStore('other');
    const response = await t.app.request('/portal/other/me', { headers: { origin: 'https://shop.example' } });
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    const own = await t.app.request('/portal/other/me', { headers: { origin: 'https://other.example' } });
    assert.equal(own.headers.get('access-control-allow-origin'), 'https://other.example');
  });

  test('rate-limit answers carry CORS headers so the widget can read Retry-After', async () => {
    const headers = { origin: 'https://shop.example' };
    assert.equal((await portal(t, 'POST', '/login-links', { email: 'a@example.com' }, { headers })).status, 202);
    const limited = await portal(t, 'POST', '/login-links', { email: 'a@example.com' }, { headers });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('access-control-allow-origin'), 'https://shop.example');
    assert.match(limited.headers.get('access-control-expose-headers') ?? '', /Retry-After/);
  });

  test('secure headers on everything', async () => {
    for (const path of ['/health', '/metrics', '/api/openapi.json', '/portal/shop/me']) {
      const response = await t.app.request(path);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer', path);
      assert.ok(response.headers.get('strict-transport-security'), path);
    }
  });
});
