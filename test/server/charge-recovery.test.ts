import { first } from '../../server/db/query';
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { orders, subscriptions, testGatewayRefunds } from '../../server/db/schema';
import { DAY, MINUTE } from '../../server/lib/clock';
import type { Logger } from '../../server/lib/logger';
import { GatewayUnavailableError } from '../../server/payments/gateway';
import { STALE_CHARGE_MS } from '../../server/services/billing/subscriptions/charge-recovery';
import { runRenewals } from '../../server/services/billing/renewals/run';
import { createTestContext, json, type TestContext } from '../helpers/app';
import { setSetting } from '../helpers/portal';
import { chargeCounts, eventsOf, overrideGateway, subscribedCustomer, subscriptionRow } from '../helpers/subscriptions';

let t: TestContext;
beforeEach(async () => {
  t = await createTestContext();
});

/**
 * A gateway whose connection fails during `charge`: before the processor received the
 * request (`before`), or after it charged but before the answer came back (`after`, as
 * when the portal's process stops mid-call). `findCharge` works.
 */
function failingCharges(when: 'before' | 'after'): () => void {
  return overrideGateway(t, (real) => ({
    async charge(request) {
      if (when === 'after') await real.charge(request);
      throw new GatewayUnavailableError('connection reset');
    },
  }));
}

async function previewQuantity(call: (m: string, p: string, b?: unknown) => Promise<Response>, quantity: number) {
  const response = await call('POST', '/change-preview', { quantity });
  assert.equal(response.status, 201, await response.clone().text());
  return json(response);
}

/** An upgrade to 2 seats whose request ended in a 503 with the charge left pending. */
async function interruptedUpgrade(when: 'before' | 'after') {
  const s = await subscribedCustomer(t);
  const quote = await previewQuantity(s.call, 2);
  const restore = failingCharges(when);
  const response = await s.call('POST', '/change', { quoteId: quote.id });
  restore();
  assert.equal(response.status, 503);
  assert.equal((await chargeCounts(t, s.subscriptionId)).charges[0].status, 'pending');
  return { ...s, quote };
}

describe('runRenewals settles upgrade charges their request left pending', () => {
  test('nothing happens before the charge is 15 minutes old (the customer may still retry the quote)', async () => {
    const s = await interruptedUpgrade('after');
    t.clock.advance(STALE_CHARGE_MS - MINUTE);
    const summary = await runRenewals(t.deps);
    assert.equal(summary.chargesRecovered + summary.chargesAbandoned + summary.chargesOrphaned, 0);
    assert.equal((await chargeCounts(t, s.subscriptionId)).charges[0].status, 'pending');
  });

  test('charged by the processor: the upgrade is applied with its order, webhooks and email, never charged again', async () => {
    const s = await interruptedUpgrade('after');
    assert.equal((await chargeCounts(t, s.subscriptionId)).gateway.length, 1, 'the processor took the money');
    t.clock.advance(STALE_CHARGE_MS);
    const summary = await runRenewals(t.deps);
    assert.equal(summary.chargesRecovered, 1);
    const { charges, gateway } = await chargeCounts(t, s.subscriptionId);
    assert.equal(gateway.length, 1, 'asked again with the same key: no second charge');
    assert.equal(charges[0].status, 'succeeded');
    assert.equal(charges[0].total, s.quote.charge.total, 'exactly the quoted amount');
    assert.equal((await subscriptionRow(t, s.subscriptionId)).quantity, 2);
    const order = first(await t.db.select().from(orders).where(eq(orders.id, charges[0].orderId!)))!;
    assert.equal(order.kind, 'plan_change');
    assert.equal(order.total, s.quote.charge.total);
    assert.equal((await eventsOf(t, 'subscription.charge.completed')).length, 1);
    assert.equal((await eventsOf(t, 'subscription.updated')).length, 1);
    assert.equal((await subscriptionRow(t, s.subscriptionId)).lockedUntil, null);
    assert.equal((await runRenewals(t.deps)).chargesRecovered, 0, 'settled once');
  });

  test('never received by the processor: canceled, nothing charged, nothing changed, and a new upgrade works', async () => {
    const s = await interruptedUpgrade('before');
    t.clock.advance(STALE_CHARGE_MS);
    const summary = await runRenewals(t.deps);
    assert.equal(summary.chargesAbandoned, 1);
    let { charges, gateway } = await chargeCounts(t, s.subscriptionId);
    assert.equal(charges[0].status, 'canceled');
    assert.equal(gateway.length, 0, 'the customer was told nothing changed: nothing is charged later');
    assert.equal((await subscriptionRow(t, s.subscriptionId)).quantity, 1);
    assert.equal((await eventsOf(t, 'subscription.updated')).length, 0);
    const again = await s.call('POST', '/change', { quoteId: (await previewQuantity(s.call, 2)).id });
    assert.equal(again.status, 200, await again.clone().text());
    ({ charges, gateway } = await chargeCounts(t, s.subscriptionId));
    assert.deepEqual(charges.map((c) => c.status).sort(), ['canceled', 'succeeded']);
    assert.equal(gateway.length, 1);
  });

  test("while an upgrade's charge is unfinished, another upgrade waits (409 payment_pending) instead of charging twice", async () => {
    const s = await interruptedUpgrade('after');
    const other = await s.call('POST', '/change', { quoteId: (await previewQuantity(s.call, 3)).id });
    assert.equal(other.status, 409);
    const { error } = await json(other);
    assert.equal(error.code, 'payment_pending');
    assert.equal(other.headers.get('retry-after'), '60');
    assert.equal((await chargeCounts(t, s.subscriptionId)).gateway.length, 1);
    const retry = await s.call('POST', '/change', { quoteId: s.quote.id });
    assert.equal(retry.status, 200, 'the same quote still finishes its own charge');
    assert.equal((await subscriptionRow(t, s.subscriptionId)).quantity, 2);
    assert.equal((await chargeCounts(t, s.subscriptionId)).gateway.length, 1);
  });

  test('charged, but the subscription changed meanwhile: recorded as succeeded, refunded through the gateway, nothing applied', async () => {
    const errors: { message: string; fields?: Record<string, unknown> }[] = [];
    const logger: Logger = {
      info() {},
      warn: (message, fields) => errors.push({ message, fields }),
      error: (message, fields) => errors.push({ message, fields }),
    };
    t.deps.logger = logger;
    const s = await interruptedUpgrade('after');
    t.clock.advance(3 * MINUTE);
    const cancel = await t.api('POST', `/api/subscriptions/${s.subscriptionId}/cancel`, { reason: 'other' });
    assert.equal(cancel.status, 200, await cancel.clone().text());
    t.clock.advance(STALE_CHARGE_MS);
    const summary = await runRenewals(t.deps);
    assert.equal(summary.chargesOrphaned, 1);
    const { charges, gateway } = await chargeCounts(t, s.subscriptionId);
    assert.equal(charges[0].status, 'succeeded');
    assert.equal(charges[0].gatewayChargeId, gateway[0].chargeId);
    assert.equal(charges[0].orderId, null);
    assert.equal((await subscriptionRow(t, s.subscriptionId)).quantity, 1);
    const refunds = await t.db.select().from(testGatewayRefunds);
    assert.deepEqual(
      refunds.map((r) => [r.chargeId, r.amount, r.status, r.idempotencyKey]),
      [[gateway[0].chargeId, charges[0].total, 'succeeded', `recovery-refund:${charges[0].id}`]],
    );
    assert.equal((await chargeCounts(t, s.subscriptionId)).charges[0].refundStatus, 'succeeded');
    assert.equal((await chargeCounts(t, s.subscriptionId)).charges[0].gatewayRefundId, refunds[0].refundId);
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /refunded it/);
    assert.equal(errors[0].fields?.processorChargeId, gateway[0].chargeId);
    assert.doesNotMatch(JSON.stringify(errors), /tok_test_/, 'no payment token in the log');
    await runRenewals(t.deps);
    assert.equal((await t.db.select().from(testGatewayRefunds)).length, 1, 'refunded once');
  });

  test('an orphaned charge whose refund could not reach the gateway is refunded by the next run, once', async () => {
    const s = await interruptedUpgrade('after');
    t.clock.advance(3 * MINUTE);
    assert.equal(
      (await t.api('POST', `/api/subscriptions/${s.subscriptionId}/cancel`, { reason: 'other' })).status,
      200,
    );
    t.clock.advance(STALE_CHARGE_MS);
    const restore = overrideGateway(t, () => ({
      refund: async () => {
        throw new GatewayUnavailableError('down');
      },
    }));
    assert.equal((await runRenewals(t.deps)).chargesOrphaned, 1);
    restore();
    assert.equal((await chargeCounts(t, s.subscriptionId)).charges[0].refundStatus, 'pending');
    assert.equal((await t.db.select().from(testGatewayRefunds)).length, 0);
    await runRenewals(t.deps);
    await runRenewals(t.deps);
    assert.equal((await chargeCounts(t, s.subscriptionId)).charges[0].refundStatus, 'succeeded');
    assert.equal((await t.db.select().from(testGatewayRefunds)).length, 1);
  });

  test('a charge that fails to settle unexpectedly is logged and retried next run; the renewals after it still run', async () => {
    const errors: string[] = [];
    t.deps.logger = { info() {}, warn() {}, error: (message) => errors.push(message) };
    const s = await interruptedUpgrade('after');
    t.clock.advance(STALE_CHARGE_MS);
    const restore = overrideGateway(t, () => ({
      findCharge: async () => {
        throw new Error('adapter bug');
      },
    }));
    const summary = await runRenewals(t.deps);
    assert.equal(summary.deferred, 1);
    assert.deepEqual(errors, ['settling an unfinished charge failed']);
    assert.equal((await chargeCounts(t, s.subscriptionId)).charges[0].status, 'pending');
    restore();
    assert.equal((await runRenewals(t.deps)).chargesRecovered, 1);
  });

  test('an unreachable processor leaves the charge pending for the next run', async () => {
    const s = await interruptedUpgrade('after');
    t.clock.advance(STALE_CHARGE_MS);
    const restore = overrideGateway(t, () => ({
      findCharge: async () => {
        throw new GatewayUnavailableError('connection refused');
      },
    }));
    assert.equal((await runRenewals(t.deps)).deferred, 1);
    assert.equal((await chargeCounts(t, s.subscriptionId)).charges[0].status, 'pending');
    restore();
    assert.equal((await runRenewals(t.deps)).chargesRecovered, 1);
    assert.equal((await subscriptionRow(t, s.subscriptionId)).quantity, 2);
  });
});

describe('runRenewals settles early-resume charges their request left pending', () => {
  async function interruptedUnpause(when: 'before' | 'after') {
    await setSetting(t, 'pauseEnabled', 'true');
    const s = await subscribedCustomer(t);
    assert.equal((await s.call('POST', '/pause', { periods: 3 })).status, 200);
    const row = await subscriptionRow(t, s.subscriptionId);
    // The scheduler starts the pause at the period's end.
    t.clock.set(row.pauseStartsAt!);
    await t.db
      .update(subscriptions)
      .set({
        status: 'paused',
        currentPeriodStart: row.pauseStartsAt!,
        currentPeriodEnd: row.pauseResumesAt!,
        nextChargeAt: row.pauseResumesAt,
      })
      .where(eq(subscriptions.id, s.subscriptionId));
    t.clock.advance(10 * DAY);
    const restore = failingCharges(when);
    const response = await s.call('POST', '/unpause');
    restore();
    assert.equal(response.status, 503);
    return s;
  }

  test('charged by the processor: the subscription is active again with a new period and a rebill order', async () => {
    const s = await interruptedUnpause('after');
    t.clock.advance(STALE_CHARGE_MS);
    assert.equal((await runRenewals(t.deps)).chargesRecovered, 1);
    const row = await subscriptionRow(t, s.subscriptionId);
    assert.equal(row.status, 'active');
    assert.equal(row.pauseStartsAt, null);
    const { charges, gateway } = await chargeCounts(t, s.subscriptionId);
    assert.equal(gateway.length, 1);
    assert.equal(charges[0].status, 'succeeded');
    assert.equal(first(await t.db.select().from(orders).where(eq(orders.id, charges[0].orderId!)))!.kind, 'rebill');
    assert.equal((await eventsOf(t, 'subscription.resumed')).length, 1);
  });

  test('never received: canceled; the pause goes on and nothing is charged', async () => {
    const s = await interruptedUnpause('before');
    t.clock.advance(STALE_CHARGE_MS);
    assert.equal((await runRenewals(t.deps)).chargesAbandoned, 1);
    assert.equal((await subscriptionRow(t, s.subscriptionId)).status, 'paused');
    const { charges, gateway } = await chargeCounts(t, s.subscriptionId);
    assert.deepEqual(
      charges.map((c) => c.status),
      ['canceled'],
    );
    assert.equal(gateway.length, 0);
  });
});
