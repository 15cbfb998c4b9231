import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Deps } from '../deps';
import { errorBody } from '../lib/errors';
import { handleGatewayEvent } from '../services/billing';

/**
 * `POST /webhooks/stripe`, mounted only with the Stripe gateway: Stripe's events,
 * verified with the client's signature check against `STRIPE_WEBHOOK_SECRET`
 * (a bad signature is a 400 and nothing is recorded), processed once per event
 * id. Every verified event is acknowledged with 200, also those the portal
 * ignores; a 409 (a subscription busy right now) makes Stripe send it again.
 */
export function stripeWebhookRoutes(deps: Deps, secret: string) {
  return new Hono().post(
    '/',
    bodyLimit({
      maxSize: 512 * 1024,
      onError: (c) => c.json(errorBody('payload_too_large', 'The event is larger than 512 KB.'), 413),
    }),
    async (c) => {
      const payload = await c.req.text();
      // The Stripe modules load with the Stripe gateway, which this route comes with (payments/stripe/load.ts).
      const { parseStripeWebhook, WebhookSignatureError } = await import('../payments/stripe/webhook-events');
      let received;
      try {
        received = parseStripeWebhook(payload, c.req.header('stripe-signature'), secret);
      } catch (error) {
        if (!(error instanceof WebhookSignatureError)) throw error;
        return c.json(
          errorBody('invalid_signature', "The Stripe-Signature header does not match this endpoint's signing secret."),
          400,
        );
      }
      const outcome = await handleGatewayEvent(deps, received);
      return c.json({ received: true, outcome }, 200);
    },
  );
}
