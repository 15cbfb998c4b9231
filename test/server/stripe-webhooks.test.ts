import { first as firstRow } from '../../server/db/query';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import Stripe from 'stripe';
import { creditNotes, emailAttachments, emails, gatewayEvents, paymentMethods, refunds } from '../../server/db/schema';
import { GatewayUnavailableError } from '../../server/payments/gateway';
import { DAY } from '../../server/lib/clock';
import type { StripeGateway } from '../../server/payments/stripe/stripe-gateway';
import { runRenewals } from '../../server/services/billing/renewals/run';
import { createTestContext, json, type TestContext } from '../helpers/app';
import {
  cardMethod,
  dashboardRefund,
  FAKE_KEYS,
  fakeStripeEnv,
  startFakeStripe,
  type FakeStripe,
} from '../helpers/fake-stripe';
import { setSeller } from '../helpers/invoices';
import { overrideGateway } from '../helpers/subscriptions';
import { createCatalog, subscriptionOrder } from '../helpers/fixtures';
import { chargesOf, eventsOf, ordersOfKind, subscriptionRow } from '../helpers/renewals';

let fake: FakeStripe;
let t: TestContext;
let gateway: StripeGateway;
before(async () => {
  fake = await startFakeStripe();
});
after(() => fake.close());
beforeEach(async () => {
  t = await createTestContext({ stripe: fakeStripeEnv(fake) });
  gateway = t.deps.gateway as StripeGateway;
  fake.failNext(0, 500);
  await createCatalog(t);
});

/** Posts an event to the portal signed as Stripe signs it (or with another secret). */
function post(event: unknown, secret: string = FAKE_KEYS.webhookSecret) {
  const payload = JSON.stringify(event);
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret });
  return t.app.request('/webhooks/stripe', {
    method: 'POST',
    body: payload,
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
  });
}
const lastEvent = (type: string) => [...fake.state.events].reverse().find((e) => e.type === type)!;

/**
 * An order from the merchant's own Stripe checkout: a card attached to a Stripe
 * customer, starting a Pro subscription that renews with it.
 */
async function subscribeWithStripeCard(number = '4242424242424242', email = 'ada@example.com') {
  const token = await cardMethod(fake, number);
  const customer = await gateway.ensureCustomer({
    storeId: 'shop',
    accountId: `ext_${email}`,
    email,
    name: null,
    customerId: null,
  });
  await gateway.retrieveMethod(token, {
    storeId: 'shop',
    accountId: `ext_${email}`,
    email,
    name: null,
    customerId: customer,
  });
  const response = await t.api(
    'POST',
    '/api/orders',
    subscriptionOrder({
      customer: { email, firstName: 'Ada', language: 'en' },
      paymentMethod: { token, customer, brand: 'visa', last4: number.slice(-4), expMonth: 12, expYear: 2034 },
      savePaymentMethod: true,
    }),
  );
  assert.equal(response.status, 201, await response.clone().text());
  const order = await json(response);
  const sub = await subscriptionRow(t, order.items[0].subscriptionId);
  return { token, customer, subscriptionId: sub.id, accountId: sub.accountId, paymentMethodId: sub.paymentMethodId! };
}

describe('POST /webhooks/stripe', () => {
  test('a bad signature is a 400 and nothing is recorded', async () => {
    const { token } = await subscribeWithStripeCard();
    await fetch(`${fake.url}/_fake/card-updater/${token}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${FAKE_KEYS.secretKey}` },
      body: 'exp_year=2040',
    });
    const response = await post(lastEvent('payment_method.automatically_updated'), 'whsec_someone_else');
    assert.equal(response.status, 400);
    assert.equal((await json(response)).error.code, 'invalid_signature');
    const unsigned = await t.app.request('/webhooks/stripe', {
      method: 'POST',
      body: JSON.stringify(lastEvent('payment_method.automatically_updated')),
    });
    assert.equal(unsigned.status, 400);
    assert.equal((await t.db.select().from(gatewayEvents)).length, 0);
    assert.equal(
      firstRow(await t.db.select().from(paymentMethods).where(eq(paymentMethods.processorToken, token)))!.expYear,
      2034,
    );
  });

  test('payment_method.automatically_updated refreshes last 4 and expiry once, however often it is delivered', async () => {
    const { token, paymentMethodId } = await subscribeWithStripeCard();
    await fetch(`${fake.url}/_fake/card-updater/${token}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${FAKE_KEYS.secretKey}` },
      body: 'exp_month=3&exp_year=2031&last4=1881',
    });
    const event = lastEvent('payment_method.automatically_updated');
    const first = await post(event);
    assert.equal(first.status, 200);
    assert.deepEqual(await json(first), { received: true, outcome: 'processed' });
    const row = firstRow(await t.db.select().from(paymentMethods).where(eq(paymentMethods.id, paymentMethodId)))!;
    assert.deepEqual([row.last4, row.expMonth, row.expYear], ['1881', 3, 2031]);
    const updates = (await eventsOf(t, 'payment_method.updated')).length;
    const again = await post(event);
    assert.equal(again.status, 200);
    assert.equal((await json(again)).outcome, 'duplicate');
    assert.equal((await eventsOf(t, 'payment_method.updated')).length, updates, 'the redelivery changed nothing');
  });

  test('payment_method.detached removes the method and moves its subscriptions to the default', async () => {
    const first = await subscribeWithStripeCard('4242424242424242');
    const attachToken = await cardMethod(fake, '5555555555554444');
    const attached = await t.api('POST', `/api/accounts/${first.accountId}/payment-methods`, {
      token: attachToken,
      makeDefault: true,
    });
    assert.equal(attached.status, 201);
    const second = await json(attached);
    assert.equal(fake.state.methods.get(attachToken)!.customer, first.customer, "attached to the account's customer");
    await gateway.detachMethod(first.token);
    const response = await post(lastEvent('payment_method.detached'));
    assert.equal(response.status, 200);
    assert.equal((await json(response)).outcome, 'processed');
    assert.ok(
      firstRow(await t.db.select().from(paymentMethods).where(eq(paymentMethods.id, first.paymentMethodId)))!.removedAt,
    );
    assert.equal((await subscriptionRow(t, first.subscriptionId)).paymentMethodId, second.id);
    assert.equal((await eventsOf(t, 'payment_method.removed')).length, 1);
  });

  test('payment_intent.succeeded settles a renewal the portal left pending: the period is paid once', async () => {
    const { subscriptionId } = await subscribeWithStripeCard();
    t.clock.advance(32 * DAY);
    fake.failNext(3, 500);
    const run = await runRenewals(t.deps);
    assert.equal(run.deferred, 1);
    const [pending] = await chargesOf(t, subscriptionId);
    assert.equal(pending.status, 'pending');
    // Stripe did take the charge (the portal's request died on the way back).
    const method = firstRow(await t.db.select().from(paymentMethods))!;
    await gateway.charge({
      idempotencyKey: pending.idempotencyKey,
      token: method.processorToken,
      customerId: method.processorCustomerId,
      amount: pending.total,
      currency: pending.currency,
      description: 'x',
    });
    const response = await post(lastEvent('payment_intent.succeeded'));
    assert.equal(response.status, 200);
    assert.equal((await json(response)).outcome, 'processed');
    const [settled] = await chargesOf(t, subscriptionId);
    assert.equal(settled.status, 'succeeded');
    assert.match(settled.gatewayChargeId!, /^pi_/);
    assert.equal((await ordersOfKind(t, 'rebill')).length, 1);
    assert.equal((await subscriptionRow(t, subscriptionId)).periodIndex, 1);
    const next = await runRenewals(t.deps);
    assert.equal(next.renewed, 0, 'the next run finds nothing to charge');
    assert.equal(
      [...fake.state.paymentIntents.values()].filter((pi) => pi.metadata.portal_charge_key === pending.idempotencyKey)
        .length,
      1,
    );
  });

  test('payment_intent.payment_failed settles a pending renewal as a failed attempt', async () => {
    const { subscriptionId } = await subscribeWithStripeCard('4000000000000341');
    t.clock.advance(32 * DAY);
    fake.failNext(3, 500);
    await runRenewals(t.deps);
    const [pending] = await chargesOf(t, subscriptionId);
    const method = firstRow(await t.db.select().from(paymentMethods))!;
    await gateway.charge({
      idempotencyKey: pending.idempotencyKey,
      token: method.processorToken,
      customerId: method.processorCustomerId,
      amount: pending.total,
      currency: pending.currency,
      description: 'x',
    });
    assert.equal((await post(lastEvent('payment_intent.payment_failed'))).status, 200);
    const [settled] = await chargesOf(t, subscriptionId);
    assert.deepEqual([settled.status, settled.failureCode], ['declined', 'card_declined']);
    assert.equal((await subscriptionRow(t, subscriptionId)).status, 'overdue');
  });

  test('events about objects the portal does not know are acknowledged and ignored', async () => {
    const stranger = await cardMethod(fake, '4242424242424242');
    await gateway.charge({
      idempotencyKey: 'not-ours',
      token: stranger,
      customerId: null,
      amount: 500,
      currency: 'USD',
      description: 'x',
    });
    const unknownCharge = lastEvent('payment_intent.succeeded');
    const other = {
      ...unknownCharge,
      id: 'evt_other_type',
      type: 'customer.created',
      data: { object: { id: 'cus_x', object: 'customer' } },
    };
    for (const event of [unknownCharge, other]) {
      const response = await post(event);
      assert.equal(response.status, 200);
      assert.equal((await json(response)).outcome, 'ignored');
    }
    assert.deepEqual(
      (await t.db.select().from(gatewayEvents)).map((e) => e.outcome),
      ['ignored', 'ignored'],
    );
  });

  describe('charge.refunded', () => {
    /** A renewal the portal charged with Stripe: its rebill order and the PaymentIntent that paid it. */
    async function renewedWithStripe() {
      await setSeller(t);
      const { subscriptionId } = await subscribeWithStripeCard();
      t.clock.advance(32 * DAY);
      assert.equal((await runRenewals(t.deps)).renewed, 1);
      const [charge] = await chargesOf(t, subscriptionId);
      const [order] = await ordersOfKind(t, 'rebill');
      assert.equal(charge.orderId, order.id);
      return { subscriptionId, order, paymentIntent: charge.gatewayChargeId! };
    }
    const refundsOf = async (orderId: string) => {
      const response = await t.api('GET', `/api/orders/${orderId}/refunds`);
      assert.equal(response.status, 200);
      return (await json(response)).data as any[];
    };
    const orderStatus = async (orderId: string) => {
      const response = await t.api('GET', `/api/orders/${orderId}`);
      assert.equal(response.status, 200);
      return (await json(response)).status;
    };
    const stripeRefundsOf = (paymentIntent: string) =>
      [...fake.state.refunds.values()].filter((r) => r.payment_intent === paymentIntent);

    test("records a refund made in Stripe's dashboard as a refund of its order, with its credit note, once per event", async () => {
      const { subscriptionId, order, paymentIntent } = await renewedWithStripe();
      const stripeRefund = await dashboardRefund(fake, paymentIntent, 500);
      const event = lastEvent('charge.refunded');
      const first = await post(event);
      assert.equal(first.status, 200);
      assert.equal((await json(first)).outcome, 'processed');
      const [recorded] = await refundsOf(order.id);
      assert.deepEqual(
        [recorded.origin, recorded.status, recorded.external, recorded.amount, recorded.currency],
        ['processor', 'succeeded', false, 500, 'USD'],
      );
      assert.match(recorded.creditNote.number, /^INV-CN-\d{4}-000001$/);
      assert.equal(firstRow(await t.db.select().from(refunds))!.gatewayRefundId, stripeRefund);
      assert.equal(await orderStatus(order.id), 'partially_refunded');
      assert.equal((await eventsOf(t, 'order.refunded')).length, 1);
      const email = firstRow(await t.db.select().from(emails).where(eq(emails.kind, 'refund')))!;
      assert.ok(email, 'the customer is told');
      assert.deepEqual(
        (await t.db.select().from(emailAttachments).where(eq(emailAttachments.emailId, email.id))).map((f) => f.name),
        [`Credit-note-${recorded.creditNote.number}.pdf`],
      );

      const again = await post(event);
      assert.equal((await json(again)).outcome, 'duplicate');
      assert.equal((await refundsOf(order.id)).length, 1, 'a redelivery records nothing');
      const sameEventAnotherId = await post({ ...event, id: `${event.id}_resent` });
      assert.equal((await json(sameEventAnotherId)).outcome, 'ignored', 'the refund id is known already');
      assert.equal((await refundsOf(order.id)).length, 1);

      await dashboardRefund(fake, paymentIntent);
      assert.equal((await json(await post(lastEvent('charge.refunded')))).outcome, 'processed');
      const both = await refundsOf(order.id);
      assert.deepEqual(
        both.map((r) => r.amount).sort((a, b) => a - b),
        [500, order.total - 500],
      );
      assert.equal(await orderStatus(order.id), 'refunded');
      assert.equal((await subscriptionRow(t, subscriptionId)).status, 'active', 'a refunded renewal does not end it');
      assert.equal((await eventsOf(t, 'order.refunded')).length, 2);
    });

    test('a refund the portal made is never recorded again, even when the event comes before its answer', async () => {
      const { order, paymentIntent } = await renewedWithStripe();
      const made = await t.api('POST', `/api/orders/${order.id}/refunds`, { amount: 300 });
      assert.equal(made.status, 201, await made.clone().text());
      const own = await post(lastEvent('charge.refunded'));
      assert.equal((await json(own)).outcome, 'ignored');
      assert.equal((await refundsOf(order.id)).length, 1);

      // Stripe refunds, but its answer never reaches the portal: the refund stays pending (503).
      const restore = overrideGateway(t, (real) => ({
        refund: async (request) => {
          await real.refund(request);
          throw new GatewayUnavailableError('The answer was lost.');
        },
      }));
      const headers = { 'idempotency-key': 'refund-200' };
      const lost = await t.api('POST', `/api/orders/${order.id}/refunds`, { amount: 200 }, { headers });
      assert.equal(lost.status, 503);
      const early = await post(lastEvent('charge.refunded'));
      assert.equal((await json(early)).outcome, 'ignored', 'its key names the pending refund');
      assert.deepEqual((await refundsOf(order.id)).map((r) => [r.origin, r.status, r.amount]).sort(), [
        ['api', 'pending', 200],
        ['api', 'succeeded', 300],
      ]);
      restore();
      const retried = await t.api('POST', `/api/orders/${order.id}/refunds`, { amount: 200 }, { headers });
      assert.equal(retried.status, 201, await retried.clone().text());
      assert.deepEqual((await refundsOf(order.id)).map((r) => [r.origin, r.status, r.amount]).sort(), [
        ['api', 'succeeded', 200],
        ['api', 'succeeded', 300],
      ]);
      assert.equal(stripeRefundsOf(paymentIntent).length, 2, 'Stripe refunded twice, the portal recorded each once');
      assert.equal((await t.db.select().from(creditNotes)).length, 2);
    });

    test('while Stripe cannot be asked for the refunds the event is answered 503 and processed when sent again', async () => {
      const { order, paymentIntent } = await renewedWithStripe();
      await dashboardRefund(fake, paymentIntent, 700);
      const event = lastEvent('charge.refunded');
      fake.failNext(10, 503);
      const unavailable = await post(event);
      assert.equal(unavailable.status, 503);
      assert.equal((await json(unavailable)).error.code, 'gateway_unavailable');
      assert.equal((await t.db.select().from(gatewayEvents)).length, 0, 'not recorded as seen');
      assert.equal((await refundsOf(order.id)).length, 0);
      fake.failNext(0, 500);
      assert.equal((await json(await post(event))).outcome, 'processed');
      assert.deepEqual(
        (await refundsOf(order.id)).map((r) => r.amount),
        [700],
      );
    });

    test('of a charge the portal did not make is acknowledged and ignored', async () => {
      await renewedWithStripe();
      const stranger = await cardMethod(fake, '4242424242424242');
      const theirs = await gateway.charge({
        idempotencyKey: 'merchant-checkout-1',
        token: stranger,
        customerId: null,
        amount: 900,
        currency: 'USD',
        description: 'x',
      });
      assert.equal(theirs.status, 'succeeded');
      await dashboardRefund(fake, theirs.chargeId, 900);
      const response = await post(lastEvent('charge.refunded'));
      assert.equal(response.status, 200);
      assert.equal((await json(response)).outcome, 'ignored');
      assert.equal((await t.db.select().from(refunds)).length, 0);
    });
  });

  test('is not mounted with the test gateway', async () => {
    const plain = await createTestContext();
    assert.equal((await plain.app.request('/webhooks/stripe', { method: 'POST', body: '{}' })).status, 404);
  });
});
