import Stripe from 'stripe';
import {
  ChargePendingError,
  declineMessages,
  PaymentDeclinedError,
  type BrowserSources,
  type ChargeRequest,
  type ChargeResult,
  type GatewayAccount,
  type MethodDetails,
  type GatewayRefund,
  type PaymentGateway,
  type RefundFailureCode,
  type RefundRequest,
  type RefundResult,
  type SetupInput,
  type SetupStarted,
} from '../gateway';
import type { StripeEnv } from '../../env';
import { createStripeClient } from './client';
import { declineCodeFrom, declinedError, isRateLimited, isRefusal, refundRefusal, unavailableOr } from './errors';
import { STRIPE_JS_URL, stripeBrowserSources } from './setup-page';

export interface StripeGatewayOptions {
  client: Stripe;
  publishableKey: string;
  /** Live-mode keys: the gateway moves real money. */
  live: boolean;
  /** The portal's public URL, read when a link is built (after `PORT=0` is resolved). */
  publicBaseUrl: () => string;
  /** How often a 429 is retried before the call counts as unavailable (default 4). */
  rateLimitRetries?: number;
  /** Waits between 429 retries; tests pass one that does not sleep. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Where the setup page loads Stripe.js from and which API it talks to: Stripe's
   * own by default; with `STRIPE_API_HOST`, that host (the fake serves a stand-in at `/v3/`).
   */
  browser?: StripeBrowserHosts;
}

export interface StripeBrowserHosts {
  stripeJsUrl: string;
  jsOrigin: string;
  apiOrigin: string;
}

const stripeHosts: StripeBrowserHosts = {
  stripeJsUrl: STRIPE_JS_URL,
  jsOrigin: 'https://js.stripe.com',
  apiOrigin: 'https://api.stripe.com',
};

/** The browser-side hosts for an API host (`STRIPE_API_HOST`), or Stripe's own. */
export function browserHostsFor(api: { host: string; port: number; protocol: string } | undefined): StripeBrowserHosts {
  if (!api) return stripeHosts;
  const origin = `${api.protocol}://${api.host.includes(':') ? `[${api.host}]` : api.host}:${api.port}`;
  return { stripeJsUrl: `${origin}/v3/`, jsOrigin: origin, apiOrigin: origin };
}

/** The gateway for a server's Stripe settings, with the real client (payments/stripe/load.ts loads it so). */
export function stripeGatewayFromEnv(
  stripe: StripeEnv,
  publicBaseUrl: () => string,
  options: Pick<StripeGatewayOptions, 'sleep'> = {},
): StripeGateway {
  return new StripeGateway({
    client: createStripeClient({ secretKey: stripe.secretKey, api: stripe.api }),
    publishableKey: stripe.publishableKey,
    live: stripe.live,
    publicBaseUrl,
    browser: browserHostsFor(stripe.api),
    ...options,
  });
}

/** The metadata key that ties a PaymentIntent to our idempotency key, for {@link StripeGateway.findCharge}. */
export const CHARGE_KEY_METADATA = 'portal_charge_key';
/** The metadata key that marks a refund the portal made, with its idempotency key. */
export const REFUND_KEY_METADATA = 'portal_refund_key';

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Starts a request without the call site the client captures for every request
 * (`new Error().stack`, kept to decorate an error that may come back): formatting
 * a stack costs more than the rest of sending the request where source maps are on
 * (tsx), for every renewal. Stripe's own error, with its message, type and code, is
 * unchanged, and the gateway reports it as the cause of its own error anyway.
 */
function withoutCallSite<T>(request: () => Promise<T>): Promise<T> {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return request();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
const customerIdOf = (value: string | { id: string } | null | undefined) =>
  typeof value === 'string' ? value : (value?.id ?? null);

/**
 * The Stripe adapter (`PAYMENT_GATEWAY=stripe`). A saved method is a Stripe
 * PaymentMethod attached to the account's Stripe Customer, created on first need;
 * a charge is an off-session PaymentIntent confirmed at once, sent with our
 * idempotency key as Stripe's `Idempotency-Key` and in its metadata, so a retry is
 * answered with the first result and {@link findCharge} can look it up without
 * charging. Card data never passes through: the setup page hands Stripe.js the
 * card, and only the `pm_…` id comes back.
 */
export class StripeGateway implements PaymentGateway {
  readonly name = 'stripe';
  readonly isTest: boolean;
  readonly publishableKey: string;
  readonly browser: StripeBrowserHosts;
  readonly browserSources: BrowserSources;
  private readonly stripe: Stripe;

  constructor(private readonly options: StripeGatewayOptions) {
    this.stripe = options.client;
    this.isTest = !options.live;
    this.publishableKey = options.publishableKey;
    this.browser = options.browser ?? stripeHosts;
    this.browserSources = stripeBrowserSources(this.browser);
  }

  /**
   * The account's Stripe Customer: the remembered one, or a new one. Creation
   * carries an idempotency key of the account, so two first setups at once make
   * one customer.
   */
  async ensureCustomer(account: GatewayAccount): Promise<string> {
    if (account.customerId) return account.customerId;
    const customer = await this.call(() =>
      this.stripe.customers.create(
        {
          email: account.email,
          ...(account.name && { name: account.name }),
          metadata: { portal_store_id: account.storeId, portal_account_id: account.accountId },
        },
        { idempotencyKey: `customer:${account.storeId}:${account.accountId}` },
      ),
    );
    return customer.id;
  }

  async createSetup(input: SetupInput): Promise<SetupStarted> {
    const customerId = input.account ? await this.ensureCustomer(input.account) : null;
    const url = new URL(`${this.options.publicBaseUrl()}/gateway/stripe/setup/${encodeURIComponent(input.setupId)}`);
    url.searchParams.set('lang', input.language);
    return { url: url.toString(), customerId };
  }

  /**
   * The SetupIntent of one of our setups, for its page: made once per setup (the
   * setup id is the idempotency key, so reloading the page gets the same one).
   */
  async setupIntentFor(setupId: string, customerId: string): Promise<{ clientSecret: string }> {
    const intent = await this.call(() =>
      this.stripe.setupIntents.create(
        {
          customer: customerId,
          usage: 'off_session',
          automatic_payment_methods: { enabled: true },
          metadata: { portal_setup_id: setupId },
        },
        { idempotencyKey: `setup:${setupId}` },
      ),
    );
    return { clientSecret: intent.client_secret! };
  }

  /**
   * Checks a `pm_…` with Stripe. A method attached to a customer keeps it, but
   * only when it is the account's (or the one the caller names): a method of
   * another customer is refused as `invalid_token`, so nobody can save someone
   * else's card. A method not attached yet is attached to the account's customer.
   */
  async retrieveMethod(token: string, account?: GatewayAccount): Promise<MethodDetails> {
    if (!/^pm_[A-Za-z0-9_]+$/.test(token))
      throw new PaymentDeclinedError('invalid_token', declineMessages.invalid_token);
    let method = await this.refusing(() => this.stripe.paymentMethods.retrieve(token));
    const attachedTo = customerIdOf(method.customer);
    if (attachedTo && account?.customerId && attachedTo !== account.customerId) {
      throw new PaymentDeclinedError('invalid_token', declineMessages.invalid_token);
    }
    if (!attachedTo && account) {
      const customer = await this.ensureCustomer(account);
      method = await this.refusing(() => this.stripe.paymentMethods.attach(token, { customer }));
    }
    return describeMethod(method);
  }

  /**
   * One PaymentIntent per idempotency key, confirmed at once. Off-session (the
   * renewals) Stripe refuses a card whose bank wants the customer: that refusal
   * (`authentication_required`) is answered as `requires_action` with the
   * PaymentIntent, which the customer later confirms in the portal. With the
   * customer present it is confirmed for Stripe.js (`use_stripe_sdk`, no
   * redirects), so Stripe answers `requires_action` with the challenge to show.
   */
  async charge(request: ChargeRequest): Promise<ChargeResult> {
    try {
      const intent = await this.call(() =>
        this.stripe.paymentIntents.create(
          {
            amount: request.amount,
            currency: request.currency.toLowerCase(),
            payment_method: request.token,
            ...(request.customerId && { customer: request.customerId }),
            confirm: true,
            ...(request.customerPresent
              ? {
                  use_stripe_sdk: true,
                  automatic_payment_methods: { enabled: true, allow_redirects: 'never' as const },
                }
              : { off_session: true }),
            description: request.description,
            metadata: { [CHARGE_KEY_METADATA]: request.idempotencyKey },
          },
          { idempotencyKey: request.idempotencyKey },
        ),
      );
      return this.resultOf(intent);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      return error.payment_intent ? this.resultOf(error.payment_intent) : declined(declineCodeFrom(error));
    }
  }

  async retrieveCharge(chargeId: string): Promise<ChargeResult> {
    return this.resultOf(await this.call(() => this.stripe.paymentIntents.retrieve(chargeId)));
  }

  /**
   * A PaymentIntent refused off-session for want of authentication (or whose
   * challenge failed) is confirmed again, now on-session for Stripe.js, with the
   * method it was made with: Stripe then answers `requires_action` with the
   * challenge. One that waits already, or is final, is answered as it is.
   */
  async authenticateCharge(chargeId: string, token: string): Promise<ChargeResult> {
    let intent: Stripe.PaymentIntent = await this.call(() => this.stripe.paymentIntents.retrieve(chargeId));
    const failed = intent.last_payment_error ? declineCodeFrom(intent.last_payment_error) : null;
    if (
      intent.status === 'requires_payment_method' &&
      (failed === 'authentication_required' || failed === 'authentication_failed')
    ) {
      try {
        intent = await this.call(() =>
          this.stripe.paymentIntents.confirm(chargeId, { payment_method: token, use_stripe_sdk: true }),
        );
      } catch (error) {
        if (!isRefusal(error)) throw error;
        if (!error.payment_intent) return declined(declineCodeFrom(error));
        intent = error.payment_intent;
      }
    }
    return this.resultOf(intent);
  }

  /** Cancels the PaymentIntent; one that succeeded meanwhile cannot be, and its answer stands. */
  async cancelCharge(chargeId: string): Promise<ChargeResult | null> {
    let intent: Stripe.PaymentIntent;
    try {
      intent = await this.call(() => this.stripe.paymentIntents.cancel(chargeId));
    } catch (error) {
      if (!(error instanceof Stripe.errors.StripeInvalidRequestError)) throw error;
      // Not cancelable: it succeeded, failed for good or was canceled already. What it is now decides.
      intent = await this.call(() => this.stripe.paymentIntents.retrieve(chargeId));
    }
    return intent.status === 'canceled' ? null : this.resultOf(intent);
  }

  /**
   * Our result for a PaymentIntent. `processing` (a bank debit under way) is
   * neither paid nor declined: the charge stays pending until Stripe's webhook.
   * `requires_action`, and a refusal for want of authentication, wait for the
   * customer; the first comes with what Stripe.js needs to show the challenge.
   */
  private resultOf(intent: Stripe.PaymentIntent): ChargeResult {
    const failure = intent.last_payment_error ? declineCodeFrom(intent.last_payment_error) : null;
    switch (intent.status) {
      case 'succeeded':
        return { status: 'succeeded', chargeId: intent.id };
      case 'processing':
        throw new ChargePendingError(`PaymentIntent ${intent.id} is still processing.`);
      case 'requires_action':
        return {
          status: 'requires_action',
          chargeId: intent.id,
          ...(intent.client_secret && {
            authentication: {
              gateway: this.name,
              scriptUrl: this.browser.stripeJsUrl,
              publishableKey: this.publishableKey,
              clientSecret: intent.client_secret,
            },
          }),
        };
      case 'requires_payment_method':
        if (failure === 'authentication_required') return { status: 'requires_action', chargeId: intent.id };
        return declined(failure ?? 'card_declined');
      default:
        return declined(failure ?? 'card_declined');
    }
  }

  /**
   * Searches the PaymentIntent our key created (by its metadata). Stripe's search
   * may lag a minute behind; the portal asks only about charges 15 minutes old.
   */
  async findCharge(idempotencyKey: string): Promise<ChargeResult | null> {
    const quoted = idempotencyKey.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
    const found = await this.call(() =>
      this.stripe.paymentIntents.search({
        query: `metadata['${CHARGE_KEY_METADATA}']:'${quoted}'`,
        limit: 1,
      }),
    );
    return found.data[0] ? this.resultOf(found.data[0]) : null;
  }

  async detachMethod(token: string): Promise<void> {
    try {
      await this.call(() => this.stripe.paymentMethods.detach(token));
    } catch (error) {
      // Already detached, or never known to Stripe: nothing is left to forget.
      if (!isRefusal(error)) throw error;
    }
  }

  /**
   * Deletes the Stripe Customer that {@link ensureCustomer} made for this account
   * (its metadata names the store and account), which takes its email, name and
   * remaining methods with it. A customer without that metadata is the merchant's
   * own (from its checkout) and is left alone; one already deleted needs nothing.
   */
  async forgetCustomer(customerId: string, account: Pick<GatewayAccount, 'storeId' | 'accountId'>): Promise<void> {
    try {
      const customer = await this.call(() => this.stripe.customers.retrieve(customerId));
      if (customer.deleted) return;
      const { portal_store_id: storeId, portal_account_id: accountId } = customer.metadata;
      if (storeId !== account.storeId || accountId !== account.accountId) return;
      await this.call(() => this.stripe.customers.del(customerId));
    } catch (error) {
      if (!isRefusal(error)) throw error;
    }
  }

  /**
   * Refunds the PaymentIntent with our key as Stripe's `Idempotency-Key` (and in the
   * refund's metadata, so {@link listRefunds} tells the portal's refunds from the
   * dashboard's). Stripe's refusals (more than is left, an unknown or unpaid
   * PaymentIntent, another currency) are answered as failures.
   */
  async refund(request: RefundRequest): Promise<RefundResult> {
    let refund: Stripe.Refund;
    try {
      refund = await this.call(() =>
        this.stripe.refunds.create(
          {
            payment_intent: request.chargeId,
            amount: request.amount,
            metadata: { [REFUND_KEY_METADATA]: request.idempotencyKey },
          },
          { idempotencyKey: request.idempotencyKey },
        ),
      );
    } catch (error) {
      const failure = refundRefusal(error);
      if (!failure) throw error;
      return { status: 'failed', code: failure, message: refundFailureMessages[failure] };
    }
    const status = refundStatusOf(refund);
    return status === 'failed'
      ? { status, code: 'processing_error', message: refundFailureMessages.processing_error }
      : { status, refundId: refund.id };
  }

  /** The PaymentIntent's refunds, oldest first (Stripe lists newest first, 100 a page). */
  async listRefunds(chargeId: string): Promise<GatewayRefund[]> {
    const found: GatewayRefund[] = [];
    let startingAfter: string | undefined;
    for (;;) {
      const page = await this.call(() =>
        this.stripe.refunds.list({
          payment_intent: chargeId,
          limit: 100,
          ...(startingAfter && { starting_after: startingAfter }),
        }),
      );
      for (const refund of page.data) {
        found.push({
          refundId: refund.id,
          amount: refund.amount,
          currency: refund.currency.toUpperCase(),
          status: refundStatusOf(refund),
          idempotencyKey: refund.metadata?.[REFUND_KEY_METADATA] ?? null,
        });
      }
      if (!page.has_more || page.data.length === 0) return found.reverse();
      startingAfter = page.data[page.data.length - 1].id;
    }
  }

  /** A call whose refusal is a decline (setup and attach): a card error becomes a {@link PaymentDeclinedError}. */
  private async refusing<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await this.call(request);
    } catch (error) {
      throw isRefusal(error) ? declinedError(error) : error;
    }
  }

  /**
   * One Stripe request: a 429 is retried with exponential backoff (0.5 s, 1 s,
   * 2 s, 4 s, each varied by up to half); what cannot be answered becomes a
   * `GatewayUnavailableError`.
   */
  private async call<T>(request: () => Promise<T>): Promise<T> {
    const retries = this.options.rateLimitRetries ?? 4;
    for (let attempt = 0; ; attempt++) {
      try {
        return await withoutCallSite(request);
      } catch (error) {
        if (!isRateLimited(error) || attempt >= retries) throw unavailableOr(error);
        await (this.options.sleep ?? wait)(500 * 2 ** attempt * (0.5 + Math.random() / 2));
      }
    }
  }
}

function describeMethod(method: Stripe.PaymentMethod): MethodDetails {
  const card = method.card;
  return {
    type: method.type,
    brand: card?.brand ?? null,
    last4: card?.last4 ?? method.sepa_debit?.last4 ?? null,
    expMonth: card?.exp_month ?? null,
    expYear: card?.exp_year ?? null,
    customerId: customerIdOf(method.customer),
  };
}

const declined = (code: ReturnType<typeof declineCodeFrom>): ChargeResult => ({
  status: 'declined',
  code,
  message: declineMessages[code],
});

/** `pending` and `requires_action` (a bank still moving the money) count as made; `canceled` as failed. */
function refundStatusOf(refund: Stripe.Refund): GatewayRefund['status'] {
  if (refund.status === 'succeeded') return 'succeeded';
  if (refund.status === 'failed' || refund.status === 'canceled') return 'failed';
  return 'pending';
}

const refundFailureMessages: Record<RefundFailureCode, string> = {
  unknown_charge: 'Stripe has no paid PaymentIntent with that id.',
  exceeds_charge: 'The refund is more than is left of the payment.',
  currency_mismatch: 'The refund is in another currency than the payment.',
  processing_error: 'Stripe could not make the refund.',
};
