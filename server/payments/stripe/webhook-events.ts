import Stripe from 'stripe';
import type { ChargeResult, GatewayEvent, ReceivedGatewayEvent } from '../gateway';
import { declineMessages } from '../gateway';
import { declineCodeFrom } from './errors';
import { CHARGE_KEY_METADATA } from './stripe-gateway';

/** The signature did not verify (or the payload is not an event): answer 400 and record nothing. */
export class WebhookSignatureError extends Error {
  override name = 'WebhookSignatureError';
}

/**
 * Verifies a Stripe webhook with the client's own check (`Stripe-Signature`,
 * HMAC-SHA256 over the raw body, 5 minutes' tolerance) and translates it into
 * the portal's gateway event. Events the portal has no use for become `other`.
 */
export function parseStripeWebhook(
  payload: string,
  signature: string | undefined,
  secret: string,
): ReceivedGatewayEvent {
  let event: Stripe.Event;
  try {
    event = Stripe.webhooks.constructEvent(payload, signature ?? '', secret);
  } catch (error) {
    throw new WebhookSignatureError(error instanceof Error ? error.message : 'The signature did not verify.');
  }
  return { id: event.id, gateway: 'stripe', type: event.type, event: translate(event) };
}

function translate(event: Stripe.Event): GatewayEvent {
  switch (event.type) {
    case 'payment_intent.succeeded':
    case 'payment_intent.payment_failed': {
      const intent = event.data.object;
      const key = intent.metadata?.[CHARGE_KEY_METADATA];
      if (!key) return { kind: 'other' };
      if (event.type === 'payment_intent.succeeded')
        return { kind: 'charge_settled', idempotencyKey: key, result: { status: 'succeeded', chargeId: intent.id } };
      const code = intent.last_payment_error ? declineCodeFrom(intent.last_payment_error) : 'card_declined';
      // Refused off-session for want of the customer's authentication: it waits for them, it is not declined.
      const result: ChargeResult =
        code === 'authentication_required'
          ? { status: 'requires_action', chargeId: intent.id }
          : { status: 'declined', code, message: declineMessages[code] };
      return { kind: 'charge_settled', idempotencyKey: key, result };
    }
    case 'payment_method.updated':
    case 'payment_method.automatically_updated': {
      const method = event.data.object;
      return {
        kind: 'method_updated',
        token: method.id,
        details: {
          type: method.type,
          brand: method.card?.brand ?? null,
          last4: method.card?.last4 ?? method.sepa_debit?.last4 ?? null,
          expMonth: method.card?.exp_month ?? null,
          expYear: method.card?.exp_year ?? null,
        },
      };
    }
    case 'payment_method.detached':
      return { kind: 'method_detached', token: event.data.object.id };
    case 'charge.refunded': {
      const charge = event.data.object;
      const paymentIntent =
        typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id;
      if (!paymentIntent) return { kind: 'other' };
      return {
        kind: 'charge_refunded',
        chargeId: paymentIntent,
        amountRefunded: charge.amount_refunded,
        currency: charge.currency.toUpperCase(),
      };
    }
    default:
      return { kind: 'other' };
  }
}
