import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { accounts } from './accounts';
import { products } from './catalog';
import { bool, storeRef, timestamp } from './columns';
import { paymentMethods } from './payment-methods';
import { stores } from './stores';

export const subscriptionStatuses = ['trial', 'active', 'overdue', 'paused', 'canceled', 'deactivated'] as const;
export type SubscriptionStatus = (typeof subscriptionStatuses)[number];

/** A subscription started by an order item. */
export const subscriptions = sqliteTable(
  'subscriptions',
  {
    id: text().primaryKey(),
    storeId: storeRef().references(() => stores.id),
    accountId: text()
      .notNull()
      .references(() => accounts.id),
    productId: text()
      .notNull()
      .references(() => products.id),
    /** The order and item that started it. */
    orderId: text().notNull(),
    orderItemId: text().notNull(),
    status: text({ enum: subscriptionStatuses }).notNull(),
    quantity: integer().notNull(),
    currency: text().notNull(),
    /** Recurring price per unit per period, minor units, before tax. */
    unitPrice: integer().notNull(),
    /** Tax rate in parts per million, applied to renewals and prorations. */
    taxRatePpm: integer().notNull().default(0),
    /** Renews by charging the saved method (true) or waits for the customer to pay (false). */
    autoRenew: bool().notNull(),
    paymentMethodId: text().references(() => paymentMethods.id),
    /** Periods are computed from this instant so month-end dates do not drift. */
    billingAnchorAt: timestamp().notNull(),
    /** Number of whole periods between the anchor and the current period's start. */
    periodIndex: integer().notNull().default(0),
    currentPeriodStart: timestamp().notNull(),
    currentPeriodEnd: timestamp().notNull(),
    trialEndsAt: timestamp(),
    /** When the next charge is due (null when nothing will be charged). */
    nextChargeAt: timestamp(),
    /** Amount of the next charge including tax, minor units. */
    nextChargeAmount: integer(),
    /** Pending cancellation: ends at the current period's end. */
    cancelAtPeriodEnd: bool().notNull().default(false),
    cancelReason: text(),
    cancelComment: text(),
    canceledAt: timestamp(),
    endedAt: timestamp(),
    /** A change scheduled for the period's end (a downgrade): the plan, quantity and price it switches to. */
    scheduledProductId: text().references(() => products.id),
    scheduledQuantity: integer(),
    scheduledUnitPrice: integer(),
    /** A pause: billing stops from `pauseStartsAt` (a period's end) until `pauseResumesAt`. */
    pauseStartsAt: timestamp(),
    pauseResumesAt: timestamp(),
    /**
     * A renewal charge the customer's bank asked them to authenticate (3-D Secure): the
     * subscription waits for their confirmation instead of retrying (see renewals/confirmations.ts).
     */
    confirmationChargeId: text(),
    /** Failed renewal charges of the current due period (reset when one succeeds). */
    failedAttempts: integer().notNull().default(0),
    /** Held by whoever is charging or changing the subscription, so two never do it at once. */
    lockedUntil: timestamp(),
    /** Bumped on every change, so a quote made before a change is recognised as stale. */
    version: integer().notNull().default(1),
    createdAt: timestamp().notNull(),
    updatedAt: timestamp().notNull(),
  },
  (t) => [
    index('subscriptions_account_idx').on(t.accountId, t.createdAt),
    index('subscriptions_due_idx').on(t.nextChargeAt, t.id),
  ],
);

/** A row of `subscriptions`. */
export type SubscriptionRow = typeof subscriptions.$inferSelect;
