import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { createTestContext, json, type TestContext } from '../helpers/app';

let t: TestContext;
beforeEach(() => {
  t = createTestContext();
});

describe('Server API authentication', () => {
  test('GET /api/openapi.json is public', async () => {
    const response = await t.app.request('/api/openapi.json');
    assert.equal(response.status, 200);
    assert.equal((await json(response)).info.title, 'Account Portal Server API');
  });

  test('any other path ending in /openapi.json needs credentials', async () => {
    for (const [method, path] of [
      ['GET', '/api/accounts/openapi.json'], ['GET', '/api/orders/openapi.json'], ['PATCH', '/api/accounts/openapi.json'],
      ['GET', '/api/accounts/acc_1/openapi.json'], ['POST', '/api/openapi.json'], ['GET', '/api/openapi.json/openapi.json'],
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
