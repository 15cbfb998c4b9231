import { index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { SellerDetails } from '../../lib/seller';
import { bool, storeRef, timestamp } from './columns';
import { orders } from './orders';
import { stores } from './stores';

/**
 * Every revision of every invoice. Revision 1 is written in the transaction that
 * records the order; a correction of the buyer's billing details adds the next
 * revision with the same number and issue date. Rows are not updated (except to
 * fill in a seller that was incomplete at issue, once), so an
 * invoice never changes when the account's or the store's details do: the buyer
 * and the seller are snapshots.
 */
export const invoices = pgTable(
  'invoices',
  {
    id: text().primaryKey(),
    storeId: storeRef().references(() => stores.id),
    orderId: text()
      .notNull()
      .references(() => orders.id),
    /** The store's sequence number (1, 2, 3, … without gaps, never restarting). */
    sequence: integer().notNull(),
    /** The number as printed: prefix, issue year and sequence (`NW-2026-000123`). */
    number: text().notNull(),
    revision: integer().notNull(),
    /** The invoice's date; every revision keeps the first one's. */
    issuedAt: timestamp().notNull(),
    /** The seller's details at issue; null when the store had not completed them yet (filled in on first use). */
    seller: jsonb().$type<SellerDetails>(),
    buyerName: text(),
    buyerEmail: text().notNull(),
    businessName: text(),
    taxId: text(),
    addressLine1: text(),
    addressLine2: text(),
    city: text(),
    state: text(),
    postalCode: text(),
    country: text(),
    isBusiness: bool().notNull().default(false),
    /** When this revision was made. */
    createdAt: timestamp().notNull(),
  },
  (t) => [
    uniqueIndex('invoices_order_revision_unique').on(t.orderId, t.revision),
    uniqueIndex('invoices_store_sequence_revision_unique').on(t.storeId, t.sequence, t.revision),
    index('invoices_store_order_idx').on(t.storeId, t.orderId),
  ],
);
