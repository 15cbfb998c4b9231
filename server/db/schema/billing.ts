import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { accounts } from './accounts';
import { products } from './catalog';
import { storeRef, timestamp } from './columns';
import { paymentMethods } from './payment-methods';
import { stores } from './stores';
import { subscriptions } from './subscriptions';

export const chargeKinds = ['renewal', 'plan_change', 'manual_renewal', 'resume'] as const;
export type ChargeKind = (typeof chargeKinds)[number];

export const chargeStatuses = ['pending', 'requires_action', 'succeeded', 'declined', 'canceled'] as const;
export type ChargeStatus = (typeof chargeStatuses)[number];

/**
 * Every charge the portal asks the payment gateway for, written before the gateway
 * is called. Its idempotency key is unique, and (subscription, kind, period,
 * attempt) is unique too, so a period can never be charged twice: a crash after
 * the gateway answered is finished by asking again with the same key.
 */
export const subscriptionCharges = sqliteTable(
  'subscription_charges',
  {
    id: text().primaryKey(),
    storeId: storeRef().references(() => stores.id),
    subscriptionId: text()
      .notNull()
      .references(() => subscriptions.id),
    kind: text({ enum: chargeKinds }).notNull(),
    /** The period paid for (renewals), or the period in which the plan changed. */
    periodIndex: integer().notNull(),
    attempt: integer().notNull(),
    idempotencyKey: text().notNull(),
    paymentMethodId: text().references(() => paymentMethods.id),
    currency: text().notNull(),
    /** Net amount, tax and total, minor units. */
    amount: integer().notNull(),
    tax: integer().notNull(),
    total: integer().notNull(),
    /**
     * `requires_action`: the processor holds it for the customer's authentication (3-D Secure);
     * `canceled`: never reached the processor, or its authentication was given up (see charge-recovery.ts).
     */
    status: text({ enum: chargeStatuses }).notNull().default('pending'),
    gatewayChargeId: text(),
    failureCode: text(),
    failureMessage: text(),
    orderId: text(),
    /**
     * A charge that took money for a change that no longer applies is refunded by the
     * charge-recovery run: `pending` until the gateway confirms, then `succeeded` (or
     * `failed`, logged for the merchant).
     */
    refundStatus: text({ enum: ['pending', 'succeeded', 'failed'] }),
    gatewayRefundId: text(),
    /**
     * Who asked for the charge, so that the change it pays for is put down to them in
     * the activity log also when the processor's answer settles it later. Null on
     * charges from before it was recorded.
     */
    requestedBy: text({ enum: ['customer', 'merchant', 'renewals'] }),
    createdAt: timestamp().notNull(),
    completedAt: timestamp(),
  },
  (t) => [
    uniqueIndex('subscription_charges_key_unique').on(t.idempotencyKey),
    uniqueIndex('subscription_charges_period_unique').on(t.subscriptionId, t.kind, t.periodIndex, t.attempt),
    index('subscription_charges_pending_idx').on(t.status, t.createdAt),
  ],
);

/** A previewed plan or quantity change: what applying it will charge, valid for 10 minutes. */
export const planChangeQuotes = sqliteTable(
  'plan_change_quotes',
  {
    id: text().primaryKey(),
    storeId: storeRef().references(() => stores.id),
    accountId: text()
      .notNull()
      .references(() => accounts.id),
    subscriptionId: text()
      .notNull()
      .references(() => subscriptions.id),
    /** The subscription's version when quoted; any change since makes the quote stale. */
    subscriptionVersion: integer().notNull(),
    productId: text()
      .notNull()
      .references(() => products.id),
    quantity: integer().notNull(),
    kind: text({ enum: ['upgrade', 'downgrade'] }).notNull(),
    currency: text().notNull(),
    /** Charged now (upgrades): prorated net, tax, total. */
    chargeAmount: integer().notNull(),
    chargeTax: integer().notNull(),
    chargeTotal: integer().notNull(),
    /** The new price per unit per period, and the new recurring total with tax. */
    newUnitPrice: integer().notNull(),
    newRecurringTotal: integer().notNull(),
    /** When the change takes effect: now for upgrades, the period's end for downgrades. */
    effectiveAt: timestamp().notNull(),
    createdAt: timestamp().notNull(),
    expiresAt: timestamp().notNull(),
    usedAt: timestamp(),
  },
  (t) => [index('plan_change_quotes_subscription_idx').on(t.subscriptionId)],
);

/** A started "add a payment method" flow: the gateway's setup page hands its token back for this account only. */
export const paymentSetups = sqliteTable(
  'payment_setups',
  {
    id: text().primaryKey(),
    storeId: storeRef().references(() => stores.id),
    accountId: text()
      .notNull()
      .references(() => accounts.id),
    gateway: text().notNull(),
    status: text({ enum: ['open', 'completed'] })
      .notNull()
      .default('open'),
    /** Subscriptions that should use the new method once it is saved. */
    subscriptionIds: text({ mode: 'json' }).$type<string[]>().notNull().default([]),
    makeDefault: integer({ mode: 'boolean' }).notNull().default(false),
    paymentMethodId: text().references(() => paymentMethods.id),
    createdAt: timestamp().notNull(),
    expiresAt: timestamp().notNull(),
    completedAt: timestamp(),
  },
  (t) => [index('payment_setups_account_idx').on(t.accountId)],
);

/**
 * The built-in test gateway's own ledger — what a real processor keeps on its side.
 * One row per idempotency key: asking again returns the first answer, never a
 * second charge.
 */
export const testGatewayCharges = sqliteTable('test_gateway_charges', {
  idempotencyKey: text().primaryKey(),
  chargeId: text().notNull(),
  token: text().notNull(),
  amount: integer().notNull(),
  currency: text().notNull(),
  status: text({ enum: ['succeeded', 'declined'] }).notNull(),
  declineCode: text(),
  createdAt: timestamp().notNull(),
});

/**
 * The test gateway's refunds, one row per idempotency key, like its charges: asking
 * again returns the first answer. It refuses refunds of unknown charges and more
 * than a charge took, as a real processor does.
 */
export const testGatewayRefunds = sqliteTable(
  'test_gateway_refunds',
  {
    idempotencyKey: text().primaryKey(),
    refundId: text().notNull(),
    chargeId: text().notNull(),
    amount: integer().notNull(),
    currency: text().notNull(),
    status: text({ enum: ['succeeded', 'failed'] }).notNull(),
    failureCode: text(),
    createdAt: timestamp().notNull(),
    /** Orders a charge's refunds written in the same millisecond (server/lib/insertion-order.ts). */
    insertionOrder: integer().notNull().default(0),
  },
  (t) => [index('test_gateway_refunds_charge_idx').on(t.chargeId)],
);

/**
 * The test gateway's detached methods, as a real processor forgets them: a token
 * detached here is refused from then on (`invalid_token`), when charged and when saved.
 */
export const testGatewayDetachedMethods = sqliteTable('test_gateway_detached_methods', {
  token: text().primaryKey(),
  detachedAt: timestamp().notNull(),
});

/** A row of `paymentSetups`. */
export type PaymentSetupRow = typeof paymentSetups.$inferSelect;

/** A row of `subscriptionCharges`. */
export type ChargeRow = typeof subscriptionCharges.$inferSelect;

/** A row of `planChangeQuotes`. */
export type QuoteRow = typeof planChangeQuotes.$inferSelect;
