import { mapInOrder } from '../../server/lib/in-order';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { idempotencyKeys } from '../../server/db/schema';
import { claimIdempotencyKey, completeIdempotencyKey, IDEMPOTENCY_CLAIM_MS } from '../../server/services/idempotency';
import { rotateCredentials } from '../../server/services/stores/stores';
import { basic, createTestContext, json, type TestContext } from '../helpers/app';
import { createCatalog, oneTimeOrder } from '../helpers/fixtures';
import { startSubscription, testToken } from '../helpers/subscriptions';
import { rowsOf, tableNames } from '../helpers/engine-sql';

/** A request that succeeds on a fresh store: its path (under /api) and body, and another body for the same path. */
interface Case {
  path: string;
  body?: unknown;
  otherBody: unknown;
}

const card = () => ({ token: testToken(), brand: 'visa', last4: '4242', expMonth: 12, expYear: 2030 });

/** Every POST of the Server API, by its OpenAPI path: how to make one that succeeds. */
const cases: Record<string, (t: TestContext) => Promise<Case>> = {
  '/accounts': async () => ({
    path: '/accounts',
    body: { email: 'grace@example.com' },
    otherBody: { email: 'ada@example.com' },
  }),
  '/accounts/authenticate': async (t) => {
    const { accountId } = await startSubscription(t);
    return {
      path: '/accounts/authenticate',
      body: { accountIds: [accountId] },
      otherBody: { accountIds: [accountId, accountId] },
    };
  },
  '/accounts/{accountId}/authenticate': async (t) => {
    const { accountId } = await startSubscription(t);
    return {
      path: `/accounts/${accountId}/authenticate`,
      body: { capabilities: ['read-only'], landingRoute: '/orders' },
      otherBody: { capabilities: ['no-cancel'] },
    };
  },
  '/accounts/{accountId}/invitations': async (t) => {
    const { accountId } = await startSubscription(t);
    return { path: `/accounts/${accountId}/invitations`, otherBody: { note: 'other' } };
  },
  '/accounts/{accountId}/payment-methods': async (t) => {
    const { accountId } = await startSubscription(t);
    return { path: `/accounts/${accountId}/payment-methods`, body: card(), otherBody: card() };
  },
  '/orders': async () => ({ path: '/orders', body: oneTimeOrder(), otherBody: oneTimeOrder({ currency: 'EUR' }) }),
  '/orders/{orderId}/fulfilments/{fulfilmentId}/revoke': async (t) => {
    const order = await json(await t.api('POST', '/api/orders', oneTimeOrder()));
    return {
      path: `/orders/${order.id}/fulfilments/${order.fulfilments[1].id}/revoke`,
      otherBody: { reason: 'refund' },
    };
  },
  '/orders/{orderId}/refunds': async (t) => {
    const order = await json(await t.api('POST', '/api/orders', oneTimeOrder()));
    return {
      path: `/orders/${order.id}/refunds`,
      body: { amount: 1000, reason: 'Late delivery' },
      otherBody: { amount: 500 },
    };
  },
  '/products': async () => ({
    path: '/products',
    body: { key: 'brushes', name: 'Brushes', kind: 'one_time', prices: { USD: 900 } },
    otherBody: { key: 'brushes', name: 'Brushes', kind: 'one_time', prices: { USD: 1900 } },
  }),
  '/webhook-endpoints': async () => ({
    path: '/webhook-endpoints',
    body: { url: 'https://hooks.shop.example/portal' },
    otherBody: { url: 'https://hooks.shop.example/other' },
  }),
  '/subscriptions/{subscriptionId}/cancel': async (t) => {
    const { subscriptionId } = await startSubscription(t);
    return {
      path: `/subscriptions/${subscriptionId}/cancel`,
      body: { reason: 'unused' },
      otherBody: { reason: 'other' },
    };
  },
  '/subscriptions/{subscriptionId}/resume': async (t) => {
    const { subscriptionId } = await startSubscription(t);
    await t.api('POST', `/api/subscriptions/${subscriptionId}/cancel`, { reason: 'unused' });
    return { path: `/subscriptions/${subscriptionId}/resume`, otherBody: {} };
  },
  '/subscriptions/{subscriptionId}/pause': async (t) => {
    const { subscriptionId } = await startSubscription(t);
    return { path: `/subscriptions/${subscriptionId}/pause`, body: { periods: 1 }, otherBody: { periods: 2 } };
  },
  '/subscriptions/{subscriptionId}/unpause': async (t) => {
    const { subscriptionId } = await startSubscription(t);
    await t.api('POST', `/api/subscriptions/${subscriptionId}/pause`, { periods: 1 });
    return { path: `/subscriptions/${subscriptionId}/unpause`, otherBody: {} };
  },
  '/subscriptions/{subscriptionId}/change-preview': async (t) => {
    const { subscriptionId } = await startSubscription(t);
    return {
      path: `/subscriptions/${subscriptionId}/change-preview`,
      body: { quantity: 2 },
      otherBody: { quantity: 3 },
    };
  },
  '/subscriptions/{subscriptionId}/change': async (t) => {
    const { subscriptionId } = await startSubscription(t);
    const quote = await json(
      await t.api('POST', `/api/subscriptions/${subscriptionId}/change-preview`, { quantity: 2 }),
    );
    return {
      path: `/subscriptions/${subscriptionId}/change`,
      body: { quoteId: quote.id },
      otherBody: { quoteId: 'quo_other' },
    };
  },
};

/** Every row of every table, to show that a replay changes nothing at all (rows sorted, so on either engine). */
async function dump(t: TestContext): Promise<string> {
  return JSON.stringify(
    await mapInOrder(await tableNames(t.db), async (name) => [
      name,
      (await rowsOf(t.db, `select * from "${name}"`)).map((row) => JSON.stringify(row)).sort(),
    ]),
  );
}

async function postOperations(): Promise<string[]> {
  const doc = await json(await (await createTestContext()).app.request('/api/openapi.json'));
  return Object.entries(doc.paths as Record<string, Record<string, unknown>>)
    .filter(([, operations]) => operations.post)
    .map(([path]) => path)
    .sort();
}

describe('Idempotency-Key on every POST of the Server API', () => {
  test('every POST in the OpenAPI document is covered here (a new POST route needs a case)', async () => {
    assert.deepEqual(await postOperations(), Object.keys(cases).sort());
  });

  for (const [operation, setup] of Object.entries(cases)) {
    test(`POST ${operation}: the same key and body replay the first response and change nothing; another body is a 422`, async () => {
      const t = await createTestContext();
      await createCatalog(t);
      const { path, body, otherBody } = await setup(t);
      const headers = { 'idempotency-key': `key-${operation}` };
      const first = await t.api('POST', `/api${path}`, body, { headers });
      assert.ok(first.status >= 200 && first.status < 300, `${first.status} ${await first.clone().text()}`);
      assert.equal(first.headers.get('idempotent-replayed'), null);
      const before = await dump(t);

      const again = await t.api('POST', `/api${path}`, body, { headers });
      assert.equal(again.status, first.status);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.match(again.headers.get('content-type') ?? '', /application\/json/);
      assert.equal(again.headers.get('cache-control'), 'no-store');
      assert.deepEqual(await json(again), await json(first));
      assert.equal(await dump(t), before, 'the replay changed nothing');

      const other = await t.api('POST', `/api${path}`, otherBody, { headers });
      assert.equal(other.status, 422);
      assert.equal((await json(other)).error.code, 'idempotency_key_reused');
      assert.equal(await dump(t), before, 'nor did the refused request');
    });
  }
});

describe('Idempotency-Key on the Server API', () => {
  test('POST /api/webhook-endpoints with one key creates one endpoint, and replays its secret', async () => {
    const t = await createTestContext();
    const headers = { 'idempotency-key': 'hook-1' };
    const first = await t.api(
      'POST',
      '/api/webhook-endpoints',
      { url: 'https://hooks.shop.example/portal' },
      { headers },
    );
    const second = await t.api(
      'POST',
      '/api/webhook-endpoints',
      { url: 'https://hooks.shop.example/portal' },
      { headers },
    );
    assert.equal(first.status, 201);
    assert.equal(second.status, 201);
    assert.equal((await json(second)).secret, (await json(first)).secret);
    assert.equal((await json(await t.api('GET', '/api/webhook-endpoints'))).data.length, 1);
  });

  test('a failed request is not remembered: corrected, it runs with the same key', async () => {
    const t = await createTestContext();
    const headers = { 'idempotency-key': 'account-1' };
    const bad = await t.api('POST', '/api/accounts', { email: 'not an email' }, { headers });
    assert.equal(bad.status, 422);
    const good = await t.api('POST', '/api/accounts', { email: 'grace@example.com' }, { headers });
    assert.equal(good.status, 201);
    assert.equal(good.headers.get('idempotent-replayed'), null);
  });

  test('a path longer than a key can be derived from is refused by its route, not a server error', async () => {
    const t = await createTestContext();
    const headers = { 'idempotency-key': 'long-path' };
    const path = `/api/accounts/${'x'.repeat(1500)}/payment-methods`;
    const response = await t.api('POST', path, { type: 'card' }, { headers });
    assert.ok(response.status >= 400 && response.status < 500, `status ${response.status}`);
  });

  test('keys are per path, and JSON bodies compare by content, not by spacing or key order', async () => {
    const t = await createTestContext();
    const headers = { 'idempotency-key': 'same' };
    const account = await t.api('POST', '/api/accounts', '{"email":"grace@example.com","firstName":"Grace"}', {
      headers,
    });
    assert.equal(account.status, 201);
    const reordered = await t.api('POST', '/api/accounts', '{ "firstName": "Grace",  "email": "grace@example.com" }', {
      headers,
    });
    assert.equal(reordered.headers.get('idempotent-replayed'), 'true');
    const product = await t.api(
      'POST',
      '/api/products',
      { key: 'brushes', name: 'Brushes', kind: 'one_time', prices: { USD: 900 } },
      { headers },
    );
    assert.equal(product.status, 201, 'another path, another key');
  });

  test('stored responses are encrypted: neither a sign-in URL nor a webhook secret is readable in the database', async () => {
    const t = await createTestContext();
    const account = await json(await t.api('POST', '/api/accounts', { email: 'grace@example.com' }));
    const signIn = await json(
      await t.api(
        'POST',
        '/api/accounts/authenticate',
        { accountIds: [account.id] },
        { headers: { 'idempotency-key': 'a' } },
      ),
    );
    const hook = await json(
      await t.api(
        'POST',
        '/api/webhook-endpoints',
        { url: 'https://hooks.shop.example/x' },
        { headers: { 'idempotency-key': 'b' } },
      ),
    );
    const stored = JSON.stringify(await t.db.select().from(idempotencyKeys));
    const token = new URL(signIn.data[0].url).searchParams.get('portal_token')!;
    assert.ok(token && !stored.includes(token), 'no sign-in token at rest');
    assert.ok(!stored.includes(hook.secret.slice('whsec_'.length)), 'no webhook secret at rest');
    assert.ok(!stored.includes('grace@example.com'));
  });

  test('after the credentials are rotated, an old key is refused rather than run again', async () => {
    const t = await createTestContext();
    const headers = { 'idempotency-key': 'rotate-me' };
    assert.equal((await t.api('POST', '/api/accounts', { email: 'grace@example.com' }, { headers })).status, 201);
    const credentials = await rotateCredentials(t.db, t.clock, 'shop');
    const retry = await t.api(
      'POST',
      '/api/accounts',
      { email: 'grace@example.com' },
      {
        headers: { ...headers, authorization: basic(credentials) },
      },
    );
    assert.equal(retry.status, 422);
    assert.equal((await json(retry)).error.code, 'idempotency_key_reused');
  });

  test('a second request while the first still runs is a 409 with Retry-After; a claim left by a crash frees after 5 minutes', async () => {
    const t = await createTestContext();
    const body = { email: 'grace@example.com' };
    // The first request holds the key (as it does while it awaits, say, a payment gateway).
    const running = await claimIdempotencyKey(t.db, t.clock, {
      storeId: 'shop',
      scope: 'POST /api/accounts',
      key: 'busy',
      request: body,
      callerSecret: t.store.credentials.password,
    });
    assert.equal(running.replay, false);
    const second = await t.api('POST', '/api/accounts', body, { headers: { 'idempotency-key': 'busy' } });
    assert.equal(second.status, 409);
    assert.equal((await json(second)).error.code, 'idempotency_key_in_use');
    assert.equal(second.headers.get('retry-after'), '1');

    t.clock.advance(IDEMPOTENCY_CLAIM_MS + 1000);
    const later = await t.api('POST', '/api/accounts', body, { headers: { 'idempotency-key': 'busy' } });
    assert.equal(later.status, 201, 'the abandoned claim is taken over');
    if (!running.replay) await completeIdempotencyKey(t.db, running.claim, { status: 500, body: '{}' });
    const replay = await t.api('POST', '/api/accounts', body, { headers: { 'idempotency-key': 'busy' } });
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    assert.equal(replay.status, 201, 'the stale claim could not overwrite the response');
  });
});
