import { first } from '../../server/db/query';
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { accounts, paymentMethods } from '../../server/db/schema';
import { HOUR, MINUTE } from '../../server/lib/clock';
import { ACCOUNT_EXPORT_VERSION, accountExportSchema } from '../../server/schemas/account-export';
import { createTestContext, json, type TestContext } from '../helpers/app';
import { createCatalog, oneTimeOrder } from '../helpers/fixtures';
import { setSeller } from '../helpers/invoices';
import { portal, setSetting, signInByEmail } from '../helpers/portal';
import { startSubscription, testToken } from '../helpers/subscriptions';

let t: TestContext;
beforeEach(async () => {
  t = await createTestContext();
});

/** Records an order through the Server API; returns the merchant's view of it. */
async function recordOrder(overrides: Record<string, unknown> = {}) {
  const response = await t.api('POST', '/api/orders', oneTimeOrder(overrides));
  assert.equal(response.status, 201, await response.clone().text());
  return json(response);
}

/**
 * Ada's history: a purchase with billing details (refunded in part), a subscription
 * paid with a saved test card, a gift she sent Grace and one Bob sent her; Bob's
 * own order beside it; a password set.
 */
async function adasHistory() {
  await createCatalog(t);
  await setSeller(t);
  const purchase = await recordOrder({
    customer: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', phone: '+44 20 7946 0000' },
    billingDetails: { country: 'GB', postalCode: 'SW1A 1AA', businessName: 'Analytical Engines Ltd', isBusiness: true },
  });
  const refund = await t.api('POST', `/api/orders/${purchase.id}/refunds`, { amount: 1000, reason: 'Goodwill' });
  assert.equal(refund.status, 201, await refund.clone().text());
  const subscription = await startSubscription(t);
  const sent = await recordOrder({
    gift: { recipient: { email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper' }, message: 'Enjoy!' },
  });
  const received = await recordOrder({
    customer: { email: 'bob@example.com', firstName: 'Bob', lastName: 'Builder' },
    gift: { recipient: { email: 'ada@example.com', firstName: 'Ada' }, message: 'For you' },
    paymentMethod: { token: 'tok_bobs_card_secret', brand: 'mastercard', last4: '5454', expMonth: 1, expYear: 2031 },
  });
  const bobs = await recordOrder({ customer: { email: 'bob@example.com', firstName: 'Bob' } });
  await setSetting(t, 'passwordLogin', 'true');
  const { token } = await signInByEmail(t, 'ada@example.com');
  const password = await portal(t, 'PUT', '/me/password', { password: 'correct horse battery' }, { token });
  assert.equal(password.status, 204);
  return { purchase, subscription, sent, received, bobs, token };
}

const download = (token: string) => portal(t, 'GET', '/me/export', undefined, { token });

describe('GET /portal/{store}/me/export', () => {
  test('answers the account as a versioned JSON attachment that matches the documented shape', async () => {
    const { token } = await adasHistory();
    const response = await download(token);
    assert.equal(response.status, 200, await response.clone().text());
    assert.match(response.headers.get('content-type')!, /^application\/json/);
    assert.equal(
      response.headers.get('content-disposition'),
      `attachment; filename="shop-account-data-2026-01-15.json"; filename*=UTF-8''shop-account-data-2026-01-15.json`,
    );
    assert.equal(response.headers.get('cache-control'), 'private, no-store');
    const body = await json(response);
    const parsed = accountExportSchema.safeParse(body);
    assert.ok(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 3)));
    assert.equal(body.format, 'account-portal/account-export');
    assert.equal(body.version, ACCOUNT_EXPORT_VERSION);
    assert.equal(body.exportedAt, '2026-01-15T12:00:00.000Z');
    assert.deepEqual(body.store, { id: 'shop', name: 'Store shop' });
    assert.equal(body.account.email, 'ada@example.com');
    assert.equal(body.account.firstName, 'Ada');
    assert.equal(body.account.hasPassword, true);
    assert.equal(body.account.passwordSetAt, '2026-01-15T12:00:00.000Z');
  });

  test('holds her orders with their items, invoices, refunds, subscriptions, cards and emails', async () => {
    const { purchase, subscription, sent, received, bobs, token } = await adasHistory();
    const body = await json(await download(token));

    const byId = new Map(body.orders.map((o: { id: string }) => [o.id, o]));
    assert.equal(byId.size, 4, 'her purchase, her subscription order and both gifts; never Bob’s own order');
    assert.ok(!byId.has(bobs.id));
    const own: any = byId.get(purchase.id);
    assert.equal(own.role, 'purchase');
    assert.equal(own.items[0].displayName, 'Photo Toolkit');
    assert.equal(own.amounts.total, purchase.total);
    assert.deepEqual(own.refunded, { total: 1000, tax: own.refunded.tax });
    assert.equal(own.fulfilments[0].licenseKey, 'TK-1111-2222');
    assert.equal(own.contact.email, 'ada@example.com');
    assert.equal(own.contact.phone, '+44 20 7946 0000');
    assert.equal(own.contact.billingDetails.businessName, 'Analytical Engines Ltd');
    assert.equal(own.contact.billingDetails.postalCode, 'SW1A 1AA');

    const gave: any = byId.get(sent.id);
    assert.equal(gave.role, 'gift_sent');
    assert.deepEqual(gave.fulfilments, [], 'the licence keys are Grace’s');
    assert.deepEqual(gave.gift.recipient, { firstName: 'Grace', lastName: 'Hopper' });
    const got: any = byId.get(received.id);
    assert.equal(got.role, 'gift_received');
    assert.equal(got.amounts, null, 'what Bob paid is not hers');
    assert.equal(got.payment, null);
    assert.deepEqual(got.gift.sender, { firstName: 'Bob', lastName: 'Builder' });
    assert.deepEqual(got.contact, {
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      company: null,
      phone: null,
      billingDetails: null,
    });

    const invoiced = body.invoices.map((i: { orderId: string }) => i.orderId).sort();
    assert.deepEqual(invoiced, [purchase.id, subscription.orderId, sent.id].sort(), 'never the gift Bob paid for');
    const invoice = body.invoices.find((i: { orderId: string }) => i.orderId === purchase.id);
    assert.equal(invoice.billingDetails.businessName, 'Analytical Engines Ltd');

    assert.equal(body.refunds.length, 1);
    assert.equal(body.refunds[0].orderId, purchase.id);
    assert.equal(body.refunds[0].amount, 1000);
    assert.equal(body.refunds[0].reason, 'Goodwill');
    assert.match(body.refunds[0].creditNote.number, /CN/);

    assert.deepEqual(
      body.subscriptions.map((s: { id: string }) => s.id),
      [subscription.subscriptionId],
    );
    assert.deepEqual(
      body.paymentMethods.map((m: any) => [m.brand, m.last4, m.expMonth, m.expYear, m.removedAt]),
      [['visa', '4242', 12, 2030, null]],
    );
    assert.deepEqual(Object.keys(body.paymentMethods[0]).sort(), [
      'brand',
      'createdAt',
      'expMonth',
      'expYear',
      'id',
      'isDefault',
      'last4',
      'removedAt',
      'type',
    ]);
    const kinds = body.emails.map((e: { kind: string }) => e.kind);
    assert.ok(kinds.includes('login_link'), kinds.join());
    assert.ok(kinds.includes('order_receipt'), kinds.join());
    assert.ok(body.emails.every((e: Record<string, unknown>) => !('text' in e) && !('html' in e)));
  });

  test('never carries a processor token, a password hash or another customer’s data', async () => {
    const { token } = await adasHistory();
    const ada = first(await t.db.select().from(accounts).where(eq(accounts.email, 'ada@example.com')))!;
    await t.db.update(accounts).set({ processorCustomerId: 'cus_secret_ada' }).where(eq(accounts.id, ada.id));
    const text = await (await download(token)).text();
    const tokens = await t.db.select({ token: paymentMethods.processorToken }).from(paymentMethods);
    assert.equal(tokens.length, 1, 'the card her subscription renews with');
    for (const secret of [tokens[0].token, testToken(), 'tok_visa_secret_123', 'tok_bobs_card_secret']) {
      assert.ok(!text.includes(secret), secret);
    }
    assert.ok(!text.includes('tok_'));
    assert.ok(!text.includes('cus_secret_ada'));
    assert.ok(!text.includes(ada.passwordHash!));
    assert.ok(!text.includes('scrypt$'));
    assert.ok(!text.includes('bob@example.com'), 'the sender of a gift is named, never his email');
    assert.ok(!text.includes('grace@example.com'), 'the recipient of a gift is named, never her email');
    // As a card's field: a bare '5454' can also turn up inside a random id or a timestamp.
    assert.doesNotMatch(text, /"last4":\s*"5454"/, "Bob's card");
    assert.ok(!text.includes('portal_token'), 'no sign-in link from an email body');
  });

  test('allows five downloads an hour per account, then 429 with Retry-After', async () => {
    await recordOrder();
    await recordOrder({ customer: { email: 'bob@example.com' } });
    let { token } = await signInByEmail(t, 'ada@example.com');
    for (let i = 0; i < 5; i++) {
      assert.equal((await download(token)).status, 200);
      t.clock.advance(MINUTE);
    }
    const limited = await download(token);
    assert.equal(limited.status, 429);
    const problem = await json(limited);
    assert.equal(problem.error.code, 'too_many_exports');
    // The first of the five leaves the window an hour after it was made, 55 minutes from now.
    assert.equal(limited.headers.get('retry-after'), String(55 * 60));
    assert.equal(problem.error.details.retryAfterSeconds, 55 * 60);

    const bob = await signInByEmail(t, 'bob@example.com');
    assert.equal((await download(bob.token)).status, 200, 'another account has its own count');

    t.clock.advance(55 * MINUTE);
    ({ token } = await signInByEmail(t, 'ada@example.com'));
    assert.equal((await download(token)).status, 200);
    assert.equal((await download(token)).status, 429, 'the second of the five is still within the hour');
    t.clock.advance(HOUR);
    ({ token } = await signInByEmail(t, 'ada@example.com'));
    assert.equal((await download(token)).status, 200);
  });

  test('needs a session of the store', async () => {
    await recordOrder();
    assert.equal((await portal(t, 'GET', '/me/export')).status, 401);
    const other = await t.addStore('other');
    const { token } = await signInByEmail(t, 'ada@example.com');
    const foreign = await portal(t, 'GET', '/me/export', undefined, { token, store: other });
    assert.equal(foreign.status, 401);
  });

  test('is described in the Portal OpenAPI document as a JSON attachment', async () => {
    const response = await t.app.request('/portal/openapi.json');
    assert.equal(response.status, 200);
    const doc = await json(response);
    const operation = doc.paths['/{storeId}/me/export'].get;
    assert.equal(operation.operationId, 'exportAccountData');
    assert.deepEqual(operation.security, [{ bearerAuth: [] }]);
    const ok = operation.responses['200'];
    assert.ok(ok.headers['Content-Disposition']);
    assert.equal(ok.content['application/json'].schema.$ref, '#/components/schemas/AccountExport');
    assert.ok(operation.responses['429'], 'too_many_exports');
    assert.ok(doc.components.schemas.AccountExport.properties.version);
  });
});
