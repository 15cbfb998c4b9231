import { first } from '../../server/db/query';
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { events as eventTable, webhookDeliveries } from '../../server/db/schema';
import { DAY } from '../../server/lib/clock';
import { createTestContext, json, type TestContext } from '../helpers/app';
import { latestEmail, setSetting } from '../helpers/portal';
import { eventsOf, subscribedCustomer, subscriptionRow } from '../helpers/subscriptions';
import { execSql } from '../helpers/engine-sql';

let t: TestContext;
beforeEach(async () => {
  t = await createTestContext();
});

const PERIOD_END = '2026-02-15T12:00:00.000Z';

describe('POST /portal/{store}/subscriptions/{id}/cancel', () => {
  test('cancels at the end of the period with the reason and comment; emits subscription.canceled and emails', async () => {
    const s = await subscribedCustomer(t);
    const endpoint = await t.api('POST', '/api/webhook-endpoints', {
      url: 'https://merchant.example/hooks',
      eventTypes: ['subscription.canceled'],
    });
    assert.equal(endpoint.status, 201);
    t.clock.advance(3 * DAY);
    const response = await s.call('POST', '/cancel', {
      reason: 'switched_service',
      comment: '  Moved to another tool.  ',
    });
    assert.equal(response.status, 200);
    const view = await json(response);
    assert.equal(view.state, 'pending_cancellation');
    assert.equal(view.status, 'active');
    assert.equal(view.nextCharge, null);
    assert.equal(view.endedAt, null);
    assert.deepEqual(view.cancellation, {
      reason: 'switched_service',
      comment: 'Moved to another tool.',
      canceledAt: '2026-01-18T12:00:00.000Z',
      endsAt: PERIOD_END,
    });
    const row = await subscriptionRow(t, s.subscriptionId);
    assert.equal(row.cancelAtPeriodEnd, true);
    assert.equal(row.nextChargeAt, null);
    assert.equal(row.nextChargeAmount, null);
    assert.equal(row.version, 2);

    const events = await eventsOf(t, 'subscription.canceled');
    assert.equal(events.length, 1);
    assert.equal(events[0].data.id, s.subscriptionId);
    assert.equal(events[0].data.cancelAtPeriodEnd, true);
    assert.deepEqual(events[0].data.cancellation, {
      reason: 'switched_service',
      comment: 'Moved to another tool.',
      canceledAt: '2026-01-18T12:00:00.000Z',
      endsAt: PERIOD_END,
    });
    assert.equal((await eventsOf(t, 'subscription.deactivated')).length, 0);
    const deliveries = await t.db.select().from(webhookDeliveries);
    assert.equal(deliveries.length, 1, 'the endpoint gets exactly the event it asked for');
    assert.equal(
      first(await t.db.select().from(eventTable).where(eq(eventTable.id, deliveries[0].eventId)))?.type,
      'subscription.canceled',
    );
    const email = (await latestEmail(t, 'ada@example.com', 'subscription_canceled'))!;
    assert.equal(email.language, 'en');
    assert.match(email.textBody ?? '', /ends on February 15, 2026/);
    assert.match(email.textBody ?? '', /resume the subscription/);
  });

  test('asking again while the cancellation is pending changes nothing', async () => {
    const s = await subscribedCustomer(t);
    assert.equal((await s.call('POST', '/cancel', { reason: 'unused' })).status, 200);
    const again = await s.call('POST', '/cancel', { reason: 'other', comment: 'second thoughts' });
    assert.equal(again.status, 200);
    assert.equal((await json(again)).cancellation.reason, 'unused');
    assert.equal((await eventsOf(t, 'subscription.canceled')).length, 1);
    assert.equal((await subscriptionRow(t, s.subscriptionId)).version, 2);
  });

  test('drops a scheduled downgrade', async () => {
    const s = await subscribedCustomer(t);
    const quote = await json(await s.call('POST', '/change-preview', { planId: 'basic-monthly' }));
    assert.equal((await s.call('POST', '/change', { quoteId: quote.id })).status, 200);
    const view = await json(await s.call('POST', '/cancel', { reason: 'too_expensive' }));
    assert.equal(view.scheduledChange, null);
    const row = await subscriptionRow(t, s.subscriptionId);
    assert.equal(row.scheduledProductId, null);
    assert.equal(row.scheduledUnitPrice, null);
  });

  test('ends now only where the store allows it: 403 otherwise, then status canceled and subscription.deactivated', async () => {
    const s = await subscribedCustomer(t);
    const refused = await s.call('POST', '/cancel', { reason: 'unused', immediately: true });
    assert.equal(refused.status, 403);
    const { error } = await json(refused);
    assert.equal(error.code, 'immediate_cancel_not_allowed');
    assert.match(error.message, /end of the billing period/);
    assert.equal((await subscriptionRow(t, s.subscriptionId)).version, 1);

    await setSetting(t, 'allowImmediateCancel', 'true');
    t.clock.advance(DAY);
    const view = await json(await s.call('POST', '/cancel', { reason: 'unused', immediately: true }));
    assert.equal(view.status, 'canceled');
    assert.equal(view.state, 'canceled');
    assert.equal(view.endedAt, '2026-01-16T12:00:00.000Z');
    assert.equal(view.cancellation.endsAt, '2026-01-16T12:00:00.000Z');
    assert.equal(view.nextCharge, null);
    assert.equal((await eventsOf(t, 'subscription.canceled')).length, 1);
    assert.equal((await eventsOf(t, 'subscription.deactivated')).length, 1);
    assert.match(
      (await latestEmail(t, 'ada@example.com', 'subscription_canceled'))!.textBody ?? '',
      /ended on January 16, 2026/,
    );
  });

  test('turns a pending cancellation into an immediate one where allowed', async () => {
    await setSetting(t, 'allowImmediateCancel', 'true');
    const s = await subscribedCustomer(t);
    assert.equal((await s.call('POST', '/cancel', { reason: 'unused' })).status, 200);
    const view = await json(await s.call('POST', '/cancel', { reason: 'low_quality', immediately: true }));
    assert.equal(view.state, 'canceled');
    assert.equal(view.cancellation.reason, 'low_quality');
  });

  test('validates the reason and the comment (at most 1000 characters)', async () => {
    const s = await subscribedCustomer(t);
    const badReason = await s.call('POST', '/cancel', { reason: 'bored' });
    assert.equal(badReason.status, 422);
    const long = await s.call('POST', '/cancel', { reason: 'other', comment: 'x'.repeat(1001) });
    assert.equal(long.status, 422);
    assert.equal((await json(long)).error.details[0].field, 'comment');
    assert.equal((await s.call('POST', '/cancel', { reason: 'other', comment: 'x'.repeat(1000) })).status, 200);
  });

  test('an ended subscription cannot be changed any more (409 subscription_ended)', async () => {
    const s = await subscribedCustomer(t);
    assert.equal(
      (await t.api('POST', `/api/subscriptions/${s.subscriptionId}/cancel`, { reason: 'other', immediately: true }))
        .status,
      200,
    );
    for (const [path, body] of [
      ['/cancel', { reason: 'other' }],
      ['/resume', undefined],
      ['/change-preview', { quantity: 2 }],
    ] as const) {
      const response = await s.call('POST', path, body);
      assert.equal(response.status, 409, path);
      assert.equal((await json(response)).error.code, 'subscription_ended');
    }
  });

  test('German customers get the email in German', async () => {
    const s = await subscribedCustomer(t, { email: 'lena@example.de', language: 'de' });
    assert.equal((await s.call('POST', '/cancel', { reason: 'unused' })).status, 200);
    const email = (await latestEmail(t, 'lena@example.de', 'subscription_canceled'))!;
    assert.equal(email.language, 'de');
    assert.match(email.subject, /ist gekündigt/);
    assert.match(email.textBody ?? '', /endet am 15\. Februar 2026/);
  });
});

describe('POST /portal/{store}/subscriptions/{id}/resume', () => {
  test('undoes a pending cancellation: renews as before, subscription.uncanceled, email', async () => {
    const s = await subscribedCustomer(t);
    assert.equal((await s.call('POST', '/cancel', { reason: 'unused', comment: 'later' })).status, 200);
    t.clock.advance(10 * DAY);
    const response = await s.call('POST', '/resume');
    assert.equal(response.status, 200);
    const view = await json(response);
    assert.equal(view.state, 'active');
    assert.equal(view.cancellation, null);
    assert.deepEqual(view.nextCharge, { at: PERIOD_END, amount: 2261 });
    assert.deepEqual(view.actions.cancel, true);
    const events = await eventsOf(t, 'subscription.uncanceled');
    assert.equal(events.length, 1);
    assert.equal(events[0].data.nextChargeAt, PERIOD_END);
    assert.equal(events[0].data.cancellation, null);
    assert.match(
      (await latestEmail(t, 'ada@example.com', 'subscription_uncanceled'))!.textBody ?? '',
      /\$22\.61 is due on February 15, 2026/,
    );
  });

  test('409 when nothing is pending, and once the period is over', async () => {
    const s = await subscribedCustomer(t);
    const nothing = await s.call('POST', '/resume');
    assert.equal(nothing.status, 409);
    assert.equal((await json(nothing)).error.code, 'not_pending_cancellation');
    assert.equal((await s.call('POST', '/cancel', { reason: 'unused' })).status, 200);
    t.clock.set(PERIOD_END);
    const late = await s.call('POST', '/resume');
    assert.equal(late.status, 409);
    assert.equal((await json(late)).error.code, 'cancellation_effective');
  });
});

describe('Server API cancellations', () => {
  test('the merchant may cancel immediately regardless of the store setting, and resume pending ones', async () => {
    const s = await subscribedCustomer(t);
    const pending = await t.api('POST', `/api/subscriptions/${s.subscriptionId}/cancel`, {
      reason: 'customer_service',
      comment: 'Ticket 42',
    });
    assert.equal(pending.status, 200);
    const view = await json(pending);
    assert.equal(view.cancelAtPeriodEnd, true);
    assert.equal(view.cancellation.comment, 'Ticket 42');
    const resumed = await t.api('POST', `/api/subscriptions/${s.subscriptionId}/resume`);
    assert.equal(resumed.status, 200);
    assert.equal((await json(resumed)).cancelAtPeriodEnd, false);
    const ended = await json(
      await t.api('POST', `/api/subscriptions/${s.subscriptionId}/cancel`, { reason: 'other', immediately: true }),
    );
    assert.equal(ended.status, 'canceled');
    assert.equal(ended.endedAt, t.clock.now().toISOString());
  });

  test('a paused or overdue subscription ends at once', async () => {
    const s = await subscribedCustomer(t);
    await execSql(t.db, `update subscriptions set status = 'overdue' where id = '${s.subscriptionId}'`);
    const view = await json(await s.call('POST', '/cancel', { reason: 'too_expensive' }));
    assert.equal(view.state, 'canceled');
    assert.equal((await eventsOf(t, 'subscription.deactivated')).length, 1);
  });
});
