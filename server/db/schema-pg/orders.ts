import { bigint, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { orderStatuses } from '../schema/orders';
import { accounts } from './accounts';
import { products } from './catalog';
import { bool, money, storeRef, timestamp } from './columns';
import { paymentMethods } from './payment-methods';
import { stores } from './stores';

/** A completed order (a purchase pushed by the merchant, a renewal, or an upgrade charge). */
export const orders = pgTable(
  'orders',
  {
    id: text().primaryKey(),
    storeId: storeRef().references(() => stores.id),
    accountId: text()
      .notNull()
      .references(() => accounts.id),
    /** Human-facing order reference, unique per store. */
    reference: text().notNull(),
    /** `purchase` (from the merchant), `rebill` (renewal) or `plan_change` (upgrade charge). */
    kind: text({ enum: ['purchase', 'rebill', 'plan_change'] })
      .notNull()
      .default('purchase'),
    status: text({ enum: orderStatuses }).notNull().default('completed'),
    currency: text().notNull(),
    subtotal: money().notNull(),
    discount: money().notNull(),
    tax: money().notNull(),
    total: money().notNull(),
    /** Contact data exactly as given with the order. */
    customerEmail: text().notNull(),
    customerFirstName: text(),
    customerLastName: text(),
    customerCompany: text(),
    customerPhone: text(),
    billingCountry: text(),
    billingState: text(),
    billingPostalCode: text(),
    businessName: text(),
    taxId: text(),
    isBusiness: bool().notNull().default(false),
    /** The saved method that paid, when it was saved. */
    paymentMethodId: text().references(() => paymentMethods.id),
    /** What paid, for display even when nothing was saved (no token). */
    paymentBrand: text(),
    paymentLast4: text(),
    isGift: bool().notNull().default(false),
    completedAt: timestamp().notNull(),
    createdAt: timestamp().notNull(),
  },
  (t) => [
    uniqueIndex('orders_store_reference_unique').on(t.storeId, t.reference),
    index('orders_account_completed_idx').on(t.accountId, t.completedAt, t.id),
  ],
);

/** A line of an order. Amounts are totals for the line, in the order's currency. */
export const orderItems = pgTable(
  'order_items',
  {
    id: text().primaryKey(),
    storeId: storeRef().references(() => stores.id),
    orderId: text()
      .notNull()
      .references(() => orders.id),
    position: integer().notNull(),
    productId: text().references(() => products.id),
    productKey: text().notNull(),
    displayName: text().notNull(),
    quantity: integer().notNull(),
    unitPrice: money().notNull(),
    discount: money().notNull(),
    tax: money().notNull(),
    subtotal: money().notNull(),
    total: money().notNull(),
    /** The line's tax rate in parts per million (190000 for 19 %); null on lines recorded before rates were kept. */
    taxRatePpm: integer(),
    /** The period the line pays for (a subscription's period, or the rest of it for an upgrade). */
    periodStart: timestamp(),
    periodEnd: timestamp(),
    subscriptionId: text(),
  },
  (t) => [index('order_items_order_idx').on(t.orderId, t.position)],
);

/** What the customer received for an item: a licence key, a download or instructions. */
export const fulfilments = pgTable(
  'fulfilments',
  {
    id: text().primaryKey(),
    storeId: storeRef().references(() => stores.id),
    orderId: text()
      .notNull()
      .references(() => orders.id),
    orderItemId: text()
      .notNull()
      .references(() => orderItems.id),
    /** The account that owns the fulfilment: the purchaser, or the gift's recipient. */
    accountId: text()
      .notNull()
      .references(() => accounts.id),
    position: integer().notNull(),
    type: text({ enum: ['license_key', 'download', 'instructions'] }).notNull(),
    name: text(),
    licenseKey: text(),
    downloadUrl: text(),
    fileName: text(),
    /** Bytes; a download may pass 2^31. */
    fileSize: bigint({ mode: 'number' }),
    /**
     * How a download reaches the customer: `signed` (a redirect to the URL with an expiring
     * signature) or `private` (the portal streams the file; the URL never reaches the browser).
     * Null: the store's `downloadDelivery` setting decides.
     */
    delivery: text({ enum: ['signed', 'private'] }),
    instructions: text(),
    /**
     * When it was revoked: by the merchant, or by a full refund (`revokeFulfilments`);
     * a revoked fulfilment gives no more download links.
     */
    revokedAt: timestamp(),
  },
  (t) => [index('fulfilments_order_idx').on(t.orderId, t.position)],
);

/** The recipient of a gift order. */
export const giftRecipients = pgTable(
  'gift_recipients',
  {
    orderId: text()
      .primaryKey()
      .references(() => orders.id),
    storeId: storeRef().references(() => stores.id),
    accountId: text()
      .notNull()
      .references(() => accounts.id),
    email: text().notNull(),
    firstName: text(),
    lastName: text(),
    message: text(),
  },
  (t) => [index('gift_recipients_account_idx').on(t.accountId)],
);
