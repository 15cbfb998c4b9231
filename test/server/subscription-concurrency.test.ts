import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { emails, orders } from '../../server/db/schema';
import { DAY } from '../../server/lib/clock';
import { createTestContext, json, type TestContext } from '../helpers/app';
import { chargeCounts, eventsOf, overrideGateway, subscribedCustomer, subscriptionRow } from '../helpers/subscriptions';

let t: TestContext;
beforeEach(async () => {
  t = await createTestContext();
  // A gateway that answers a few event-loop turns later, as a real one would, so requests overlap.
  overrideGateway(t, (real) => ({
    async charge(request) {
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
      return real.charge(request);
    },
  }));
});

const PARALLEL = 20;

async function statuses(responses: Response[]) {
  return Promise.all(
    responses.map(async (r) => ({ status: r.status, code: r.status === 200 ? null : (await json(r)).error.code })),
  );
}

const planChangeOrders = async () => await t.db.select().from(orders).where(eq(orders.kind, 'plan_change'));

describe('parallel plan changes', () => {
  test(`${PARALLEL} requests confirming the same upgrade quote: one change, one charge`, async () => {
    const s = await subscribedCustomer(t);
    t.clock.advance(5 * DAY);
    const quote = await json(await s.call('POST', '/change-preview', { quantity: 3 }));
    const results = await statuses(
      await Promise.all(Array.from({ length: PARALLEL }, () => s.call('POST', '/change', { quoteId: quote.id }))),
    );
    assert.equal(results.filter((r) => r.status === 200).length, 1, JSON.stringify(results));
    assert.ok(
      results.every(
        (r) => r.status === 200 || (r.status === 409 && ['subscription_busy', 'quote_used'].includes(r.code)),
      ),
      JSON.stringify(results),
    );
    const { charges, gateway } = await chargeCounts(t, s.subscriptionId);
    assert.equal(charges.length, 1);
    assert.equal(gateway.length, 1);
    assert.equal(charges[0].total, quote.charge.total);
    assert.equal((await planChangeOrders()).length, 1);
    const row = await subscriptionRow(t, s.subscriptionId);
    assert.equal(row.quantity, 3);
    assert.equal(row.version, 2);
    assert.equal(row.lockedUntil, null);
    assert.equal((await eventsOf(t, 'subscription.charge.completed')).length, 1);
    assert.equal((await eventsOf(t, 'subscription.updated')).length, 1);
  });

  test(`${PARALLEL} different quotes confirmed at once: one wins, the rest are stale or busy, one charge`, async () => {
    const s = await subscribedCustomer(t);
    t.clock.advance(5 * DAY);
    const quotes: any[] = [];
    for (let i = 0; i < PARALLEL; i++)
      quotes.push(await json(await s.call('POST', '/change-preview', { quantity: i + 2 })));
    const results = await statuses(await Promise.all(quotes.map((q) => s.call('POST', '/change', { quoteId: q.id }))));
    const winners = results.flatMap((r, i) => (r.status === 200 ? [quotes[i]] : []));
    assert.equal(winners.length, 1, JSON.stringify(results));
    assert.ok(
      results.every(
        (r) => r.status === 200 || (r.status === 409 && ['subscription_busy', 'quote_stale'].includes(r.code)),
      ),
      JSON.stringify(results),
    );
    const { charges, gateway } = await chargeCounts(t, s.subscriptionId);
    assert.equal(charges.length, 1);
    assert.equal(gateway.length, 1);
    assert.equal(charges[0].total, winners[0].charge.total);
    const row = await subscriptionRow(t, s.subscriptionId);
    assert.equal(row.quantity, winners[0].quantity);
    assert.equal(row.nextChargeAmount, winners[0].recurring.total);
    assert.equal(row.version, 2);
  });

  test(`${PARALLEL} mixed upgrades and downgrades at once: one consistent state, at most one charge`, async () => {
    const s = await subscribedCustomer(t, { quantity: 10 });
    const quotes: any[] = [];
    for (let i = 0; i < PARALLEL; i++)
      quotes.push(await json(await s.call('POST', '/change-preview', { quantity: i < 10 ? i + 1 : i + 2 })));
    const results = await statuses(await Promise.all(quotes.map((q) => s.call('POST', '/change', { quoteId: q.id }))));
    const winners = results.flatMap((r, i) => (r.status === 200 ? [quotes[i]] : []));
    assert.equal(winners.length, 1, JSON.stringify(results));
    const row = await subscriptionRow(t, s.subscriptionId);
    const { charges } = await chargeCounts(t, s.subscriptionId);
    if (winners[0].kind === 'upgrade') {
      assert.equal(row.quantity, winners[0].quantity);
      assert.equal(charges.length, 1);
    } else {
      assert.equal(row.scheduledQuantity, winners[0].quantity);
      assert.equal(charges.length, 0);
    }
  });

  test('a cancellation while an upgrade is being charged waits its turn (409 subscription_busy)', async () => {
    const s = await subscribedCustomer(t);
    const quote = await json(await s.call('POST', '/change-preview', { quantity: 2 }));
    // The cancellation is sent while the upgrade's charge is at the gateway, which answers once the cancellation has its answer.
    let charging!: () => void;
    const atGateway = new Promise<void>((resolve) => (charging = resolve));
    let cancelled!: (response: Response) => void;
    const cancelling = new Promise<Response>((resolve) => (cancelled = resolve));
    overrideGateway(t, (real) => ({
      async charge(request) {
        charging();
        await cancelling;
        return real.charge(request);
      },
    }));
    const changing = s.call('POST', '/change', { quoteId: quote.id });
    await atGateway;
    cancelled(await s.call('POST', '/cancel', { reason: 'unused' }));
    const [change, cancel] = await Promise.all([changing, cancelling]);
    assert.equal(change.status, 200);
    assert.equal(cancel.status, 409);
    assert.equal((await json(cancel)).error.code, 'subscription_busy');
    assert.equal(cancel.headers.get('retry-after'), '2');
    const after = await s.call('POST', '/cancel', { reason: 'unused' });
    assert.equal(after.status, 200);
    assert.equal((await subscriptionRow(t, s.subscriptionId)).quantity, 2);
  });
});

describe('parallel cancellations', () => {
  test(`${PARALLEL} cancel requests: one state, one event, one email`, async () => {
    const s = await subscribedCustomer(t);
    const results = await statuses(
      await Promise.all(
        Array.from({ length: PARALLEL }, (_, i) =>
          s.call('POST', '/cancel', { reason: 'unused', comment: `attempt ${i}` }),
        ),
      ),
    );
    assert.ok(
      results.every((r) => r.status === 200),
      JSON.stringify(results),
    );
    assert.equal((await eventsOf(t, 'subscription.canceled')).length, 1);
    assert.equal((await t.db.select().from(emails).where(eq(emails.kind, 'subscription_canceled'))).length, 1);
    const row = await subscriptionRow(t, s.subscriptionId);
    assert.equal(row.cancelAtPeriodEnd, true);
    assert.equal(row.version, 2);
    assert.match(row.cancelComment ?? '', /^attempt \d+$/);
  });

  test(`${PARALLEL} immediate cancellations by the merchant: it ends once`, async () => {
    const s = await subscribedCustomer(t);
    const results = await statuses(
      await Promise.all(
        Array.from({ length: PARALLEL }, () =>
          t.api('POST', `/api/subscriptions/${s.subscriptionId}/cancel`, { reason: 'other', immediately: true }),
        ),
      ),
    );
    assert.equal(results.filter((r) => r.status === 200).length, 1, JSON.stringify(results));
    assert.ok(results.every((r) => r.status === 200 || r.code === 'subscription_ended'));
    assert.equal((await eventsOf(t, 'subscription.canceled')).length, 1);
    assert.equal((await eventsOf(t, 'subscription.deactivated')).length, 1);
    assert.equal((await subscriptionRow(t, s.subscriptionId)).status, 'canceled');
  });
});
