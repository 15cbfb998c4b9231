import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { MINUTE, SECOND } from '../../server/lib/clock';
import { basic, createTestContext, json, type TestContext } from '../helpers/app';

let t: TestContext;
beforeEach(async () => {
  t = await createTestContext();
});

describe('Server API authentication', () => {
  test('GET /api/openapi.json is public', async () => {
    const response = await t.app.request('/api/openapi.json');
    assert.equal(response.status, 200);
    assert.equal((await json(response)).info.title, 'Account Portal Server API');
  });

  test('any other path ending in /openapi.json needs credentials', async () => {
    for (const [method, path] of [
      ['GET', '/api/accounts/openapi.json'],
      ['GET', '/api/orders/openapi.json'],
      ['PATCH', '/api/accounts/openapi.json'],
      ['GET', '/api/accounts/acc_1/openapi.json'],
      ['POST', '/api/openapi.json'],
      ['GET', '/api/openapi.json/openapi.json'],
    ]) {
      const response = await t.app.request(path, { method });
      assert.equal(response.status, 401, `${method} ${path}`);
      assert.equal((await json(response)).error.code, 'unauthorized');
      assert.match(response.headers.get('www-authenticate') ?? '', /^Basic /);
    }
  });

  test('with credentials, /api/accounts/openapi.json is just an unknown account', async () => {
    const response = await t.api('GET', '/api/accounts/openapi.json');
    assert.equal(response.status, 404);
    assert.equal((await json(response)).error.code, 'not_found');
  });
});

const call = (authorization: string, ip: string) =>
  t.app.request('/api/accounts', { headers: { authorization, 'x-forwarded-for': ip } });
const wrong = () => basic({ user: t.store.credentials.user, password: 'not-the-password' });
const right = () => t.store.auth;

describe('Server API authentication limits', () => {
  beforeEach(async () => {
    t = await createTestContext({ config: { trustProxy: true } });
  });

  test('of 300 parallel requests with a wrong password from one address, 30 are checked and the rest get 429 with Retry-After', async () => {
    const responses = await Promise.all(Array.from({ length: 300 }, () => call(wrong(), '203.0.113.9')));
    const statuses = responses.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 401).length, 30);
    assert.equal(statuses.filter((s) => s === 429).length, 270);
    const limited = responses.find((r) => r.status === 429)!;
    assert.equal(limited.headers.get('retry-after'), '600');
    const body = await json(limited);
    assert.equal(body.error.code, 'too_many_auth_failures_from_address');
    assert.equal(body.error.details.retryAfterSeconds, 600);
  });

  test('a limited address waits even with the right password; other addresses do not', async () => {
    for (let i = 0; i < 30; i++) assert.equal((await call(wrong(), '203.0.113.9')).status, 401);
    assert.equal((await call(right(), '203.0.113.9')).status, 429);
    assert.equal((await call(right(), '203.0.113.10')).status, 200);
    t.clock.advance(10 * MINUTE + SECOND);
    assert.equal((await call(right(), '203.0.113.9')).status, 200, 'the window has passed');
  });

  test('successful and credential-less requests are not counted', async () => {
    for (let i = 0; i < 40; i++) assert.equal((await call(right(), '203.0.113.9')).status, 200);
    for (let i = 0; i < 40; i++) {
      assert.equal(
        (await t.app.request('/api/accounts', { headers: { 'x-forwarded-for': '203.0.113.9' } })).status,
        401,
      );
    }
    assert.equal((await call(wrong(), '203.0.113.9')).status, 401);
  });

  test('100 failures for one API user: addresses that failed are refused, addresses that did not go on', async () => {
    for (let i = 0; i < 100; i++) assert.equal((await call(wrong(), `198.51.100.${i}`)).status, 401);
    const refused = await call(right(), '198.51.100.7');
    assert.equal(refused.status, 429);
    assert.equal((await json(refused)).error.code, 'too_many_auth_failures_for_user');
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    assert.equal((await call(right(), '192.0.2.1')).status, 200, "the merchant's own backend is not locked out");
    assert.equal((await call(wrong(), '192.0.2.2')).status, 401, 'a fresh address is heard once');
    assert.equal((await call(wrong(), '192.0.2.2')).status, 429, 'and then refused');
    const other = await t.addStore('other');
    assert.equal((await call(other.auth, '198.51.100.8')).status, 200, 'another API user is not affected');
  });
});
