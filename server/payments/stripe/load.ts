import type { StripeEnv } from '../../env';
import type { PaymentGateway } from '../gateway';
import type { StripeGateway } from './stripe-gateway';

/**
 * The Stripe gateway for a server's Stripe settings, with the real client. Its modules —
 * and the `stripe` package, about 20 MB of a server's memory — load here, so a server
 * on the test gateway never holds them.
 */
export async function loadStripeGateway(stripe: StripeEnv, publicBaseUrl: () => string): Promise<StripeGateway> {
  return (await import('./stripe-gateway')).stripeGatewayFromEnv(stripe, publicBaseUrl);
}

/** Whether the server runs with the Stripe gateway (without loading it to ask). */
export const isStripeGateway = (gateway: PaymentGateway): gateway is StripeGateway => gateway.name === 'stripe';
