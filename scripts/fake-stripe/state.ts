import { randomBytes } from 'node:crypto';
import { cardByNumber, cardByShortcut, type CardBehaviour, type TestCard } from './cards';

/** What the fake keeps of Stripe's objects: the fields the portal reads, in Stripe's shapes. */
export interface FakePaymentMethod {
  id: string;
  object: 'payment_method';
  type: 'card';
  customer: string | null;
  created: number;
  livemode: false;
  card: { brand: string; last4: string; exp_month: number; exp_year: number; country: string; funding: 'credit' };
  billing_details: Record<string, unknown>;
  metadata: Record<string, string>;
  /** Not Stripe's: how the card behaves (kept out of the JSON by {@link publicMethod}). */
  behaviour: CardBehaviour;
}

export interface LastPaymentError {
  type: 'card_error';
  code: string;
  decline_code?: string;
  message: string;
}

export interface FakePaymentIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  currency: string;
  customer: string | null;
  payment_method: string | null;
  status: string;
  client_secret: string;
  description: string | null;
  metadata: Record<string, string>;
  last_payment_error: LastPaymentError | null;
  latest_charge: string | null;
  next_action: { type: 'use_stripe_sdk'; use_stripe_sdk: { type: 'three_d_secure_redirect' } } | null;
  off_session: boolean;
  created: number;
  livemode: false;
  amount_refunded: number;
  canceled_at?: number | null;
  cancellation_reason?: string | null;
}

export interface FakeSetupIntent {
  id: string;
  object: 'setup_intent';
  customer: string | null;
  payment_method: string | null;
  status: string;
  client_secret: string;
  usage: string;
  metadata: Record<string, string>;
  last_setup_error: LastPaymentError | null;
  next_action: FakePaymentIntent['next_action'];
  created: number;
  livemode: false;
}

export interface FakeCustomer {
  id: string;
  object: 'customer';
  email: string | null;
  name: string | null;
  metadata: Record<string, string>;
  created: number;
  livemode: false;
}

export interface FakeRefund {
  id: string;
  object: 'refund';
  amount: number;
  currency: string;
  payment_intent: string;
  charge: string;
  status: 'succeeded';
  reason: string | null;
  metadata: Record<string, string>;
  created: number;
}

export interface FakeEvent {
  id: string;
  object: 'event';
  type: string;
  api_version: string;
  created: number;
  livemode: false;
  data: { object: unknown };
  pending_webhooks: number;
  request: { id: null; idempotency_key: null };
}

/** Stripe-like ids: prefix and 24 random characters. */
export const fakeId = (prefix: string) =>
  `${prefix}_${randomBytes(18).toString('base64url').replace(/[-_]/g, '0').slice(0, 24)}`;
export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Everything the fake holds, in memory. */
export class FakeState {
  readonly customers = new Map<string, FakeCustomer>();
  /** Ids of deleted customers: Stripe answers them with `{ id, deleted: true }`. */
  readonly deletedCustomers = new Set<string>();
  readonly methods = new Map<string, FakePaymentMethod>();
  readonly paymentIntents = new Map<string, FakePaymentIntent>();
  readonly setupIntents = new Map<string, FakeSetupIntent>();
  readonly refunds = new Map<string, FakeRefund>();
  readonly events: FakeEvent[] = [];

  /** A new PaymentMethod for a test card (by number, or a `pm_card_…` / `tok_…` shortcut). */
  createMethod(card: TestCard, expMonth = 12, expYear = new Date().getUTCFullYear() + 5): FakePaymentMethod {
    const method: FakePaymentMethod = {
      id: fakeId('pm'),
      object: 'payment_method',
      type: 'card',
      customer: null,
      created: nowSeconds(),
      livemode: false,
      card: {
        brand: card.brand,
        last4: card.number.slice(-4),
        exp_month: expMonth,
        exp_year: expYear,
        country: 'US',
        funding: 'credit',
      },
      billing_details: {},
      metadata: {},
      behaviour: card.behaviour,
    };
    this.methods.set(method.id, method);
    return method;
  }

  /** A saved method by id; a `pm_card_…` shortcut makes a fresh one, as Stripe's test mode does. */
  method(id: string): FakePaymentMethod | undefined {
    const shortcut = cardByShortcut(id);
    return shortcut ? this.createMethod(shortcut) : this.methods.get(id);
  }

  /** The test card for a number (any other Luhn-valid number behaves like 4242…). */
  cardFor(number: string): TestCard | undefined {
    return (
      cardByNumber(number) ??
      (luhn(number) ? { number, shortcut: '', brand: brandOf(number), behaviour: 'succeeds' } : undefined)
    );
  }
}

/** A method as Stripe shows it (without the fake's own `behaviour`). */
export function publicMethod(method: FakePaymentMethod) {
  const { behaviour: _, ...shown } = method;
  return shown;
}

function luhn(number: string): boolean {
  const digits = number.replace(/\D/g, '');
  if (digits.length < 12) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

const brandOf = (number: string) =>
  /^4/.test(number) ? 'visa' : /^5[1-5]/.test(number) ? 'mastercard' : /^3[47]/.test(number) ? 'amex' : 'unknown';
