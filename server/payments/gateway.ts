import type { DeclineCode } from '../contract';

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
   * Where the customer's browser loads the processor's script from, talks to and
   * shows its frames from when a payment needs their authentication in the
   * portal's page: for that page's Content Security Policy. None: never needed.
   */
  readonly browserSources?: BrowserSources;

  /**
   * Starts adding a payment method: the URL of a page (meant for an iframe in the
   * widget) where the customer enters their card, and which posts the resulting
   * token to its parent window as `{ type: 'ap-payment-method', setupId, token }`.
   */
  createSetup(input: SetupInput): Promise<SetupStarted>;

  /**
   * Checks a token with the processor and returns what may be shown about it;
   * throws a {@link PaymentDeclinedError} for unusable ones (`invalid_token` for a
   * token the processor does not know). Processors with customers attach the
   * method to the account's customer, creating it on first need, and say which
   * customer it belongs to (a method that came attached keeps its customer).
   */
  retrieveMethod(token: string, account?: GatewayAccount): Promise<MethodDetails>;

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

  /**
   * Tells the processor a removed method will not be used again. Detaching one that
   * is already detached (or unknown there) succeeds; an unreachable processor is a
   * thrown {@link GatewayUnavailableError}.
   */
  detachMethod(token: string): Promise<void>;

  /**
   * Deletes, at the processor, the customer the portal created there for an account
   * (processors with customers keep its email and name), when the account is erased.
   * A customer the portal did not create for this account — the merchant's own, from
   * its checkout — is left alone, as is one already gone. Unreachable:
   * {@link GatewayUnavailableError}.
   */
  forgetCustomer(customerId: string, account: Pick<GatewayAccount, 'storeId' | 'accountId'>): Promise<void>;

  /**
   * The processor's answer for one of its charges now, by the id a result gave
   * ({@link ChargeResult}): final, or still waiting for the customer's
   * authentication. Never charges. Unreachable: {@link GatewayUnavailableError}.
   */
  retrieveCharge(chargeId: string): Promise<ChargeResult>;

  /**
   * Readies a charge that waits for the customer's authentication (3-D Secure)
   * for their browser: a charge the processor refused off-session for want of it
   * is confirmed again with the customer present (with `token`, the method it was
   * made with). Answers `requires_action` with what the browser needs to show the
   * bank's challenge, or the charge's final answer when it has one already.
   */
  authenticateCharge(chargeId: string, token: string): Promise<ChargeResult>;

  /**
   * Gives up a charge that waits for the customer's authentication, so that it
   * can never be completed later. Answers null once it is canceled, or the
   * charge's final answer when it was completed meanwhile (then it stands).
   */
  cancelCharge(chargeId: string): Promise<ChargeResult | null>;

  /**
   * Gives back (part of) a succeeded charge, at most what the charge has left. Like
   * `charge`, the idempotency key makes retries safe: asking again with the same key
   * returns the first answer and never refunds twice. A refusal (an unknown charge,
   * more than the charge has left, another currency) is a result; an unreachable
   * processor is a thrown {@link GatewayUnavailableError}.
   */
  refund(request: RefundRequest): Promise<RefundResult>;

  /**
   * Every refund the processor holds for a charge, oldest first: those the portal
   * asked for (they carry its idempotency key) and those made elsewhere, such as the
   * processor's dashboard. Never refunds. The portal reads it when the processor says
   * a charge was refunded, to record the refunds it did not make itself.
   */
  listRefunds(chargeId: string): Promise<GatewayRefund[]>;
}

/**
 * What the processor told the portal on its own (a webhook), in the portal's
 * terms; each adapter translates its processor's events into these.
 */
export type GatewayEvent =
  /** A charge the portal made (found by its idempotency key) has a final answer. */
  | { kind: 'charge_settled'; idempotencyKey: string; result: ChargeResult }
  /** A saved method's details changed (the customer's bank sent a new expiry: card updater). */
  | { kind: 'method_updated'; token: string; details: MethodDetails }
  /** A saved method was detached at the processor and can no longer be charged. */
  | { kind: 'method_detached'; token: string }
  /** A charge was refunded (possibly in the processor's dashboard); the amount refunded so far. */
  | { kind: 'charge_refunded'; chargeId: string; amountRefunded: number; currency: string }
  | { kind: 'other' };

/** A verified event with the processor's id (the key of its idempotent processing) and type. */
export interface ReceivedGatewayEvent {
  id: string;
  gateway: string;
  type: string;
  event: GatewayEvent;
}

/** The account a processor's customer stands for. */
export interface GatewayAccount {
  storeId: string;
  accountId: string;
  email: string;
  name: string | null;
  /** The processor's customer remembered on the account, if any. */
  customerId: string | null;
}

export interface SetupStarted {
  url: string;
  /** The processor's customer the setup saves the method to, when the processor has customers (remember it). */
  customerId?: string | null;
}

export interface RefundRequest {
  idempotencyKey: string;
  /** The processor's id of the charge, as {@link ChargeResult} gave it. */
  chargeId: string;
  /** Minor units; at least 1 and at most what is left of the charge. */
  amount: number;
  currency: string;
}

export type RefundFailureCode = 'unknown_charge' | 'exceeds_charge' | 'currency_mismatch' | 'processing_error';

/**
 * The processor's answer to a refund: made (`succeeded`, or `pending` while a bank
 * still moves the money; the portal counts both as given back), or refused.
 */
export type RefundResult =
  | { status: 'succeeded' | 'pending'; refundId: string }
  | { status: 'failed'; code: RefundFailureCode; message: string };

/** A refund as the processor lists it (see {@link PaymentGateway.listRefunds}). */
export interface GatewayRefund {
  refundId: string;
  /** Minor units, in the charge's currency. */
  amount: number;
  currency: string;
  status: 'succeeded' | 'pending' | 'failed';
  /** The idempotency key the portal sent with it; null for a refund made elsewhere (the processor's dashboard). */
  idempotencyKey: string | null;
}

export interface SetupInput {
  setupId: string;
  storeId: string;
  accountId: string;
  /** Origins allowed to frame the page and to receive its message. */
  parentOrigins: string[];
  language: string;
  /** The account the method will belong to. */
  account?: GatewayAccount;
}

export interface MethodDetails {
  type: string;
  brand: string | null;
  last4: string | null;
  expMonth: number | null;
  expYear: number | null;
  /** The processor's customer the method is attached to (processors with customers). */
  customerId?: string | null;
}

export interface ChargeRequest {
  idempotencyKey: string;
  token: string;
  /** The processor's customer the method is attached to, when the processor has customers. */
  customerId?: string | null;
  /** Total to charge, minor units. */
  amount: number;
  currency: string;
  description: string;
  /**
   * The customer is in the portal and can authenticate the payment (an upgrade,
   * a renewal they pay themselves, an early resume): the processor may then answer
   * `requires_action` rather than refuse. Otherwise the charge is off-session.
   */
  customerPresent?: boolean;
}

export type { DeclineCode };

/**
 * A processor's answer to a charge. `requires_action`: the customer's bank asks
 * them to authenticate the payment (3-D Secure) before it can succeed; `chargeId`
 * names the processor's charge to complete, and `authentication` (when the
 * charge is ready for the customer's browser) says how.
 */
export type ChargeResult =
  | { status: 'succeeded'; chargeId: string }
  | { status: 'declined'; code: DeclineCode; message: string }
  | { status: 'requires_action'; chargeId: string; authentication?: BrowserAuthentication };

/** Origins of a processor's browser script, for a page's Content Security Policy (space-separated sources). */
export interface BrowserSources {
  script: string;
  connect: string;
  frame: string;
  img: string;
}

/**
 * What the customer's browser needs to show the bank's challenge for one charge,
 * with the processor's own script (for Stripe: Stripe.js and `handleNextAction`).
 * The client secret completes this one payment only; it is never stored or logged.
 */
export interface BrowserAuthentication {
  /** The processor (`stripe`): which script and call complete the payment. */
  gateway: string;
  /** The processor's script, loaded by the customer's browser only when a payment needs it. */
  scriptUrl: string;
  /** The processor's key for browsers (a Stripe publishable key). */
  publishableKey: string;
  /** The charge's client secret (a Stripe PaymentIntent's). */
  clientSecret: string;
}

/** The processor could not be reached or failed on its side; try again later. */
export class GatewayUnavailableError extends Error {
  override name = 'GatewayUnavailableError';
}

/**
 * The processor took the charge but has not finished it (a bank debit that is
 * still `processing`). It is neither paid nor declined yet: the charge stays
 * pending and is settled by the processor's webhook or a later look-up.
 */
export class ChargePendingError extends GatewayUnavailableError {
  override name = 'ChargePendingError';
}

/** The processor refused a card (at setup). */
export class PaymentDeclinedError extends Error {
  override name = 'PaymentDeclinedError';
  constructor(
    readonly code: DeclineCode,
    message: string,
  ) {
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
  authentication_required: 'Your bank asks you to confirm this payment.',
  authentication_failed: 'Your bank did not confirm the payment, so nothing was charged.',
};
