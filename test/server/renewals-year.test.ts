import { first } from '../../server/db/query';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asc, eq, sql } from 'drizzle-orm';
import {
  invoices,
  orders,
  products,
  subscriptionCharges,
  subscriptions,
  webhookDeliveries,
} from '../../server/db/schema';
import { DAY } from '../../server/lib/clock';
import { addIntervals } from '../../server/lib/periods';
import { runRenewals, type RenewalSummary } from '../../server/services/billing/renewals/run';
import { createTestContext, json, type TestContext } from '../helpers/app';
import {
  chargesOf,
  emailsOf,
  eventsOf,
  gatewayCharges,
  iso,
  startSubscription,
  subscriptionRow,
  testToken,
  withCatalog,
} from '../helpers/renewals';

const START = '2026-01-31T09:00:00.000Z';
const END = '2027-02-01T09:00:00.000Z';
const at = (date: string) => `${date}T09:00:00.000Z`;

/** The month ends of a subscription anchored on 31 January 2026 at 09:00, as `YYYY-MM-DD`. */
const monthEnds = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) =>
    addIntervals(new Date(START), 'month', from + i)
      .toISOString()
      .slice(0, 10),
  );

const setSub = async (t: TestContext, id: string, changes: Partial<typeof subscriptions.$inferInsert>) =>
  await t.db.update(subscriptions).set(changes).where(eq(subscriptions.id, id));

/** Succeeded charges of a subscription as [period index, day charged, total]. */
const paid = async (t: TestContext, id: string) =>
  (await chargesOf(t, id))
    .filter((c) => c.status === 'succeeded')
    .map((c) => [c.periodIndex, c.createdAt.toISOString().slice(0, 10), c.total] as const);

test('a simulated year: every period charged exactly once, changes and cancellations on their dates', async () => {
  const t = await withCatalog(await createTestContext({ now: START }));
  const endpoint = await t.api('POST', '/api/webhook-endpoints', { url: 'https://merchant.example/webhooks' });
  assert.equal(endpoint.status, 201);

  const monthly = await startSubscription(t, { email: 'monthly@example.com' });
  const yearly = await startSubscription(t, { email: 'yearly@example.com', plan: 'pro-yearly' });
  const trial = await startSubscription(t, { email: 'trial@example.com', trialDays: 30 });
  const downgrade = await startSubscription(t, { email: 'downgrade@example.com', quantity: 2, language: 'de' });
  const canceled = await startSubscription(t, { email: 'cancel@example.com' });
  const paused = await startSubscription(t, { email: 'pause@example.com' });
  const recovers = await startSubscription(t, { email: 'recovers@example.com' });
  const manual = await startSubscription(t, { email: 'manual@example.com', manual: true });
  const basic = first(await t.db.select().from(products).where(eq(products.key, 'basic-monthly')))!;

  /** What customers and the merchant do during the year, by day (applied before that day's run). */
  const script: Record<string, () => Promise<void> | void> = {
    // A downgrade to one Basic seat, scheduled mid-period: it applies when May ends.
    '2026-05-10': async () => {
      await setSub(t, downgrade.subscriptionId, {
        scheduledProductId: basic.id,
        scheduledQuantity: 1,
        scheduledUnitPrice: 900,
        nextChargeAmount: 1071,
      });
    },
    // A cancellation at the end of the period that ends on 30 June.
    '2026-06-10': async () => {
      await setSub(t, canceled.subscriptionId, {
        cancelAtPeriodEnd: true,
        canceledAt: t.clock.now(),
        cancelReason: 'too_expensive',
        nextChargeAt: null,
        nextChargeAmount: null,
      });
    },
    // A pause for two periods from the end of March: billing resumes on 31 May.
    '2026-03-10': async () => {
      const sub = await subscriptionRow(t, paused.subscriptionId);
      await setSub(t, paused.subscriptionId, {
        pauseStartsAt: sub.currentPeriodEnd,
        pauseResumesAt: addIntervals(sub.currentPeriodEnd, 'month', 2),
      });
    },
    // The card starts declining in July…
    '2026-07-01': () => swapCard(t, recovers.accountId, recovers.subscriptionId, 'declines_charges', '0341'),
    // …and after two declined attempts (31 July, 1 August) the customer adds a working one.
    '2026-08-02': () => swapCard(t, recovers.accountId, recovers.subscriptionId, 'succeeds', '5556'),
  };

  const totals: Partial<RenewalSummary> = {};
  for (let now = Date.parse(START); now <= Date.parse(END); now += DAY) {
    t.clock.set(now);
    await script[new Date(now).toISOString().slice(0, 10)]?.();
    const summary = await runRenewals(t.deps);
    for (const [key, value] of Object.entries(summary) as [keyof RenewalSummary, number][])
      totals[key] = (totals[key] ?? 0) + value;
  }
  assert.deepEqual([totals.errors, totals.skipped, totals.busy], [0, 0, 0]);

  // Monthly from 31 January: the anchor's day where the month has it, the month's last day where not.
  assert.deepEqual(
    await paid(t, monthly.subscriptionId),
    monthEnds(1, 12).map((day, i) => [i + 1, day, 2261]),
  );
  assert.deepEqual((await subscriptionRow(t, monthly.subscriptionId)).currentPeriodEnd.toISOString(), at('2027-02-28'));

  assert.deepEqual(await paid(t, yearly.subscriptionId), [[1, '2027-01-31', 22610]]);

  // The trial ends after 30 days, on 2 March; periods follow monthly from there.
  const trialDays = [
    '2026-03-02',
    '2026-04-02',
    '2026-05-02',
    '2026-06-02',
    '2026-07-02',
    '2026-08-02',
    '2026-09-02',
    '2026-10-02',
    '2026-11-02',
    '2026-12-02',
    '2027-01-02',
  ];
  assert.deepEqual(
    await paid(t, trial.subscriptionId),
    trialDays.map((day, i) => [i, day, 2261]),
  );

  // Two Pro seats until May ends, one Basic seat from then on.
  assert.deepEqual(
    await paid(t, downgrade.subscriptionId),
    monthEnds(1, 12).map((day, i) => [i + 1, day, i < 3 ? 4522 : 1071]),
  );
  const switched = (await eventsOf(t, 'subscription.updated')).filter((e) => e.data.id === downgrade.subscriptionId);
  assert.deepEqual(
    switched.map((e) => [e.timestamp, e.data.product.key, e.data.quantity]),
    [[at('2026-05-31'), 'basic-monthly', 1]],
  );

  // Canceled in June: paid through 30 June, ended then, never charged again.
  assert.deepEqual(
    await paid(t, canceled.subscriptionId),
    monthEnds(1, 4).map((day, i) => [i + 1, day, 2261]),
  );
  const ended = await subscriptionRow(t, canceled.subscriptionId);
  assert.deepEqual([ended.status, iso(ended.endedAt)], ['canceled', at('2026-06-30')]);

  // Paused from 31 March to 31 May: nothing charged for those two months.
  assert.deepEqual(
    (await paid(t, paused.subscriptionId)).map(([, day]) => day),
    ['2026-02-28', ...monthEnds(4, 12)],
  );
  const pausedIndexes = (await paid(t, paused.subscriptionId)).map(([index]) => index);
  assert.equal(new Set(pausedIndexes).size, pausedIndexes.length, 'a period index is never reused after a pause');
  const pausedUpdates = (await eventsOf(t, 'subscription.updated')).filter((e) => e.data.id === paused.subscriptionId);
  assert.deepEqual(
    pausedUpdates.map((e) => [e.timestamp, e.data.status]),
    [[at('2026-03-31'), 'paused']],
  );
  assert.deepEqual(
    (await eventsOf(t, 'subscription.resumed')).map((e) => [e.timestamp, e.data.id]),
    [[at('2026-05-31'), paused.subscriptionId]],
  );

  // Declined on 31 July and 1 August, paid on the retry of 3 August for the period that began on 31 July.
  const recovery = (await chargesOf(t, recovers.subscriptionId)).filter((c) => c.periodIndex === 6);
  assert.deepEqual(
    recovery.map((c) => [c.attempt, c.status, c.createdAt.toISOString()]),
    [
      [1, 'declined', at('2026-07-31')],
      [2, 'declined', at('2026-08-01')],
      [3, 'succeeded', at('2026-08-03')],
    ],
  );
  assert.deepEqual(
    (await paid(t, recovers.subscriptionId)).map(([index]) => index),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
  );
  const recovered = await subscriptionRow(t, recovers.subscriptionId);
  assert.deepEqual(
    [recovered.status, recovered.failedAttempts, iso(recovered.currentPeriodStart)],
    ['active', 0, at('2027-01-31')],
  );

  // Manual renewal, never paid: overdue when February ended, deactivated after 7 days.
  const lapsed = await subscriptionRow(t, manual.subscriptionId);
  assert.deepEqual([lapsed.status, iso(lapsed.endedAt)], ['deactivated', at('2026-03-07')]);
  assert.equal((await chargesOf(t, manual.subscriptionId)).length, 0);

  await assertLedger(t);
  await assertOrdersAndNotices(t, { downgradeId: downgrade.subscriptionId });
});

/** Attaches a new test card to the account and makes the subscription use it. */
async function swapCard(
  t: TestContext,
  accountId: string,
  subscriptionId: string,
  behaviour: Parameters<typeof testToken>[0],
  last4: string,
) {
  const response = await t.api('POST', `/api/accounts/${accountId}/payment-methods`, {
    token: testToken(behaviour, last4),
    brand: 'visa',
    last4,
    expMonth: 12,
    expYear: 2035,
  });
  assert.equal(response.status, 201);
  await setSub(t, subscriptionId, { paymentMethodId: (await json(response)).id });
}

/** Exactly one succeeded charge per subscription and period, each one charged once by the gateway for its amount. */
async function assertLedger(t: TestContext) {
  const charges = await t.db.select().from(subscriptionCharges);
  const succeeded = charges.filter((c) => c.status === 'succeeded');
  const periods = new Set(succeeded.map((c) => `${c.subscriptionId}:${c.periodIndex}`));
  assert.equal(periods.size, succeeded.length, 'no period was paid twice');
  const ledger = new Map((await gatewayCharges(t)).map((g) => [g.idempotencyKey, g]));
  assert.equal(ledger.size, charges.length, 'every attempt reached the gateway once');
  for (const charge of charges) {
    const entry = ledger.get(charge.idempotencyKey)!;
    assert.deepEqual([entry.status, entry.amount], [charge.status, charge.total]);
  }
  assert.equal(succeeded.length, 12 + 1 + 11 + 12 + 4 + 10 + 12);
}

/** Rebill orders numbered on from the purchases; events, webhooks and emails for every charge, in the customer's language. */
async function assertOrdersAndNotices(t: TestContext, ids: { downgradeId: string }) {
  const numbered = await t.db
    .select({ order: orders, sequence: invoices.sequence })
    .from(orders)
    .leftJoin(invoices, eq(invoices.orderId, orders.id))
    // Orders without an invoice first, on both engines (SQLite sorts NULL first, PostgreSQL last).
    .orderBy(sql`${invoices.sequence} is not null`, asc(invoices.sequence));
  const sequences = numbered.flatMap((o) => (o.sequence === null ? [] : [o.sequence]));
  assert.deepEqual(
    sequences,
    sequences.map((_, i) => i + 1),
    'invoice numbers have no gaps',
  );
  assert.ok(
    numbered.every((o) => o.sequence !== null || o.order.total === 0),
    'only orders with nothing to pay have no invoice',
  );
  const all = numbered.map((o) => o.order);
  assert.ok(
    all.slice(0, 8).every((o) => o.kind === 'purchase'),
    'the eight purchases come first',
  );
  const rebills = all.slice(8);
  const succeeded = await t.db.select().from(subscriptionCharges).where(eq(subscriptionCharges.status, 'succeeded'));
  assert.equal(rebills.length, succeeded.length);
  assert.ok(
    rebills.every((o) => o.kind === 'rebill'),
    'then rebills only',
  );
  const byId = new Map(rebills.map((o) => [o.id, o]));
  for (const charge of succeeded) assert.equal(byId.get(charge.orderId!)?.total, charge.total);

  assert.equal((await eventsOf(t, 'subscription.charge.completed')).length, succeeded.length);
  assert.equal((await eventsOf(t, 'subscription.charge.failed')).length, 2);
  assert.equal(
    (await eventsOf(t, 'subscription.deactivated')).length,
    2,
    'the cancellation and the lapsed manual renewal',
  );
  assert.equal((await eventsOf(t, 'order.completed')).length, all.length);
  const events =
    (await eventsOf(t, 'subscription.charge.completed')).length +
    (await eventsOf(t, 'subscription.charge.failed')).length;
  const deliveries = (await t.db.select().from(webhookDeliveries)).length;
  assert.ok(deliveries >= events + all.length, "every event is queued for the merchant's endpoint");

  const receipts = await emailsOf(t, 'renewal_receipt');
  assert.equal(receipts.length, succeeded.length);
  const german = receipts.filter((e) => e.toAddress === 'downgrade@example.com');
  assert.equal(german.length, 12);
  assert.ok(
    german.every((e) => e.language === 'de' && /Beleg für Ihr Abonnement/.test(e.subject)),
    'German receipts in German',
  );
  assert.match(german[3].textBody!, /Basic/, `the receipt after the downgrade names the new plan (${ids.downgradeId})`);
  assert.deepEqual(
    (await emailsOf(t, 'renewal_failed')).map((e) => e.toAddress),
    ['recovers@example.com', 'recovers@example.com'],
  );
  assert.deepEqual(
    (await emailsOf(t, 'subscription_ended')).map((e) => e.toAddress),
    ['cancel@example.com'],
  );
  assert.deepEqual(
    (await emailsOf(t, 'manual_renewal_due')).map((e) => e.toAddress),
    ['manual@example.com'],
  );
  assert.deepEqual(
    (await emailsOf(t, 'manual_renewal_lapsed')).map((e) => e.toAddress),
    ['manual@example.com'],
  );
}
