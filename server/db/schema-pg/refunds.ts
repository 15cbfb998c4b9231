import { index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { refundOrigins, refundStatuses } from '../schema/refunds';
import { accounts } from './accounts';
import { bool, money, storeRef, timestamp } from './columns';
import { invoices } from './invoices';
import { orderItems, orders } from './orders';
import { stores } from './stores';

/**
 * Money given back on an order. Written `pending` before the gateway is asked (so
 * its amount is reserved against what is left to refund), then `succeeded` or
 * `failed` with the gateway's answer. `external` refunds are of orders the merchant
 * took payment for in its own checkout: recorded here, paid back by the merchant.
 * `processor` refunds were made at the payment processor (Stripe's dashboard) and
 * recorded from its webhook, `succeeded` from the start.
 */
export const refunds = pgTable(
  'refunds',
  {
    id: text().primaryKey(),
    storeId: storeRef().references(() => stores.id),
    orderId: text()
      .notNull()
      .references(() => orders.id),
    accountId: text()
      .notNull()
      .references(() => accounts.id),
    currency: text().notNull(),
    /** What the customer gets back, tax included, and the tax part of it; minor units. */
    total: money().notNull(),
    tax: money().notNull(),
    reason: text(),
    external: bool().notNull(),
    origin: text({ enum: refundOrigins }).notNull().default('api'),
    status: text({ enum: refundStatuses }).notNull(),
    /**
     * The order's charge at the gateway, the gateway's idempotency key for this refund
     * (`refund:{id}`; `processor:{gatewayRefundId}` for one made at the processor), and
     * the gateway's id of the refund, unique so that no refund is recorded twice.
     */
    gatewayChargeId: text(),
    gatewayKey: text().notNull(),
    gatewayRefundId: text(),
    failureCode: text(),
    failureMessage: text(),
    /** The client's `Idempotency-Key` and the hash of its request, so a retry finishes this refund. */
    requestKey: text(),
    requestHash: text(),
    /** What was asked besides the money: withdraw licence keys and downloads (full refunds), end subscriptions. */
    revokeFulfilment: bool().notNull(),
    endSubscription: bool().notNull(),
    createdAt: timestamp().notNull(),
    completedAt: timestamp(),
  },
  (t) => [
    index('refunds_order_idx').on(t.orderId, t.createdAt),
    uniqueIndex('refunds_gateway_key_unique').on(t.gatewayKey),
    uniqueIndex('refunds_gateway_refund_unique').on(t.gatewayRefundId),
    index('refunds_status_idx').on(t.status, t.createdAt),
    uniqueIndex('refunds_request_key_unique').on(t.storeId, t.orderId, t.requestKey),
  ],
);

/** A refund's share of one order line: quantity (0 when refunded by amount), total with tax, and tax. */
export const refundLines = pgTable(
  'refund_lines',
  {
    id: text().primaryKey(),
    storeId: storeRef().references(() => stores.id),
    refundId: text()
      .notNull()
      .references(() => refunds.id),
    orderItemId: text()
      .notNull()
      .references(() => orderItems.id),
    quantity: integer().notNull(),
    total: money().notNull(),
    tax: money().notNull(),
  },
  (t) => [index('refund_lines_refund_idx').on(t.refundId)],
);

/**
 * The credit note of a succeeded refund: numbered per store without gaps (its own
 * sequence, apart from invoices), naming the invoice it corrects. It shows that
 * invoice's seller and buyer, as the revision current when it was issued had them.
 */
export const creditNotes = pgTable(
  'credit_notes',
  {
    id: text().primaryKey(),
    storeId: storeRef().references(() => stores.id),
    refundId: text()
      .notNull()
      .references(() => refunds.id),
    orderId: text()
      .notNull()
      .references(() => orders.id),
    /** The revision of the order's invoice it corrects; null for an order without an invoice. */
    invoiceId: text().references(() => invoices.id),
    /** The position in the store's sequence (1, 2, …) and the number printed on it (`NW-CN-2026-000007`). */
    sequence: integer().notNull(),
    number: text().notNull(),
    issuedAt: timestamp().notNull(),
  },
  (t) => [
    uniqueIndex('credit_notes_store_sequence_unique').on(t.storeId, t.sequence),
    uniqueIndex('credit_notes_refund_unique').on(t.refundId),
    index('credit_notes_order_idx').on(t.orderId),
  ],
);
