import { first } from '../../server/db/query';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import {
  emails,
  paymentMethods,
  subscriptionReminders,
  subscriptions,
  webhookDeliveries,
} from '../../server/db/schema';
import { createDeps, type Deps } from '../../server/deps';
import { DAY, FakeClock, MINUTE } from '../../server/lib/clock';
import { silentLogger, type Logger } from '../../server/lib/logger';
import { getStore } from '../../server/services/stores';
import { reminderWindows } from '../../server/services/billing/reminders/due';
import { runReminders, type ReminderSummary } from '../../server/services/billing/reminders/run';
import { sendReminder } from '../../server/services/billing/reminders/send';
import { createReminderWorker } from '../../server/services/billing/reminders/worker';
import { CARD_EXPIRY_REMINDER_SCHEDULE_MS } from '../../server/services/billing/reminders/schedule';
import { runRenewals } from '../../server/services/billing/renewals/run';
import { cardExpiresAt, cardExpiresAtSql } from '../../server/services/billing/payment-methods/payment-methods';
import { storeSettings } from '../../server/lib/store-settings';
import { createTestContext, json, openAgain, type TestContext } from '../helpers/app';
import { emailsOf, eventsOf, startSubscription, subscriptionRow, withCatalog } from '../helpers/renewals';
import { closeDatabase, execSql, execWithoutForeignKeys, uniqueViolationOf } from '../helpers/engine-sql';
import { onPostgres } from '../helpers/pg-databases';

const START = '2026-01-15T12:00:00.000Z';
const PORTAL = 'https://portal.test/account/shop';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'portal-reminders-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
/** A new SQLite file in the suite's temporary folder. */
const databaseFile = () => join(dir, `portal-${++files}.db`);

let t: TestContext;
beforeEach(async () => {
  // A file on SQLite, so that a second process can open it; on PostgreSQL the context's database serves.
  t = await withCatalog(await createTestContext({ now: START, databasePath: onPostgres ? undefined : databaseFile() }));
});

const run = (deps: Deps = t.deps) => runReminders(deps);
const sent = (s: ReminderSummary) => s.renewalUpcoming + s.trialEnding + s.cardExpiring;

const setSub = async (id: string, changes: Partial<typeof subscriptions.$inferInsert>) =>
  await t.db.update(subscriptions).set(changes).where(eq(subscriptions.id, id));

const setCard = async (id: string, expMonth: number, expYear: number) =>
  await t.db.update(paymentMethods).set({ expMonth, expYear }).where(eq(paymentMethods.id, id));

const remindersOf = async (id: string) =>
  await t.db.select().from(subscriptionReminders).where(eq(subscriptionReminders.subscriptionId, id));

async function patchReminders(body: unknown) {
  const response = await t.api('PATCH', '/api/store/reminders', body);
  assert.equal(response.status, 200, await response.clone().text());
  return json(response);
}

/** A second process on the same database: its own connection and deps, the same time. */
async function secondProcess(): Promise<Deps> {
  return createDeps({
    db: await openAgain(t.db),
    clock: new FakeClock(t.clock.now()),
    logger: silentLogger,
    config: { production: false, publicBaseUrl: 'https://portal.test' },
  });
}

describe('runReminders: upcoming renewal', () => {
  test('a yearly plan is reminded 7 days before it renews, once, with the amount, date, card and a link', async () => {
    const { subscriptionId, paymentMethodId } = await startSubscription(t, { plan: 'pro-yearly' });
    t.clock.set('2027-01-08T11:59:59.999Z');
    assert.equal(sent(await run()), 0, 'nothing a millisecond before the day');
    t.clock.set('2027-01-08T12:00:00.000Z');
    assert.equal((await run()).renewalUpcoming, 1);
    assert.equal(sent(await run()), 0, 'a second run sends nothing');
    t.clock.advance(3 * DAY);
    assert.equal(sent(await run()), 0, 'nor does one days later');

    const [event] = await eventsOf(t, 'subscription.renewal_upcoming');
    assert.equal(event.data.subscription.id, subscriptionId);
    assert.deepEqual(event.data.upcomingCharge, {
      at: '2027-01-15T12:00:00.000Z',
      currency: 'USD',
      amount: 19000,
      tax: 3610,
      total: 22610,
      product: {
        id: event.data.subscription.product.id,
        key: 'pro-yearly',
        name: 'Pro (yearly)',
        interval: 'year',
        intervalCount: 1,
      },
      quantity: 1,
      scheduledChange: false,
    });
    assert.equal(event.data.daysBefore, 7);
    assert.equal(event.data.emailSent, true);
    assert.equal(event.data.subscription.paymentMethod.last4, '4242');

    const [email] = await emailsOf(t, 'renewal_upcoming');
    assert.equal(email.toAddress, 'ada@example.com');
    assert.equal(email.subject, 'Your Pro (yearly) subscription renews on January 15, 2027');
    assert.match(
      email.textBody!,
      /renews automatically on January 15, 2027\. We will charge \$226\.10 \(tax included\) to Visa ending in 4242\./,
    );
    assert.ok(email.textBody!.includes(`${PORTAL}#/subscriptions/${subscriptionId}`), 'links to the subscription');
    assert.ok(email.htmlBody!.includes(`href="${PORTAL}#/subscriptions/${subscriptionId}"`));
    assert.ok(email.htmlBody!.startsWith('<!doctype html><html lang="en" dir="ltr">'));

    const [row] = await remindersOf(subscriptionId);
    assert.deepEqual(
      { kind: row.kind, chargeAt: row.chargeAt.toISOString(), daysBefore: row.daysBefore, method: row.paymentMethodId },
      { kind: 'renewal_upcoming', chargeAt: '2027-01-15T12:00:00.000Z', daysBefore: 7, method: paymentMethodId },
    );
    assert.equal(row.emailId, email.id);
  });

  test('each period is reminded again: after the renewal, the next one 7 days before its date', async () => {
    const { subscriptionId } = await startSubscription(t, { plan: 'pro-yearly' });
    t.clock.set('2027-01-08T12:00:00.000Z');
    await run();
    t.clock.set('2027-01-15T12:00:00.000Z');
    assert.equal((await runRenewals(t.deps)).renewed, 1);
    assert.equal(sent(await run()), 0, 'the new period has just begun');
    t.clock.set('2028-01-08T12:00:00.000Z');
    assert.equal((await run()).renewalUpcoming, 1);
    assert.deepEqual(
      (await remindersOf(subscriptionId)).map((r) => r.chargeAt.toISOString()),
      ['2027-01-15T12:00:00.000Z', '2028-01-15T12:00:00.000Z'],
    );
  });

  test('monthly plans are not reminded by default, and are when the store sets a lead', async () => {
    const { subscriptionId } = await startSubscription(t);
    for (let day = 1; day <= 31; day++) {
      t.clock.set(new Date(Date.parse(START) + day * DAY - MINUTE));
      assert.equal(sent(await run()), 0, `day ${day}`);
    }
    t.clock.set(START);
    await patchReminders({ renewalReminderDaysMonthly: 3 });
    t.clock.set('2026-02-12T11:59:00.000Z');
    assert.equal(sent(await run()), 0);
    t.clock.set('2026-02-12T12:00:00.000Z');
    assert.equal((await run()).renewalUpcoming, 1);
    const [email] = await emailsOf(t, 'renewal_upcoming');
    assert.match(email.textBody!, /renews automatically on February 15, 2026\. We will charge \$22\.61/);
    assert.equal((await remindersOf(subscriptionId)).length, 1);
  });

  test('the amount is what will be charged: a scheduled downgrade, its price and tax', async () => {
    const { subscriptionId } = await startSubscription(t, { plan: 'pro-yearly', quantity: 2 });
    const preview = await t.api('POST', `/api/subscriptions/${subscriptionId}/change-preview`, {
      planId: 'pro-monthly',
      quantity: 1,
    });
    assert.equal(preview.status, 201, await preview.clone().text());
    const change = await t.api('POST', `/api/subscriptions/${subscriptionId}/change`, {
      quoteId: (await json(preview)).id,
    });
    assert.equal(change.status, 200, await change.clone().text());
    t.clock.set('2027-01-08T12:00:00.000Z');
    assert.equal((await run()).renewalUpcoming, 1);
    const [event] = await eventsOf(t, 'subscription.renewal_upcoming');
    assert.equal(event.data.upcomingCharge.product.key, 'pro-monthly');
    assert.deepEqual(
      [event.data.upcomingCharge.amount, event.data.upcomingCharge.tax, event.data.upcomingCharge.total],
      [1900, 361, 2261],
    );
    assert.equal(event.data.upcomingCharge.quantity, 1);
    assert.equal(event.data.upcomingCharge.scheduledChange, true);
    const [email] = await emailsOf(t, 'renewal_upcoming');
    assert.match(email.subject, /Your Pro \(yearly\) × 2 subscription renews on January 15, 2027/);
    assert.match(email.textBody!, /We will charge \$22\.61/);
    assert.match(email.textBody!, /On that date it changes to Pro, as scheduled/);
  });

  test('the email is in the customer language', async () => {
    await startSubscription(t, { plan: 'pro-yearly', language: 'de' });
    t.clock.set('2027-01-08T12:00:00.000Z');
    await run();
    const [email] = await emailsOf(t, 'renewal_upcoming');
    assert.equal(email.language, 'de');
    assert.equal(email.subject, 'Ihr Abonnement Pro (yearly) verlängert sich am 15. Januar 2027');
    assert.match(
      email.textBody!,
      /Wir buchen dann 226,10\s\$ \(inklusive Steuern\) über Visa mit der Endung 4242 ab\./,
    );
    assert.ok(email.htmlBody!.startsWith('<!doctype html><html lang="de" dir="ltr">'));
  });
});

describe('runReminders: trial ending', () => {
  test('3 days before a trial converts, with the first charge, once; no renewal reminder for it', async () => {
    await patchReminders({ renewalReminderDaysMonthly: 7 });
    const { subscriptionId } = await startSubscription(t, { trialDays: 14 });
    t.clock.set('2026-01-26T11:59:59.999Z');
    assert.equal(sent(await run()), 0);
    t.clock.set('2026-01-26T12:00:00.000Z');
    const summary = await run();
    assert.deepEqual([summary.trialEnding, summary.renewalUpcoming], [1, 0]);
    assert.equal(sent(await run()), 0);

    const [event] = await eventsOf(t, 'subscription.trial_ending');
    assert.equal(event.data.subscription.id, subscriptionId);
    assert.equal(event.data.subscription.status, 'trial');
    assert.equal(event.data.upcomingCharge.at, '2026-01-29T12:00:00.000Z');
    assert.equal(event.data.upcomingCharge.total, 2261);
    assert.equal(event.data.daysBefore, 3);
    const [email] = await emailsOf(t, 'trial_ending');
    assert.equal(email.subject, 'Your Pro trial ends on January 29, 2026');
    assert.match(email.textBody!, /we will charge \$22\.61 \(tax included\) to Visa ending in 4242/);
    assert.match(email.textBody!, /cancel in your account before January 29, 2026 and you will not be charged/);
    assert.ok(email.textBody!.includes(`${PORTAL}#/subscriptions/${subscriptionId}`));
    assert.deepEqual(await eventsOf(t, 'subscription.renewal_upcoming'), []);
  });

  test('the lead is the store setting, and a trial shorter than it is not reminded', async () => {
    await patchReminders({ trialEndingReminderDays: 5 });
    const short = await startSubscription(t, { trialDays: 4, email: 'short@example.com' });
    const long = await startSubscription(t, { trialDays: 10, email: 'long@example.com' });
    for (let hours = 0; hours <= 10 * 24; hours += 6) {
      t.clock.set(new Date(Date.parse(START) + hours * 60 * MINUTE));
      await run();
    }
    assert.equal((await remindersOf(short.subscriptionId)).length, 0);
    const [row] = await remindersOf(long.subscriptionId);
    assert.equal(row.createdAt.toISOString(), '2026-01-20T12:00:00.000Z');
  });
});

describe('runReminders: nothing for subscriptions that will not be charged', () => {
  test('pending cancellation, scheduled pause, ended, manual renewal, overdue, or the reminder turned off', async () => {
    await patchReminders({ renewalReminderDaysMonthly: 3 });
    const start = (email: string, options = {}) =>
      startSubscription(t, { plan: 'pro-yearly', email, ...options }).then((s) => s.subscriptionId);
    const canceled = await start('cancel@example.com');
    const paused = await start('pause@example.com');
    const ended = await start('ended@example.com');
    const manual = await start('manual@example.com', { manual: true });
    const overdue = await startSubscription(t, { email: 'overdue@example.com', behaviour: 'declines_charges' });
    const call = async (id: string, action: string, body: unknown) => {
      const response = await t.api('POST', `/api/subscriptions/${id}/${action}`, body);
      assert.equal(response.status, 200, await response.clone().text());
    };
    await call(canceled, 'cancel', { reason: 'too_expensive' });
    await call(paused, 'pause', { periods: 1 });
    await call(ended, 'cancel', { reason: 'unused', immediately: true });
    assert.equal((await subscriptionRow(t, manual)).autoRenew, false);

    t.clock.set('2026-02-15T12:00:00.000Z');
    assert.equal((await runRenewals(t.deps)).declined, 1);
    assert.equal((await subscriptionRow(t, overdue.subscriptionId)).status, 'overdue');
    t.clock.set('2026-02-15T13:00:00.000Z');
    assert.equal(sent(await run()), 0, 'the overdue retry is not a renewal to announce');
    t.clock.set('2027-01-10T12:00:00.000Z');
    assert.equal(sent(await run()), 0);
    assert.deepEqual(await t.db.select().from(subscriptionReminders), []);

    const on = await start('on@example.com');
    await patchReminders({ renewalReminderDaysYearly: null });
    t.clock.set('2028-01-10T12:00:00.000Z');
    assert.equal(sent(await run()), 0, 'the yearly reminder is off');
    assert.equal((await remindersOf(on)).length, 0);
  });
});

describe('runReminders: card expiring', () => {
  test('30 and 7 days before the charge the card will not pay, once each, with a link to update it', async () => {
    const { subscriptionId, paymentMethodId } = await startSubscription(t);
    await setCard(paymentMethodId!, 1, 2026);
    assert.equal(sent(await run()), 0, 'the charge on 15 February is 31 days away');
    t.clock.set('2026-01-16T12:00:00.000Z');
    assert.equal((await run()).cardExpiring, 1);
    for (let day = 0; day < 23; day++) {
      t.clock.advance(DAY - MINUTE);
      assert.equal(sent(await run()), 0);
    }
    t.clock.set('2026-02-08T12:00:00.000Z');
    assert.equal((await run()).cardExpiring, 1);
    t.clock.set('2026-02-15T11:59:00.000Z');
    assert.equal(sent(await run()), 0);

    const events = await eventsOf(t, 'payment_method.expiring');
    assert.deepEqual(
      events.map((e) => [e.data.daysBefore, e.data.paymentMethod.id, e.data.paymentMethod.expired]),
      [
        [30, paymentMethodId, false],
        [7, paymentMethodId, true],
      ],
    );
    assert.equal(events[0].data.subscription.id, subscriptionId);
    assert.equal(events[0].data.upcomingCharge.at, '2026-02-15T12:00:00.000Z');
    assert.equal(events[0].data.paymentMethod.token, undefined, 'never the token');
    assert.deepEqual(
      (await remindersOf(subscriptionId)).map((r) => r.kind),
      ['card_expiring_30d', 'card_expiring_7d'],
    );
    const [first, second] = await emailsOf(t, 'card_expiring');
    assert.equal(first.subject, 'Please update the card for your Pro subscription');
    assert.match(first.textBody!, /Visa ending in 4242, which pays for Pro, expires at the end of January 2026\./);
    assert.match(first.textBody!, /Your next payment of \$22\.61 is due on February 15, 2026\./);
    assert.ok(first.textBody!.includes(`Update payment method: ${PORTAL}#/payment-methods`));
    assert.match(second.textBody!, /Your card has expired/);
    assert.match(second.textBody!, /Visa ending in 4242, which pays for Pro, expired at the end of January 2026\./);
    assert.ok(!JSON.stringify([first, second]).includes('tok_'), 'no token in the emails');
  });

  test('a card valid through the charge is not reminded of; a new card stops the 7-day reminder', async () => {
    const valid = await startSubscription(t, { email: 'valid@example.com' });
    await setCard(valid.paymentMethodId!, 2, 2026);
    const replaced = await startSubscription(t, { email: 'replaced@example.com' });
    await setCard(replaced.paymentMethodId!, 1, 2026);
    t.clock.set('2026-01-16T12:00:00.000Z');
    assert.equal((await run()).cardExpiring, 1);
    await setCard(replaced.paymentMethodId!, 1, 2029);
    t.clock.set('2026-02-08T12:00:00.000Z');
    assert.equal(sent(await run()), 0);
    assert.equal((await remindersOf(valid.subscriptionId)).length, 0);
    assert.equal((await remindersOf(replaced.subscriptionId)).length, 1);
  });

  test('only the 7-day reminder when the run first sees it within 7 days of the charge', async () => {
    const { subscriptionId, paymentMethodId } = await startSubscription(t);
    await setCard(paymentMethodId!, 1, 2026);
    t.clock.set('2026-02-10T00:00:00.000Z');
    assert.equal((await run()).cardExpiring, 1);
    assert.deepEqual(
      (await remindersOf(subscriptionId)).map((r) => r.kind),
      ['card_expiring_7d'],
    );
  });

  test('across month and year boundaries: a card works through the last millisecond of its month', async () => {
    await patchReminders({ renewalReminderDaysYearly: null });
    const cases = [
      { charge: '2026-04-01T00:00:00.000Z', card: [3, 2026], reminded: true },
      { charge: '2026-03-31T23:59:59.999Z', card: [3, 2026], reminded: false },
      { charge: '2027-01-01T00:00:00.000Z', card: [12, 2026], reminded: true },
      { charge: '2026-12-31T23:59:59.999Z', card: [12, 2026], reminded: false },
      { charge: '2026-03-01T00:00:00.000Z', card: [2, 2026], reminded: true },
      { charge: '2026-02-28T23:59:59.999Z', card: [2, 2026], reminded: false },
      { charge: '2026-04-15T00:00:00.000Z', card: [1, 2027], reminded: false },
    ] as const;
    const subs = [];
    for (const [i, c] of cases.entries()) {
      const { subscriptionId, paymentMethodId } = await startSubscription(t, {
        plan: 'pro-yearly',
        email: `boundary${i}@example.com`,
      });
      await setCard(paymentMethodId!, c.card[0], c.card[1]);
      const charge = new Date(c.charge);
      await setSub(subscriptionId, { currentPeriodEnd: charge, nextChargeAt: charge });
      subs.push({ ...c, subscriptionId });
    }
    for (const c of subs) {
      t.clock.set(new Date(Date.parse(c.charge) - 7 * DAY));
      await run();
    }
    for (const c of subs) {
      assert.equal((await remindersOf(c.subscriptionId)).length > 0, c.reminded, `${c.card.join('/')} for ${c.charge}`);
    }
  });

  test('the query and the code agree on when a card stops working, in every month', async () => {
    const paymentMethodId = 'pm_property';
    await execSql(
      t.db,
      `insert into accounts (id, store_id, email, created_at, updated_at) values ('acc_property', 'shop', 'p@example.com', 0, 0)`,
    );
    await t.db.insert(paymentMethods).values({
      id: paymentMethodId,
      storeId: 'shop',
      accountId: 'acc_property',
      processorToken: 'tok_x',
      createdAt: new Date(0),
    });
    const inSql = async () =>
      first(
        await t.db
          .select({ at: cardExpiresAtSql(t.db) })
          .from(paymentMethods)
          .where(eq(paymentMethods.id, paymentMethodId)),
      )!.at;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 2000, max: 2199 }),
        async (expMonth, expYear) => {
          await setCard(paymentMethodId, expMonth, expYear);
          const expected = cardExpiresAt({ expMonth, expYear })!;
          assert.equal(await inSql(), expected.getTime());
          // The last millisecond of the expiry month is still in it; the next is the next month's first.
          const last = new Date(expected.getTime() - 1);
          assert.equal(last.getUTCMonth() + 1, expMonth);
          assert.equal(last.getUTCFullYear(), expYear);
          assert.equal(expected.getUTCDate(), 1);
        },
      ),
      { numRuns: 300 },
    );
    await t.db
      .update(paymentMethods)
      .set({ expMonth: null, expYear: null })
      .where(eq(paymentMethods.id, paymentMethodId));
    assert.equal(await inSql(), null);
    assert.equal(cardExpiresAt({ expMonth: null, expYear: null }), null);
  });
});

describe('runReminders: the store sends its own emails', () => {
  test('with reminderEmails off the webhooks still fire and no email is queued', async () => {
    const endpoint = await t.api('POST', '/api/webhook-endpoints', {
      url: 'https://merchant.example/hooks',
      eventTypes: ['subscription.renewal_upcoming', 'subscription.trial_ending', 'payment_method.expiring'],
    });
    assert.equal(endpoint.status, 201);
    await patchReminders({ reminderEmails: false });
    const yearly = await startSubscription(t, { plan: 'pro-yearly', email: 'yearly@example.com' });
    const trial = await startSubscription(t, { trialDays: 30, email: 'trial@example.com' });
    await setCard(trial.paymentMethodId!, 1, 2026);
    t.clock.set('2026-02-11T12:00:00.000Z');
    const early = await run();
    assert.deepEqual([early.trialEnding, early.cardExpiring], [1, 1]);
    t.clock.set('2027-01-08T12:00:00.000Z');
    assert.equal((await run()).renewalUpcoming, 1);

    const types = ['subscription.trial_ending', 'payment_method.expiring', 'subscription.renewal_upcoming'];
    for (const type of types) {
      const [event] = await eventsOf(t, type);
      assert.equal(event.data.emailSent, false, type);
    }
    assert.equal((await t.db.select().from(webhookDeliveries)).length, 3, 'one delivery per reminder');
    const kinds = (await t.db.select({ kind: emails.kind }).from(emails)).map((e) => e.kind);
    for (const kind of ['renewal_upcoming', 'trial_ending', 'card_expiring']) assert.ok(!kinds.includes(kind), kind);
    assert.equal((await remindersOf(yearly.subscriptionId))[0].emailId, null);
  });
});

describe('runReminders: restart- and double-run-safe', () => {
  test('two processes running at once on one database send each reminder once', async () => {
    for (let i = 0; i < 40; i++) await startSubscription(t, { plan: 'pro-yearly', email: `c${i}@example.com` });
    t.clock.set('2027-01-08T12:00:00.000Z');
    const other = await secondProcess();
    const [a, b] = await Promise.all([runReminders(t.deps, { chunkSize: 7 }), runReminders(other, { chunkSize: 5 })]);
    await closeDatabase(other.db);
    assert.equal(a.renewalUpcoming + b.renewalUpcoming, 40);
    assert.equal((await eventsOf(t, 'subscription.renewal_upcoming')).length, 40);
    assert.equal((await emailsOf(t, 'renewal_upcoming')).length, 40);
    assert.equal(new Set((await emailsOf(t, 'renewal_upcoming')).map((e) => e.toAddress)).size, 40);
  });

  test('a chunk whose transaction runs again (as PostgreSQL retries a serialization failure) is counted once', async () => {
    for (let i = 0; i < 3; i++) await startSubscription(t, { plan: 'pro-yearly', email: `r${i}@example.com` });
    t.clock.set('2027-01-08T12:00:00.000Z');
    // Each transaction's first attempt does all its work and is then rolled back; the second commits.
    class Retry extends Error {}
    const retrying = new Proxy(t.db, {
      get(db, key) {
        if (key !== 'transaction') return Reflect.get(db, key) as unknown;
        return async (work: (tx: unknown) => Promise<unknown>) => {
          await db
            .transaction(async (tx) => {
              await work(tx);
              throw new Retry();
            })
            .catch((error: unknown) => {
              if (!(error instanceof Retry)) throw error;
            });
          return await db.transaction(async (tx) => await work(tx));
        };
      },
    });
    const summary = await runReminders({ ...t.deps, db: retrying }, { chunkSize: 2 });
    assert.deepEqual([summary.renewalUpcoming, summary.errors], [3, 0]);
    assert.equal((await eventsOf(t, 'subscription.renewal_upcoming')).length, 3);
    assert.equal((await emailsOf(t, 'renewal_upcoming')).length, 3);
  });

  test('after a restart nothing is sent again; the next reminder still comes', async () => {
    const { subscriptionId, paymentMethodId } = await startSubscription(t);
    await setCard(paymentMethodId!, 1, 2026);
    t.clock.set('2026-01-20T12:00:00.000Z');
    assert.equal((await run()).cardExpiring, 1);
    await closeDatabase(t.db);

    const restarted = await secondProcess();
    assert.equal(sent(await run(restarted)), 0);
    (restarted.clock as FakeClock).set('2026-02-09T12:00:00.000Z');
    assert.equal((await run(restarted)).cardExpiring, 1);
    assert.equal(sent(await run(restarted)), 0);
    const rows = await restarted.db
      .select({ kind: subscriptionReminders.kind })
      .from(subscriptionReminders)
      .where(eq(subscriptionReminders.subscriptionId, subscriptionId));
    assert.deepEqual(
      rows.map((r) => r.kind),
      ['card_expiring_30d', 'card_expiring_7d'],
    );
    await closeDatabase(restarted.db);
  });

  test('the database refuses a second reminder for the same charge, and takes its event and email back', async () => {
    const { subscriptionId } = await startSubscription(t, { plan: 'pro-yearly' });
    t.clock.set('2027-01-08T12:00:00.000Z');
    await run();
    const store = await getStore(t.db, 'shop');
    const [window] = reminderWindows(storeSettings(store)).filter((w) => w.kind === 'renewal_upcoming');
    await assert.rejects(
      async () =>
        await t.db.transaction(
          async (tx) => await sendReminder(tx, t.deps, store, window, subscriptionId, t.clock.now()),
        ),
      uniqueViolationOf('subscription_reminders', 'subscription_reminders_charge_unique'),
    );
    assert.equal((await eventsOf(t, 'subscription.renewal_upcoming')).length, 1);
    assert.equal((await emailsOf(t, 'renewal_upcoming')).length, 1);
  });

  test('a reminder that fails is logged and tried again next run; the others are sent', async () => {
    const broken = await startSubscription(t, { plan: 'pro-yearly', email: 'broken@example.com' });
    const fine = await startSubscription(t, { plan: 'pro-yearly', email: 'fine@example.com' });
    // A broken row: the subscription's account cannot be found, so sending its reminder throws.
    await execWithoutForeignKeys(
      t.db,
      `update subscriptions set account_id = 'acc_missing' where id = '${broken.subscriptionId}'`,
    );
    const logged: string[] = [];
    const logger: Logger = { info() {}, warn() {}, error: (message) => logged.push(message) };
    t.clock.set('2027-01-08T12:00:00.000Z');
    const summary = await runReminders({ ...t.deps, logger });
    assert.deepEqual([summary.renewalUpcoming, summary.errors], [1, 1]);
    assert.deepEqual(logged, ['reminder failed']);
    assert.equal((await remindersOf(fine.subscriptionId)).length, 1);
    assert.equal((await remindersOf(broken.subscriptionId)).length, 0);
    await execSql(
      t.db,
      `update subscriptions set account_id = '${broken.accountId}' where id = '${broken.subscriptionId}'`,
    );
    assert.equal((await run()).renewalUpcoming, 1);
  });
});

describe('createReminderWorker', () => {
  test('runs a pass and logs what it sent, counts only', async () => {
    await startSubscription(t, { plan: 'pro-yearly' });
    const lines: string[] = [];
    const worker = createReminderWorker({ ...t.deps, logger: { ...silentLogger, info: (line) => lines.push(line) } });
    t.clock.set('2027-01-08T12:00:00.000Z');
    assert.equal(await worker.runOnce(), 1);
    assert.equal(await worker.runOnce(), 0);
    assert.equal(lines.length, 1);
    assert.match(lines[0], /^reminders: renewalUpcoming=1 \(\d+ ms\)$/);
  });

  test('the card schedule is 30 and 7 days before the charge', async () => {
    assert.deepEqual(CARD_EXPIRY_REMINDER_SCHEDULE_MS, [30 * DAY, 7 * DAY]);
    const store = await getStore(t.db, 'shop');
    const windows = reminderWindows(storeSettings(store)).filter((w) => w.expiringCard);
    assert.deepEqual(
      windows.map((w) => [w.kind, w.leadMs / DAY, w.untilMs / DAY]),
      [
        ['card_expiring_30d', 30, 7],
        ['card_expiring_7d', 7, 0],
      ],
    );
  });
});
