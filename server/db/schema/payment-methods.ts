import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { accounts } from './accounts';
import { bool, storeRef, timestamp } from './columns';
import { stores } from './stores';

/**
 * A saved, tokenised payment method. `processorToken` is the payment processor's
 * reference; it is write-only and never leaves the server.
 */
export const paymentMethods = sqliteTable('payment_methods', {
  id: text().primaryKey(),
  storeId: storeRef().references(() => stores.id),
  accountId: text().notNull().references(() => accounts.id),
  processorToken: text().notNull(),
  /** `card`, `paypal`, `sepa_debit`, … */
  type: text().notNull().default('card'),
  brand: text(),
  last4: text(),
  expMonth: integer(),
  expYear: integer(),
  isDefault: bool().notNull().default(false),
  createdAt: timestamp().notNull(),
  /** Removed methods are kept (orders refer to them) but never shown or charged. */
  removedAt: timestamp(),
}, (t) => [index('payment_methods_account_idx').on(t.accountId)]);

/** A row of `paymentMethods`. */
export type PaymentMethodRow = typeof paymentMethods.$inferSelect;
