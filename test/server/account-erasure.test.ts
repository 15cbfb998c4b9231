import { first } from '../../server/db/query';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import {
  accounts,
  emails,
  events,
  giftRecipients,
  invoices,
  orders,
  paymentMethods,
  sessions,
  testGatewayDetachedMethods,
  webhookDeliveries,
} from '../../server/db/schema';
import { createTestContext, json, type TestContext } from '../helpers/app';
import {
  cardMethod,
  fakeStripeEnv,
  startFakeStripe,
  subscribeWithStripeCard,
  type FakeStripe,
} from '../helpers/fake-stripe';
import { createCatalog, oneTimeOrder } from '../helpers/fixtures';
import { setSeller } from '../helpers/invoices';
import { portal, runLoginLinkWorker, setSetting, signInByEmail, tokenIn } from '../helpers/portal';
import { eventsOf, startSubscription, subscriptionRow } from '../helpers/subscriptions';

let t: TestContext;

const erase = (accountId: string) => t.api('DELETE', `/api/accounts/${accountId}`);
const accountRow = async (id: string) => first(await t.db.select().from(accounts).where(eq(accounts.id, id)))!;

/** Records an order through the Server API; returns the merchant's view of it. */
async function recordOrder(overrides: Record<string, unknown> = {}) {
  const response = await t.api('POST', '/api/orders', oneTimeOrder(overrides));
  assert.equal(response.status, 201, await response.clone().text());
  return json(response);
}

const cancelNow = async (subscriptionId: string) => {
  const response = await t.api('POST', `/api/subscriptions/${subscriptionId}/cancel`, {
    reason: 'too_expensive',
    immediately: true,
  });
  assert.equal(response.status, 200, await response.clone().text());
};

describe('DELETE /api/accounts/{id}', () => {
  beforeEach(async () => {
    t = await createTestContext();
  });

  /**
   * Ada: a purchase with billing details, a subscription on a saved test card (ended
   * now, with the comment she wrote), a gift from Bob, a password, a session on a
   * remembered device, an unused pre-authenticated URL, and a webhook endpoint that
   * has not been sent anything yet.
   */
  async function adaWithHistory() {
    await createCatalog(t);
    await setSeller(t);
    const endpoint = await t.api('POST', '/api/webhook-endpoints', { url: 'http://127.0.0.1:9/hooks' });
    assert.equal(endpoint.status, 201);
    const purchase = await recordOrder({
      customer: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', phone: '+44 20 7946 0000' },
      billingDetails: {
        country: 'GB',
        postalCode: 'SW1A 1AA',
        businessName: 'Engines Ltd',
        taxId: 'GB123',
        isBusiness: true,
      },
    });
    const subscription = await startSubscription(t);
    const cancel = await t.api('POST', `/api/subscriptions/${subscription.subscriptionId}/cancel`, {
      reason: 'too_expensive',
      comment: 'Ada Lovelace finds it too dear',
      immediately: true,
    });
    assert.equal(cancel.status, 200);
    const gift = await recordOrder({
      customer: { email: 'bob@example.com', firstName: 'Bob' },
      gift: { recipient: { email: 'ada@example.com', firstName: 'Ada' }, message: 'Happy birthday, Ada!' },
    });
    await setSetting(t, 'passwordLogin', 'true');
    const session = await signInByEmail(t, 'ada@example.com');
    assert.equal((await portal(t, 'PUT', '/me/password', { password: 'correct horse battery' }, session)).status, 204);
    const authenticate = await json(await t.api('GET', `/api/accounts/${purchase.accountId}/authenticate`));
    const card = first(
      await t.db.select().from(paymentMethods).where(eq(paymentMethods.accountId, purchase.accountId)),
    )!;
    return { accountId: purchase.accountId as string, purchase, subscription, gift, session, authenticate, card };
  }

  test('erases the personal data, ends every way in, detaches the card and keeps orders and invoices', async () => {
    const ada = await adaWithHistory();
    const invoicesBefore = await t.db.select().from(invoices);
    const response = await erase(ada.accountId);
    assert.equal(response.status, 200, await response.clone().text());
    const body = await json(response);
    const placeholder = `${ada.accountId}@deleted.invalid`;
    assert.equal(body.alreadyDeleted, false);
    assert.equal(body.account.email, placeholder);
    assert.equal(body.account.deletedAt, '2026-01-15T12:00:00.000Z');
    // The links: the pre-authenticated URL, and the management URL the login email carried.
    assert.deepEqual(body.ended, { sessions: 1, links: 2, devices: 1 });
    assert.equal(body.paymentMethodsDetached, 1);
    assert.deepEqual(body.kept, { orders: 2, invoices: 2, creditNotes: 0 });

    const row = await accountRow(ada.accountId);
    assert.deepEqual(
      {
        email: row.email,
        names: [row.firstName, row.lastName, row.phone, row.company, row.country, row.language],
        address: [row.addressLine1, row.addressCity, row.addressPostalCode],
        billing: [row.billingCountry, row.billingPostalCode, row.businessName, row.taxId, row.isBusiness],
        secrets: [row.passwordHash, row.processorCustomerId, row.emailVerifiedAt],
      },
      {
        email: placeholder,
        names: [null, null, null, null, null, null],
        address: [null, null, null],
        billing: [null, null, null, null, false],
        secrets: [null, null, null],
      },
    );

    const order = first(await t.db.select().from(orders).where(eq(orders.id, ada.purchase.id)))!;
    assert.equal(order.customerEmail, placeholder);
    assert.deepEqual(
      [order.customerFirstName, order.customerLastName, order.customerPhone, order.billingPostalCode, order.taxId],
      [null, null, null, null, null],
    );
    assert.deepEqual(
      [order.total, order.tax, order.billingCountry, order.isBusiness],
      [ada.purchase.total, ada.purchase.tax, 'GB', true],
    );
    assert.deepEqual(await t.db.select().from(invoices), invoicesBefore, 'issued invoices stay exactly as issued');
    const invoice = await t.api('GET', `/api/orders/${ada.purchase.id}/invoice`);
    assert.equal(invoice.status, 200);
    assert.equal((await json(invoice)).billingDetails.businessName, 'Engines Ltd');

    const gift = first(await t.db.select().from(giftRecipients).where(eq(giftRecipients.orderId, ada.gift.id)))!;
    assert.deepEqual([gift.email, gift.firstName, gift.lastName, gift.message], [placeholder, null, null, null]);
    const bobs = first(await t.db.select().from(orders).where(eq(orders.id, ada.gift.id)))!;
    assert.equal(bobs.customerEmail, 'bob@example.com', "the purchaser's order is his");

    const card = first(await t.db.select().from(paymentMethods).where(eq(paymentMethods.id, ada.card.id)))!;
    assert.equal(card.processorToken, `deleted:${card.id}`);
    assert.deepEqual([card.last4, card.expMonth, card.expYear, card.isDefault], [null, null, null, false]);
    assert.ok(card.removedAt);
    assert.equal((await subscriptionRow(t, ada.subscription.subscriptionId)).cancelComment, null);
    assert.equal((await subscriptionRow(t, ada.subscription.subscriptionId)).cancelReason, 'too_expensive');

    const mail = await t.db.select().from(emails).where(eq(emails.accountId, ada.accountId));
    assert.ok(mail.length >= 3);
    assert.ok(mail.every((e) => e.toAddress === placeholder && e.textBody === null && e.htmlBody === null));

    const stored = (await t.db.select().from(events)).map((e) => e.payload).join('\n');
    for (const personal of ['ada@example.com', 'Lovelace', '7946', 'SW1A', 'Happy birthday']) {
      assert.ok(!stored.includes(personal), `${personal} left in the stored events`);
    }
    const [deleted] = await eventsOf(t, 'account.deleted');
    assert.equal(deleted.data.id, ada.accountId);
    assert.equal(deleted.data.email, placeholder);
    assert.equal(deleted.data.deletedAt, '2026-01-15T12:00:00.000Z');
    const created = (await eventsOf(t, 'account.created')).find((e) => e.data.id === ada.accountId)!;
    assert.deepEqual(created.data, { id: ada.accountId, accountId: ada.accountId, redacted: true });
    const giftEvent = (await eventsOf(t, 'order.completed')).find((e) => e.data.id === ada.gift.id)!;
    assert.equal(giftEvent.data.customer.email, 'bob@example.com');
    assert.deepEqual(giftEvent.data.gift, {
      recipient: { accountId: ada.accountId, email: placeholder, firstName: null, lastName: null },
      message: null,
    });
    const pending = await t.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.status, 'pending'));
    const deletedEvent = first(await t.db.select().from(events).where(eq(events.type, 'account.deleted')))!;
    assert.ok(
      pending.some((d) => d.eventId === deletedEvent.id),
      'account.deleted is queued for the endpoint',
    );
  });

  test('leaves nobody a way back in', async () => {
    const ada = await adaWithHistory();
    const management = await json(await t.api('GET', `/api/accounts/${ada.accountId}/management-url`));
    assert.equal((await erase(ada.accountId)).status, 200);

    const me = await portal(t, 'GET', '/me', undefined, ada.session);
    assert.equal(me.status, 401);
    assert.equal((await json(me)).error.code, 'invalid_session');
    const byUrl = await portal(t, 'POST', '/sessions', {
      token: new URL(ada.authenticate.url).searchParams.get('portal_token'),
    });
    assert.equal(byUrl.status, 401);
    const manage = await portal(
      t,
      'POST',
      '/sessions/management',
      { token: tokenIn(management.url, 'portal_manage') },
      { headers: { cookie: ada.session.deviceCookie } },
    );
    assert.equal(manage.status, 401);
    const password = await portal(t, 'POST', '/sessions/password', {
      email: 'ada@example.com',
      password: 'correct horse battery',
    });
    assert.equal(password.status, 401);
    const sent = (await t.db.select().from(emails)).length;
    t.clock.advance(2 * 60_000); // past the one-a-minute limit of the link she asked for before
    assert.equal((await portal(t, 'POST', '/login-links', { email: 'ada@example.com' })).status, 202);
    const placeholder = `${ada.accountId}@deleted.invalid`;
    assert.equal((await portal(t, 'POST', '/login-links', { email: placeholder })).status, 202);
    await runLoginLinkWorker(t);
    assert.equal((await t.db.select().from(emails)).length, sent, 'no link for the old address nor the placeholder');
    assert.equal(
      (await t.db.select().from(sessions).where(eq(sessions.accountId, ada.accountId))).filter((s) => !s.revokedAt)
        .length,
      0,
    );
  });

  test('detaches the card at the test gateway, which refuses it from then on', async () => {
    const ada = await adaWithHistory();
    assert.equal((await erase(ada.accountId)).status, 200);
    assert.deepEqual(await t.db.select({ token: testGatewayDetachedMethods.token }).from(testGatewayDetachedMethods), [
      { token: ada.card.processorToken },
    ]);
    const charge = await t.deps.gateway.charge({
      idempotencyKey: 'after-erasure',
      token: ada.card.processorToken,
      amount: 100,
      currency: 'USD',
      description: 'test',
    });
    assert.equal(charge.status, 'declined');
    assert.equal(charge.status === 'declined' && charge.code, 'invalid_token');
  });

  test('is refused with 409 while a subscription has not ended, changing nothing', async () => {
    await createCatalog(t);
    const { accountId, subscriptionId } = await startSubscription(t);
    const refused = await erase(accountId);
    assert.equal(refused.status, 409);
    const problem = await json(refused);
    assert.equal(problem.error.code, 'account_has_live_subscriptions');
    assert.deepEqual(problem.error.details.subscriptionIds, [subscriptionId]);
    assert.equal((await accountRow(accountId)).email, 'ada@example.com');
    assert.deepEqual(await t.db.select().from(testGatewayDetachedMethods), [], 'nothing was detached');

    const pending = await t.api('POST', `/api/subscriptions/${subscriptionId}/cancel`, { reason: 'other' });
    assert.equal(pending.status, 200);
    assert.equal((await erase(accountId)).status, 409, 'a pending cancellation still runs to the period’s end');
    await cancelNow(subscriptionId);
    assert.equal((await erase(accountId)).status, 200);
  });

  test('asked again, answers alreadyDeleted and changes nothing', async () => {
    const { accountId } = await recordOrder();
    const first = await json(await erase(accountId));
    t.clock.advance(60_000);
    const again = await erase(accountId);
    assert.equal(again.status, 200);
    const body = await json(again);
    assert.equal(body.alreadyDeleted, true);
    assert.equal(body.account.deletedAt, first.account.deletedAt);
    assert.deepEqual(body.ended, { sessions: 0, links: 0, devices: 0 });
    assert.equal(body.paymentMethodsDetached, 0);
    assert.deepEqual(body.kept, first.kept);
    assert.equal((await eventsOf(t, 'account.deleted')).length, 1);
  });

  test('a deleted account can no longer be changed, invited, signed in to or ordered for', async () => {
    const { accountId } = await recordOrder();
    assert.equal((await erase(accountId)).status, 200);
    const gone = async (response: Response) => {
      assert.equal(response.status, 410, await response.clone().text());
      assert.equal((await json(response)).error.code, 'account_deleted');
    };
    await gone(await t.api('PATCH', `/api/accounts/${accountId}`, { firstName: 'Ada' }));
    await gone(await t.api('GET', `/api/accounts/${accountId}/authenticate`));
    await gone(await t.api('POST', '/api/accounts/authenticate', { accountIds: [accountId] }));
    await gone(await t.api('GET', `/api/accounts/${accountId}/management-url`));
    await gone(await t.api('POST', `/api/accounts/${accountId}/invitations`));
    await gone(await t.api('POST', `/api/accounts/${accountId}/payment-methods`, { token: 'tok_x' }));
    await gone(await t.api('POST', '/api/orders', oneTimeOrder({ accountId })));
    await gone(
      await t.api('POST', '/api/orders', oneTimeOrder({ customer: { email: `${accountId}@deleted.invalid` } })),
    );

    const fetched = await t.api('GET', `/api/accounts/${accountId}`);
    assert.equal(fetched.status, 200);
    assert.equal((await json(fetched)).deletedAt, '2026-01-15T12:00:00.000Z');
    const fresh = await recordOrder();
    assert.notEqual(fresh.accountId, accountId, 'the address is free for a new customer');
    assert.equal(
      (
        await t.db
          .select()
          .from(orders)
          .where(and(eq(orders.accountId, accountId)))
      ).length,
      1,
      'the new order did not join the deleted account',
    );
  });

  test('a refund made after the deletion emails nobody', async () => {
    const { id, accountId } = await recordOrder();
    assert.equal((await erase(accountId)).status, 200);
    const before = (await t.db.select().from(emails)).length;
    const refund = await t.api('POST', `/api/orders/${id}/refunds`, {});
    assert.equal(refund.status, 201, await refund.clone().text());
    assert.equal((await t.db.select().from(emails)).length, before);
  });

  test('is described in the Server API OpenAPI document', async () => {
    const doc = await json(await t.app.request('/api/openapi.json'));
    const operation = doc.paths['/accounts/{accountId}'].delete;
    assert.equal(operation.operationId, 'deleteAccount');
    assert.ok(operation.responses['409'].content['application/json'].examples.account_has_live_subscriptions);
    assert.ok(operation.responses['503']);
    assert.equal(
      operation.responses['200'].content['application/json'].schema.$ref,
      '#/components/schemas/AccountDeletion',
    );
    assert.ok(doc.paths['/accounts/{accountId}'].patch.responses['410']);
  });
});

describe('DELETE /api/accounts/{id} with Stripe', () => {
  let fake: FakeStripe;
  before(async () => {
    fake = await startFakeStripe();
  });
  after(() => fake.close());
  beforeEach(async () => {
    fake.failNext(0, 500);
    t = await createTestContext({ stripe: fakeStripeEnv(fake) });
    await createCatalog(t);
  });

  test('an unreachable Stripe leaves the account as it was; the next try detaches the card and deletes the customer the portal made', async () => {
    const { accountId } = await recordOrder({ paymentMethod: undefined });
    const token = await cardMethod(fake, '4242424242424242');
    const attached = await t.api('POST', `/api/accounts/${accountId}/payment-methods`, { token });
    assert.equal(attached.status, 201, await attached.clone().text());
    const customerId = (await accountRow(accountId)).processorCustomerId!;
    assert.equal(fake.state.methods.get(token)!.customer, customerId);
    const { token: session } = await signInByEmail(t, 'ada@example.com');

    fake.failNext(10, 500);
    const refused = await erase(accountId);
    assert.equal(refused.status, 503);
    assert.equal((await json(refused)).error.code, 'gateway_unavailable');
    assert.equal((await accountRow(accountId)).email, 'ada@example.com', 'nothing was erased');
    assert.equal((await portal(t, 'GET', '/me', undefined, { token: session })).status, 200, 'still signed in');
    assert.equal(fake.state.methods.get(token)!.customer, customerId, 'nothing was detached');

    fake.failNext(0, 500);
    const done = await erase(accountId);
    assert.equal(done.status, 200, await done.clone().text());
    assert.equal((await json(done)).paymentMethodsDetached, 1);
    assert.equal(fake.state.methods.get(token)!.customer, null);
    assert.ok(!fake.state.customers.has(customerId), 'the customer the portal made, with her email, is gone');
    assert.ok(fake.requests.some((r) => r.method === 'POST' && r.path === `/v1/payment_methods/${token}/detach`));
  });

  test("detaches a card from the merchant's own Stripe customer and leaves that customer alone", async () => {
    const subscribed = await subscribeWithStripeCard(t, fake);
    await cancelNow(subscribed.subscriptionId);
    const response = await erase(subscribed.accountId);
    assert.equal(response.status, 200, await response.clone().text());
    assert.equal(fake.state.methods.get(subscribed.token)!.customer, null);
    assert.ok(fake.state.customers.has(subscribed.customer), "the merchant's customer is the merchant's");
    const card = first(
      await t.db.select().from(paymentMethods).where(eq(paymentMethods.id, subscribed.paymentMethodId)),
    )!;
    assert.equal(card.processorToken, `deleted:${card.id}`);
    assert.equal(card.processorCustomerId, null);
  });
});

describe('the erased account in the webhook outbox', () => {
  beforeEach(async () => {
    t = await createTestContext();
  });

  test('sends account.deleted to endpoints that ask for it', async () => {
    const hook = await t.api('POST', '/api/webhook-endpoints', {
      url: 'http://127.0.0.1:9/hooks',
      eventTypes: ['account.deleted'],
    });
    assert.equal(hook.status, 201, await hook.clone().text());
    const { accountId } = await recordOrder();
    assert.equal((await erase(accountId)).status, 200);
    const queued = await t.db
      .select({ type: events.type })
      .from(webhookDeliveries)
      .innerJoin(events, eq(events.id, webhookDeliveries.eventId));
    assert.deepEqual(queued, [{ type: 'account.deleted' }]);
  });
});
