import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { readEnv } from '../../server/env';
import { GatewayUnavailableError, PaymentDeclinedError, type GatewayAccount } from '../../server/payments/gateway';
import { STRIPE_API_VERSION } from '../../server/payments/stripe/client';
import type { StripeGateway } from '../../server/payments/stripe/stripe-gateway';
import {
  cardMethod,
  dashboardRefund,
  startFakeStripe,
  stripeGatewayFor,
  type FakeStripe,
} from '../helpers/fake-stripe';

let fake: FakeStripe;
let gateway: StripeGateway;
let accounts = 0;
before(async () => {
  fake = await startFakeStripe();
  gateway = stripeGatewayFor(fake);
});
after(() => fake.close());
beforeEach(() => {
  fake.failNext(0, 500);
  fake.requests.length = 0;
});

const account = (customerId: string | null = null): GatewayAccount => ({
  storeId: 'shop',
  accountId: `acc_${++accounts}`,
  email: `customer${accounts}@example.com`,
  name: 'Ada Lovelace',
  customerId,
});
let keys = 0;
const key = () => `renewal:sub_test:${++keys}:1`;
const charge = (token: string, customerId: string | null, idempotencyKey = key()) =>
  gateway.charge({ idempotencyKey, token, customerId, amount: 1900, currency: 'USD', description: 'Pro, one month' });

/** A card saved the way the portal saves one: made in the browser, then checked and attached by the adapter. */
async function savedCard(number: string) {
  const who = account();
  const token = await cardMethod(fake, number);
  const details = await gateway.retrieveMethod(token, who);
  return { token, customerId: details.customerId!, details };
}

describe('Stripe settings (server/env.ts)', () => {
  const base = {
    PAYMENT_GATEWAY: 'stripe',
    STRIPE_SECRET_KEY: 'sk_test_abc',
    STRIPE_PUBLISHABLE_KEY: 'pk_test_abc',
    STRIPE_WEBHOOK_SECRET: 'whsec_abc',
  };

  test('PAYMENT_GATEWAY=stripe without its keys stops the server, naming each missing variable', () => {
    assert.throws(
      () => readEnv({ PAYMENT_GATEWAY: 'stripe' }),
      (error: Error) =>
        ['STRIPE_SECRET_KEY', 'STRIPE_PUBLISHABLE_KEY', 'STRIPE_WEBHOOK_SECRET'].every((name) =>
          error.message.includes(name),
        ),
    );
  });

  test('a malformed key is named with what it should look like', () => {
    assert.throws(
      () => readEnv({ ...base, STRIPE_SECRET_KEY: 'pk_test_abc' }),
      /STRIPE_SECRET_KEY: Not a Stripe secret key/,
    );
    assert.throws(
      () => readEnv({ ...base, STRIPE_WEBHOOK_SECRET: 'secret' }),
      /STRIPE_WEBHOOK_SECRET: Not a Stripe webhook signing secret/,
    );
  });

  test('live keys are refused outside production, and keys of two modes anywhere', () => {
    const live = { ...base, STRIPE_SECRET_KEY: 'sk_live_abc', STRIPE_PUBLISHABLE_KEY: 'pk_live_abc' };
    assert.throws(() => readEnv(live), /live Stripe key outside production/);
    assert.equal(readEnv({ ...live, NODE_ENV: 'production' }).stripe?.live, true);
    assert.throws(
      () => readEnv({ ...base, STRIPE_PUBLISHABLE_KEY: 'pk_live_abc', NODE_ENV: 'production' }),
      /different modes/,
    );
  });

  test('STRIPE_API_HOST on loopback is plain http; another host is https', () => {
    assert.deepEqual(readEnv({ ...base, STRIPE_API_HOST: '127.0.0.1:12111' }).stripe?.api, {
      host: '127.0.0.1',
      port: 12111,
      protocol: 'http',
    });
    assert.deepEqual(readEnv({ ...base, STRIPE_API_HOST: 'stripe.internal' }).stripe?.api, {
      host: 'stripe.internal',
      port: 443,
      protocol: 'https',
    });
    assert.equal(readEnv({ ...base }).stripe?.api, undefined);
    assert.equal(readEnv({}).stripe, null);
  });
});

describe('StripeGateway against the fake Stripe API', () => {
  test('every request asks for the pinned API version', async () => {
    await gateway.ensureCustomer(account());
    assert.equal(STRIPE_API_VERSION, '2026-11-18.endive');
    assert.ok(fake.state.events.every((e) => e.api_version === STRIPE_API_VERSION));
  });

  test('the customer is created once per account, however many setups start at once', async () => {
    const who = account();
    const [a, b] = await Promise.all([
      gateway.createSetup({
        setupId: 'setup_1',
        storeId: 'shop',
        accountId: who.accountId,
        parentOrigins: [],
        language: 'de',
        account: who,
      }),
      gateway.createSetup({
        setupId: 'setup_2',
        storeId: 'shop',
        accountId: who.accountId,
        parentOrigins: [],
        language: 'en',
        account: who,
      }),
    ]);
    assert.equal(a.customerId, b.customerId);
    assert.match(a.customerId!, /^cus_/);
    assert.equal(a.url, 'https://portal.test/gateway/stripe/setup/setup_1?lang=de');
    assert.equal(
      [...fake.state.customers.values()].filter((c) => c.metadata.portal_account_id === who.accountId).length,
      1,
    );
    assert.equal(
      await gateway.ensureCustomer({ ...who, customerId: a.customerId! }),
      a.customerId,
      'a remembered customer is reused',
    );
  });

  test("retrieveMethod attaches a new card to the account's customer and returns brand, last 4 and expiry", async () => {
    const { token, details } = await savedCard('5555 5555 5555 4444');
    assert.deepEqual(
      { ...details, customerId: undefined },
      { type: 'card', brand: 'mastercard', last4: '4444', expMonth: 12, expYear: 2034, customerId: undefined },
    );
    assert.equal(fake.state.methods.get(token)!.customer, details.customerId);
  });

  test("retrieveMethod refuses unknown tokens, other customers' methods and cards Stripe declines", async () => {
    await assert.rejects(
      gateway.retrieveMethod('tok_test_made_up', account()),
      (e: PaymentDeclinedError) => e.code === 'invalid_token',
    );
    assert.equal(fake.requests.length, 0, 'a token that is not a pm_ is refused without asking Stripe');
    await assert.rejects(
      gateway.retrieveMethod('pm_doesnotexist', account()),
      (e: PaymentDeclinedError) => e.code === 'invalid_token',
    );
    const { token } = await savedCard('4242424242424242');
    const intruder = account(await gateway.ensureCustomer(account()));
    await assert.rejects(
      gateway.retrieveMethod(token, intruder),
      (e: PaymentDeclinedError) => e.code === 'invalid_token',
    );
    for (const [number, code] of [
      ['4000000000000002', 'card_declined'],
      ['4000000000009995', 'insufficient_funds'],
      ['4000000000000069', 'expired_card'],
    ]) {
      const declined = await cardMethod(fake, number);
      await assert.rejects(
        gateway.retrieveMethod(declined, account()),
        (e: PaymentDeclinedError) => e instanceof PaymentDeclinedError && e.code === code,
        number,
      );
    }
  });

  test("charge is an off-session PaymentIntent confirmed at once, with our key as Stripe's Idempotency-Key", async () => {
    const { token, customerId } = await savedCard('4242424242424242');
    const idempotencyKey = key();
    const result = await charge(token, customerId, idempotencyKey);
    assert.equal(result.status, 'succeeded');
    const chargeId = result.status === 'succeeded' ? result.chargeId : '';
    const intent = fake.state.paymentIntents.get(chargeId)!;
    assert.deepEqual(
      [intent.amount, intent.currency, intent.customer, intent.off_session, intent.status],
      [1900, 'usd', customerId, true, 'succeeded'],
    );
    assert.ok(fake.requests.some((r) => r.path === '/v1/payment_intents' && r.idempotencyKey === idempotencyKey));
    assert.deepEqual(await charge(token, customerId, idempotencyKey), result, 'asked again: the first answer');
    assert.equal(
      [...fake.state.paymentIntents.values()].filter((pi) => pi.metadata.portal_charge_key === idempotencyKey).length,
      1,
    );
  });

  test('declines map onto our codes: generic, insufficient funds, expired, and 3-D Secure required off-session', async () => {
    const failing = await savedCard('4000000000000341');
    assert.deepEqual(await charge(failing.token, failing.customerId), {
      status: 'declined',
      code: 'card_declined',
      message: 'The card was declined. Please use another card.',
    });
    for (const [number, code] of [
      ['4000000000009995', 'insufficient_funds'],
      ['4000000000000069', 'expired_card'],
      ['4000000000000002', 'card_declined'],
    ]) {
      const result = await charge(await cardMethod(fake, number), null);
      assert.equal(result.status === 'declined' && result.code, code, number);
    }
    const always = await savedCard('4000002760003184');
    const strict = await charge(always.token, always.customerId);
    assert.equal(
      strict.status,
      'requires_action',
      'refused off-session for want of 3-D Secure: it waits for the customer',
    );
    assert.match(strict.status === 'requires_action' ? strict.chargeId : '', /^pi_/);
    assert.equal(
      fake.state.paymentIntents.get(strict.status === 'requires_action' ? strict.chargeId : '')?.status,
      'requires_payment_method',
    );
    const onSetup = await charge(await cardMethod(fake, '4000002500003155'), null);
    assert.equal(onSetup.status, 'succeeded', 'a card set up with 3-D Secure is charged off-session without it');
  });

  test('findCharge answers with the charge our key made, null for a key Stripe never saw, and never charges', async () => {
    const { token, customerId } = await savedCard('4242424242424242');
    const idempotencyKey = key();
    const made = await charge(token, customerId, idempotencyKey);
    const before = fake.state.paymentIntents.size;
    assert.deepEqual(await gateway.findCharge(idempotencyKey), made);
    assert.equal(await gateway.findCharge(key()), null);
    const declinedKey = key();
    await charge(await cardMethod(fake, '4000000000000341'), null, declinedKey);
    assert.equal((await gateway.findCharge(declinedKey))?.status, 'declined');
    assert.equal(fake.state.paymentIntents.size, before + 1, 'only the declined charge added a PaymentIntent');
  });

  test("5xx answers and dropped connections are GatewayUnavailableError after the client's retries; the retry reuses our key", async () => {
    const { token, customerId } = await savedCard('4242424242424242');
    fake.failNext(3, 500);
    await assert.rejects(charge(token, customerId), GatewayUnavailableError);
    fake.failNext(3, 0);
    await assert.rejects(charge(token, customerId), GatewayUnavailableError);
    fake.failNext(2, 503);
    const idempotencyKey = key();
    assert.equal(
      (await charge(token, customerId, idempotencyKey)).status,
      'succeeded',
      'two failures are retried by the client',
    );
    assert.equal(fake.requests.filter((r) => r.idempotencyKey === idempotencyKey).length, 3);
  });

  test('429 is retried with backoff; a rate limit that does not lift is GatewayUnavailableError', async () => {
    const { token, customerId } = await savedCard('4242424242424242');
    fake.failNext(3, 429);
    assert.equal((await charge(token, customerId)).status, 'succeeded');
    fake.failNext(10, 429);
    await assert.rejects(charge(token, customerId), GatewayUnavailableError);
  });

  test('detachMethod detaches, and detaching again is not an error', async () => {
    const { token } = await savedCard('4242424242424242');
    await gateway.detachMethod(token);
    assert.equal(fake.state.methods.get(token)!.customer, null);
    await gateway.detachMethod(token);
  });

  test('refund refunds the PaymentIntent once per key, marked with the key', async () => {
    const { token, customerId } = await savedCard('4242424242424242');
    const made = await charge(token, customerId);
    const chargeId = made.status === 'succeeded' ? made.chargeId : '';
    const idempotencyKey = `refund:${key()}`;
    const first = await gateway.refund({ idempotencyKey, chargeId, amount: 500, currency: 'USD' });
    assert.equal(first.status, 'succeeded');
    assert.deepEqual(await gateway.refund({ idempotencyKey, chargeId, amount: 500, currency: 'USD' }), first);
    assert.equal(fake.state.paymentIntents.get(chargeId)!.amount_refunded, 500);
    const refundId = first.refundId;
    assert.equal(fake.state.refunds.get(refundId)!.metadata.portal_refund_key, idempotencyKey);
    assert.equal(
      fake.requests.filter((r) => r.path === '/v1/refunds' && r.idempotencyKey === idempotencyKey).length,
      2,
    );
  });

  test('refund gives back at most what the charge has left; a refusal is an answer, an outage an error', async () => {
    const { token, customerId } = await savedCard('4242424242424242');
    const made = await charge(token, customerId);
    const chargeId = made.status === 'succeeded' ? made.chargeId : '';
    const refund = (amount: number, id = chargeId) =>
      gateway.refund({ idempotencyKey: `refund:${key()}`, chargeId: id, amount, currency: 'USD' });
    const over = await refund(1901);
    assert.equal(over.status === 'failed' && over.code, 'exceeds_charge', 'more than the 1900 charged');
    assert.equal((await refund(1400)).status, 'succeeded');
    const rest = await refund(501);
    assert.equal(rest.status === 'failed' && rest.code, 'exceeds_charge', '1400 + 501 is more than 1900');
    assert.equal((await refund(500)).status, 'succeeded', 'exactly what is left');
    const nothingLeft = await refund(1);
    assert.equal(nothingLeft.status === 'failed' && nothingLeft.code, 'exceeds_charge', 'already fully refunded');
    const unknown = await refund(100, 'pi_unknown');
    assert.equal(unknown.status === 'failed' && unknown.code, 'unknown_charge');
    assert.equal(fake.state.paymentIntents.get(chargeId)!.amount_refunded, 1900);
    fake.failNext(10, 503);
    await assert.rejects(refund(1), GatewayUnavailableError);
  });

  test("listRefunds lists a PaymentIntent's refunds oldest first, the portal's with its key, across pages", async () => {
    const { token, customerId } = await savedCard('4242424242424242');
    const made = await gateway.charge({
      idempotencyKey: key(),
      token,
      customerId,
      amount: 20_000,
      currency: 'EUR',
      description: 'A year of Pro',
    });
    const chargeId = made.status === 'succeeded' ? made.chargeId : '';
    const idempotencyKey = `refund:${key()}`;
    const portals = await gateway.refund({ idempotencyKey, chargeId, amount: 1000, currency: 'EUR' });
    const dashboards: string[] = [];
    for (let i = 0; i < 101; i++) dashboards.push(await dashboardRefund(fake, chargeId, 10));
    const listed = await gateway.listRefunds(chargeId);
    assert.equal(listed.length, 102, 'two pages of Stripe’s 100');
    assert.deepEqual(listed[0], {
      refundId: portals.status === 'failed' ? '' : portals.refundId,
      amount: 1000,
      currency: 'EUR',
      status: 'succeeded',
      idempotencyKey,
    });
    assert.deepEqual(
      listed.slice(1).map((r) => r.refundId),
      dashboards,
    );
    assert.ok(listed.slice(1).every((r) => r.idempotencyKey === null && r.amount === 10));
    assert.deepEqual(await gateway.listRefunds('pi_none_yet'), []);
  });
});
