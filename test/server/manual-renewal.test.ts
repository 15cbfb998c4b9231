import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { paymentMethods, subscriptions } from '../../server/db/schema';
import { GatewayUnavailableError } from '../../server/payments/gateway';
import { runRenewals } from '../../server/services/billing/renewals/run';
import type { PaymentGateway } from '../../server/payments/gateway';
import { createTestContext, json, type TestContext } from '../helpers/app';
import { portal, signInByEmail } from '../helpers/portal';
import {
  chargesOf,
  emailsOf,
  eventsOf,
  gatewayCharges,
  iso,
  ordersOfKind,
  startSubscription,
  subscriptionRow,
  testToken,
  withCatalog,
} from '../helpers/renewals';

let t: TestContext;
beforeEach(async () => {
  t = await withCatalog(await createTestContext({ now: '2026-01-15T12:00:00.000Z' }));
});

/** A manual-renewal subscription and a saved card on its account. */
async function manualCustomer(
  options: { plan?: 'pro-monthly' | 'pro-yearly'; behaviour?: Parameters<typeof testToken>[0] } = {},
) {
  const { subscriptionId, accountId } = await startSubscription(t, { manual: true, plan: options.plan });
  const paymentMethodId = await attachCard(accountId, options.behaviour ?? 'succeeds', '4242');
  return { subscriptionId, accountId, paymentMethodId };
}

/** Signs Ada in now (sessions lapse when the clock moves on). */
const signIn = async () => (await signInByEmail(t, 'ada@example.com')).token;

/** Attaches a test card; one with a past `expYear` was saved while valid and has expired since. */
async function attachCard(
  accountId: string,
  behaviour: Parameters<typeof testToken>[0],
  last4: string,
  expYear = 2035,
) {
  const response = await t.api('POST', `/api/accounts/${accountId}/payment-methods`, {
    token: testToken(behaviour, last4),
    brand: 'visa',
    last4,
    expMonth: 12,
    expYear: 2035,
  });
  assert.equal(response.status, 201, await response.clone().text());
  const id = (await json(response)).id as string;
  if (expYear !== 2035) await t.db.update(paymentMethods).set({ expYear }).where(eq(paymentMethods.id, id));
  return id;
}

const renew = (subscriptionId: string, paymentMethodId: string, token?: string) =>
  portal(t, 'POST', `/subscriptions/${subscriptionId}/renew`, { paymentMethodId }, { token });

describe('POST /portal/{store}/subscriptions/{id}/renew', () => {
  test('pays the next period with the chosen card; the subscription stays manual', async () => {
    const { subscriptionId, paymentMethodId } = await manualCustomer();
    t.clock.set('2026-02-01T09:00:00.000Z');
    const token = await signIn();
    const response = await renew(subscriptionId, paymentMethodId, token);
    assert.equal(response.status, 200, await response.clone().text());
    const body = await json(response);
    assert.equal(body.subscription.id, subscriptionId);
    assert.equal(body.subscription.renewal, 'manual');
    assert.equal(body.subscription.currentPeriodStart, '2026-02-15T12:00:00.000Z');
    assert.equal(body.subscription.currentPeriodEnd, '2026-03-15T12:00:00.000Z');
    assert.deepEqual(
      [body.charge.total, body.charge.currency, body.charge.invoiceNumber],
      [2261, 'USD', 'INV-2026-000002'],
    );

    const sub = await subscriptionRow(t, subscriptionId);
    assert.deepEqual(
      [sub.autoRenew, sub.paymentMethodId, sub.periodIndex, iso(sub.nextChargeAt)],
      [false, null, 1, '2026-03-15T12:00:00.000Z'],
    );
    const [charge] = await chargesOf(t, subscriptionId);
    assert.deepEqual(
      [charge.kind, charge.periodIndex, charge.attempt, charge.paymentMethodId],
      ['manual_renewal', 1, 1, paymentMethodId],
    );
    assert.equal((await ordersOfKind(t, 'rebill'))[0].id, body.charge.orderId);
    assert.equal((await eventsOf(t, 'subscription.charge.completed'))[0].data.charge.kind, 'manual_renewal');
    assert.match(
      (await emailsOf(t, 'renewal_receipt'))[0].textBody!,
      /next payment of \$22\.61 is due on March 15, 2026/,
    );

    t.clock.set('2026-02-15T12:00:00.000Z');
    assert.equal((await runRenewals(t.deps)).examined, 0, 'the paid period is not due');
  });

  test('an overdue manual renewal paid late still starts its period at the due date', async () => {
    const { subscriptionId, paymentMethodId } = await manualCustomer();
    t.clock.set('2026-02-15T12:00:00.000Z');
    await runRenewals(t.deps);
    assert.equal((await subscriptionRow(t, subscriptionId)).status, 'overdue');
    t.clock.set('2026-02-19T08:00:00.000Z');
    const token = await signIn();
    const response = await renew(subscriptionId, paymentMethodId, token);
    assert.equal(response.status, 200);
    const sub = await subscriptionRow(t, subscriptionId);
    assert.deepEqual(
      [sub.status, iso(sub.currentPeriodStart), iso(sub.nextChargeAt)],
      ['active', '2026-02-15T12:00:00.000Z', '2026-03-15T12:00:00.000Z'],
    );
  });

  test('a declined card is a 402 with the reason and changes nothing; another card then works', async () => {
    const { subscriptionId, accountId, paymentMethodId } = await manualCustomer({ behaviour: 'insufficient_funds' });
    t.clock.set('2026-02-10T12:00:00.000Z');
    const token = await signIn();
    const before = await subscriptionRow(t, subscriptionId);
    const declined = await renew(subscriptionId, paymentMethodId, token);
    assert.equal(declined.status, 402);
    const { error } = await json(declined);
    assert.equal(error.code, 'payment_declined');
    assert.equal(error.details.declineCode, 'insufficient_funds');
    assert.match(error.message, /insufficient funds/);
    const after = await subscriptionRow(t, subscriptionId);
    assert.deepEqual(
      [after.version, after.periodIndex, after.status],
      [before.version, before.periodIndex, before.status],
    );
    assert.equal((await eventsOf(t, 'subscription.charge.failed')).length, 1);

    const other = await attachCard(accountId, 'succeeds', '1881');
    const paid = await renew(subscriptionId, other, token);
    assert.equal(paid.status, 200);
    assert.deepEqual(
      (await chargesOf(t, subscriptionId)).map((c) => [c.attempt, c.status]),
      [
        [1, 'declined'],
        [2, 'succeeded'],
      ],
    );
  });

  test('opens 30 days before the period ends', async () => {
    // A year earlier than the other tests: sign-in cookies may not expire more than 400 real days ahead.
    t = await withCatalog(await createTestContext({ now: '2025-01-15T12:00:00.000Z' }));
    const { subscriptionId, paymentMethodId } = await manualCustomer({ plan: 'pro-yearly' });
    const early = await renew(subscriptionId, paymentMethodId, await signIn());
    assert.equal(early.status, 409);
    const { error } = await json(early);
    assert.equal(error.code, 'renewal_not_open');
    assert.equal(error.details.opensAt, '2025-12-16T12:00:00.000Z');
    t.clock.set('2025-12-16T11:59:59.000Z');
    const token = await signIn();
    assert.equal((await renew(subscriptionId, paymentMethodId, token)).status, 409);
    t.clock.set('2025-12-16T12:00:00.000Z');
    assert.equal((await renew(subscriptionId, paymentMethodId, token)).status, 200);
    assert.equal(iso((await subscriptionRow(t, subscriptionId)).currentPeriodEnd), '2027-01-15T12:00:00.000Z');
  });

  test("refuses ended, pending-cancellation and other customers' subscriptions, and unusable cards", async () => {
    const { subscriptionId, accountId, paymentMethodId } = await manualCustomer();
    t.clock.set('2026-02-10T12:00:00.000Z');
    const token = await signIn();
    assert.equal((await renew(subscriptionId, paymentMethodId)).status, 401);
    const unknown = await renew(subscriptionId, 'pm_doesnotexist00000000', token);
    assert.equal(unknown.status, 422);
    assert.equal((await json(unknown)).error.code, 'payment_method_not_found');
    const expired = await attachCard(accountId, 'succeeds', '0005', 2025);
    const stale = await renew(subscriptionId, expired, token);
    assert.equal(stale.status, 422);
    assert.equal((await json(stale)).error.code, 'payment_method_expired');

    const grace = await startSubscription(t, { email: 'grace@example.com', manual: true });
    const foreign = await renew(grace.subscriptionId, paymentMethodId, token);
    assert.equal(foreign.status, 404);

    await t.db
      .update(subscriptions)
      .set({ cancelAtPeriodEnd: true, nextChargeAt: null })
      .where(eq(subscriptions.id, subscriptionId));
    assert.equal((await json(await renew(subscriptionId, paymentMethodId, token))).error.code, 'cancellation_pending');
    await t.db
      .update(subscriptions)
      .set({ status: 'deactivated', cancelAtPeriodEnd: false, endedAt: t.clock.now() })
      .where(eq(subscriptions.id, subscriptionId));
    const ended = await renew(subscriptionId, paymentMethodId, token);
    assert.equal(ended.status, 409);
    assert.equal((await json(ended)).error.code, 'subscription_ended');
    assert.equal((await gatewayCharges(t)).length, 0);
  });

  test('an unreachable gateway is a 503; trying again completes the same attempt, charged once', async () => {
    const { subscriptionId, paymentMethodId } = await manualCustomer();
    t.clock.set('2026-02-10T12:00:00.000Z');
    const token = await signIn();
    const inner = t.deps.gateway;
    let calls = 0;
    // The first call reaches the processor, but its answer is lost; the request fails as unreachable.
    t.deps.gateway = {
      ...inner,
      name: inner.name,
      isTest: inner.isTest,
      createSetup: (i) => inner.createSetup(i),
      retrieveMethod: (tok) => inner.retrieveMethod(tok),
      detachMethod: (tok) => inner.detachMethod(tok),
      charge: async (request) => {
        const result = await inner.charge(request);
        if (++calls === 1) throw new GatewayUnavailableError('timed out');
        return result;
      },
    };
    try {
      const failed = await renew(subscriptionId, paymentMethodId, token);
      assert.equal(failed.status, 503);
      assert.equal(failed.headers.get('retry-after'), '60');
      assert.equal((await json(failed)).error.code, 'gateway_unavailable');
      assert.equal((await chargesOf(t, subscriptionId))[0].status, 'pending');
      const retried = await renew(subscriptionId, paymentMethodId, token);
      assert.equal(retried.status, 200);
    } finally {
      t.deps.gateway = inner;
    }
    assert.deepEqual(
      (await chargesOf(t, subscriptionId)).map((c) => [c.attempt, c.status]),
      [[1, 'succeeded']],
    );
    assert.equal((await gatewayCharges(t)).length, 1);
    assert.equal((await subscriptionRow(t, subscriptionId)).periodIndex, 1);
  });

  test('an automatic renewal left pending by a crash is finished first: the customer is not charged again', async () => {
    const { subscriptionId, paymentMethodId } = await startSubscription(t);
    t.clock.set('2026-02-15T12:00:00.000Z');
    const inner = t.deps.gateway;
    // The scheduler's process dies once the gateway has charged.
    let charged!: () => void;
    const gatewayCharged = new Promise<void>((resolve) => (charged = resolve));
    const dying: PaymentGateway = Object.assign(Object.create(Object.getPrototypeOf(inner)), inner, {
      charge: async (request: Parameters<PaymentGateway['charge']>[0]) => {
        await inner.charge(request);
        charged();
        return new Promise<never>(() => {});
      },
    });
    void runRenewals({ ...t.deps, gateway: dying });
    await gatewayCharged;
    assert.equal((await chargesOf(t, subscriptionId))[0].status, 'pending');

    t.clock.set('2026-02-15T12:03:00.000Z');
    const response = await renew(subscriptionId, paymentMethodId!, await signIn());
    assert.equal(response.status, 200, await response.clone().text());
    assert.deepEqual(
      (await chargesOf(t, subscriptionId)).map((c) => [c.kind, c.status]),
      [['renewal', 'succeeded']],
    );
    assert.equal((await gatewayCharges(t)).length, 1);
    assert.equal((await subscriptionRow(t, subscriptionId)).periodIndex, 1);
  });
});
