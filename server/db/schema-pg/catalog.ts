import { integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { Interval } from '../../lib/periods';
import { bool, storeRef, timestamp } from './columns';
import { stores } from './stores';

/**
 * A product a store sells: a one-time product, or a subscription plan (with an
 * interval). Plans of one `family` (Basic / Pro / Business, monthly and yearly)
 * are the ones a customer may switch between.
 */
export const products = pgTable(
  'products',
  {
    id: text().primaryKey(),
    storeId: storeRef().references(() => stores.id),
    /** The merchant's key for the product, as used in orders (`pro-monthly`). */
    key: text().notNull(),
    name: text().notNull(),
    description: text(),
    /** `one_time` or `subscription`. */
    kind: text({ enum: ['one_time', 'subscription'] }).notNull(),
    /** Price per unit by ISO currency, in minor units. */
    prices: jsonb().$type<Record<string, number>>().notNull(),
    interval: text({ enum: ['day', 'week', 'month', 'year'] }).$type<Interval>(),
    intervalCount: integer().notNull().default(1),
    family: text(),
    sortOrder: integer().notNull().default(0),
    /** Hidden plans are never offered to customers as a switch target. */
    hidden: bool().notNull().default(false),
    /** Keys of the plans a subscriber of this plan may switch to; null = every visible plan of the family. */
    switchableTo: jsonb().$type<string[] | null>(),
    createdAt: timestamp().notNull(),
    updatedAt: timestamp().notNull(),
  },
  (t) => [uniqueIndex('products_store_key_unique').on(t.storeId, t.key)],
);
