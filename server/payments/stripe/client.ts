import Stripe from 'stripe';

/**
 * The Stripe API version every request asks for, pinned so that a Stripe-side
 * default change never alters what the portal reads. It is the version the
 * installed `stripe` client was built for; upgrading the client is a deliberate
 * change of this line (the compiler refuses any other value).
 */
export const STRIPE_API_VERSION = '2026-11-18.endive' satisfies Stripe.StripeConfig['apiVersion'];

export interface StripeClientConfig {
  /** Never log it. */
  secretKey: string;
  /** Another API host (`STRIPE_API_HOST`), such as the local fake. */
  api?: { host: string; port: number; protocol: 'http' | 'https' };
  /** Per request; well under the renewal lock's minute. */
  timeoutMs?: number;
}

/**
 * The official client, pinned to {@link STRIPE_API_VERSION}. Connection errors
 * and 5xx answers are retried twice by the client itself (every POST carries an
 * idempotency key, so a retry is answered, never repeated); 429 is retried by
 * the gateway with its own backoff.
 */
export function createStripeClient(config: StripeClientConfig): Stripe {
  return new Stripe(config.secretKey, {
    apiVersion: STRIPE_API_VERSION,
    maxNetworkRetries: 2,
    timeout: config.timeoutMs ?? 20_000,
    telemetry: false,
    appInfo: { name: 'account-portal' },
    ...(config.api && { host: config.api.host, port: config.api.port, protocol: config.api.protocol }),
  });
}

export type { Stripe };
