import { createStripeClient } from '../../server/payments/stripe/client';
import { browserHostsFor, StripeGateway } from '../../server/payments/stripe/stripe-gateway';
import { FAKE_KEYS, startFakeStripe, type FakeStripe, type FakeStripeOptions } from '../../scripts/fake-stripe/server';
import { parseStripeApiHost, type StripeEnv } from '../../server/env';

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
  const env = fakeStripeEnv(fake);
  return new StripeGateway({
    client: createStripeClient({ secretKey: env.secretKey, api: env.api }),
    publishableKey: env.publishableKey,
    live: false,
    publicBaseUrl: () => publicBaseUrl,
    sleep: async () => {},
    browser: browserHostsFor(env.api),
  });
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
