import { index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { accounts } from './accounts';
import { bool, storeRef, timestamp } from './columns';
import { stores } from './stores';

/**
 * A saved, tokenised payment method. `processorToken` is the payment processor's
 * reference; it is write-only and never leaves the server.
 */
export const paymentMethods = pgTable(
  'payment_methods',
  {
    id: text().primaryKey(),
    storeId: storeRef().references(() => stores.id),
    accountId: text()
      .notNull()
      .references(() => accounts.id),
    processorToken: text().notNull(),
    /** The processor's customer the method is attached to (Stripe `cus_…`), when the processor has customers. */
    processorCustomerId: text(),
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
  },
  (t) => [
    index('payment_methods_account_idx').on(t.accountId),
    // Processor webhooks name the method by its token (a card updated, a method detached).
    index('payment_methods_token_idx').on(t.processorToken),
  ],
);

/**
 * Events received from the payment processor (Stripe webhooks), one row per event
 * id: a redelivered event finds its row and is not processed twice.
 */
export const gatewayEvents = pgTable('gateway_events', {
  id: text().primaryKey(),
  gateway: text().notNull(),
  type: text().notNull(),
  /** `processed`, or `ignored` for events about objects the portal does not know. */
  outcome: text({ enum: ['processed', 'ignored'] }).notNull(),
  receivedAt: timestamp().notNull(),
});
