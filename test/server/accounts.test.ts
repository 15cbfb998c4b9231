import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { events } from '../../server/db/schema';
import { createTestContext, json, type TestContext } from '../helpers/app';

let t: TestContext;
beforeEach(async () => {
  t = await createTestContext();
});

const full = {
  email: '  Grace.Hopper@Example.COM ',
  firstName: 'Grace',
  lastName: 'Hopper',
  phone: '+1 555 0100',
  company: 'Navy',
  address: { line1: '1 Main St', city: 'Arlington', region: 'VA', postalCode: '22201' },
  country: 'us',
  language: 'en-us',
  customUserId: 'user-42',
  billingDetails: {
    country: 'US',
    state: 'VA',
    postalCode: '22201',
    businessName: 'Navy',
    taxId: 'US-1',
    isBusiness: true,
  },
};

describe('POST /api/accounts', () => {
  test('creates an account with a normalised email and emits account.created', async () => {
    const response = await t.api('POST', '/api/accounts', full);
    assert.equal(response.status, 201);
    const account = await json(response);
    assert.match(account.id, /^acc_[0-9a-z]{20}$/);
    assert.equal(account.email, 'grace.hopper@example.com');
    assert.equal(account.country, 'US');
    assert.equal(account.language, 'en-US');
    assert.deepEqual(account.address, {
      line1: '1 Main St',
      line2: null,
      city: 'Arlington',
      region: 'VA',
      postalCode: '22201',
    });
    assert.equal(account.billingDetails.isBusiness, true);
    const emitted = await t.db.select().from(events);
    assert.deepEqual(
      emitted.map((e) => e.type),
      ['account.created'],
    );
    assert.equal(JSON.parse(emitted[0].payload).data.id, account.id);
  });

  test('a duplicate email is a 409 with the existing id', async () => {
    const first = await json(await t.api('POST', '/api/accounts', full));
    const again = await t.api('POST', '/api/accounts', { email: 'GRACE.hopper@example.com' });
    assert.equal(again.status, 409);
    const body = await json(again);
    assert.equal(body.error.code, 'account_exists');
    assert.equal(body.error.details.accountId, first.id);
  });

  test('a duplicate customUserId is a 409 with the existing id', async () => {
    const first = await json(await t.api('POST', '/api/accounts', full));
    const again = await t.api('POST', '/api/accounts', { email: 'other@example.com', customUserId: 'user-42' });
    assert.equal(again.status, 409);
    assert.equal((await json(again)).error.details.accountId, first.id);
  });

  test('refuses bad input with field errors', async () => {
    const response = await t.api('POST', '/api/accounts', {
      email: 'not-an-email',
      country: 'Germany',
      language: 'english!',
      nickname: 'x',
    });
    assert.equal(response.status, 422);
    const fields = (await json(response)).error.details.map((d: { field: string }) => d.field);
    for (const field of ['email', 'country', 'language', ''])
      assert.ok(fields.includes(field), `${field} in ${fields}`);
  });

  test('wrong or missing credentials are a 401 JSON error', async () => {
    const none = await t.app.request('/api/accounts');
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate') ?? '', /^Basic/);
    const wrong = await t.app.request('/api/accounts', {
      headers: { authorization: `Basic ${Buffer.from(`${t.store.credentials.user}:wrong`).toString('base64')}` },
    });
    assert.equal(wrong.status, 401);
    assert.equal((await json(wrong)).error.code, 'unauthorized');
    const garbage = await t.app.request('/api/accounts', { headers: { authorization: 'Basic !!!' } });
    assert.equal(garbage.status, 401);
  });

  test('sends no CORS headers', async () => {
    const response = await t.api('GET', '/api/accounts', undefined, { headers: { origin: 'https://shop.example' } });
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    const preflight = await t.app.request('/api/accounts', {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
  });
});

describe('GET /api/accounts', () => {
  test('looks an account up by email or customUserId', async () => {
    const account = await json(await t.api('POST', '/api/accounts', full));
    assert.equal((await t.api('POST', '/api/accounts', { email: 'other@example.com' })).status, 201);
    const byEmail = await json(await t.api('GET', '/api/accounts?email=GRACE.HOPPER%40example.com'));
    assert.deepEqual(
      byEmail.data.map((a: { id: string }) => a.id),
      [account.id],
    );
    const byUser = await json(await t.api('GET', '/api/accounts?customUserId=user-42'));
    assert.deepEqual(
      byUser.data.map((a: { id: string }) => a.id),
      [account.id],
    );
    const none = await json(await t.api('GET', '/api/accounts?email=nobody%40example.com'));
    assert.deepEqual(none.data, []);
    assert.equal((await json(await t.api('GET', '/api/accounts'))).data.length, 2);
  });

  test("another store's account is a 404, and a malformed id too", async () => {
    const account = await json(await t.api('POST', '/api/accounts', full));
    const other = await t.addStore('other');
    assert.equal((await t.api('GET', `/api/accounts/${account.id}`, undefined, { store: other })).status, 404);
    assert.equal((await t.api('GET', '/api/accounts/%27%20or%201=1')).status, 404);
    assert.equal((await json(await t.api('GET', '/api/accounts', undefined, { store: other }))).data.length, 0);
  });
});

describe('PATCH /api/accounts/{id}', () => {
  test('changes only the fields sent and emits account.updated', async () => {
    const account = await json(await t.api('POST', '/api/accounts', full));
    t.clock.advance(1000);
    const response = await t.api('PATCH', `/api/accounts/${account.id}`, {
      lastName: 'Murray Hopper',
      address: { line2: 'Suite 1' },
      billingDetails: { taxId: null },
    });
    assert.equal(response.status, 200);
    const updated = await json(response);
    assert.equal(updated.lastName, 'Murray Hopper');
    assert.equal(updated.firstName, 'Grace');
    assert.equal(updated.address.line1, '1 Main St');
    assert.equal(updated.address.line2, 'Suite 1');
    assert.equal(updated.billingDetails.taxId, null);
    assert.equal(updated.billingDetails.businessName, 'Navy');
    assert.notEqual(updated.updatedAt, account.updatedAt);
    assert.deepEqual(
      (await t.db.select().from(events)).map((e) => e.type),
      ['account.created', 'account.updated'],
    );
  });

  test('an unchanged update emits nothing', async () => {
    const account = await json(await t.api('POST', '/api/accounts', full));
    const response = await t.api('PATCH', `/api/accounts/${account.id}`, { firstName: 'Grace' });
    assert.equal(response.status, 200, 'the update itself succeeds');
    assert.equal((await json(response)).firstName, 'Grace');
    assert.equal((await t.db.select().from(events)).length, 1);
  });

  test('changing the email to a taken one is a 409', async () => {
    const account = await json(await t.api('POST', '/api/accounts', full));
    const other = await json(await t.api('POST', '/api/accounts', { email: 'other@example.com' }));
    const response = await t.api('PATCH', `/api/accounts/${account.id}`, { email: 'Other@example.com' });
    assert.equal(response.status, 409);
    assert.equal((await json(response)).error.details.accountId, other.id);
    const own = await t.api('PATCH', `/api/accounts/${account.id}`, {
      email: 'grace.hopper@example.com',
      customUserId: 'user-42',
    });
    assert.equal(own.status, 200, "keeping one's own email and customUserId is fine");
  });
});

describe('GET /health and unknown routes', () => {
  test('health answers ok, unknown routes a JSON 404', async () => {
    const health = await t.app.request('/health');
    assert.equal(health.status, 200);
    assert.deepEqual(await json(health), { ok: true, database: 'ok' });
    const missing = await t.app.request('/nope');
    assert.equal(missing.status, 404);
    assert.equal((await json(missing)).error.code, 'not_found');
  });
});

describe('GET /api/openapi.json', () => {
  test('is an OpenAPI 3.1 document covering the Server API', async () => {
    const response = await t.app.request('/api/openapi.json');
    assert.equal(response.status, 200);
    const doc = await json(response);
    assert.equal(doc.openapi, '3.1.0');
    for (const path of [
      '/accounts',
      '/accounts/{accountId}',
      '/orders',
      '/orders/{orderId}',
      '/subscriptions/{subscriptionId}',
      '/products',
      '/webhook-endpoints',
      '/accounts/{accountId}/payment-methods',
    ]) {
      assert.ok(doc.paths[path], `missing ${path}`);
    }
    assert.ok(doc.components.schemas.OrderCreate);
    assert.equal(doc.components.securitySchemes.basicAuth.scheme, 'basic');
  });
});
