import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { DAY } from '../../server/lib/clock';
import { createTestContext, json, type TestContext } from '../helpers/app';
import { activityOf, assertEveryChangeIsInTheActivityLog, kindsOf, recordedBy } from '../helpers/activity';
import {
  authenticateInBrowser,
  FAKE_KEYS,
  fakeStripeEnv,
  lastStripeEvent,
  postStripeEvent,
  startFakeStripe,
  subscribeWithStripeCard,
  type FakeStripe,
} from '../helpers/fake-stripe';
import { createCatalog } from '../helpers/fixtures';
import { portal, setSetting, signInByEmail } from '../helpers/portal';
import { renewUntilIdle, startSubscription, subscriptionRow, testToken } from '../helpers/renewals';
import type { StripeGateway } from '../../server/payments/stripe/stripe-gateway';

/** Stripe's test card that asks for 3-D Secure on every payment. */
const THREE_DS = '4000002760003184';

describe('the renewal run in the activity log', () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext({ now: '2026-01-15T12:00:00.000Z' });
    await createCatalog(t);
  });
  afterEach(async () => await assertEveryChangeIsInTheActivityLog(t));

  /** Moves the clock to `at` and lets the renewal run do what is due. */
  const runAt = async (at: string) => {
    t.clock.set(at);
    await renewUntilIdle(t);
  };

  let token = '';
  /** Signs Ada in now (her session lapses when the clock moves on), before what is recorded. */
  const signIn = async () => {
    ({ token } = await signInByEmail(t, 'ada@example.com'));
  };
  /** A Portal API call as Ada, in her current session. */
  const asAda = async (method: string, path: string, body?: unknown) => {
    const response = await portal(t, method, path, body, { token });
    assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
    return json(response);
  };

  test('a paid period, and a downgrade taking effect with it', async () => {
    const { accountId, subscriptionId } = await startSubscription(t);
    const renewed = await recordedBy(t, accountId, () => runAt('2026-02-15T12:00:00.000Z'));
    assert.deepEqual(kindsOf(renewed), ['subscription_renewed by renewals']);
    assert.deepEqual(renewed[0].details, {
      plan: 'Pro',
      amount: 2261,
      currency: 'USD',
      endsAt: '2026-03-15T12:00:00.000Z',
    });
    await signIn();
    const quote = await asAda('POST', `/subscriptions/${subscriptionId}/change-preview`, { planId: 'basic-monthly' });
    await asAda('POST', `/subscriptions/${subscriptionId}/change`, { quoteId: quote.id });
    const applied = await recordedBy(t, accountId, () => runAt('2026-03-15T12:00:00.000Z'));
    assert.deepEqual(kindsOf(applied), ['subscription_plan_changed by renewals', 'subscription_renewed by renewals']);
    assert.deepEqual(applied[0].details, { plan: 'Basic', previousPlan: 'Pro', quantity: 1 });
  });

  test('failed payments, their retries and the end they come to', async () => {
    const { accountId } = await startSubscription(t, { behaviour: 'declines_charges' });
    const entries = await recordedBy(t, accountId, async () => {
      for (let day = 0; day <= 10; day++) await runAt(new Date(Date.UTC(2026, 1, 15 + day, 13)).toISOString());
    });
    const kinds = kindsOf(entries);
    assert.equal(kinds.at(-1), 'subscription_ended by renewals');
    assert.ok(
      kinds.slice(0, -1).every((k) => k === 'subscription_renewal_failed by renewals'),
      kinds.join(),
    );
    assert.ok(entries.length >= 3);
    assert.match(entries[0].details.retryAt!, /^2026-02-1\dT/);
    assert.deepEqual(entries.at(-1)!.details, { plan: 'Pro', reason: 'payment_failed' });
  });

  test('a cancellation taking effect at the end of the period', async () => {
    const { accountId, subscriptionId } = await startSubscription(t);
    await signIn();
    await asAda('POST', `/subscriptions/${subscriptionId}/cancel`, { reason: 'unused' });
    const ended = await recordedBy(t, accountId, () => runAt('2026-02-15T12:00:00.000Z'));
    assert.deepEqual(
      ended.map((e) => [e.kind, e.actor, e.details.reason]),
      [['subscription_ended', 'renewals', 'canceled']],
    );
  });

  test('a pause starting and ending, and one the customer ends early', async () => {
    await setSetting(t, 'pauseEnabled', 'true');
    const { accountId, subscriptionId } = await startSubscription(t);
    await signIn();
    await asAda('POST', `/subscriptions/${subscriptionId}/pause`, { periods: 1 });
    const paused = await recordedBy(t, accountId, () => runAt('2026-02-15T12:00:00.000Z'));
    assert.deepEqual(kindsOf(paused), ['subscription_paused by renewals']);
    assert.equal(paused[0].details.resumesAt, '2026-03-15T12:00:00.000Z');
    const resumed = await recordedBy(t, accountId, () => runAt('2026-03-15T12:00:00.000Z'));
    assert.deepEqual(kindsOf(resumed), ['subscription_renewed by renewals', 'subscription_resumed by renewals']);

    await signIn();
    await asAda('POST', `/subscriptions/${subscriptionId}/pause`, { periods: 2 });
    await runAt('2026-04-15T12:00:00.000Z');
    assert.equal((await subscriptionRow(t, subscriptionId)).status, 'paused');
    t.clock.set('2026-04-20T12:00:00.000Z');
    await signIn();
    const early = await recordedBy(t, accountId, () => asAda('POST', `/subscriptions/${subscriptionId}/unpause`));
    assert.deepEqual(kindsOf(early), ['subscription_resumed by customer']);
    assert.deepEqual(early[0].details, { plan: 'Pro', amount: 2261, currency: 'USD' });
  });

  test('a manual renewal: paid by the customer, due, and lapsed when nobody pays', async () => {
    const { accountId, subscriptionId } = await startSubscription(t, { manual: true });
    const card = await json(
      await t.api('POST', `/api/accounts/${accountId}/payment-methods`, { token: testToken('succeeds', '4242') }),
    );
    t.clock.set('2026-02-01T09:00:00.000Z');
    await signIn();
    const paid = await recordedBy(t, accountId, () =>
      asAda('POST', `/subscriptions/${subscriptionId}/renew`, { paymentMethodId: card.id }),
    );
    assert.deepEqual(kindsOf(paid), ['subscription_renewed by customer']);
    assert.equal(paid[0].details.endsAt, '2026-03-15T12:00:00.000Z');
    const due = await recordedBy(t, accountId, () => runAt('2026-03-15T12:00:00.000Z'));
    assert.deepEqual(kindsOf(due), ['subscription_payment_due by renewals']);
    assert.equal(due[0].details.retryAt, new Date(Date.parse('2026-03-15T12:00:00.000Z') + 7 * DAY).toISOString());
    const lapsed = await recordedBy(t, accountId, () => runAt('2026-03-23T12:00:00.000Z'));
    assert.deepEqual(
      lapsed.map((e) => [e.kind, e.actor, e.details.reason]),
      [['subscription_ended', 'renewals', 'not_renewed']],
    );
  });
});

describe('the payment processor in the activity log', () => {
  let fake: FakeStripe;
  let t: TestContext;
  before(async () => {
    fake = await startFakeStripe();
  });
  after(() => fake.close());
  beforeEach(async () => {
    t = await createTestContext({ stripe: fakeStripeEnv(fake) });
    await createCatalog(t);
  });
  afterEach(async () => await assertEveryChangeIsInTheActivityLog(t));

  test("an upgrade the customer's bank held is the customer's, also when Stripe's webhook settles it", async () => {
    const s = await subscribeWithStripeCard(t, fake, { number: THREE_DS });
    const { token } = await signInByEmail(t, 'ada@example.com');
    const call = (method: string, path: string, body?: unknown) =>
      portal(t, method, `/subscriptions/${s.subscriptionId}${path}`, body, { token });
    const quote = await json(await call('POST', '/change-preview', { planId: 'pro-yearly' }));
    const entries = await recordedBy(t, s.accountId, async () => {
      const held = await call('POST', '/change', { quoteId: quote.id });
      assert.equal(held.status, 202);
      const { paymentAction } = await json(held);
      await authenticateInBrowser(fake, paymentAction.clientSecret, 'succeed');
      const hook = await postStripeEvent(t, lastStripeEvent(fake, 'payment_intent.succeeded'));
      assert.equal((await json(hook)).outcome, 'processed');
    });
    assert.deepEqual(kindsOf(entries), ['subscription_plan_changed by customer']);
    assert.equal(entries[0].details.plan, 'Pro (yearly)');
  });

  test('a renewal the bank wants confirmed waits for the customer', async () => {
    const s = await subscribeWithStripeCard(t, fake, { number: THREE_DS });
    t.clock.advance(32 * DAY);
    const entries = await recordedBy(t, s.accountId, () => renewUntilIdle(t));
    assert.deepEqual(kindsOf(entries), ['subscription_confirmation_needed by renewals']);
    assert.ok(entries[0].details.retryAt && entries[0].details.amount);
  });

  test("a card the processor's updater refreshed, and one detached at the processor", async () => {
    const s = await subscribeWithStripeCard(t, fake);
    await fetch(`${fake.url}/_fake/card-updater/${s.token}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${FAKE_KEYS.secretKey}` },
      body: 'exp_month=3&exp_year=2031&last4=1881',
    });
    const refreshed = await recordedBy(t, s.accountId, () =>
      postStripeEvent(t, lastStripeEvent(fake, 'payment_method.automatically_updated')),
    );
    assert.deepEqual(
      refreshed.map((e) => [e.kind, e.actor, e.subjectId, e.details]),
      [
        [
          'payment_method_updated',
          'processor',
          s.paymentMethodId,
          { brand: 'visa', last4: '1881', expMonth: 3, expYear: 2031 },
        ],
      ],
    );
    await (t.deps.gateway as StripeGateway).detachMethod(s.token);
    const detached = await recordedBy(t, s.accountId, () =>
      postStripeEvent(t, lastStripeEvent(fake, 'payment_method.detached')),
    );
    assert.deepEqual(kindsOf(detached), [
      'payment_method_removed by processor',
      'subscription_payment_method_changed by processor',
    ]);
    assert.deepEqual(detached[1].details, { plan: 'Pro', brand: null, last4: null });
    assert.ok((await activityOf(t, s.accountId)).length >= 5);
  });
});
