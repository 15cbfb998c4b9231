import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DAY, HOUR } from '../../server/lib/clock';
import { runRenewals } from '../../server/services/billing/renewals/run';
import { createTestContext, json, type TestContext } from '../helpers/app';
import {
  authenticateInBrowser,
  cardMethod,
  fakeStripeEnv,
  lastStripeEvent,
  postStripeEvent,
  startFakeStripe,
  subscribeWithStripeCard,
  type FakeStripe,
} from '../helpers/fake-stripe';
import { createCatalog } from '../helpers/fixtures';
import { portal, signInByEmail } from '../helpers/portal';
import { chargesOf, emailsOf, eventsOf, ordersOfKind, subscriptionRow } from '../helpers/renewals';

/** Stripe's test card that asks for 3-D Secure on every payment, off-session ones included. */
const THREE_DS = '4000002760003184';

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

/** A Pro subscription renewing with the 3-D Secure card, its period over and the renewal run: it waits for the customer. */
async function waitingRenewal(options: { language?: string } = {}) {
  const s = await subscribeWithStripeCard(t, fake, { number: THREE_DS, ...options });
  const dueAt = (await subscriptionRow(t, s.subscriptionId)).currentPeriodEnd;
  t.clock.set(new Date(dueAt.getTime() + HOUR));
  const run = await runRenewals(t.deps);
  assert.equal(run.declined, 1, 'counted with the attempts that did not pay');
  let token = '';
  const call = async (method: string, path: string, body?: unknown) => {
    const send = () => portal(t, method, `/subscriptions/${s.subscriptionId}${path}`, body, { token });
    const response = await send();
    if (response.status !== 401) return response;
    ({ token } = await signInByEmail(t, 'ada@example.com'));
    return send();
  };
  return { ...s, dueAt, call };
}

type Waiting = Awaited<ReturnType<typeof waitingRenewal>>;

const intentsOf = (subscriptionId: string) =>
  [...fake.state.paymentIntents.values()].filter((pi) => pi.metadata.portal_charge_key?.includes(subscriptionId));

/** The customer confirms in the portal: the renewal is readied for their browser (202), and their bank's challenge. */
async function confirmInPortal(s: Waiting, outcome: 'succeed' | 'fail') {
  const chargeId = (await subscriptionRow(t, s.subscriptionId)).confirmationChargeId!;
  const ready = await s.call('POST', `/charges/${chargeId}/authenticate`);
  assert.equal(ready.status, 202, await ready.clone().text());
  const { paymentAction } = await json(ready);
  assert.equal(paymentAction.kind, 'renewal');
  await authenticateInBrowser(fake, paymentAction.clientSecret, outcome);
  return { chargeId, confirm: () => s.call('POST', `/charges/${chargeId}/confirm`) };
}

describe('an automatic renewal whose bank asks for 3-D Secure off-session', () => {
  test('waits for the customer: overdue with a payment to confirm, no failed attempt, no retry, an email with a link to it', async () => {
    const s = await waitingRenewal();
    const row = await subscriptionRow(t, s.subscriptionId);
    assert.equal(row.status, 'overdue');
    assert.equal(row.failedAttempts, 0, 'not a failed attempt');
    assert.equal(row.nextChargeAt!.toISOString(), new Date(s.dueAt.getTime() + 7 * DAY).toISOString());
    const [charge] = await chargesOf(t, s.subscriptionId);
    assert.equal(row.confirmationChargeId, charge.id);
    assert.deepEqual([charge.status, charge.failureCode], ['requires_action', 'authentication_required']);
    assert.match(charge.gatewayChargeId!, /^pi_/);
    assert.equal(intentsOf(s.subscriptionId)[0].off_session, true);

    assert.equal((await emailsOf(t, 'renewal_failed')).length, 0, 'not the "payment failed" email');
    const [email] = await emailsOf(t, 'renewal_action_required');
    assert.equal(email.toAddress, 'ada@example.com');
    assert.match(email.subject, /confirm the payment for your Pro subscription/);
    assert.ok(
      email.textBody!.includes(`https://portal.test/account/shop#/subscriptions/${s.subscriptionId}`),
      'links to the subscription in the portal',
    );
    assert.match(email.textBody!, /3-D Secure/);

    const [action] = await eventsOf(t, 'subscription.charge.action_required');
    assert.equal(action.data.charge.id, charge.id);
    assert.equal(action.data.subscription.paymentConfirmation.chargeId, charge.id);
    assert.equal((await eventsOf(t, 'subscription.charge.failed')).length, 0);

    const merchant = await json(await t.api('GET', `/api/subscriptions/${s.subscriptionId}`));
    assert.deepEqual(merchant.paymentConfirmation, {
      chargeId: charge.id,
      total: charge.total,
      currency: 'USD',
      requestedAt: charge.createdAt.toISOString(),
      confirmBy: row.nextChargeAt!.toISOString(),
    });
    const view = await json(await s.call('GET', ''));
    assert.equal(view.state, 'action_required');
    assert.equal(view.actions.confirmPayment, true);
    assert.equal(view.nextCharge, null, 'nothing is charged at the deadline');
    assert.equal(view.paymentConfirmation.chargeId, charge.id);
  });

  test('is written in the customer’s language', async () => {
    const s = await waitingRenewal({ language: 'de' });
    const [email] = await emailsOf(t, 'renewal_action_required');
    assert.match(email.subject, /Bitte bestätigen Sie die Zahlung für Ihr Abonnement Pro/);
    assert.ok(email.textBody!.includes(`#/subscriptions/${s.subscriptionId}`));
  });

  test('dunning does not charge again while the confirmation is pending', async () => {
    const s = await waitingRenewal();
    for (const days of [1, 3, 6]) {
      t.clock.set(new Date(s.dueAt.getTime() + days * DAY + HOUR));
      const run = await runRenewals(t.deps);
      assert.equal(run.renewed + run.declined + run.deactivated, 0, `day ${days}`);
    }
    assert.equal(intentsOf(s.subscriptionId).length, 1, 'Stripe was asked once');
    assert.equal((await chargesOf(t, s.subscriptionId)).length, 1);
    assert.equal((await emailsOf(t, 'renewal_action_required')).length, 1);
  });

  test('confirmed in the portal, the period renews exactly once', async () => {
    const s = await waitingRenewal();
    const before = await subscriptionRow(t, s.subscriptionId);
    t.clock.advance(2 * DAY);
    const { chargeId, confirm } = await confirmInPortal(s, 'succeed');
    const intent = intentsOf(s.subscriptionId)[0];
    assert.equal(intent.off_session, false, 'confirmed again with the customer present');
    const confirmed = await confirm();
    assert.equal(confirmed.status, 200, await confirmed.clone().text());
    const body = await json(confirmed);
    assert.equal(body.subscription.state, 'active');
    assert.equal(body.subscription.paymentConfirmation, null);
    assert.equal(body.charge.id, chargeId);
    const row = await subscriptionRow(t, s.subscriptionId);
    assert.equal(row.periodIndex, before.periodIndex + 1);
    assert.equal(row.currentPeriodStart.toISOString(), s.dueAt.toISOString(), 'the period starts on its due date');
    assert.equal(row.confirmationChargeId, null);
    assert.equal((await ordersOfKind(t, 'rebill')).length, 1);
    assert.equal((await emailsOf(t, 'renewal_receipt')).length, 1);
    assert.equal((await confirm()).status, 200);
    assert.equal(
      (await json(await postStripeEvent(t, lastStripeEvent(fake, 'payment_intent.succeeded')))).outcome,
      'ignored',
    );
    const next = await runRenewals(t.deps);
    assert.equal(next.renewed, 0);
    assert.equal((await subscriptionRow(t, s.subscriptionId)).periodIndex, before.periodIndex + 1, 'renewed once');
    assert.equal(intentsOf(s.subscriptionId).length, 1);
  });

  test("Stripe's payment_intent.succeeded arriving before the portal's confirmation renews it once", async () => {
    const s = await waitingRenewal();
    const before = await subscriptionRow(t, s.subscriptionId);
    const { confirm } = await confirmInPortal(s, 'succeed');
    const hook = await postStripeEvent(t, lastStripeEvent(fake, 'payment_intent.succeeded'));
    assert.equal((await json(hook)).outcome, 'processed');
    assert.equal((await subscriptionRow(t, s.subscriptionId)).status, 'active');
    assert.equal((await confirm()).status, 200);
    assert.equal((await subscriptionRow(t, s.subscriptionId)).periodIndex, before.periodIndex + 1);
    assert.equal((await ordersOfKind(t, 'rebill')).length, 1);
  });

  test('a failed challenge leaves it waiting (402 authentication_failed); the customer may try again', async () => {
    const s = await waitingRenewal();
    const failed = await confirmInPortal(s, 'fail');
    const answer = await failed.confirm();
    assert.equal(answer.status, 402);
    assert.equal((await json(answer)).error.details.declineCode, 'authentication_failed');
    const hook = await postStripeEvent(t, lastStripeEvent(fake, 'payment_intent.payment_failed'));
    assert.equal(hook.status, 200);
    const row = await subscriptionRow(t, s.subscriptionId);
    assert.deepEqual([row.status, row.failedAttempts, row.confirmationChargeId], ['overdue', 0, failed.chargeId]);
    assert.equal((await json(await s.call('GET', ''))).state, 'action_required');
    const retried = await confirmInPortal(s, 'succeed');
    assert.equal(retried.chargeId, failed.chargeId, 'the same payment');
    assert.equal((await retried.confirm()).status, 200);
    assert.equal((await subscriptionRow(t, s.subscriptionId)).status, 'active');
    assert.equal(intentsOf(s.subscriptionId).length, 1);
  });

  test('never confirmed, the subscription ends when the retry schedule would have ended; Stripe’s payment is canceled', async () => {
    const s = await waitingRenewal();
    t.clock.set(new Date(s.dueAt.getTime() + 7 * DAY + HOUR));
    const run = await runRenewals(t.deps);
    assert.equal(run.deactivated, 1);
    const row = await subscriptionRow(t, s.subscriptionId);
    assert.deepEqual([row.status, row.confirmationChargeId, row.nextChargeAt], ['deactivated', null, null]);
    assert.equal(intentsOf(s.subscriptionId)[0].status, 'canceled');
    assert.equal((await chargesOf(t, s.subscriptionId))[0].status, 'declined');
    assert.equal((await emailsOf(t, 'renewal_stopped')).length, 1);
    assert.match((await emailsOf(t, 'renewal_stopped'))[0].textBody!, /not confirmed/);
    assert.equal((await eventsOf(t, 'subscription.deactivated')).length, 1);
    const late = await s.call('POST', `/charges/${(await chargesOf(t, s.subscriptionId))[0].id}/authenticate`);
    assert.equal(late.status, 402);
  });

  test('completed at the bank but not reported, it is renewed (not ended) at the deadline', async () => {
    const s = await waitingRenewal();
    await confirmInPortal(s, 'succeed');
    t.clock.set(new Date(s.dueAt.getTime() + 7 * DAY + HOUR));
    const run = await runRenewals(t.deps);
    assert.equal(run.renewed, 1);
    assert.equal((await subscriptionRow(t, s.subscriptionId)).status, 'active');
    assert.equal(intentsOf(s.subscriptionId)[0].status, 'succeeded');
  });

  test('choosing another card while it waits charges that card at the next run instead', async () => {
    const s = await waitingRenewal();
    const token = await cardMethod(fake, '4242424242424242');
    const attached = await t.api('POST', `/api/accounts/${s.accountId}/payment-methods`, {
      token,
      subscriptionIds: [s.subscriptionId],
    });
    assert.equal(attached.status, 201, await attached.clone().text());
    const run = await runRenewals(t.deps);
    assert.equal(run.renewed, 1);
    const row = await subscriptionRow(t, s.subscriptionId);
    assert.deepEqual([row.status, row.confirmationChargeId], ['active', null]);
    const [waited, paid] = await chargesOf(t, s.subscriptionId);
    assert.deepEqual([waited.status, paid.status], ['declined', 'succeeded']);
    assert.equal(intentsOf(s.subscriptionId)[0].status, 'canceled', 'the waiting payment can no longer be completed');
    assert.equal((await ordersOfKind(t, 'rebill')).length, 1);
  });

  test('canceled while it waits: the payment can no longer be confirmed, and it is canceled at Stripe', async () => {
    const s = await waitingRenewal();
    const chargeId = (await subscriptionRow(t, s.subscriptionId)).confirmationChargeId!;
    const canceled = await s.call('POST', '/cancel', { reason: 'too_expensive' });
    assert.equal(canceled.status, 200, await canceled.clone().text());
    const row = await subscriptionRow(t, s.subscriptionId);
    assert.deepEqual([row.status, row.confirmationChargeId], ['canceled', null]);
    const late = await s.call('POST', `/charges/${chargeId}/authenticate`);
    assert.equal(late.status, 409);
    assert.equal((await json(late)).error.code, 'subscription_ended');
    t.clock.advance(16 * 60 * 1000);
    assert.equal((await runRenewals(t.deps)).authenticationsAbandoned, 1);
    assert.equal(intentsOf(s.subscriptionId)[0].status, 'canceled');
    assert.equal((await chargesOf(t, s.subscriptionId))[0].status, 'canceled');
    assert.equal((await subscriptionRow(t, s.subscriptionId)).status, 'canceled');
  });

  test('completed at the bank after the subscription was canceled: recorded, not renewed, refunded at the next run', async () => {
    const s = await waitingRenewal();
    const errors: string[] = [];
    t.deps.logger = { info() {}, warn() {}, error: (message) => errors.push(message) };
    await confirmInPortal(s, 'succeed');
    assert.equal((await s.call('POST', '/cancel', { reason: 'too_expensive' })).status, 200);
    const hook = await postStripeEvent(t, lastStripeEvent(fake, 'payment_intent.succeeded'));
    assert.equal((await json(hook)).outcome, 'processed');
    assert.equal((await subscriptionRow(t, s.subscriptionId)).status, 'canceled', 'not renewed');
    assert.equal((await chargesOf(t, s.subscriptionId))[0].status, 'succeeded');
    assert.equal((await ordersOfKind(t, 'rebill')).length, 0);
    assert.equal((await chargesOf(t, s.subscriptionId))[0].refundStatus, 'pending');
    await runRenewals(t.deps);
    const [charge] = await chargesOf(t, s.subscriptionId);
    assert.equal(charge.refundStatus, 'succeeded');
    const [intent] = intentsOf(s.subscriptionId);
    assert.equal(intent.amount_refunded, intent.amount, 'given back in full at Stripe');
    assert.equal(
      [...fake.state.refunds.values()].find((r) => r.payment_intent === intent.id)!.id,
      charge.gatewayRefundId,
    );
    await runRenewals(t.deps);
    assert.equal([...fake.state.refunds.values()].filter((r) => r.payment_intent === intent.id).length, 1, 'once');
    assert.deepEqual(errors, []);
  });
});
