import { first } from '../../server/db/query';
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { orders, subscriptions } from '../../server/db/schema';
import { DAY } from '../../server/lib/clock';
import { createTestContext, json, type TestContext } from '../helpers/app';
import { latestEmail, setSetting } from '../helpers/portal';
import { chargeCounts, eventsOf, subscribedCustomer, subscriptionRow } from '../helpers/subscriptions';

let t: TestContext;
beforeEach(async () => {
  t = await createTestContext();
});

const PERIOD_END = '2026-02-15T12:00:00.000Z';

/** What the renewal scheduler does when a scheduled pause starts (see the billing model). */
async function startPauseAsScheduler(id: string) {
  const row = await subscriptionRow(t, id);
  t.clock.set(row.pauseStartsAt!);
  await t.db
    .update(subscriptions)
    .set({
      status: 'paused',
      currentPeriodStart: row.pauseStartsAt!,
      currentPeriodEnd: row.pauseResumesAt!,
      nextChargeAt: row.pauseResumesAt,
    })
    .where(eq(subscriptions.id, id));
}

describe('POST /portal/{store}/subscriptions/{id}/pause', () => {
  test('403 pause_not_allowed unless the store enables pauses', async () => {
    const s = await subscribedCustomer(t);
    const response = await s.call('POST', '/pause', { periods: 1 });
    assert.equal(response.status, 403);
    assert.equal((await json(response)).error.code, 'pause_not_allowed');
  });

  test('pauses from the end of the paid period for N periods; billing resumes after; event and email', async () => {
    await setSetting(t, 'pauseEnabled', 'true');
    const s = await subscribedCustomer(t);
    const response = await s.call('POST', '/pause', { periods: 2 });
    assert.equal(response.status, 200);
    const view = await json(response);
    assert.deepEqual(view.pause, { startsAt: PERIOD_END, resumesAt: '2026-04-15T12:00:00.000Z' });
    assert.equal(view.state, 'active');
    assert.deepEqual(view.nextCharge, { at: '2026-04-15T12:00:00.000Z', amount: 2261 });
    assert.equal(view.actions.unpause, true);
    assert.equal(view.actions.pause, false);
    assert.equal(view.actions.change, false);
    const row = await subscriptionRow(t, s.subscriptionId);
    assert.equal(
      row.nextChargeAt?.toISOString(),
      PERIOD_END,
      'the scheduler wakes at the period end to start the pause',
    );
    const events = await eventsOf(t, 'subscription.paused');
    assert.equal(events.length, 1);
    assert.deepEqual(events[0].data.pause, { startsAt: PERIOD_END, resumesAt: '2026-04-15T12:00:00.000Z' });
    const email = (await latestEmail(t, 'ada@example.com', 'subscription_paused'))!;
    assert.match(email.textBody ?? '', /paused from February 15, 2026 until April 15, 2026/);
  });

  test('until a date: after the paid period and at most maxPausePeriods periods later', async () => {
    await setSetting(t, 'pauseEnabled', 'true');
    await setSetting(t, 'maxPausePeriods', '2');
    const s = await subscribedCustomer(t);
    const early = await s.call('POST', '/pause', { resumeAt: '2026-02-01T00:00:00Z' });
    assert.equal(early.status, 422);
    assert.equal((await json(early)).error.code, 'resume_date_too_early');
    const long = await s.call('POST', '/pause', { resumeAt: '2026-04-16T00:00:00Z' });
    assert.equal((await json(long)).error.code, 'pause_too_long');
    const many = await s.call('POST', '/pause', { periods: 3 });
    assert.equal((await json(many)).error.code, 'pause_too_long');
    const both = await s.call('POST', '/pause', { periods: 1, resumeAt: '2026-03-01T00:00:00Z' });
    assert.equal(both.status, 422);
    assert.equal((await json(both)).error.code, 'validation_failed');
    const ok = await json(await s.call('POST', '/pause', { resumeAt: '2026-03-01T09:00:00+02:00' }));
    assert.deepEqual(ok.pause, { startsAt: PERIOD_END, resumesAt: '2026-03-01T07:00:00.000Z' });
  });

  test('409 when a cancellation is pending or a pause is already scheduled', async () => {
    await setSetting(t, 'pauseEnabled', 'true');
    const s = await subscribedCustomer(t);
    assert.equal((await s.call('POST', '/pause', {})).status, 200);
    const twice = await s.call('POST', '/pause', {});
    assert.equal(twice.status, 409);
    assert.equal((await json(twice)).error.code, 'pause_scheduled');
    assert.equal((await s.call('POST', '/unpause')).status, 200);
    assert.equal((await s.call('POST', '/cancel', { reason: 'unused' })).status, 200);
    const pending = await s.call('POST', '/pause', {});
    assert.equal((await json(pending)).error.code, 'cancellation_pending');
  });
});

describe('POST /portal/{store}/subscriptions/{id}/unpause', () => {
  test('withdraws a pause that has not started: nothing charged, subscription.resumed, email', async () => {
    await setSetting(t, 'pauseEnabled', 'true');
    const s = await subscribedCustomer(t);
    assert.equal((await s.call('POST', '/pause', { periods: 1 })).status, 200);
    const response = await s.call('POST', '/unpause');
    assert.equal(response.status, 200);
    const view = await json(response);
    assert.equal(view.pause, null);
    assert.deepEqual(view.nextCharge, { at: PERIOD_END, amount: 2261 });
    assert.equal((await eventsOf(t, 'subscription.resumed')).length, 1);
    assert.equal((await chargeCounts(t, s.subscriptionId)).charges.length, 0);
    assert.match(
      (await latestEmail(t, 'ada@example.com', 'subscription_unpaused'))!.textBody ?? '',
      /pause of your Pro subscription is withdrawn/,
    );
    const again = await s.call('POST', '/unpause');
    assert.equal(again.status, 409);
    assert.equal((await json(again)).error.code, 'not_paused');
  });

  test('ends a running pause now: a new period is charged from now and a renewal order recorded', async () => {
    await setSetting(t, 'pauseEnabled', 'true');
    const s = await subscribedCustomer(t);
    assert.equal((await s.call('POST', '/pause', { periods: 3 })).status, 200);
    await startPauseAsScheduler(s.subscriptionId);
    const before = await subscriptionRow(t, s.subscriptionId);
    t.clock.advance(10 * DAY);
    let view = await json(await s.call('GET', ''));
    assert.equal(view.state, 'paused');
    assert.deepEqual(view.nextCharge, { at: '2026-05-15T12:00:00.000Z', amount: 2261 });
    const response = await s.call('POST', '/unpause');
    assert.equal(response.status, 200, await response.clone().text());
    view = await json(response);
    assert.equal(view.state, 'active');
    assert.equal(view.pause, null);
    assert.equal(view.currentPeriodStart, '2026-02-25T12:00:00.000Z');
    assert.equal(view.currentPeriodEnd, '2026-03-25T12:00:00.000Z');
    assert.deepEqual(view.nextCharge, { at: '2026-03-25T12:00:00.000Z', amount: 2261 });
    const row = await subscriptionRow(t, s.subscriptionId);
    assert.ok(row.periodIndex > before.periodIndex, 'the new period has a new index');
    const { charges, gateway } = await chargeCounts(t, s.subscriptionId);
    assert.equal(charges.length, 1);
    assert.equal(charges[0].kind, 'resume');
    assert.equal(gateway.length, 1);
    const order = first(await t.db.select().from(orders).where(eq(orders.id, charges[0].orderId!)))!;
    assert.equal(order.kind, 'rebill');
    assert.equal(order.total, 2261);
    assert.equal((await eventsOf(t, 'subscription.resumed')).length, 1);
    assert.equal((await eventsOf(t, 'subscription.charge.completed'))[0].data.charge.kind, 'resume');
    assert.match(
      (await latestEmail(t, 'ada@example.com', 'subscription_unpaused'))!.textBody ?? '',
      /charged \$22\.61/,
    );
  });

  test('a declined charge leaves the pause as it was (402)', async () => {
    await setSetting(t, 'pauseEnabled', 'true');
    const s = await subscribedCustomer(t, { behaviour: 'insufficient_funds' });
    assert.equal((await s.call('POST', '/pause', { periods: 1 })).status, 200);
    await startPauseAsScheduler(s.subscriptionId);
    const before = await subscriptionRow(t, s.subscriptionId);
    const response = await s.call('POST', '/unpause');
    assert.equal(response.status, 402);
    const { error } = await json(response);
    assert.equal(error.code, 'payment_declined');
    assert.equal(error.details.declineCode, 'insufficient_funds');
    assert.deepEqual(
      { ...(await subscriptionRow(t, s.subscriptionId)), lockedUntil: null },
      { ...before, lockedUntil: null },
    );
    assert.equal((await subscriptionRow(t, s.subscriptionId)).lockedUntil, null);
    assert.equal((await eventsOf(t, 'subscription.resumed')).length, 0);
    assert.equal((await eventsOf(t, 'subscription.charge.failed')).length, 1);
    const retry = await s.call('POST', '/unpause');
    assert.equal(retry.status, 402, 'a retry is a new attempt, answered by the gateway again');
    assert.equal((await chargeCounts(t, s.subscriptionId)).gateway.length, 2);
  });

  test('German customers get the pause emails in German', async () => {
    await setSetting(t, 'pauseEnabled', 'true');
    const s = await subscribedCustomer(t, { email: 'lena@example.de', language: 'de' });
    assert.equal((await s.call('POST', '/pause', { periods: 1 })).status, 200);
    const email = (await latestEmail(t, 'lena@example.de', 'subscription_paused'))!;
    assert.equal(email.language, 'de');
    assert.match(email.textBody ?? '', /vom 15\. Februar 2026 bis zum 15\. März 2026 pausiert/);
  });
});

describe('Server API pauses', () => {
  test('the merchant may pause where customers may not, and unpause', async () => {
    const s = await subscribedCustomer(t);
    const paused = await t.api('POST', `/api/subscriptions/${s.subscriptionId}/pause`, { periods: 6 });
    assert.equal(paused.status, 200);
    assert.deepEqual((await json(paused)).pause, { startsAt: PERIOD_END, resumesAt: '2026-08-15T12:00:00.000Z' });
    const unpaused = await t.api('POST', `/api/subscriptions/${s.subscriptionId}/unpause`);
    assert.equal(unpaused.status, 200);
    assert.equal((await json(unpaused)).pause, null);
    assert.equal((await t.api('POST', `/api/subscriptions/${s.subscriptionId}/pause`, { periods: 13 })).status, 422);
  });
});
