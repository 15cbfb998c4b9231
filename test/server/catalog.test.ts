import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { createTestContext, json, type TestContext } from '../helpers/app';
import { encodeTestToken } from '../../server/payments/test-gateway';
import { createCatalog, subscriptionOrder } from '../helpers/fixtures';

let t: TestContext;
beforeEach(async () => {
  t = await createTestContext();
});

describe('POST /api/products', () => {
  test('creates plans and lists them by family and sort order', async () => {
    await createCatalog(t);
    const list = await json(await t.api('GET', '/api/products?family=studio'));
    assert.deepEqual(
      list.data.map((p: { key: string }) => p.key),
      ['basic-monthly', 'pro-monthly', 'pro-yearly'],
    );
    const pro = await json(await t.api('GET', '/api/products/pro-monthly'));
    assert.equal(pro.interval, 'month');
    assert.deepEqual(pro.prices, { USD: 1900, EUR: 1700, JPY: 2500 });
    assert.equal((await json(await t.api('GET', `/api/products/${pro.id}`))).key, 'pro-monthly');
  });

  test('validates kind, interval and prices; a taken key is a 409', async () => {
    const noInterval = await t.api('POST', '/api/products', {
      key: 'x',
      name: 'X',
      kind: 'subscription',
      prices: { USD: 1 },
    });
    assert.equal(noInterval.status, 422);
    const badCurrency = await t.api('POST', '/api/products', {
      key: 'x',
      name: 'X',
      kind: 'one_time',
      prices: { DOLLARS: 1 },
    });
    assert.equal(badCurrency.status, 422);
    const negative = await t.api('POST', '/api/products', {
      key: 'x',
      name: 'X',
      kind: 'one_time',
      prices: { USD: -1 },
    });
    assert.equal(negative.status, 422);
    await createCatalog(t);
    const taken = await t.api('POST', '/api/products', {
      key: 'toolkit',
      name: 'X',
      kind: 'one_time',
      prices: { USD: 1 },
    });
    assert.equal(taken.status, 409);
  });
});

describe('PATCH /api/products/{id}', () => {
  test('sets which plans customers may switch to, without touching existing subscriptions', async () => {
    await createCatalog(t);
    const order = await json(await t.api('POST', '/api/orders', subscriptionOrder()));
    const response = await t.api('PATCH', '/api/products/pro-monthly', {
      prices: { USD: 2900 },
      switchableTo: ['pro-yearly'],
      hidden: true,
    });
    assert.equal(response.status, 200);
    const pro = await json(response);
    assert.deepEqual(pro.switchableTo, ['pro-yearly']);
    assert.equal(pro.hidden, true);
    const sub = await json(await t.api('GET', `/api/subscriptions/${order.items[0].subscriptionId}`));
    assert.equal(sub.unitPrice, 1900);
    const other = await t.addStore('other');
    assert.equal((await t.api('PATCH', '/api/products/pro-monthly', { hidden: false }, { store: other })).status, 404);
  });
});

describe('POST /api/accounts/{id}/payment-methods', () => {
  const visa = encodeTestToken({ brand: 'visa', last4: '4242', expMonth: 1, expYear: 2026, behaviour: 'succeeds' });
  const mastercard = encodeTestToken({
    brand: 'mastercard',
    last4: '4444',
    expMonth: 8,
    expYear: 2029,
    behaviour: 'succeeds',
  });

  test('attaches a token that is never returned; the first method is the default', async () => {
    const account = await json(await t.api('POST', '/api/accounts', { email: 'pay@example.com' }));
    const first = await t.api('POST', `/api/accounts/${account.id}/payment-methods`, {
      token: visa,
      brand: 'visa',
      last4: '4242',
      expMonth: 1,
      expYear: 2026,
    });
    assert.equal(first.status, 201);
    const firstText = await first.text();
    assert.ok(!firstText.includes(visa));
    const created = JSON.parse(firstText);
    assert.equal(created.isDefault, true);
    assert.equal(created.expired, false, 'a card is valid through the end of its expiry month');

    const second = await json(
      await t.api('POST', `/api/accounts/${account.id}/payment-methods`, {
        token: mastercard,
        brand: 'mastercard',
        last4: '4444',
        makeDefault: true,
      }),
    );
    assert.equal(second.isDefault, true);
    const again = await t.api('POST', `/api/accounts/${account.id}/payment-methods`, {
      token: mastercard,
      last4: '4444',
    });
    assert.equal((await json(again)).id, second.id, 'the same token is one method');

    t.clock.set('2026-02-01T00:00:00Z');
    const list = await t.api('GET', `/api/accounts/${account.id}/payment-methods`);
    const listText = await list.text();
    assert.ok(!listText.includes('tok_test_'));
    const methods = JSON.parse(listText).data;
    assert.deepEqual(
      methods.map((m: { id: string }) => m.id),
      [second.id, created.id],
      'default first',
    );
    assert.equal(methods[1].expired, true);
    assert.equal(methods[1].isDefault, false);
  });

  test('asks the processor first: its card details win, and a token it refuses is a 402 payment_declined (declineCode invalid_token) with nothing saved', async () => {
    const account = await json(await t.api('POST', '/api/accounts', { email: 'pay@example.com' }));
    const saved = await t.api('POST', `/api/accounts/${account.id}/payment-methods`, {
      token: mastercard,
      brand: 'visa',
      last4: '1111',
    });
    assert.equal(saved.status, 201);
    assert.deepEqual(
      (({ brand, last4, expMonth, expYear }) => ({ brand, last4, expMonth, expYear }))(await json(saved)),
      { brand: 'mastercard', last4: '4444', expMonth: 8, expYear: 2029 },
    );

    const madeUp = await t.api('POST', `/api/accounts/${account.id}/payment-methods`, {
      token: 'tok_from_nowhere',
      last4: '4242',
    });
    assert.equal(madeUp.status, 402);
    const body = await json(madeUp);
    assert.equal(body.error.code, 'payment_declined');
    assert.equal(body.error.details.declineCode, 'invalid_token');
    const declined = encodeTestToken({
      brand: 'visa',
      last4: '0002',
      expMonth: 12,
      expYear: 2030,
      behaviour: 'declined_at_setup',
    });
    const refused = await t.api('POST', `/api/accounts/${account.id}/payment-methods`, { token: declined });
    assert.equal(refused.status, 402);
    assert.equal((await json(refused)).error.details.declineCode, 'card_declined');
    const list = await json(await t.api('GET', `/api/accounts/${account.id}/payment-methods`));
    assert.equal(list.data.length, 1);
  });

  test('validates the method and the account', async () => {
    const account = await json(await t.api('POST', '/api/accounts', { email: 'pay@example.com' }));
    const bad = await t.api('POST', `/api/accounts/${account.id}/payment-methods`, {
      token: 'tok',
      last4: '42',
      cardNumber: '4242424242424242',
    });
    assert.equal(bad.status, 422);
    const fields = (await json(bad)).error.details.map((d: { field: string }) => d.field);
    assert.ok(fields.includes('last4'));
    assert.ok(fields.includes(''), 'an unknown field such as a card number is refused');
    const other = await t.addStore('other');
    const cross = await t.api('POST', `/api/accounts/${account.id}/payment-methods`, { token: visa }, { store: other });
    assert.equal(cross.status, 404);
  });
});
