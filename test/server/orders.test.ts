import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { paymentMethods } from '../../server/db/schema';
import { createTestContext, json, type TestContext } from '../helpers/app';
import { createCatalog, oneTimeOrder, subscriptionOrder } from '../helpers/fixtures';

let t: TestContext;
beforeEach(async () => {
  t = await createTestContext();
  await createCatalog(t);
});

describe('POST /api/orders', () => {
  test('creates the account from the order contact when the email is new', async () => {
    const response = await t.api(
      'POST',
      '/api/orders',
      oneTimeOrder({
        billingDetails: {
          country: 'GB',
          postalCode: 'SW1A 1AA',
          businessName: 'Analytical Ltd',
          taxId: 'GB123',
          isBusiness: true,
        },
      }),
    );
    assert.equal(response.status, 201);
    const order = await json(response);
    assert.match(order.id, /^ord_/);
    assert.match(order.accountId, /^acc_/);
    assert.deepEqual([order.subtotal, order.discount, order.tax, order.total], [9800, 800, 1800, 10800]);
    assert.equal(order.invoiceNumber, 'INV-2026-000001');
    assert.equal(order.fulfilments.length, 2);
    assert.equal(order.fulfilments[1].fileName, 'toolkit-3.2.zip');
    const account = await json(await t.api('GET', `/api/accounts/${order.accountId}`));
    assert.equal(account.email, 'ada@example.com');
    assert.equal(account.firstName, 'Ada');
    assert.equal(account.language, 'en');
    assert.equal(account.billingDetails.taxId, 'GB123');
  });

  test('attaches a later order to the existing account without changing its data', async () => {
    const first = await json(await t.api('POST', '/api/orders', oneTimeOrder()));
    const second = await t.api(
      'POST',
      '/api/orders',
      oneTimeOrder({
        customer: { email: 'ADA@example.com ', firstName: 'Augusta', lastName: 'King', phone: '+44 1', language: 'de' },
      }),
    );
    assert.equal(second.status, 201);
    const order = await json(second);
    assert.equal(order.accountId, first.accountId);
    assert.equal(order.customer.firstName, 'Augusta', 'the order keeps the contact as given');
    const account = await json(await t.api('GET', `/api/accounts/${first.accountId}`));
    assert.equal(account.firstName, 'Ada');
    assert.equal(account.phone, null);
    assert.equal(account.language, 'en');
    assert.equal(order.invoiceNumber, 'INV-2026-000002');
  });

  test('attaches to an explicit accountId', async () => {
    const account = await json(await t.api('POST', '/api/accounts', { email: 'grace@example.com' }));
    const order = await json(await t.api('POST', '/api/orders', oneTimeOrder({ accountId: account.id })));
    assert.equal(order.accountId, account.id);
    const missing = await t.api('POST', '/api/orders', oneTimeOrder({ accountId: 'acc_doesnotexist0000000' }));
    assert.equal(missing.status, 404);
  });

  test('the same email in two stores makes two accounts', async () => {
    const other = await t.addStore('other');
    await createCatalog(t, other);
    const a = await json(await t.api('POST', '/api/orders', oneTimeOrder()));
    const b = await json(await t.api('POST', '/api/orders', oneTimeOrder(), { store: other }));
    assert.notEqual(a.accountId, b.accountId);
    assert.equal((await t.api('GET', `/api/orders/${a.id}`, undefined, { store: other })).status, 404);
    assert.equal((await t.api('GET', `/api/accounts/${a.accountId}`, undefined, { store: other })).status, 404);
  });

  test('saves the payment token only for an order with a subscription', async () => {
    const oneTime = await json(await t.api('POST', '/api/orders', oneTimeOrder()));
    assert.equal((await t.db.select().from(paymentMethods)).length, 0);
    assert.equal(oneTime.payment.paymentMethodId, null);
    assert.equal(oneTime.payment.last4, '4242');

    const order = await json(await t.api('POST', '/api/orders', subscriptionOrder()));
    const saved = await t.db.select().from(paymentMethods);
    assert.equal(saved.length, 1);
    assert.equal(saved[0].processorToken, 'tok_visa_secret_123');
    assert.equal(order.payment.paymentMethodId, saved[0].id);
    const sub = await json(await t.api('GET', `/api/subscriptions/${order.items[0].subscriptionId}`));
    assert.equal(sub.autoRenew, true);
    assert.equal(sub.paymentMethodId, saved[0].id);
    const methods = await t.api('GET', `/api/accounts/${order.accountId}/payment-methods`);
    const text = await methods.text();
    assert.ok(!text.includes('tok_visa_secret_123'), 'the token never leaves the server');
    assert.equal(JSON.parse(text).data[0].last4, '4242');
  });

  test('savePaymentMethod false stores nothing and makes the subscription manual-renewal', async () => {
    const order = await json(await t.api('POST', '/api/orders', subscriptionOrder({ savePaymentMethod: false })));
    assert.equal((await t.db.select().from(paymentMethods)).length, 0);
    const sub = await json(await t.api('GET', `/api/subscriptions/${order.items[0].subscriptionId}`));
    assert.equal(sub.autoRenew, false);
    assert.equal(sub.paymentMethodId, null);
  });

  test('an order without a payment method starts a manual-renewal subscription', async () => {
    const body = subscriptionOrder();
    delete (body as Record<string, unknown>).paymentMethod;
    const order = await json(await t.api('POST', '/api/orders', body));
    const sub = await json(await t.api('GET', `/api/subscriptions/${order.items[0].subscriptionId}`));
    assert.equal(sub.autoRenew, false);
  });

  test('starts subscriptions with the period, next charge and tax rate of the item', async () => {
    t.clock.set('2026-01-31T10:00:00.000Z');
    const order = await json(await t.api('POST', '/api/orders', subscriptionOrder()));
    const sub = await json(await t.api('GET', `/api/subscriptions/${order.items[0].subscriptionId}`));
    assert.equal(sub.status, 'active');
    assert.equal(sub.accountId, order.accountId);
    assert.equal(sub.currentPeriodStart, '2026-01-31T10:00:00.000Z');
    assert.equal(sub.currentPeriodEnd, '2026-02-28T10:00:00.000Z');
    assert.equal(sub.nextChargeAt, '2026-02-28T10:00:00.000Z');
    assert.equal(sub.taxRate, 0.19);
    assert.equal(sub.nextChargeAmount, 1900 + 361);
    const list = await json(await t.api('GET', `/api/subscriptions?accountId=${order.accountId}`));
    assert.deepEqual(
      list.data.map((s: { id: string }) => s.id),
      [sub.id],
    );
  });

  test('a trial renews at the catalog price after the trial', async () => {
    const order = await json(
      await t.api(
        'POST',
        '/api/orders',
        subscriptionOrder({
          items: [
            { product: 'pro-monthly', displayName: 'Pro', quantity: 3, unitPrice: 0, subscription: { trialDays: 14 } },
          ],
        }),
      ),
    );
    const sub = await json(await t.api('GET', `/api/subscriptions/${order.items[0].subscriptionId}`));
    assert.equal(sub.status, 'trial');
    assert.equal(sub.unitPrice, 1900);
    assert.equal(sub.nextChargeAmount, 5700);
    assert.equal(new Date(sub.trialEndsAt).getTime() - new Date(sub.currentPeriodStart).getTime(), 14 * 86_400_000);
  });

  test("a gift order links the fulfilment to the recipient's account", async () => {
    const response = await t.api(
      'POST',
      '/api/orders',
      oneTimeOrder({
        gift: { recipient: { email: 'Bob@Example.com', firstName: 'Bob' }, message: 'Happy birthday!' },
      }),
    );
    assert.equal(response.status, 201);
    const order = await json(response);
    assert.notEqual(order.gift.recipient.accountId, order.accountId);
    assert.equal(order.gift.recipient.email, 'bob@example.com');
    assert.equal(order.gift.message, 'Happy birthday!');
    assert.ok(order.fulfilments.every((f: { accountId: string }) => f.accountId === order.gift.recipient.accountId));
    const recipient = await json(await t.api('GET', `/api/accounts/${order.gift.recipient.accountId}`));
    assert.equal(recipient.firstName, 'Bob');
  });

  test("a gift finds the recipient's existing account", async () => {
    const bob = await json(await t.api('POST', '/api/accounts', { email: 'bob@example.com', firstName: 'Robert' }));
    const order = await json(
      await t.api('POST', '/api/orders', oneTimeOrder({ gift: { recipient: { email: 'bob@example.com' } } })),
    );
    assert.equal(order.gift.recipient.accountId, bob.id);
  });

  test("a gift subscription belongs to the recipient and never gets the purchaser's token", async () => {
    const order = await json(
      await t.api('POST', '/api/orders', subscriptionOrder({ gift: { recipient: { email: 'bob@example.com' } } })),
    );
    const sub = await json(await t.api('GET', `/api/subscriptions/${order.items[0].subscriptionId}`));
    assert.equal(sub.accountId, order.gift.recipient.accountId);
    assert.equal(sub.autoRenew, false);
    assert.equal(
      (await t.db.select().from(paymentMethods).where(eq(paymentMethods.accountId, sub.accountId))).length,
      0,
    );
  });

  test('refuses a gift message over 400 characters and a gift to oneself', async () => {
    const long = await t.api(
      'POST',
      '/api/orders',
      oneTimeOrder({ gift: { recipient: { email: 'bob@example.com' }, message: 'x'.repeat(401) } }),
    );
    assert.equal(long.status, 422);
    const self = await t.api(
      'POST',
      '/api/orders',
      oneTimeOrder({ gift: { recipient: { email: 'ada@example.com' } } }),
    );
    assert.equal(self.status, 422);
    assert.equal((await json(self)).error.details[0].code, 'gift_to_self');
  });

  test('refuses totals that do not match the items, and writes nothing', async () => {
    const response = await t.api(
      'POST',
      '/api/orders',
      oneTimeOrder({ totals: { subtotal: 9800, discount: 800, tax: 1800, total: 9999 } }),
    );
    assert.equal(response.status, 422);
    const body = await json(response);
    assert.equal(body.error.details[0].field, 'totals.total');
    const accounts = await json(await t.api('GET', '/api/accounts'));
    assert.equal(accounts.data.length, 0, 'no account was half-written');
  });

  test('validates items, currency, unknown fields and plans', async () => {
    const cases: [string, Record<string, unknown>][] = [
      ['items.0.quantity', { items: [{ product: 'toolkit', displayName: 'T', quantity: 0, unitPrice: 1 }] }],
      ['currency', { currency: 'XYZ' }],
      ['', { savePaymentMetod: false }],
      ['items.0.unitPrice', { items: [{ product: 'toolkit', displayName: 'T', quantity: 1, unitPrice: 1.5 }] }],
      [
        'items.0.product',
        { items: [{ product: 'nope', displayName: 'T', quantity: 1, unitPrice: 1, subscription: {} }] },
      ],
      [
        'items.0.discount',
        { items: [{ product: 'toolkit', displayName: 'T', quantity: 1, unitPrice: 100, discount: 101 }] },
      ],
      [
        'items.0.fulfilments.0.url',
        {
          items: [
            {
              product: 'toolkit',
              displayName: 'T',
              quantity: 1,
              unitPrice: 1,
              fulfilments: [{ type: 'download', url: 'javascript:alert(1)' }],
            },
          ],
        },
      ],
    ];
    for (const [field, override] of cases) {
      const response = await t.api('POST', '/api/orders', oneTimeOrder(override));
      assert.equal(response.status, 422, JSON.stringify(override));
      const body = await json(response);
      assert.equal(body.error.code, 'validation_failed');
      assert.ok(
        body.error.details.some((d: { field: string }) => d.field === field),
        `${field}: ${JSON.stringify(body)}`,
      );
    }
  });

  test('one-time items may name products outside the catalog', async () => {
    const response = await t.api(
      'POST',
      '/api/orders',
      oneTimeOrder({
        items: [{ product: 'ebook-2026', displayName: 'The Book', quantity: 1, unitPrice: 1500 }],
      }),
    );
    assert.equal(response.status, 201);
    assert.equal((await json(response)).items[0].productId, null);
  });

  test('refuses malformed JSON and oversized bodies with JSON errors', async () => {
    const malformed = await t.api('POST', '/api/orders', '{"customer":');
    assert.equal(malformed.status, 400);
    assert.equal((await json(malformed)).error.code, 'invalid_json');
    const huge = await t.api('POST', '/api/orders', JSON.stringify(oneTimeOrder({ reference: 'x'.repeat(2_000_000) })));
    assert.equal(huge.status, 413);
    assert.equal((await json(huge)).error.code, 'payload_too_large');
  });

  test('a duplicate reference is a 409 naming the existing order', async () => {
    const first = await json(await t.api('POST', '/api/orders', oneTimeOrder({ reference: 'SHOP-1001' })));
    const again = await t.api('POST', '/api/orders', oneTimeOrder({ reference: 'SHOP-1001' }));
    assert.equal(again.status, 409);
    assert.equal((await json(again)).error.details.orderId, first.id);
  });

  test('refuses a completion time in the future', async () => {
    const response = await t.api('POST', '/api/orders', oneTimeOrder({ completedAt: '2030-01-01T00:00:00Z' }));
    assert.equal(response.status, 422);
  });
});

describe('Idempotency-Key on POST /api/orders', () => {
  test('replays the first response with one side effect', async () => {
    const headers = { 'idempotency-key': 'order-77' };
    const first = await t.api('POST', '/api/orders', oneTimeOrder(), { headers });
    const second = await t.api('POST', '/api/orders', oneTimeOrder(), { headers });
    assert.equal(first.status, 201);
    assert.equal(second.status, 201);
    assert.equal(second.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(await json(second), await json(first));
    const orders = await json(await t.api('GET', '/api/orders'));
    assert.equal(orders.data.length, 1);
  });

  test('the same key with a different body is a 422', async () => {
    const headers = { 'idempotency-key': 'order-78' };
    assert.equal((await t.api('POST', '/api/orders', oneTimeOrder(), { headers })).status, 201);
    const other = await t.api('POST', '/api/orders', oneTimeOrder({ currency: 'EUR' }), { headers });
    assert.equal(other.status, 422);
    assert.equal((await json(other)).error.code, 'idempotency_key_reused');
  });

  test('a key is forgotten after 24 hours, and keys are per store', async () => {
    const headers = { 'idempotency-key': 'order-79' };
    assert.equal((await t.api('POST', '/api/orders', oneTimeOrder(), { headers })).status, 201);
    const other = await t.addStore('other');
    await createCatalog(t, other);
    const elsewhere = await t.api('POST', '/api/orders', oneTimeOrder(), { headers, store: other });
    assert.equal(elsewhere.status, 201);
    assert.equal(elsewhere.headers.get('idempotent-replayed'), null);
    t.clock.advance(24 * 3600_000 + 1000);
    const later = await t.api('POST', '/api/orders', oneTimeOrder(), { headers });
    assert.equal(later.status, 201);
    assert.equal(later.headers.get('idempotent-replayed'), null);
    assert.equal((await json(await t.api('GET', '/api/orders'))).data.length, 2);
  });
});

describe('GET /api/orders', () => {
  test("lists an account's orders newest first with cursor pagination", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      t.clock.advance(60_000);
      ids.push((await json(await t.api('POST', '/api/orders', oneTimeOrder()))).id);
    }
    assert.equal(
      (await t.api('POST', '/api/orders', oneTimeOrder({ customer: { email: 'someone@example.com' } }))).status,
      201,
    );
    const accountId = (await json(await t.api('GET', `/api/orders/${ids[0]}`))).accountId;
    const first = await json(await t.api('GET', `/api/orders?accountId=${accountId}&limit=2`));
    assert.deepEqual(
      first.data.map((o: { id: string }) => o.id),
      [ids[4], ids[3]],
    );
    const second = await json(
      await t.api('GET', `/api/orders?accountId=${accountId}&limit=2&cursor=${first.nextCursor}`),
    );
    const third = await json(
      await t.api('GET', `/api/orders?accountId=${accountId}&limit=2&cursor=${second.nextCursor}`),
    );
    assert.deepEqual(
      [...second.data, ...third.data].map((o: { id: string }) => o.id),
      [ids[2], ids[1], ids[0]],
    );
    assert.equal(third.nextCursor, null);
    assert.equal((await t.api('GET', '/api/orders?cursor=garbage')).status, 400);
  });
});
