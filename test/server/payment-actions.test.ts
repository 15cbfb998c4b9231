import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { MINUTE } from '../../server/lib/clock';
import { runRenewals } from '../../server/services/billing/renewals/run';
import { createTestContext, json, type TestContext } from '../helpers/app';
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
import { chargesOf, eventsOf, ordersOfKind, subscriptionRow } from '../helpers/renewals';

/** Stripe's test card that asks for 3-D Secure on every payment. */
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

/** A Pro subscription paid with `number`, and a signed-in customer calling the Portal API on it. */
async function customerWith(number: string, options: { manual?: boolean } = {}) {
  const s = await subscribeWithStripeCard(t, fake, { number, ...options });
  let { token } = await signInByEmail(t, 'ada@example.com');
  /** A Portal API call on the subscription; signs in again when the clock moved past the session's life. */
  const call = async (method: string, path: string, body?: unknown) => {
    const send = () => portal(t, method, `/subscriptions/${s.subscriptionId}${path}`, body, { token });
    const response = await send();
    if (response.status !== 401) return response;
    ({ token } = await signInByEmail(t, 'ada@example.com'));
    return send();
  };
  return { ...s, call };
}

type Customer = Awaited<ReturnType<typeof customerWith>>;

/** Previews the upgrade to the yearly plan and confirms it: the Portal API's answer. */
async function upgrade(s: Customer) {
  const preview = await s.call('POST', '/change-preview', { planId: 'pro-yearly' });
  assert.equal(preview.status, 201, await preview.clone().text());
  const quote = await json(preview);
  return { quote, response: await s.call('POST', '/change', { quoteId: quote.id }) };
}

/** The 202 of a held payment, checked: nothing changed, and what the browser needs is there (never the secret key). */
async function heldAction(response: Response) {
  assert.equal(response.status, 202, await response.clone().text());
  const text = await response.clone().text();
  assert.doesNotMatch(text, /sk_test|whsec_/, 'no secret key or webhook secret in the answer');
  const body = await json(response);
  assert.equal(body.status, 'requires_action');
  assert.equal(body.paymentAction.gateway, 'stripe');
  assert.equal(body.paymentAction.publishableKey, FAKE_KEYS.publishableKey);
  assert.equal(body.paymentAction.scriptUrl, `${fake.url}/v3/`);
  assert.match(body.paymentAction.clientSecret, /^pi_\w+_secret_\w+$/);
  assert.match(body.paymentAction.chargeId, /^chg_/);
  return body as {
    subscription: { product: { key: string }; state: string };
    paymentAction: { chargeId: string; clientSecret: string; total: number; kind: string };
  };
}

const intentsOf = (subscriptionId: string) =>
  [...fake.state.paymentIntents.values()].filter((pi) => pi.metadata.portal_charge_key?.includes(subscriptionId));

describe('POST /portal/{store}/subscriptions/{id}/change with a card that asks for 3-D Secure', () => {
  test('answers 202 with the challenge, changes nothing until the confirmation, then applies the upgrade once', async () => {
    const s = await customerWith(THREE_DS);
    const { quote, response } = await upgrade(s);
    const held = await heldAction(response);
    assert.equal(held.subscription.product.key, 'pro-monthly', 'nothing changed yet');
    assert.equal(held.paymentAction.total, quote.charge.total);
    assert.equal(held.paymentAction.kind, 'plan_change');
    assert.equal(
      (await subscriptionRow(t, s.subscriptionId)).lockedUntil,
      null,
      'the subscription is not locked meanwhile',
    );
    const [charge] = (await chargesOf(t, s.subscriptionId)).filter((c) => c.kind === 'plan_change');
    assert.equal(charge.status, 'requires_action');
    assert.equal((await ordersOfKind(t, 'plan_change')).length, 0);
    assert.equal(intentsOf(s.subscriptionId)[0].off_session, false, 'charged with the customer present');

    assert.equal((await authenticateInBrowser(fake, held.paymentAction.clientSecret, 'succeed')).status, 'succeeded');
    const confirmed = await s.call('POST', `/charges/${held.paymentAction.chargeId}/confirm`);
    assert.equal(confirmed.status, 200, await confirmed.clone().text());
    const body = await json(confirmed);
    assert.equal(body.status, 'succeeded');
    assert.equal(body.subscription.product.key, 'pro-yearly');
    assert.equal(body.charge.total, quote.charge.total);
    assert.match(body.charge.invoiceNumber, /^INV-/);
    assert.equal((await ordersOfKind(t, 'plan_change')).length, 1);
    assert.equal((await eventsOf(t, 'subscription.charge.completed')).length, 1);
    assert.equal(intentsOf(s.subscriptionId).length, 1, 'one PaymentIntent');
  });

  test('a second confirmation answers the same charge and applies nothing again', async () => {
    const s = await customerWith(THREE_DS);
    const held = await heldAction((await upgrade(s)).response);
    await authenticateInBrowser(fake, held.paymentAction.clientSecret, 'succeed');
    const [first, second] = await Promise.all([
      s.call('POST', `/charges/${held.paymentAction.chargeId}/confirm`),
      s.call('POST', `/charges/${held.paymentAction.chargeId}/confirm`),
    ]);
    const statuses = [first.status, second.status].sort();
    // Both at once: one applies it, the other finds the subscription busy (409, retry) or the charge settled (200).
    assert.ok(statuses[0] === 200 && (statuses[1] === 200 || statuses[1] === 409), statuses.join());
    const again = await s.call('POST', `/charges/${held.paymentAction.chargeId}/confirm`);
    assert.equal(again.status, 200);
    assert.equal((await json(again)).subscription.product.key, 'pro-yearly');
    assert.equal((await ordersOfKind(t, 'plan_change')).length, 1);
    assert.equal((await eventsOf(t, 'subscription.charge.completed')).length, 1);
    assert.equal((await eventsOf(t, 'subscription.updated')).length, 1);
  });

  test("Stripe's payment_intent.succeeded arriving first applies it; the confirmation then finds it done", async () => {
    const s = await customerWith(THREE_DS);
    const held = await heldAction((await upgrade(s)).response);
    await authenticateInBrowser(fake, held.paymentAction.clientSecret, 'succeed');
    const hook = await postStripeEvent(t, lastStripeEvent(fake, 'payment_intent.succeeded'));
    assert.equal(hook.status, 200);
    assert.equal((await json(hook)).outcome, 'processed');
    assert.equal((await subscriptionRow(t, s.subscriptionId)).status, 'active');
    assert.equal((await ordersOfKind(t, 'plan_change')).length, 1);
    const confirmed = await s.call('POST', `/charges/${held.paymentAction.chargeId}/confirm`);
    assert.equal(confirmed.status, 200);
    assert.equal((await json(confirmed)).subscription.product.key, 'pro-yearly');
    assert.equal((await ordersOfKind(t, 'plan_change')).length, 1, 'applied once');
    assert.equal(
      (await json(await postStripeEvent(t, lastStripeEvent(fake, 'payment_intent.succeeded')))).outcome,
      'duplicate',
    );
  });

  test('a failed challenge leaves the subscription unchanged: 402 authentication_failed, and the quote is used up', async () => {
    const s = await customerWith(THREE_DS);
    const { quote, response } = await upgrade(s);
    const held = await heldAction(response);
    const challenge = await authenticateInBrowser(fake, held.paymentAction.clientSecret, 'fail');
    assert.equal(challenge.error?.code, 'payment_intent_authentication_failure');
    const confirmed = await s.call('POST', `/charges/${held.paymentAction.chargeId}/confirm`);
    assert.equal(confirmed.status, 402);
    const { error } = await json(confirmed);
    assert.equal(error.code, 'payment_declined');
    assert.equal(error.details.declineCode, 'authentication_failed');
    const view = await json(await s.call('GET', ''));
    assert.equal(view.product.key, 'pro-monthly');
    assert.equal((await chargesOf(t, s.subscriptionId)).find((c) => c.kind === 'plan_change')!.status, 'declined');
    assert.equal((await ordersOfKind(t, 'plan_change')).length, 0);
    assert.equal((await s.call('POST', '/change', { quoteId: quote.id })).status, 409, 'quote_used');
    const late = await postStripeEvent(t, lastStripeEvent(fake, 'payment_intent.payment_failed'));
    assert.equal((await json(late)).outcome, 'ignored', 'the failure was recorded already');
  });

  test('confirming before the bank has the answer is a 409 payment_action_required, and retrying the quote shows the same challenge', async () => {
    const s = await customerWith(THREE_DS);
    const { quote, response } = await upgrade(s);
    const held = await heldAction(response);
    const early = await s.call('POST', `/charges/${held.paymentAction.chargeId}/confirm`);
    assert.equal(early.status, 409);
    assert.equal((await json(early)).error.code, 'payment_action_required');
    const again = await heldAction(await s.call('POST', '/change', { quoteId: quote.id }));
    assert.equal(again.paymentAction.chargeId, held.paymentAction.chargeId);
    assert.equal(again.paymentAction.clientSecret, held.paymentAction.clientSecret);
    assert.equal(intentsOf(s.subscriptionId).length, 1);
  });

  test('a challenge left open is canceled at Stripe after 15 minutes; nothing was charged and a new upgrade goes ahead', async () => {
    const s = await customerWith(THREE_DS);
    const held = await heldAction((await upgrade(s)).response);
    const blocked = await s.call('POST', '/change-preview', { planId: 'pro-yearly' });
    assert.equal(blocked.status, 201);
    const meanwhile = await s.call('POST', '/change', { quoteId: (await json(blocked)).id });
    assert.equal(meanwhile.status, 409, 'another upgrade waits while one is at the bank');
    assert.equal((await json(meanwhile)).error.code, 'payment_pending');
    t.clock.advance(16 * MINUTE);
    const run = await runRenewals(t.deps);
    assert.equal(run.authenticationsAbandoned, 1);
    assert.equal(fake.state.paymentIntents.get(intentsOf(s.subscriptionId)[0].id)!.status, 'canceled');
    assert.equal(
      (await chargesOf(t, s.subscriptionId)).find((c) => c.id === held.paymentAction.chargeId)!.status,
      'canceled',
    );
    const late = await s.call('POST', `/charges/${held.paymentAction.chargeId}/confirm`);
    assert.equal(late.status, 402);
    const retry = await heldAction((await upgrade(s)).response);
    assert.notEqual(retry.paymentAction.chargeId, held.paymentAction.chargeId);
  });

  test("a charge of another customer's subscription is a 404, also through one's own subscription", async () => {
    const s = await customerWith(THREE_DS);
    const held = await heldAction((await upgrade(s)).response);
    const eve = await subscribeWithStripeCard(t, fake, { email: 'eve@example.com' });
    const { token } = await signInByEmail(t, 'eve@example.com');
    // Eve's own subscription, Ada's charge.
    const stolen = await portal(
      t,
      'POST',
      `/subscriptions/${eve.subscriptionId}/charges/${held.paymentAction.chargeId}/confirm`,
      undefined,
      { token },
    );
    assert.equal(stolen.status, 404);
    const theirs = await portal(
      t,
      'POST',
      `/subscriptions/${s.subscriptionId}/charges/${held.paymentAction.chargeId}/confirm`,
      undefined,
      {
        token,
      },
    );
    assert.equal(theirs.status, 404);
  });

  test('a card without 3-D Secure is charged at once, as before (200)', async () => {
    const s = await customerWith('4242424242424242');
    const { response } = await upgrade(s);
    assert.equal(response.status, 200);
    assert.equal((await json(response)).subscription.product.key, 'pro-yearly');
  });
});

describe('POST /api/subscriptions/{id}/change with a card that asks for 3-D Secure', () => {
  test('the merchant cannot authenticate for the customer: 402 authentication_required, nothing changed', async () => {
    const s = await subscribeWithStripeCard(t, fake, { number: THREE_DS });
    const preview = await t.api('POST', `/api/subscriptions/${s.subscriptionId}/change-preview`, {
      planId: 'pro-yearly',
    });
    assert.equal(preview.status, 201, await preview.clone().text());
    const response = await t.api('POST', `/api/subscriptions/${s.subscriptionId}/change`, {
      quoteId: (await json(preview)).id,
    });
    assert.equal(response.status, 402);
    assert.equal((await json(response)).error.details.declineCode, 'authentication_required');
    assert.equal(intentsOf(s.subscriptionId)[0].off_session, true);
    assert.equal((await subscriptionRow(t, s.subscriptionId)).lockedUntil, null);
  });
});

describe('POST /portal/{store}/subscriptions/{id}/renew with a card that asks for 3-D Secure', () => {
  test('pays the next period once the customer has confirmed it with their bank', async () => {
    const s = await customerWith(THREE_DS, { manual: true });
    t.clock.advance(25 * 24 * 60 * MINUTE);
    const before = await subscriptionRow(t, s.subscriptionId);
    const held = await heldAction(await s.call('POST', '/renew', { paymentMethodId: s.paymentMethodId }));
    assert.equal(held.paymentAction.kind, 'manual_renewal');
    assert.equal((await subscriptionRow(t, s.subscriptionId)).periodIndex, before.periodIndex);
    await authenticateInBrowser(fake, held.paymentAction.clientSecret, 'succeed');
    const confirmed = await s.call('POST', `/charges/${held.paymentAction.chargeId}/confirm`);
    assert.equal(confirmed.status, 200, await confirmed.clone().text());
    const after = await subscriptionRow(t, s.subscriptionId);
    assert.equal(after.periodIndex, before.periodIndex + 1);
    assert.equal((await ordersOfKind(t, 'rebill')).length, 1);
    assert.equal((await s.call('POST', `/charges/${held.paymentAction.chargeId}/confirm`)).status, 200);
    assert.equal((await subscriptionRow(t, s.subscriptionId)).periodIndex, before.periodIndex + 1, 'renewed once');
  });

  test('paying again with the challenge of the first left open cancels the first at Stripe', async () => {
    const s = await customerWith(THREE_DS, { manual: true });
    t.clock.advance(25 * 24 * 60 * MINUTE);
    const first = await heldAction(await s.call('POST', '/renew', { paymentMethodId: s.paymentMethodId }));
    const second = await heldAction(await s.call('POST', '/renew', { paymentMethodId: s.paymentMethodId }));
    assert.notEqual(second.paymentAction.chargeId, first.paymentAction.chargeId);
    const firstIntent = first.paymentAction.clientSecret.split('_secret_')[0];
    assert.equal(fake.state.paymentIntents.get(firstIntent)!.status, 'canceled');
    await authenticateInBrowser(fake, second.paymentAction.clientSecret, 'succeed');
    assert.equal((await s.call('POST', `/charges/${second.paymentAction.chargeId}/confirm`)).status, 200);
    assert.equal((await ordersOfKind(t, 'rebill')).length, 1);
  });
});

describe('POST /portal/{store}/subscriptions/{id}/unpause with a card that asks for 3-D Secure', () => {
  test('ends the pause once the new period is confirmed with the bank', async () => {
    await setSetting(t, 'pauseEnabled', 'true');
    const s = await customerWith(THREE_DS);
    assert.equal((await s.call('POST', '/pause', { periods: 2 })).status, 200);
    t.clock.advance(32 * 24 * 60 * MINUTE);
    await runRenewals(t.deps);
    assert.equal((await subscriptionRow(t, s.subscriptionId)).status, 'paused');
    const held = await heldAction(await s.call('POST', '/unpause'));
    assert.equal(held.paymentAction.kind, 'resume');
    assert.equal(held.subscription.state, 'paused');
    await authenticateInBrowser(fake, held.paymentAction.clientSecret, 'succeed');
    const confirmed = await s.call('POST', `/charges/${held.paymentAction.chargeId}/confirm`);
    assert.equal(confirmed.status, 200, await confirmed.clone().text());
    assert.equal((await json(confirmed)).subscription.status, 'active');
    assert.equal((await eventsOf(t, 'subscription.resumed')).length, 1);
  });
});
