import { integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { SellerDetails } from '../../lib/seller';
import type { StoreSettings } from '../../lib/store-settings';
import { timestamp } from './columns';

/** A merchant's store: the tenant that owns every other row. */
export const stores = pgTable(
  'stores',
  {
    id: text().primaryKey(),
    name: text().notNull(),
    /** Server API user name (public part of the credentials). */
    apiUser: text().notNull(),
    /** SHA-256 of the Server API password; the password itself is shown once. */
    apiPasswordHash: text().notNull(),
    /** Origins allowed to call the Portal API from a browser. */
    allowedOrigins: jsonb().$type<string[]>().notNull().default([]),
    /**
     * The key of the signatures on download redirects (nginx `secure_link_md5` style), shown
     * to the merchant once when made; null for stores made before it existed until first needed.
     */
    downloadSigningSecret: text(),
    /** Where the merchant hosts the portal; null means the portal's own hosted page. */
    portalUrl: text(),
    settings: jsonb().$type<Partial<StoreSettings>>().notNull().default({}),
    /** Checkout themes keyed by checkout (`default`, `portal`). */
    checkoutThemes: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** The legal seller details printed on invoices; null until the merchant sets them. */
    seller: jsonb().$type<SellerDetails>(),
    /** The last invoice sequence number issued; invoices are numbered per store, without gaps. */
    lastInvoiceNumber: integer().notNull().default(0),
    /** The last credit note number issued; credit notes have their own gapless sequence per store. */
    lastCreditNoteNumber: integer().notNull().default(0),
    createdAt: timestamp().notNull(),
    updatedAt: timestamp().notNull(),
  },
  (t) => [uniqueIndex('stores_api_user_unique').on(t.apiUser)],
);
