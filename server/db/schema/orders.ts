import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { accounts } from './accounts';
import { products } from './catalog';
import { bool, storeRef, timestamp } from './columns';
import { paymentMethods } from './payment-methods';
import { stores } from './stores';

/** `partially_refunded` and `refunded` follow from the order's succeeded refunds (see services/billing/refunds). */
export const orderStatuses = ['completed', 'partially_refunded', 'refunded'] as const;
export type OrderStatus = (typeof orderStatuses)[number];

/** A completed order (a purchase pushed by the merchant, a renewal, or an upgrade charge). */
export const orders = sqliteTable(
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
    subtotal: integer().notNull(),
    discount: integer().notNull(),
    tax: integer().notNull(),
    total: integer().notNull(),
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
export const orderItems = sqliteTable(
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
    unitPrice: integer().notNull(),
    discount: integer().notNull(),
    tax: integer().notNull(),
    subtotal: integer().notNull(),
    total: integer().notNull(),
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
export const fulfilments = sqliteTable(
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
    fileSize: integer(),
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
export const giftRecipients = sqliteTable(
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

/** A row of `orders`. */
export type OrderRow = typeof orders.$inferSelect;

/** A row of `order_items`. */
export type OrderItemRow = typeof orderItems.$inferSelect;
