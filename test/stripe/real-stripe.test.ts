/**
 * The opt-in suite against Stripe's real test mode:
 *
 *   STRIPE_TEST_SECRET_KEY=sk_test_… npm run test:stripe
 *
 * It needs nothing else: no webhook endpoint, no publishable key, no public URL.
 * It makes a customer, saves a card through a SetupIntent, charges it off-session
 * (and asks again with the same key), charges a card that demands 3-D Secure
 * off-session (held for the customer) and with the customer present (the client
 * secret for Stripe.js), readies the held one for the customer's browser and
 * cancels it, looks a charge up by its key, refunds, detaches, and feeds the real events
 * Stripe recorded for those objects through the portal's webhook handling. Every
 * object it makes carries `portal_test_run` metadata. Without the key it is skipped.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import Stripe from 'stripe';
import { createStripeClient } from '../../server/payments/stripe/client';
import { StripeGateway } from '../../server/payments/stripe/stripe-gateway';
import { parseStripeWebhook } from '../../server/payments/stripe/webhook-events';

const secretKey = process.env.STRIPE_TEST_SECRET_KEY;
const skip = !secretKey ? "set STRIPE_TEST_SECRET_KEY=sk_test_… to run against Stripe's test mode" : false;
const run = `run_${Date.now().toString(36)}`;

let client: Stripe;
let gateway: StripeGateway;
before(() => {
  if (!secretKey) return;
  if (!secretKey.startsWith('sk_test_')) throw new Error('STRIPE_TEST_SECRET_KEY must be a test-mode key (sk_test_…).');
  client = createStripeClient({ secretKey });
  gateway = new StripeGateway({
    client,
    publishableKey: 'pk_test_unused',
    live: false,
    publicBaseUrl: () => 'https://portal.test',
  });
});

const account = () => ({
  storeId: 'stripe-suite',
  accountId: `acc_${run}`,
  email: `${run}@example.com`,
  name: 'Portal Test Run',
  customerId: null,
});

/** Stripe's search lags up to a minute behind writes. */
async function eventually<T>(read: () => Promise<T | null>, seconds = 90): Promise<T> {
  for (let waited = 0; ; waited += 3) {
    const value = await read();
    if (value !== null || waited >= seconds) return value as T;
    await new Promise((resolve) => setTimeout(resolve, 3000));
  }
}

/** A real event Stripe recorded, signed with a local secret and read as the portal's webhook route reads it. */
async function recordedEvent(type: string, objectId: string) {
  const events = await client.events.list({ type, limit: 20 });
  const event = events.data.find((e) => (e.data.object as { id?: string }).id === objectId);
  if (!event) return null;
  const payload = JSON.stringify(event);
  const secret = 'whsec_local_suite';
  return parseStripeWebhook(payload, Stripe.webhooks.generateTestHeaderString({ payload, secret }), secret);
}

describe("StripeGateway against Stripe's test mode", { skip }, () => {
  let customerId: string;
  let token: string;
  let chargeId: string;
  let offSessionIntent: string;
  const key = `suite:${run}:1`;

  test('setup: a SetupIntent for a new customer, confirmed with a test card, gives a method the adapter accepts', async () => {
    customerId = await gateway.ensureCustomer(account());
    const setup = await gateway.setupIntentFor(`setup_${run}`, customerId);
    const confirmed = await client.setupIntents.confirm(setup.clientSecret.split('_secret_')[0], {
      payment_method: 'pm_card_visa',
    });
    assert.equal(confirmed.status, 'succeeded');
    token = confirmed.payment_method as string;
    const details = await gateway.retrieveMethod(token, { ...account(), customerId });
    assert.deepEqual([details.brand, details.last4, details.customerId], ['visa', '4242', customerId]);
  });

  test('charge: off-session, and the same key answers without a second charge', async () => {
    const request = {
      idempotencyKey: key,
      token,
      customerId,
      amount: 1234,
      currency: 'EUR',
      description: `portal suite ${run}`,
    };
    const first = await gateway.charge(request);
    assert.equal(first.status, 'succeeded');
    chargeId = first.status === 'succeeded' ? first.chargeId : '';
    assert.deepEqual(await gateway.charge(request), first);
    const found = await eventually(() => gateway.findCharge(key));
    assert.deepEqual(found, first);
  });

  test('3-D Secure off-session: a card that always demands it waits for the customer (requires_action), not declined', async () => {
    const key3ds = `suite:${run}:3ds`;
    const result = await gateway.charge({
      idempotencyKey: key3ds,
      token: 'pm_card_authenticationRequired',
      customerId: null,
      amount: 500,
      currency: 'EUR',
      description: `portal suite ${run}`,
    });
    assert.equal(result.status, 'requires_action');
    offSessionIntent = result.status === 'requires_action' ? result.chargeId : '';
    assert.match(offSessionIntent, /^pi_/);
    assert.equal((await gateway.retrieveCharge(offSessionIntent)).status, 'requires_action');
    const failed = await eventually(() => recordedEvent('payment_intent.payment_failed', offSessionIntent));
    assert.deepEqual(failed.event, {
      kind: 'charge_settled',
      idempotencyKey: key3ds,
      result: { status: 'requires_action', chargeId: offSessionIntent },
    });
  });

  test('3-D Secure, the customer back in the portal: confirmed again on-session, Stripe answers with the challenge', async () => {
    const ready = await gateway.authenticateCharge(offSessionIntent, 'pm_card_authenticationRequired');
    assert.equal(ready.status, 'requires_action');
    const authentication = ready.status === 'requires_action' ? ready.authentication : undefined;
    assert.match(authentication?.clientSecret ?? '', new RegExp(`^${offSessionIntent}_secret_`));
    assert.equal(authentication?.scriptUrl, 'https://js.stripe.com/v3/');
    const intent = await client.paymentIntents.retrieve(offSessionIntent);
    assert.equal(intent.next_action?.type, 'use_stripe_sdk');
    // Completing the challenge takes Stripe.js in a browser (the e2e walk does it against the fake's stand-in).
    assert.equal(await gateway.cancelCharge(offSessionIntent), null, 'an abandoned challenge is canceled');
    assert.equal((await client.paymentIntents.retrieve(offSessionIntent)).status, 'canceled');
  });

  test('3-D Secure with the customer present: the charge answers requires_action with the client secret for Stripe.js', async () => {
    const result = await gateway.charge({
      idempotencyKey: `suite:${run}:3ds-present`,
      token: 'pm_card_authenticationRequired',
      customerId: null,
      amount: 700,
      currency: 'EUR',
      description: `portal suite ${run}`,
      customerPresent: true,
    });
    assert.equal(result.status, 'requires_action');
    const intentId = result.status === 'requires_action' ? result.chargeId : '';
    assert.ok(
      result.status === 'requires_action' && result.authentication?.clientSecret.startsWith(`${intentId}_secret_`),
    );
    assert.equal(await gateway.cancelCharge(intentId), null);
  });

  test('refund, then the recorded events read as the portal reads its webhooks', async () => {
    const refund = await gateway.refund({
      idempotencyKey: `suite:${run}:refund`,
      chargeId,
      amount: 234,
      currency: 'EUR',
    });
    assert.notEqual(refund.status, 'failed');
    const succeeded = await eventually(() => recordedEvent('payment_intent.succeeded', chargeId));
    assert.deepEqual(succeeded.event, {
      kind: 'charge_settled',
      idempotencyKey: key,
      result: { status: 'succeeded', chargeId },
    });
    const refunded = await eventually(async () => {
      const charges = await client.charges.list({ payment_intent: chargeId, limit: 1 });
      return charges.data[0] ? recordedEvent('charge.refunded', charges.data[0].id) : null;
    });
    assert.deepEqual(refunded.event, { kind: 'charge_refunded', chargeId, amountRefunded: 234, currency: 'EUR' });
  });

  test('detach: the method is detached, and detaching again is no error', async () => {
    await gateway.detachMethod(token);
    await gateway.detachMethod(token);
    const detached = await eventually(() => recordedEvent('payment_method.detached', token));
    assert.deepEqual(detached.event, { kind: 'method_detached', token });
  });
});
