/**
 * What the portal needs from a payment processor. The built-in test gateway
 * implements it; a real adapter (Stripe, Adyen, Braintree, …) maps each call onto
 * its processor. Card numbers and CVCs never reach the portal server: the setup
 * page (the processor's hosted fields, or the test gateway's own page) turns them
 * into a token in the customer's browser, and only that token comes back.
 */
export interface PaymentGateway {
  /** Short name stored with setups and shown in logs (`test`, `stripe`). */
  readonly name: string;
  /** True for gateways that never move real money. Production refuses them unless explicitly allowed. */
  readonly isTest: boolean;

  /**
   * Starts adding a payment method: the URL of a page (meant for an iframe in the
   * widget) where the customer enters their card, and which posts the resulting
   * token to its parent window as `{ type: 'ap-payment-method', setupId, token }`.
   */
  createSetup(input: SetupInput): Promise<{ url: string }>;

  /** Checks a token from the setup page and returns what may be shown about it. Throws a decline for unusable cards. */
  retrieveMethod(token: string): Promise<MethodDetails>;

  /**
   * Charges a saved method. The idempotency key makes retries safe: asking again
   * with the same key returns the first answer and never charges twice. A decline
   * is a result; an unreachable processor is a thrown {@link GatewayUnavailableError}.
   */
  charge(request: ChargeRequest): Promise<ChargeResult>;

  /**
   * The answer the processor gave to the charge with this idempotency key, or null
   * when it never received one. Never charges. The portal uses it to settle a
   * charge its own request left unfinished (a crash or an unreachable processor
   * mid-request) without charging the customer anew.
   */
  findCharge(idempotencyKey: string): Promise<ChargeResult | null>;

  /** Tells the processor a removed method will not be used again. */
  detachMethod(token: string): Promise<void>;

  /**
   * Gives back (part of) a charge. Like `charge`, the idempotency key makes retries
   * safe: asking again with the same key returns the first answer and never refunds
   * twice. A refusal (an unknown charge, more than the charge has left) is a result;
   * an unreachable processor is a thrown {@link GatewayUnavailableError}.
   */
  refund(request: RefundRequest): Promise<RefundResult>;
}

export interface RefundRequest {
  idempotencyKey: string;
  /** The processor's id of the charge, as `charge` returned it. */
  chargeId: string;
  /** Minor units, at most what the charge has left. */
  amount: number;
  currency: string;
}

export type RefundFailureCode = 'unknown_charge' | 'exceeds_charge' | 'currency_mismatch' | 'processing_error';

export type RefundResult =
  | { status: 'succeeded'; refundId: string }
  | { status: 'failed'; code: RefundFailureCode; message: string };

export interface SetupInput {
  setupId: string;
  storeId: string;
  accountId: string;
  /** Origins allowed to frame the page and to receive its message. */
  parentOrigins: string[];
  language: string;
}

export interface MethodDetails {
  type: string;
  brand: string | null;
  last4: string | null;
  expMonth: number | null;
  expYear: number | null;
}

export interface ChargeRequest {
  idempotencyKey: string;
  token: string;
  /** Total to charge, minor units. */
  amount: number;
  currency: string;
  description: string;
}

export type DeclineCode = 'card_declined' | 'insufficient_funds' | 'expired_card' | 'invalid_token' | 'processing_error';

export type ChargeResult =
  | { status: 'succeeded'; chargeId: string }
  | { status: 'declined'; code: DeclineCode; message: string };

/** The processor could not be reached or failed on its side; try again later. */
export class GatewayUnavailableError extends Error {
  override name = 'GatewayUnavailableError';
}

/** The processor refused a card (at setup). */
export class PaymentDeclinedError extends Error {
  override name = 'PaymentDeclinedError';
  constructor(readonly code: DeclineCode, message: string) {
    super(message);
  }
}

/** Customer-facing wording of decline codes (English; the widget localises by code). */
export const declineMessages: Record<DeclineCode, string> = {
  card_declined: 'The card was declined. Please use another card.',
  insufficient_funds: 'The card has insufficient funds.',
  expired_card: 'The card has expired.',
  invalid_token: 'The payment method is no longer valid. Please add it again.',
  processing_error: 'The payment could not be processed. Please try again.',
};
