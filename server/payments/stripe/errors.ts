import Stripe from 'stripe';
import {
  declineMessages,
  GatewayUnavailableError,
  PaymentDeclinedError,
  type DeclineCode,
  type RefundFailureCode,
} from '../gateway';

/** What Stripe says about a refused payment: the error's codes, or a PaymentIntent's `last_payment_error`. */
interface StripeDecline {
  code?: string | null;
  decline_code?: string | null;
}

const byStripeCode: Record<string, DeclineCode> = {
  insufficient_funds: 'insufficient_funds',
  expired_card: 'expired_card',
  authentication_required: 'authentication_required',
  payment_intent_authentication_failure: 'authentication_failed',
  processing_error: 'processing_error',
  resource_missing: 'invalid_token',
  payment_method_unexpected_state: 'invalid_token',
  payment_method_not_available: 'invalid_token',
};

/**
 * Our decline code for Stripe's: the issuer's `decline_code` first (it is the
 * more precise), then the error `code`; every other refusal is `card_declined`.
 */
export function declineCodeFrom(decline: StripeDecline): DeclineCode {
  return byStripeCode[decline.decline_code ?? ''] ?? byStripeCode[decline.code ?? ''] ?? 'card_declined';
}

/** A refused card or unknown method, as the gateway interface reports it at setup. */
export function declinedError(decline: StripeDecline): PaymentDeclinedError {
  const code = declineCodeFrom(decline);
  return new PaymentDeclinedError(code, declineMessages[code]);
}

/** Too many requests: retried with backoff before it counts as unavailable. */
export const isRateLimited = (error: unknown) =>
  error instanceof Stripe.errors.StripeRateLimitError ||
  (error instanceof Stripe.errors.StripeError && error.statusCode === 429);

/** A refusal of the card or method itself (a 402 card error, or a method Stripe does not know or cannot use). */
export function isRefusal(error: unknown): error is Stripe.errors.StripeError {
  if (error instanceof Stripe.errors.StripeCardError) return true;
  return (
    error instanceof Stripe.errors.StripeInvalidRequestError &&
    ['resource_missing', 'payment_method_unexpected_state', 'payment_method_not_available'].includes(error.code ?? '')
  );
}

/**
 * Stripe could not answer: connection failures, timeouts, 5xx, rate limits that
 * outlasted the backoff, and a key Stripe rejects (nothing can work until it is
 * fixed; charges wait instead of failing). Everything else is returned as it is.
 */
export function unavailableOr(error: unknown): unknown {
  if (!(error instanceof Stripe.errors.StripeError)) return error;
  if (
    error instanceof Stripe.errors.StripeConnectionError ||
    error instanceof Stripe.errors.StripeAPIError ||
    (error.statusCode ?? 0) >= 500 ||
    isRateLimited(error)
  ) {
    return new GatewayUnavailableError(`Stripe is unavailable: ${error.message}`, { cause: error });
  }
  if (
    error instanceof Stripe.errors.StripeAuthenticationError ||
    error instanceof Stripe.errors.StripePermissionError
  ) {
    return new GatewayUnavailableError('Stripe rejected the API key (check STRIPE_SECRET_KEY and its permissions).', {
      cause: error,
    });
  }
  return error;
}

/**
 * Our failure code for a refund Stripe refused (a 400 or 404 about the request),
 * or null for anything else (unavailable, or not a refusal at all).
 */
export function refundRefusal(error: unknown): RefundFailureCode | null {
  if (!(error instanceof Stripe.errors.StripeInvalidRequestError)) return null;
  if (error.code === 'resource_missing' || error.param === 'payment_intent') return 'unknown_charge';
  if (error.code === 'charge_already_refunded' || error.code === 'amount_too_large' || error.param === 'amount')
    return 'exceeds_charge';
  if (error.param === 'currency') return 'currency_mismatch';
  return 'processing_error';
}
