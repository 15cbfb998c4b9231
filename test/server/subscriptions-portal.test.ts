import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { DAY } from '../../server/lib/clock';
import { createTestContext, json, type TestContext } from '../helpers/app';
import { createCatalog } from '../helpers/fixtures';
import { portal, setSetting, signInByEmail } from '../helpers/portal';
import { startSubscription, subscribedCustomer } from '../helpers/subscriptions';

let t: TestContext;
beforeEach(async () => {
  t = await createTestContext();
});

const actionNames = [
  'change',
  'cancel',
  'cancelImmediately',
  'resume',
  'pause',
  'unpause',
  'undoScheduledChange',
  'renew',
];
const allowed = (actions: Record<string, boolean>) => actionNames.filter((name) => actions[name]);

describe('GET /portal/{store}/subscriptions', () => {
  test("lists the customer's own subscriptions in every status, newest first", async () => {
    await createCatalog(t);
    const first = await startSubscription(t);
    t.clock.advance(DAY);
    const second = await startSubscription(t, { product: 'basic-monthly', unitPrice: 900 });
    await startSubscription(t, { email: 'bob@example.com' });
    const { token } = await signInByEmail(t, 'ada@example.com');
    assert.equal(
      (
        await t.api('POST', `/api/subscriptions/${first.subscriptionId}/cancel`, {
          reason: 'unused',
          immediately: true,
        })
      ).status,
      200,
    );

    const response = await portal(t, 'GET', '/subscriptions', undefined, { token });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const { data, nextCursor } = await json(response);
    assert.deepEqual(
      data.map((s: any) => [s.id, s.state]),
      [
        [second.subscriptionId, 'active'],
        [first.subscriptionId, 'canceled'],
      ],
    );
    assert.equal(nextCursor, null);
    assert.equal(data[0].accountId, undefined, 'the portal view leaves out merchant fields');
    assert.deepEqual(allowed(data[1].actions), []);
  });

  test('needs a session of this store', async () => {
    assert.equal((await portal(t, 'GET', '/subscriptions')).status, 401);
    const s = await subscribedCustomer(t);
    const shop2 = await t.addStore('shop2');
    assert.equal((await portal(t, 'GET', '/subscriptions', undefined, { token: s.token, store: shop2 })).status, 401);
  });
});

describe('GET /portal/{store}/subscriptions/{id}', () => {
  test('shows plan, price, period, next charge, payment method, renewal mode and the open actions', async () => {
    const s = await subscribedCustomer(t, { quantity: 2 });
    const response = await s.call('GET', '');
    assert.equal(response.status, 200);
    const view = await json(response);
    assert.deepEqual(view.product, {
      id: view.product.id,
      key: 'pro-monthly',
      name: 'Pro',
      family: 'studio',
      interval: 'month',
      intervalCount: 1,
    });
    assert.equal(view.status, 'active');
    assert.equal(view.state, 'active');
    assert.equal(view.quantity, 2);
    assert.equal(view.unitPrice, 1900);
    assert.equal(view.currency, 'USD');
    assert.equal(view.taxRate, 0.19);
    assert.deepEqual(view.recurring, { amount: 3800, tax: 722, total: 4522 });
    assert.equal(view.currentPeriodStart, '2026-01-15T12:00:00.000Z');
    assert.equal(view.currentPeriodEnd, '2026-02-15T12:00:00.000Z');
    assert.deepEqual(view.nextCharge, { at: '2026-02-15T12:00:00.000Z', amount: 4522 });
    assert.equal(view.renewal, 'automatic');
    assert.deepEqual(
      { ...view.paymentMethod, id: undefined },
      { id: undefined, type: 'card', brand: 'visa', last4: '4242', expMonth: 12, expYear: 2030, expired: false },
    );
    assert.equal(view.scheduledChange, null);
    assert.equal(view.pause, null);
    assert.equal(view.cancellation, null);
    assert.deepEqual(allowed(view.actions), ['change', 'cancel']);
  });

  test('store settings open immediate cancellation and pauses', async () => {
    const s = await subscribedCustomer(t);
    await setSetting(t, 'allowImmediateCancel', 'true');
    await setSetting(t, 'pauseEnabled', 'true');
    const view = await json(await s.call('GET', ''));
    assert.deepEqual(allowed(view.actions), ['change', 'cancel', 'cancelImmediately', 'pause']);
  });

  test('a manual-renewal subscription says so, has no method and may be renewed from 30 days before its end', async () => {
    const s = await subscribedCustomer(t, { manual: true });
    let view = await json(await s.call('GET', ''));
    assert.equal(view.autoRenew, false);
    assert.equal(view.renewal, 'manual');
    assert.equal(view.paymentMethod, null);
    assert.equal(view.actions.renew, false, "the 31-day period's renewal window opens a day later");
    t.clock.advance(DAY);
    view = await json(await s.call('GET', ''));
    assert.equal(view.actions.renew, true);
  });

  test('a pending cancellation is its own state, with the cancellation and no next charge', async () => {
    const s = await subscribedCustomer(t);
    assert.equal(
      (await s.call('POST', '/cancel', { reason: 'too_expensive', comment: 'Cheaper elsewhere' })).status,
      200,
    );
    const view = await json(await s.call('GET', ''));
    assert.equal(view.status, 'active');
    assert.equal(view.state, 'pending_cancellation');
    assert.equal(view.nextCharge, null);
    assert.deepEqual(view.cancellation, {
      reason: 'too_expensive',
      comment: 'Cheaper elsewhere',
      canceledAt: '2026-01-15T12:00:00.000Z',
      endsAt: '2026-02-15T12:00:00.000Z',
    });
    assert.deepEqual(allowed(view.actions), ['resume']);
  });

  test("another account's or another store's subscription is 404 for every route", async () => {
    const s = await subscribedCustomer(t);
    const bob = await startSubscription(t, { email: 'bob@example.com' });
    const routes: [string, string, unknown?][] = [
      ['GET', ''],
      ['GET', '/plans'],
      ['POST', '/change-preview', { quantity: 2 }],
      ['POST', '/change', { quoteId: 'quo_x' }],
      ['DELETE', '/scheduled-change'],
      ['POST', '/cancel', { reason: 'other' }],
      ['POST', '/resume'],
      ['POST', '/pause', {}],
      ['POST', '/unpause'],
    ];
    await setSetting(t, 'pauseEnabled', 'true');
    for (const [method, path, body] of routes) {
      const anonymous = await portal(t, method, `/subscriptions/${s.subscriptionId}${path}`, body);
      assert.equal(anonymous.status, 401, `${method} ${path} needs a session`);
      const response = await portal(t, method, `/subscriptions/${bob.subscriptionId}${path}`, body, { token: s.token });
      assert.equal(response.status, 404, `${method} ${path}`);
      assert.equal((await json(response)).error.code, 'not_found');
    }
    const shop2 = await t.addStore('shop2');
    await createCatalog(t, shop2);
    const foreign = await startSubscription(t, { store: shop2 });
    assert.equal(
      (await portal(t, 'GET', `/subscriptions/${foreign.subscriptionId}`, undefined, { token: s.token })).status,
      404,
    );
    assert.equal((await t.api('GET', `/api/subscriptions/${foreign.subscriptionId}`)).status, 404);
    assert.equal(
      (await t.api('POST', `/api/subscriptions/${foreign.subscriptionId}/cancel`, { reason: 'other' })).status,
      404,
    );
    const bobView = await json(await t.api('GET', `/api/subscriptions/${bob.subscriptionId}`));
    assert.equal(bobView.status, 'active', 'nothing happened to it');
  });
});

describe('Server API', () => {
  test('GET /api/subscriptions/{id} shows the cancellation reason and comment', async () => {
    const s = await subscribedCustomer(t);
    assert.equal(
      (await s.call('POST', '/cancel', { reason: 'missing_features', comment: 'No RAW support' })).status,
      200,
    );
    const response = await t.api('GET', `/api/subscriptions/${s.subscriptionId}`);
    assert.equal(response.status, 200);
    const view = await json(response);
    assert.equal(view.cancelAtPeriodEnd, true);
    assert.deepEqual(view.cancellation, {
      reason: 'missing_features',
      comment: 'No RAW support',
      canceledAt: '2026-01-15T12:00:00.000Z',
      endsAt: '2026-02-15T12:00:00.000Z',
    });
    assert.equal(view.paymentMethod.last4, '4242');
    const list = await json(await t.api('GET', `/api/subscriptions?accountId=${s.accountId}`));
    assert.equal(list.data[0].cancellation.reason, 'missing_features');
  });

  test('GET /api/cancellation-reasons lists the codes with English labels', async () => {
    const response = await t.api('GET', '/api/cancellation-reasons');
    assert.equal(response.status, 200);
    const { data } = await json(response);
    assert.deepEqual(
      data.map((r: any) => r.code),
      [
        'too_expensive',
        'missing_features',
        'switched_service',
        'unused',
        'customer_service',
        'too_complex',
        'low_quality',
        'other',
      ],
    );
    assert.ok(data.every((r: any) => typeof r.label === 'string' && r.label.length > 3));
    assert.equal((await t.app.request('/api/cancellation-reasons')).status, 401);
  });

  test('the OpenAPI documents describe every lifecycle route', async () => {
    const api = await json(await t.app.request('/api/openapi.json'));
    for (const path of [
      '/subscriptions/{subscriptionId}/change-preview',
      '/subscriptions/{subscriptionId}/change',
      '/subscriptions/{subscriptionId}/cancel',
      '/subscriptions/{subscriptionId}/resume',
      '/subscriptions/{subscriptionId}/pause',
      '/subscriptions/{subscriptionId}/unpause',
      '/subscriptions/{subscriptionId}/scheduled-change',
      '/cancellation-reasons',
    ]) {
      assert.ok(api.paths[path], `${path} in /api/openapi.json`);
    }
    assert.match(api.components.schemas.PlanChangeQuote.description, /rounded half up/);
    const portalDoc = await json(await t.app.request('/portal/openapi.json'));
    for (const path of [
      '/{storeId}/subscriptions',
      '/{storeId}/subscriptions/{subscriptionId}',
      '/{storeId}/subscriptions/{subscriptionId}/plans',
      '/{storeId}/subscriptions/{subscriptionId}/change-preview',
      '/{storeId}/subscriptions/{subscriptionId}/cancel',
    ]) {
      assert.ok(portalDoc.paths[path], `${path} in /portal/openapi.json`);
    }
  });
});
