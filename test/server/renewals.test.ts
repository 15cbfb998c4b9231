import { first } from '../../server/db/query';
import assert from 'node:assert/strict';
import { beforeEach, describe, test, type TestContext as NodeTestContext } from 'node:test';
import { eq } from 'drizzle-orm';
import type { Db } from '../../server/db/client';
import { invoices, paymentMethods, products, subscriptions } from '../../server/db/schema';
import { createDeps } from '../../server/deps';
import { DAY, FakeClock, HOUR, MINUTE } from '../../server/lib/clock';
import { silentLogger } from '../../server/lib/logger';
import { GatewayUnavailableError, type PaymentGateway } from '../../server/payments/gateway';
import { encodeTestToken } from '../../server/payments/test-gateway';
import { runRenewals } from '../../server/services/billing/renewals/run';
import { renewNow } from '../../server/services/billing/subscriptions/manual-renewal';
import { getAccount } from '../../server/services/accounts/accounts';
import { getStore } from '../../server/services/stores/stores';
import { createRenewalWorker } from '../../server/services/billing/renewals/worker';
import {
  RENEWAL_MAX_ATTEMPTS,
  RENEWAL_MIN_RETRY_GAP_MS,
  RENEWAL_RETRY_SCHEDULE_MS,
  renewalRetryAt,
} from '../../server/services/billing/renewals/schedule';
import { createTestContext, json, openAgain, reopenable, type TestContext } from '../helpers/app';
import { closeDatabase } from '../helpers/engine-sql';
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

const setSub = async (id: string, changes: Partial<typeof subscriptions.$inferInsert>) =>
  await t.db.update(subscriptions).set(changes).where(eq(subscriptions.id, id));

/** A gateway that behaves like `inner` but runs `around` each charge. */
function wrapGateway(inner: PaymentGateway, charge: PaymentGateway['charge']): PaymentGateway {
  return {
    ...inner,
    name: inner.name,
    isTest: inner.isTest,
    charge,
    createSetup: (i) => inner.createSetup(i),
    retrieveMethod: (tok) => inner.retrieveMethod(tok),
    detachMethod: (tok) => inner.detachMethod(tok),
  };
}

describe('runRenewals: automatic renewal', () => {
  test('charges a due subscription once, advances the period, records a rebill order and sends a receipt', async () => {
    const { subscriptionId } = await startSubscription(t);
    const before = await subscriptionRow(t, subscriptionId);
    t.clock.set('2026-02-15T11:59:59.999Z');
    assert.equal((await runRenewals(t.deps)).renewed, 0, 'nothing is due a millisecond early');
    t.clock.set('2026-02-15T12:00:00.000Z');
    const summary = await runRenewals(t.deps);
    assert.equal(summary.renewed, 1);

    const sub = await subscriptionRow(t, subscriptionId);
    assert.equal(sub.status, 'active');
    assert.equal(sub.periodIndex, 1);
    assert.equal(iso(sub.currentPeriodStart), '2026-02-15T12:00:00.000Z');
    assert.equal(iso(sub.currentPeriodEnd), '2026-03-15T12:00:00.000Z');
    assert.equal(iso(sub.nextChargeAt), '2026-03-15T12:00:00.000Z');
    assert.equal(sub.nextChargeAmount, 2261);
    assert.equal(sub.version, before.version + 1);
    assert.equal(sub.lockedUntil, null, 'the lock is given back');

    const [charge] = await chargesOf(t, subscriptionId);
    assert.deepEqual(
      {
        kind: charge.kind,
        periodIndex: charge.periodIndex,
        attempt: charge.attempt,
        status: charge.status,
        total: charge.total,
      },
      { kind: 'renewal', periodIndex: 1, attempt: 1, status: 'succeeded', total: 2261 },
    );
    assert.equal(charge.idempotencyKey, `renewal:${subscriptionId}:1:1`);
    const ledger = await gatewayCharges(t);
    assert.equal(ledger.length, 1);
    assert.equal(ledger[0].amount, 2261);

    const [rebill] = await ordersOfKind(t, 'rebill');
    assert.equal(rebill.id, charge.orderId);
    assert.deepEqual([rebill.subtotal, rebill.tax, rebill.total], [1900, 361, 2261]);
    assert.equal(
      first(await t.db.select().from(invoices).where(eq(invoices.orderId, rebill.id)))?.number,
      'INV-2026-000002',
    );

    const [completed] = await eventsOf(t, 'subscription.charge.completed');
    assert.equal(completed.data.subscription.id, subscriptionId);
    assert.equal(completed.data.subscription.currentPeriodEnd, '2026-03-15T12:00:00.000Z');
    assert.deepEqual(completed.data.charge, {
      id: charge.id,
      kind: 'renewal',
      amount: 1900,
      tax: 361,
      total: 2261,
      currency: 'USD',
      orderId: rebill.id,
      failureCode: null,
    });
    assert.equal((await eventsOf(t, 'order.completed')).length, 2, 'the purchase and the rebill');

    const [receipt] = await emailsOf(t, 'renewal_receipt');
    assert.equal(receipt.toAddress, 'ada@example.com');
    assert.match(receipt.subject, /Receipt for your Pro subscription/);
    assert.match(receipt.textBody!, /\$22\.61 to Visa ending in 4242/);
    assert.match(receipt.textBody!, /renews automatically on March 15, 2026 for \$22\.61/);
    assert.match(receipt.textBody!, new RegExp(`#/orders/${rebill.id}`));

    assert.equal((await runRenewals(t.deps)).examined, 0, 'nothing is due any more');
    assert.equal((await gatewayCharges(t)).length, 1);
  });

  test('starts the first paid period when a trial ends, at the catalog price', async () => {
    const { subscriptionId } = await startSubscription(t, { trialDays: 14 });
    assert.equal((await subscriptionRow(t, subscriptionId)).status, 'trial');
    t.clock.set('2026-01-29T12:00:00.000Z');
    assert.equal((await runRenewals(t.deps)).renewed, 1);
    const sub = await subscriptionRow(t, subscriptionId);
    assert.deepEqual(
      [sub.status, sub.periodIndex, iso(sub.currentPeriodStart), iso(sub.currentPeriodEnd)],
      ['active', 0, '2026-01-29T12:00:00.000Z', '2026-02-28T12:00:00.000Z'],
    );
    assert.deepEqual(
      (await chargesOf(t, subscriptionId)).map((c) => [c.periodIndex, c.total]),
      [[0, 2261]],
    );
  });

  test("emails in the customer's language", async () => {
    await startSubscription(t, { language: 'de' });
    t.clock.set('2026-02-15T12:00:00.000Z');
    await runRenewals(t.deps);
    const [receipt] = await emailsOf(t, 'renewal_receipt');
    assert.equal(receipt.language, 'de');
    assert.match(receipt.subject, /Beleg für Ihr Abonnement Pro/);
    assert.match(receipt.textBody!, /verlängert sich automatisch am 15\. März 2026/);
  });
});

describe('runRenewals: declined charges', () => {
  test('retries 1, 3 and 7 days after the due date, then deactivates, with exact dates', async () => {
    const { subscriptionId } = await startSubscription(t, { behaviour: 'declines_charges' });
    const due = Date.parse('2026-02-15T12:00:00.000Z');
    const expected = [
      { at: due, next: '2026-02-16T12:00:00.000Z' },
      { at: due + DAY, next: '2026-02-18T12:00:00.000Z' },
      { at: due + 3 * DAY, next: '2026-02-22T12:00:00.000Z' },
    ];
    for (const [n, step] of expected.entries()) {
      t.clock.set(step.at - 1);
      assert.equal((await runRenewals(t.deps)).declined, 0, `attempt ${n + 1} waits for its time`);
      t.clock.set(step.at);
      assert.equal((await runRenewals(t.deps)).declined, 1);
      const sub = await subscriptionRow(t, subscriptionId);
      assert.deepEqual([sub.status, sub.failedAttempts, iso(sub.nextChargeAt)], ['overdue', n + 1, step.next]);
      assert.equal(iso(sub.currentPeriodEnd), '2026-02-15T12:00:00.000Z', 'the period does not move while overdue');
    }
    t.clock.set(due + 7 * DAY);
    assert.equal((await runRenewals(t.deps)).deactivated, 1);
    const sub = await subscriptionRow(t, subscriptionId);
    assert.deepEqual(
      [sub.status, iso(sub.endedAt), sub.nextChargeAt, sub.nextChargeAmount, sub.failedAttempts],
      ['deactivated', '2026-02-22T12:00:00.000Z', null, null, 4],
    );

    const charges = await chargesOf(t, subscriptionId);
    assert.deepEqual(
      charges.map((c) => [c.periodIndex, c.attempt, c.status, c.failureCode]),
      [1, 2, 3, 4].map((attempt) => [1, attempt, 'declined', 'card_declined']),
    );
    assert.equal((await gatewayCharges(t)).length, 4);
    assert.equal((await eventsOf(t, 'subscription.charge.failed')).length, 4);
    assert.equal((await eventsOf(t, 'subscription.deactivated')).length, 1);
    assert.equal((await eventsOf(t, 'subscription.charge.failed'))[0].data.charge.failureCode, 'card_declined');

    const failed = await emailsOf(t, 'renewal_failed');
    assert.equal(failed.length, 3);
    assert.match(failed[0].textBody!, /the card was declined/);
    assert.match(failed[0].textBody!, /try again on February 16, 2026/);
    assert.match(failed[0].textBody!, /#\/payment-methods/);
    assert.equal((await emailsOf(t, 'renewal_stopped')).length, 1);

    t.clock.advance(30 * DAY);
    assert.equal((await runRenewals(t.deps)).examined, 0, 'a deactivated subscription is left alone');
  });

  test('the schedule is +1, +3 and +7 days after the due date, four attempts in all, late ones 12 hours apart', () => {
    assert.deepEqual(RENEWAL_RETRY_SCHEDULE_MS, [DAY, 3 * DAY, 7 * DAY]);
    assert.equal(RENEWAL_MAX_ATTEMPTS, 4);
    assert.equal(RENEWAL_MIN_RETRY_GAP_MS, 12 * HOUR);
    const due = new Date('2026-02-15T12:00:00.000Z');
    assert.equal(iso(renewalRetryAt(due, 2, due)), '2026-02-18T12:00:00.000Z', 'counted from the due date');
    assert.equal(
      iso(renewalRetryAt(due, 2, new Date(due.getTime() + 5 * DAY))),
      '2026-02-21T00:00:00.000Z',
      'a passed date moves',
    );
    assert.equal(renewalRetryAt(due, RENEWAL_MAX_ATTEMPTS, due), null, 'the last attempt has no retry');
  });

  test('a retry that succeeds starts the period at the original due date and resets the failures', async () => {
    const { subscriptionId, accountId } = await startSubscription(t, { behaviour: 'insufficient_funds' });
    t.clock.set('2026-02-15T12:00:00.000Z');
    await runRenewals(t.deps);
    assert.match((await emailsOf(t, 'renewal_failed'))[0].textBody!, /insufficient funds/);
    assert.equal((await eventsOf(t, 'subscription.charge.failed'))[0].data.charge.failureCode, 'insufficient_funds');

    const attached = await t.api('POST', `/api/accounts/${accountId}/payment-methods`, {
      token: encodeTestToken({ brand: 'mastercard', last4: '4444', expMonth: 1, expYear: 2031, behaviour: 'succeeds' }),
    });
    assert.equal(attached.status, 201);
    await setSub(subscriptionId, { paymentMethodId: (await json(attached)).id });
    t.clock.set('2026-02-16T12:00:00.000Z');
    assert.equal((await runRenewals(t.deps)).renewed, 1);
    const sub = await subscriptionRow(t, subscriptionId);
    assert.deepEqual(
      [sub.status, sub.failedAttempts, iso(sub.currentPeriodStart), iso(sub.currentPeriodEnd), iso(sub.nextChargeAt)],
      ['active', 0, '2026-02-15T12:00:00.000Z', '2026-03-15T12:00:00.000Z', '2026-03-15T12:00:00.000Z'],
    );
    assert.deepEqual(
      (await chargesOf(t, subscriptionId)).map((c) => [c.attempt, c.status]),
      [
        [1, 'declined'],
        [2, 'succeeded'],
      ],
    );
    assert.match((await emailsOf(t, 'renewal_receipt'))[0].textBody!, /Mastercard ending in 4444/);
  });

  test('no usable payment method counts as a declined attempt, without asking the gateway', async () => {
    const { subscriptionId, paymentMethodId } = await startSubscription(t);
    await t.db.update(paymentMethods).set({ removedAt: t.clock.now() }).where(eq(paymentMethods.id, paymentMethodId!));
    t.clock.set('2026-02-15T12:00:00.000Z');
    assert.equal((await runRenewals(t.deps)).declined, 1);
    assert.equal((await gatewayCharges(t)).length, 0);
    const [charge] = await chargesOf(t, subscriptionId);
    assert.deepEqual(
      [charge.status, charge.failureCode, charge.paymentMethodId],
      ['declined', 'no_payment_method', null],
    );
    assert.equal((await subscriptionRow(t, subscriptionId)).status, 'overdue');
    assert.match(
      (await emailsOf(t, 'renewal_failed'))[0].textBody!,
      /no payment method is saved for this subscription/,
    );
  });

  test('after a downtime, retries whose dates have passed are spaced 12 hours apart', async () => {
    const { subscriptionId } = await startSubscription(t, { behaviour: 'declines_charges' });
    const late = Date.parse('2026-03-01T00:00:00.000Z');
    t.clock.set(late);
    await runRenewals(t.deps);
    assert.equal(iso((await subscriptionRow(t, subscriptionId)).nextChargeAt), '2026-03-01T12:00:00.000Z');
    assert.equal((await runRenewals(t.deps)).examined, 0, 'not retried at once');
    t.clock.set(late + 12 * HOUR);
    await runRenewals(t.deps);
    assert.equal(iso((await subscriptionRow(t, subscriptionId)).nextChargeAt), '2026-03-02T00:00:00.000Z');
  });
});

describe('runRenewals: period-end changes', () => {
  test('a pending cancellation ends the subscription at the period end, without a charge', async () => {
    const { subscriptionId } = await startSubscription(t);
    await setSub(subscriptionId, {
      cancelAtPeriodEnd: true,
      canceledAt: t.clock.now(),
      cancelReason: 'unused',
      nextChargeAt: null,
      nextChargeAmount: null,
    });
    t.clock.set('2026-02-15T12:00:00.000Z');
    assert.equal((await runRenewals(t.deps)).canceled, 1);
    const sub = await subscriptionRow(t, subscriptionId);
    assert.deepEqual([sub.status, iso(sub.endedAt), sub.nextChargeAt], ['canceled', '2026-02-15T12:00:00.000Z', null]);
    assert.equal((await chargesOf(t, subscriptionId)).length, 0);
    const [ended] = await eventsOf(t, 'subscription.deactivated');
    assert.equal(ended.data.status, 'canceled');
    assert.match((await emailsOf(t, 'subscription_ended'))[0].textBody!, /ended on February 15, 2026/);
  });

  test('a scheduled downgrade applies at the period end, before the next period is charged at its price', async () => {
    const { subscriptionId } = await startSubscription(t);
    const basic = first(await t.db.select().from(products).where(eq(products.key, 'basic-monthly')))!;
    await setSub(subscriptionId, {
      scheduledProductId: basic.id,
      scheduledQuantity: 2,
      scheduledUnitPrice: 900,
      nextChargeAmount: 2142,
    });
    t.clock.set('2026-02-15T12:00:00.000Z');
    const summary = await runRenewals(t.deps);
    assert.deepEqual([summary.changesApplied, summary.renewed], [1, 1]);
    const sub = await subscriptionRow(t, subscriptionId);
    assert.deepEqual(
      [sub.productId, sub.quantity, sub.unitPrice, sub.scheduledProductId, sub.nextChargeAmount],
      [basic.id, 2, 900, null, 2142],
    );
    assert.deepEqual(
      (await chargesOf(t, subscriptionId)).map((c) => [c.amount, c.tax, c.total]),
      [[1800, 342, 2142]],
    );
    const [updated] = await eventsOf(t, 'subscription.updated');
    assert.equal(updated.data.product.key, 'basic-monthly');
    assert.equal((await ordersOfKind(t, 'rebill')).length, 1);
  });

  test('a downgrade to a plan with another interval re-anchors billing at the period end', async () => {
    t.clock.set('2026-01-31T12:00:00.000Z');
    const { subscriptionId } = await startSubscription(t, { plan: 'pro-yearly' });
    const basic = first(await t.db.select().from(products).where(eq(products.key, 'basic-monthly')))!;
    await setSub(subscriptionId, { scheduledProductId: basic.id, scheduledQuantity: 1, scheduledUnitPrice: 900 });
    t.clock.set('2027-01-31T12:00:00.000Z');
    await runRenewals(t.deps);
    let sub = await subscriptionRow(t, subscriptionId);
    assert.deepEqual(
      [iso(sub.currentPeriodStart), iso(sub.currentPeriodEnd)],
      ['2027-01-31T12:00:00.000Z', '2027-02-28T12:00:00.000Z'],
    );
    t.clock.set('2027-02-28T12:00:00.000Z');
    await runRenewals(t.deps);
    sub = await subscriptionRow(t, subscriptionId);
    assert.equal(iso(sub.currentPeriodEnd), '2027-03-31T12:00:00.000Z', 'month ends keep to the 31st');
    const indexes = (await chargesOf(t, subscriptionId)).map((c) => c.periodIndex);
    assert.equal(new Set(indexes).size, 2, 'each period has its own index');
  });

  test('a pause starts at the period end without a charge and ends with a charge for a new period', async () => {
    const { subscriptionId } = await startSubscription(t);
    await setSub(subscriptionId, {
      pauseStartsAt: new Date('2026-02-15T12:00:00.000Z'),
      pauseResumesAt: new Date('2026-04-15T12:00:00.000Z'),
    });
    t.clock.set('2026-02-15T12:00:00.000Z');
    assert.equal((await runRenewals(t.deps)).pausesStarted, 1);
    let sub = await subscriptionRow(t, subscriptionId);
    assert.deepEqual(
      [sub.status, iso(sub.currentPeriodStart), iso(sub.currentPeriodEnd), iso(sub.nextChargeAt)],
      ['paused', '2026-02-15T12:00:00.000Z', '2026-04-15T12:00:00.000Z', '2026-04-15T12:00:00.000Z'],
    );
    assert.equal((await chargesOf(t, subscriptionId)).length, 0);
    t.clock.set('2026-03-20T12:00:00.000Z');
    assert.equal((await runRenewals(t.deps)).examined, 0);
    t.clock.set('2026-04-15T12:00:00.000Z');
    assert.equal((await runRenewals(t.deps)).renewed, 1);
    sub = await subscriptionRow(t, subscriptionId);
    assert.deepEqual(
      [sub.status, sub.pauseStartsAt, iso(sub.currentPeriodStart), iso(sub.currentPeriodEnd)],
      ['active', null, '2026-04-15T12:00:00.000Z', '2026-05-15T12:00:00.000Z'],
    );
    assert.ok(sub.periodIndex >= 1, "the paid period's index is above the ones charged before the pause");
    assert.equal((await eventsOf(t, 'subscription.resumed')).length, 1);
  });
});

describe('runRenewals: manual renewal', () => {
  test("an unpaid period makes the subscription overdue for 7 days' grace, then deactivates it", async () => {
    const { subscriptionId } = await startSubscription(t, { manual: true });
    t.clock.set('2026-02-15T12:00:00.000Z');
    assert.equal((await runRenewals(t.deps)).manualDue, 1);
    let sub = await subscriptionRow(t, subscriptionId);
    assert.deepEqual([sub.status, iso(sub.nextChargeAt)], ['overdue', '2026-02-22T12:00:00.000Z']);
    const [due] = await emailsOf(t, 'manual_renewal_due');
    assert.match(due.textBody!, /ended on February 15, 2026\. Renew now for \$22\.61/);
    assert.match(due.textBody!, /not renewed by February 22, 2026/);
    assert.match(due.textBody!, new RegExp(`#/subscriptions/${subscriptionId}`));
    t.clock.set('2026-02-22T11:59:00.000Z');
    assert.equal((await runRenewals(t.deps)).examined, 0);
    t.clock.set('2026-02-22T12:00:00.000Z');
    assert.equal((await runRenewals(t.deps)).manualLapsed, 1);
    sub = await subscriptionRow(t, subscriptionId);
    assert.deepEqual([sub.status, iso(sub.endedAt)], ['deactivated', '2026-02-22T12:00:00.000Z']);
    assert.equal((await chargesOf(t, subscriptionId)).length, 0);
    assert.equal((await gatewayCharges(t)).length, 0, 'the scheduler never charges a manual subscription');
    assert.equal((await emailsOf(t, 'manual_renewal_lapsed')).length, 1);
    assert.equal((await eventsOf(t, 'subscription.deactivated')).length, 1);
  });
});

describe('runRenewals: safety', () => {
  test('several periods behind after a downtime: one period per run, each charged once from its own due date', async () => {
    const { subscriptionId } = await startSubscription(t);
    t.clock.set('2026-04-16T00:00:00.000Z');
    const starts: (string | null)[] = [];
    for (let run = 0; run < 3; run++) {
      assert.equal((await runRenewals(t.deps)).renewed, 1, `run ${run + 1} charges one period`);
      starts.push(iso((await subscriptionRow(t, subscriptionId)).currentPeriodStart));
    }
    assert.deepEqual(starts, ['2026-02-15T12:00:00.000Z', '2026-03-15T12:00:00.000Z', '2026-04-15T12:00:00.000Z']);
    assert.equal((await runRenewals(t.deps)).renewed, 0);
    assert.deepEqual(
      (await chargesOf(t, subscriptionId)).map((c) => c.periodIndex),
      [1, 2, 3],
    );
    assert.equal((await gatewayCharges(t)).length, 3);
  });

  test('two concurrent runs charge every period once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await startSubscription(t, { email: `c${i}@example.com` })).subscriptionId);
    const inner = t.deps.gateway;
    // Yield between asking and answering, so that the two runs interleave.
    const slow = wrapGateway(inner, async (request) => {
      await new Promise((resolve) => setImmediate(resolve));
      return inner.charge(request);
    });
    t.clock.set('2026-02-15T12:00:00.000Z');
    const deps = { ...t.deps, gateway: slow };
    const [a, b] = await Promise.all([runRenewals(deps, { batchSize: 5 }), runRenewals(deps, { batchSize: 5 })]);
    assert.equal(a.renewed + b.renewed, 12);
    assert.ok(a.busy + b.busy > 0, 'the runs met on some subscriptions');
    assert.equal((await gatewayCharges(t)).length, 12);
    for (const id of ids) assert.equal((await subscriptionRow(t, id)).periodIndex, 1);
  });

  test('an unreachable gateway is no decline: the charge stays pending and the next run completes it', async () => {
    const first = await startSubscription(t, { email: 'a@example.com' });
    const second = await startSubscription(t, { email: 'b@example.com' });
    const down = wrapGateway(t.deps.gateway, async () => {
      throw new GatewayUnavailableError('connection refused');
    });
    t.clock.set('2026-02-15T12:00:00.000Z');
    const summary = await runRenewals({ ...t.deps, gateway: down }, { concurrency: 1 });
    assert.deepEqual(
      [summary.deferred, summary.declined, summary.renewed],
      [2, 0, 0],
      'the run stops charging after the first failure',
    );
    const pending = [...(await chargesOf(t, first.subscriptionId)), ...(await chargesOf(t, second.subscriptionId))];
    assert.equal(pending.length, 1);
    assert.equal(pending[0].status, 'pending');
    for (const { subscriptionId } of [first, second]) {
      const sub = await subscriptionRow(t, subscriptionId);
      assert.deepEqual([sub.status, sub.failedAttempts, sub.lockedUntil], ['active', 0, null]);
    }
    t.clock.advance(MINUTE);
    assert.equal((await runRenewals(t.deps)).renewed, 2);
    assert.equal((await gatewayCharges(t)).length, 2);
    assert.equal(
      (await chargesOf(t, pending[0].subscriptionId))[0].id,
      pending[0].id,
      'the pending charge was completed, not made again',
    );
  });

  test('a numbering restarted at 0 (an early unpause) is moved past earlier charges instead of reusing their keys', async () => {
    const { subscriptionId } = await startSubscription(t);
    t.clock.set('2026-02-15T12:00:00.000Z');
    await runRenewals(t.deps);
    await setSub(subscriptionId, {
      billingAnchorAt: new Date('2026-02-20T12:00:00.000Z'),
      periodIndex: 0,
      currentPeriodStart: new Date('2026-02-20T12:00:00.000Z'),
      currentPeriodEnd: new Date('2026-03-20T12:00:00.000Z'),
      nextChargeAt: new Date('2026-03-20T12:00:00.000Z'),
    });
    t.clock.set('2026-03-20T12:00:00.000Z');
    assert.equal((await runRenewals(t.deps)).renewed, 1);
    const sub = await subscriptionRow(t, subscriptionId);
    assert.deepEqual(
      [iso(sub.currentPeriodStart), iso(sub.currentPeriodEnd)],
      ['2026-03-20T12:00:00.000Z', '2026-04-20T12:00:00.000Z'],
    );
    assert.deepEqual(
      (await chargesOf(t, subscriptionId)).map((c) => [c.periodIndex, c.status]),
      [
        [1, 'succeeded'],
        [2, 'succeeded'],
      ],
    );
    assert.equal((await gatewayCharges(t)).length, 2);
  });

  test("a customer's payment left pending by a crash is finished by the scheduler instead of charging again", async () => {
    const { subscriptionId, accountId } = await startSubscription(t, { behaviour: 'declines_charges' });
    t.clock.set('2026-02-15T12:00:00.000Z');
    await runRenewals(t.deps);
    const attached = await t.api('POST', `/api/accounts/${accountId}/payment-methods`, {
      token: testToken('succeeds', '1881'),
      brand: 'visa',
      last4: '1881',
      expMonth: 1,
      expYear: 2031,
    });
    const other = (await json(attached)).id as string;
    t.clock.set('2026-02-15T18:00:00.000Z');
    const inner = t.deps.gateway;
    let charged!: () => void;
    const gatewayCharged = new Promise<void>((resolve) => (charged = resolve));
    const dying = wrapGateway(inner, async (request) => {
      await inner.charge(request);
      charged();
      return new Promise(() => {});
    });
    void renewNow(
      { ...t.deps, gateway: dying },
      await getStore(t.db, 'shop'),
      await getAccount(t.db, 'shop', accountId),
      subscriptionId,
      other,
    );
    await gatewayCharged;
    assert.equal((await chargesOf(t, subscriptionId)).at(-1)!.status, 'pending');

    t.clock.set('2026-02-16T12:00:00.000Z');
    assert.equal((await runRenewals(t.deps)).renewed, 1);
    assert.deepEqual(
      (await chargesOf(t, subscriptionId)).map((c) => [c.kind, c.attempt, c.status]),
      [
        ['renewal', 1, 'declined'],
        ['manual_renewal', 1, 'succeeded'],
      ],
    );
    assert.equal((await gatewayCharges(t)).length, 2, 'no second renewal attempt was made');
    const sub = await subscriptionRow(t, subscriptionId);
    assert.deepEqual(
      [sub.status, sub.failedAttempts, iso(sub.currentPeriodStart)],
      ['active', 0, '2026-02-15T12:00:00.000Z'],
    );
  });

  test('a run whose signal is aborted claims nothing more', async () => {
    await startSubscription(t);
    t.clock.set('2026-02-15T12:00:00.000Z');
    const controller = new AbortController();
    controller.abort();
    assert.equal((await runRenewals(t.deps, { signal: controller.signal })).examined, 0);
    assert.equal((await runRenewals(t.deps)).renewed, 1);
  });

  test('skips a subscription another holder has locked, and takes it once that lock lapses', async () => {
    const { subscriptionId } = await startSubscription(t);
    t.clock.set('2026-02-15T12:00:00.000Z');
    await setSub(subscriptionId, { lockedUntil: new Date(t.clock.now().getTime() + 2 * MINUTE) });
    const blocked = await runRenewals(t.deps);
    assert.deepEqual([blocked.busy, blocked.renewed], [1, 0]);
    t.clock.advance(2 * MINUTE);
    assert.equal((await runRenewals(t.deps)).renewed, 1);
  });
});

describe('runRenewals: restarts (a database another process opens)', () => {
  /** A second process on the same database: its own connection, clock and test gateway. */
  async function restart(first: TestContext, now: string) {
    const db = await openAgain(first.db);
    const clock = new FakeClock(now);
    const deps = createDeps({
      db,
      clock,
      logger: silentLogger,
      config: { production: false, publicBaseUrl: 'https://portal.test' },
    });
    return { db, clock, deps, view: { db } as unknown as TestContext };
  }

  async function dueSubscription(context: NodeTestContext) {
    const first = await withCatalog(
      await createTestContext({ ...reopenable(context), now: '2026-01-15T12:00:00.000Z' }),
    );
    const { subscriptionId } = await startSubscription(first);
    first.clock.set('2026-02-15T12:00:00.000Z');
    return { first, subscriptionId };
  }

  test('a process that dies after the gateway charged is finished by the next one, with one gateway charge', async (context) => {
    const { first, subscriptionId } = await dueSubscription(context);
    const inner = first.deps.gateway;
    // The process dies once the gateway has charged: the answer never arrives and nothing after it runs.
    let charged!: () => void;
    const gatewayCharged = new Promise<void>((resolve) => (charged = resolve));
    const dying = wrapGateway(inner, async (request) => {
      await inner.charge(request);
      charged();
      return new Promise(() => {});
    });
    void runRenewals({ ...first.deps, gateway: dying });
    await gatewayCharged;
    assert.equal((await gatewayCharges(first)).length, 1);
    const [pending] = await chargesOf(first, subscriptionId);
    assert.equal(pending.status, 'pending');
    await closeDatabase(first.db);

    const second = await restart(first, '2026-02-15T12:00:30.000Z');
    assert.equal((await runRenewals(second.deps)).busy, 1, "the dead process's lock holds until it lapses");
    second.clock.advance(2 * MINUTE);
    assert.equal((await runRenewals(second.deps)).renewed, 1);
    await assertChargedOnce(second.db, second.view, subscriptionId, pending.id);
    await closeDatabase(second.db);
  });

  test('a run that fails after the gateway answered leaves the charge pending; the next run completes it', async (context) => {
    const { first, subscriptionId } = await dueSubscription(context);
    const inner = first.deps.gateway;
    const failing = wrapGateway(inner, async (request) => {
      await inner.charge(request);
      throw new Error('connection reset after the charge');
    });
    assert.equal((await runRenewals({ ...first.deps, gateway: failing })).errors, 1);
    const [pending] = await chargesOf(first, subscriptionId);
    assert.equal(pending.status, 'pending');
    await closeDatabase(first.db);

    const second = await restart(first, '2026-02-15T12:01:00.000Z');
    assert.equal((await runRenewals(second.deps)).renewed, 1);
    await assertChargedOnce(second.db, second.view, subscriptionId, pending.id);
    assert.equal((await runRenewals(second.deps)).examined, 0);
    await closeDatabase(second.db);
  });
});

/** One gateway charge, one settled charge row (the one made before the crash), one period paid, one rebill order. */
async function assertChargedOnce(db: Db, view: TestContext, subscriptionId: string, chargeId: string) {
  assert.equal((await gatewayCharges(view)).length, 1);
  const charges = await chargesOf(view, subscriptionId);
  assert.deepEqual(
    charges.map((c) => [c.id, c.status]),
    [[chargeId, 'succeeded']],
  );
  const sub = first(await db.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId)))!;
  assert.deepEqual(
    [sub.periodIndex, iso(sub.currentPeriodStart), sub.lockedUntil],
    [1, '2026-02-15T12:00:00.000Z', null],
  );
  assert.equal((await ordersOfKind(view, 'rebill')).length, 1);
}

describe('createRenewalWorker', () => {
  function recordingLogger() {
    const lines: string[] = [];
    const log = (message: string, fields?: Record<string, unknown>) =>
      lines.push(`${message} ${JSON.stringify(fields ?? {})}`);
    return { lines, logger: { info: log, warn: log, error: log } };
  }

  test('logs one line of counts for a run that did something, and nothing for one that did not', async () => {
    await startSubscription(t);
    await startSubscription(t, { email: 'grace@example.com', behaviour: 'declines_charges' });
    const { lines, logger } = recordingLogger();
    const worker = createRenewalWorker({ ...t.deps, logger });
    assert.equal(await worker.runOnce(), 0);
    assert.deepEqual(lines, []);
    t.clock.set('2026-02-15T12:00:00.000Z');
    assert.equal(await worker.runOnce(), 2);
    assert.equal(lines.length, 1);
    assert.match(lines[0], /^renewals: renewed=1 declined=1 \(\d+ ms\)/);
    assert.doesNotMatch(lines.join('\n'), /tok_|pm_|4242/, 'no tokens or card details');
  });

  test('start runs a round at once; stop waits for it', async () => {
    const { subscriptionId } = await startSubscription(t);
    t.clock.set('2026-02-15T12:00:00.000Z');
    const worker = createRenewalWorker(t.deps, { intervalMs: 60_000 });
    worker.start();
    for (let turn = 0; turn < 1000 && (await subscriptionRow(t, subscriptionId)).periodIndex === 0; turn++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    await worker.stop();
    assert.equal((await subscriptionRow(t, subscriptionId)).periodIndex, 1);
    assert.equal((await subscriptionRow(t, subscriptionId)).lockedUntil, null);
  });
});

describe("runRenewals with the lifecycle's own changes (Server API)", () => {
  test('a cancellation, a pause and an early unpause made through the API renew on the right dates, each charged once', async () => {
    const leaving = await startSubscription(t, { email: 'leaving@example.com' });
    const pausing = await startSubscription(t, { email: 'pausing@example.com' });
    const cancel = await t.api('POST', `/api/subscriptions/${leaving.subscriptionId}/cancel`, { reason: 'unused' });
    assert.equal(cancel.status, 200, await cancel.clone().text());

    t.clock.set('2026-02-15T12:00:00.000Z');
    const first = await runRenewals(t.deps);
    assert.deepEqual([first.canceled, first.renewed], [1, 1]);
    assert.equal((await subscriptionRow(t, leaving.subscriptionId)).status, 'canceled');

    const pause = await t.api('POST', `/api/subscriptions/${pausing.subscriptionId}/pause`, { periods: 2 });
    assert.equal(pause.status, 200, await pause.clone().text());
    t.clock.set('2026-03-15T12:00:00.000Z');
    assert.equal((await runRenewals(t.deps)).pausesStarted, 1);
    t.clock.set('2026-04-01T12:00:00.000Z');
    const unpause = await t.api('POST', `/api/subscriptions/${pausing.subscriptionId}/unpause`);
    assert.equal(unpause.status, 200, await unpause.clone().text());
    assert.equal(iso((await subscriptionRow(t, pausing.subscriptionId)).currentPeriodEnd), '2026-05-01T12:00:00.000Z');

    t.clock.set('2026-05-01T12:00:00.000Z');
    assert.equal((await runRenewals(t.deps)).renewed, 1);
    const sub = await subscriptionRow(t, pausing.subscriptionId);
    assert.deepEqual(
      [sub.status, iso(sub.currentPeriodStart), iso(sub.currentPeriodEnd)],
      ['active', '2026-05-01T12:00:00.000Z', '2026-06-01T12:00:00.000Z'],
    );
    const charges = await chargesOf(t, pausing.subscriptionId);
    assert.deepEqual(
      charges.map((c) => [c.kind, c.status]),
      [
        ['renewal', 'succeeded'],
        ['resume', 'succeeded'],
        ['renewal', 'succeeded'],
      ],
    );
    assert.equal(new Set(charges.map((c) => c.idempotencyKey)).size, 3);
    assert.equal((await gatewayCharges(t)).length, 3, 'the canceled subscription was never charged');
  });
});

describe('runRenewals: charges in flight and the rate ceiling', () => {
  /** A gateway whose charges wait until released, counting how many wait at once. */
  function heldCharges() {
    const held: (() => void)[] = [];
    const state = { inFlight: 0, most: 0 };
    const real = t.deps.gateway;
    t.deps.gateway = wrapGateway(real, async (request) => {
      state.inFlight++;
      state.most = Math.max(state.most, state.inFlight);
      await new Promise<void>((resolve) => held.push(resolve));
      state.inFlight--;
      return real.charge(request);
    });
    return { state, releaseAll: () => held.splice(0).forEach((go) => go()), held };
  }

  test('keeps `concurrency` charges in flight across claim chunks, and charges each period once', async () => {
    const ids = [];
    for (let n = 0; n < 40; n++) ids.push((await startSubscription(t, { email: `c${n}@example.com` })).subscriptionId);
    t.clock.set('2026-02-15T12:00:00.000Z');
    const { state, releaseAll, held } = heldCharges();
    const running = runRenewals(t.deps, { concurrency: 32 });
    // Let the lanes fill, then let the processor answer, as often as it takes.
    while (held.length < 32) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(state.most, 32, 'more than one claim chunk (16) in flight at once');
    const releasing = setInterval(releaseAll, 1);
    const summary = await running;
    clearInterval(releasing);
    assert.equal(summary.renewed, 40);
    assert.equal((await gatewayCharges(t)).length, 40);
    for (const id of ids) {
      const row = await subscriptionRow(t, id);
      assert.ok(row.periodIndex === 1 && row.lockedUntil === null, `${id} renewed once and unlocked`);
    }
  });

  test('starts at most `ratePerSecond` subscriptions a second', async () => {
    for (let n = 0; n < 6; n++) await startSubscription(t, { email: `r${n}@example.com` });
    t.clock.set('2026-02-15T12:00:00.000Z');
    const started = performance.now();
    const summary = await runRenewals(t.deps, { concurrency: 8, ratePerSecond: 50 });
    assert.equal(summary.renewed, 6);
    assert.ok(performance.now() - started >= 90, 'six starts at 50/s take at least 100 ms (five intervals of 20 ms)');
  });
});
