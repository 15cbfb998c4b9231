import { first } from '../../server/db/query';
import { eq } from 'drizzle-orm';
import Stripe from 'stripe';
import { subscriptions } from '../../server/db/schema';
import { stripeGatewayFromEnv, type StripeGateway } from '../../server/payments/stripe/stripe-gateway';
import { FAKE_KEYS, startFakeStripe, type FakeStripe, type FakeStripeOptions } from '../../scripts/fake-stripe/server';
import { parseStripeApiHost, type StripeEnv } from '../../server/env';
import { json, type TestContext } from './app';
import { subscriptionOrder } from './fixtures';

export { FAKE_KEYS, startFakeStripe, type FakeStripe };

/** The portal's Stripe settings for a running fake, as env.ts would read them from `STRIPE_API_HOST`. */
export const fakeStripeEnv = (fake: FakeStripe): StripeEnv => ({
  secretKey: FAKE_KEYS.secretKey,
  publishableKey: FAKE_KEYS.publishableKey,
  webhookSecret: FAKE_KEYS.webhookSecret,
  live: false,
  api: parseStripeApiHost(fake.apiHost),
});

/** The real adapter with the real client, pointed at the fake; 429 backoff does not sleep. */
export function stripeGatewayFor(fake: FakeStripe, publicBaseUrl = 'https://portal.test'): StripeGateway {
  return stripeGatewayFromEnv(fakeStripeEnv(fake), () => publicBaseUrl, { sleep: async () => {} });
}

/**
 * A PaymentMethod made from a test card number the way Stripe.js makes one in the
 * customer's browser: with the publishable key, straight to Stripe (never via the portal).
 */
export async function cardMethod(
  fake: FakeStripe,
  number: string,
  expiry = { month: 12, year: 2034 },
): Promise<string> {
  const response = await fetch(`${fake.url}/v1/payment_methods`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${FAKE_KEYS.publishableKey}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      type: 'card',
      'card[number]': number,
      'card[exp_month]': String(expiry.month),
      'card[exp_year]': String(expiry.year),
    }),
  });
  const body = (await response.json()) as { id?: string; error?: { message: string } };
  if (!body.id) throw new Error(`The fake refused the card: ${body.error?.message}`);
  return body.id;
}

export const startFake = (options?: FakeStripeOptions) => startFakeStripe(options);

/**
 * An order from the merchant's own Stripe checkout: a test card attached to the
 * customer's Stripe customer, starting a monthly Pro subscription that renews with
 * it. `manual`: the card is saved on the account, the subscription renews manually.
 * Needs the catalog (createCatalog). Returns the ids and the card's `pm_…`.
 */
export async function subscribeWithStripeCard(
  t: TestContext,
  fake: FakeStripe,
  options: { number?: string; email?: string; manual?: boolean; language?: string } = {},
) {
  const number = options.number ?? '4242424242424242';
  const email = options.email ?? 'ada@example.com';
  const gateway = t.deps.gateway as StripeGateway;
  const token = await cardMethod(fake, number);
  const account = { storeId: t.store.id, accountId: `ext_${email}`, email, name: null, customerId: null };
  const customer = await gateway.ensureCustomer(account);
  await gateway.retrieveMethod(token, { ...account, customerId: customer });
  const card = { token, customer, brand: 'visa', last4: number.slice(-4), expMonth: 12, expYear: 2034 };
  const response = await t.api(
    'POST',
    '/api/orders',
    subscriptionOrder({
      customer: { email, firstName: 'Ada', language: options.language ?? 'en' },
      paymentMethod: card,
      savePaymentMethod: !options.manual,
    }),
  );
  if (response.status !== 201) throw new Error(`order: ${response.status} ${await response.text()}`);
  const order = await json(response);
  const subscriptionId = order.items[0].subscriptionId as string;
  const sub = first(await t.db.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId)))!;
  let paymentMethodId = sub.paymentMethodId;
  if (options.manual) {
    const attached = await t.api('POST', `/api/accounts/${sub.accountId}/payment-methods`, { token });
    if (attached.status !== 201) throw new Error(`attach: ${attached.status} ${await attached.text()}`);
    paymentMethodId = (await json(attached)).id;
  }
  return { token, customer, subscriptionId, accountId: sub.accountId, paymentMethodId: paymentMethodId! };
}

/**
 * What Stripe.js's `handleNextAction` does in the customer's browser, with the
 * publishable key and the client secret only: reads the PaymentIntent, and the
 * customer completes (or fails) the bank's challenge (the fake's stand-in for it).
 */
export async function authenticateInBrowser(fake: FakeStripe, clientSecret: string, outcome: 'succeed' | 'fail') {
  const id = clientSecret.split('_secret_')[0];
  const headers = {
    authorization: `Bearer ${FAKE_KEYS.publishableKey}`,
    'content-type': 'application/x-www-form-urlencoded',
  };
  const read = await fetch(`${fake.url}/v1/payment_intents/${id}?client_secret=${encodeURIComponent(clientSecret)}`, {
    headers,
  });
  const intent = (await read.json()) as { status: string };
  if (intent.status !== 'requires_action')
    throw new Error(`the PaymentIntent is ${intent.status}, not requires_action`);
  const answer = await fetch(`${fake.url}/_fake/authenticate/${id}`, {
    method: 'POST',
    headers,
    body: new URLSearchParams({ client_secret: clientSecret, outcome }),
  });
  return answer.json() as Promise<{ status?: string; error?: { code: string } }>;
}

/** Posts an event to the portal's `/webhooks/stripe`, signed as Stripe signs it (or with another secret). */
export function postStripeEvent(t: TestContext, event: unknown, secret: string = FAKE_KEYS.webhookSecret) {
  const payload = JSON.stringify(event);
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret });
  return t.app.request('/webhooks/stripe', {
    method: 'POST',
    body: payload,
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
  });
}

/** The fake's latest event of a type. */
export const lastStripeEvent = (fake: FakeStripe, type: string) =>
  [...fake.state.events].reverse().find((event) => event.type === type);

/** A refund made in Stripe's dashboard: straight to Stripe with the secret key, without the portal's metadata. */
export async function dashboardRefund(fake: FakeStripe, paymentIntent: string, amount?: number): Promise<string> {
  const response = await fetch(`${fake.url}/v1/refunds`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${FAKE_KEYS.secretKey}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      payment_intent: paymentIntent,
      ...(amount !== undefined && { amount: String(amount) }),
      reason: 'requested_by_customer',
    }),
  });
  const body = (await response.json()) as { id?: string; error?: { message: string } };
  if (!body.id) throw new Error(`The fake refused the refund: ${body.error?.message}`);
  return body.id;
}
