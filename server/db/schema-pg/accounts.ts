import { index, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { bool, storeRef, timestamp } from './columns';
import { stores } from './stores';

/** A customer of a store, identified by (store, normalised email). */
export const accounts = pgTable(
  'accounts',
  {
    id: text().primaryKey(),
    storeId: storeRef().references(() => stores.id),
    email: text().notNull(),
    firstName: text(),
    lastName: text(),
    phone: text(),
    company: text(),
    addressLine1: text(),
    addressLine2: text(),
    addressCity: text(),
    addressRegion: text(),
    addressPostalCode: text(),
    /** ISO 3166-1 alpha-2. */
    country: text(),
    /** Preferred language, a BCP 47 tag such as `en` or `de`. */
    language: text(),
    /** The merchant's own id for this customer. */
    customUserId: text(),
    billingCountry: text(),
    billingState: text(),
    billingPostalCode: text(),
    businessName: text(),
    taxId: text(),
    isBusiness: bool().notNull().default(false),
    emailVerifiedAt: timestamp(),
    /** scrypt hash (`scrypt$N$r$p$salt$hash`) when the customer set a password. */
    passwordHash: text(),
    passwordSetAt: timestamp(),
    /**
     * The payment processor's customer for this account (Stripe `cus_…`), created
     * when the account first needs one and reused for every method saved after.
     */
    processorCustomerId: text(),
    /**
     * When the merchant deleted the account (`DELETE /api/accounts/{id}`): its personal
     * data is gone and its email is a placeholder (see services/privacy/erasure.ts).
     */
    deletedAt: timestamp(),
    createdAt: timestamp().notNull(),
    updatedAt: timestamp().notNull(),
  },
  (t) => [
    uniqueIndex('accounts_store_email_unique').on(t.storeId, t.email),
    uniqueIndex('accounts_store_custom_user_id_unique').on(t.storeId, t.customUserId),
    index('accounts_store_created_idx').on(t.storeId, t.createdAt, t.id),
  ],
);
