import type Database from 'better-sqlite3';
import { accounts, paymentMethods, products, subscriptions } from '../../server/db/schema';
import { addIntervals } from '../../server/lib/periods';
import { taxOn } from '../../server/lib/money';
import { encodeTestToken } from '../../server/payments/test-gateway';
import { fastId, Rng } from '../lib/random';
import { rowInserter } from './bulk-insert';

export interface DueSeedOptions {
  storeId: string;
  count: number;
  /** Share of subscriptions whose card declines every charge (half `declines_charges`, half `insufficient_funds`). */
  declineRate: number;
  /** The instant the subscriptions are due by: their periods end during the hour before it. */
  now: Date;
  seed?: number;
  /** Whose tokens the cards get: test-gateway tokens, or Stripe's `pm_card_…` test methods (for the fake Stripe API). */
  tokens?: 'test' | 'stripe';
}

/** Stripe's test methods for each behaviour (Stripe's test mode, and the fake, make a fresh PaymentMethod from each). */
const stripeTokens = {
  succeeds: 'pm_card_visa',
  declines_charges: 'pm_card_chargeCustomerFail',
  insufficient_funds: 'pm_card_chargeDeclinedInsufficientFunds',
};

export interface DueSeed {
  /** Subscriptions whose card succeeds, and whose card declines. */
  succeeding: number;
  declining: number;
  /** Net price and tax rate of the plan every subscription is on. */
  unitPrice: number;
  taxRatePpm: number;
}

const UNIT_PRICE = 1900;
const TAX_RATE_PPM = 190_000;
const BATCH = 10_000;

/**
 * Inserts `count` automatic-renewal subscriptions that are due at `now`, each on its
 * own account with its own saved test card (a valid test-gateway token), straight
 * into the tables as the schema has them: a monthly plan, accounts, payment methods
 * and subscriptions whose first period ended during the last hour.
 */
export function seedDueSubscriptions(sqlite: Database.Database, options: DueSeedOptions): DueSeed {
  const rng = new Rng(options.seed ?? 20_260_215);
  const now = options.now.getTime();
  const planId = insertPlan(sqlite, options.storeId, now);
  const insert = {
    account: rowInserter(sqlite, accounts),
    method: rowInserter(sqlite, paymentMethods),
    sub: rowInserter(sqlite, subscriptions),
  };
  let declining = 0;
  const batch = sqlite.transaction((from: number, to: number) => {
    for (let n = from; n < to; n++) {
      const declines = rng.chance(options.declineRate);
      if (declines) declining++;
      const behaviour = declines ? (n % 2 === 0 ? 'declines_charges' : 'insufficient_funds') : 'succeeds';
      // Anchored a month before a moment of the last hour; the period ends on the anchor's day (never after now).
      const anchor = addIntervals(new Date(now - Math.floor(rng.next() * 3_600_000)), 'month', -1).getTime();
      insertOne(insert, {
        storeId: options.storeId,
        planId,
        n,
        behaviour,
        anchor,
        stripe: options.tokens === 'stripe',
      });
    }
  });
  for (let from = 0; from < options.count; from += BATCH) batch(from, Math.min(options.count, from + BATCH));
  return { succeeding: options.count - declining, declining, unitPrice: UNIT_PRICE, taxRatePpm: TAX_RATE_PPM };
}

function insertPlan(sqlite: Database.Database, storeId: string, now: number): string {
  const id = fastId('prod');
  rowInserter(
    sqlite,
    products,
  )({
    id,
    storeId,
    key: 'bench-monthly',
    name: 'Bench Pro',
    description: null,
    kind: 'subscription',
    prices: JSON.stringify({ USD: UNIT_PRICE }),
    interval: 'month',
    intervalCount: 1,
    family: 'bench',
    sortOrder: 0,
    hidden: 0,
    switchableTo: null,
    createdAt: now,
    updatedAt: now,
  });
  return id;
}

type Inserters = {
  account: ReturnType<typeof rowInserter<typeof accounts>>;
  method: ReturnType<typeof rowInserter<typeof paymentMethods>>;
  sub: ReturnType<typeof rowInserter<typeof subscriptions>>;
};

interface One {
  storeId: string;
  planId: string;
  n: number;
  behaviour: 'succeeds' | 'declines_charges' | 'insufficient_funds';
  anchor: number;
  stripe: boolean;
}

function insertOne(insert: Inserters, one: One): void {
  const { storeId, n, anchor } = one;
  const dueAt = addIntervals(new Date(anchor), 'month', 1).getTime();
  const accountId = fastId('acc');
  const methodId = fastId('pm');
  insert.account({
    id: accountId,
    storeId,
    email: `renewal.${n}@bench.example`,
    firstName: 'Bench',
    lastName: `Customer ${n}`,
    phone: null,
    company: null,
    addressLine1: null,
    addressLine2: null,
    addressCity: null,
    addressRegion: null,
    addressPostalCode: null,
    country: 'US',
    language: n % 5 === 0 ? 'de' : 'en',
    customUserId: null,
    billingCountry: 'US',
    billingState: null,
    billingPostalCode: null,
    businessName: null,
    taxId: null,
    isBusiness: 0,
    emailVerifiedAt: anchor,
    passwordHash: null,
    passwordSetAt: null,
    processorCustomerId: null,
    deletedAt: null,
    createdAt: anchor,
    updatedAt: anchor,
  });
  const last4 = one.behaviour === 'succeeds' ? '4242' : one.behaviour === 'declines_charges' ? '0341' : '9995';
  insert.method({
    id: methodId,
    storeId,
    accountId,
    processorToken: one.stripe
      ? stripeTokens[one.behaviour]
      : encodeTestToken({ brand: 'visa', last4, expMonth: 12, expYear: 2040, behaviour: one.behaviour }),
    type: 'card',
    brand: 'visa',
    last4,
    expMonth: 12,
    expYear: 2040,
    isDefault: 1,
    createdAt: anchor,
    removedAt: null,
    processorCustomerId: null,
  });
  insert.sub({
    id: fastId('sub'),
    storeId,
    accountId,
    productId: one.planId,
    orderId: fastId('ord'),
    orderItemId: fastId('oit'),
    status: 'active',
    quantity: 1,
    currency: 'USD',
    unitPrice: UNIT_PRICE,
    taxRatePpm: TAX_RATE_PPM,
    autoRenew: 1,
    paymentMethodId: methodId,
    billingAnchorAt: anchor,
    periodIndex: 0,
    currentPeriodStart: anchor,
    currentPeriodEnd: dueAt,
    trialEndsAt: null,
    nextChargeAt: dueAt,
    nextChargeAmount: UNIT_PRICE + taxOn(UNIT_PRICE, TAX_RATE_PPM),
    cancelAtPeriodEnd: 0,
    cancelReason: null,
    cancelComment: null,
    canceledAt: null,
    endedAt: null,
    scheduledProductId: null,
    scheduledQuantity: null,
    scheduledUnitPrice: null,
    pauseStartsAt: null,
    pauseResumesAt: null,
    failedAttempts: 0,
    confirmationChargeId: null,
    lockedUntil: null,
    version: 1,
    createdAt: anchor,
    updatedAt: anchor,
  });
}
