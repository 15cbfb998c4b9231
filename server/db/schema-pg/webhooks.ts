import { index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { storeRef, timestamp } from './columns';
import { stores } from './stores';

/** Where a store wants its events delivered. */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: text().primaryKey(),
    storeId: storeRef().references(() => stores.id),
    url: text().notNull(),
    description: text(),
    /** Event types to deliver; empty means every type. */
    eventTypes: jsonb().$type<string[]>().notNull().default([]),
    /**
     * The `whsec_…` signing secret. Kept in the clear because every delivery is
     * signed with it (as Standard Webhooks senders do); it is returned only once.
     */
    secret: text().notNull(),
    disabledAt: timestamp(),
    disabledReason: text(),
    createdAt: timestamp().notNull(),
  },
  (t) => [index('webhook_endpoints_store_idx').on(t.storeId)],
);

/** An event that happened in a store, written in the same transaction as the change. */
export const events = pgTable(
  'events',
  {
    id: text().primaryKey(),
    storeId: storeRef().references(() => stores.id),
    type: text().notNull(),
    /** The JSON body delivered to endpoints, fixed at the time of the event. */
    payload: text().notNull(),
    createdAt: timestamp().notNull(),
  },
  (t) => [index('events_store_created_idx').on(t.storeId, t.createdAt)],
);

/** The durable outbox: one row per (event, endpoint), worked off by the delivery worker. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: text().primaryKey(),
    storeId: storeRef().references(() => stores.id),
    eventId: text()
      .notNull()
      .references(() => events.id),
    endpointId: text()
      .notNull()
      .references(() => webhookEndpoints.id),
    status: text({ enum: ['pending', 'delivered', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp().notNull(),
    /** A worker holding the delivery until this time; expired leases are picked up again. */
    leaseUntil: timestamp(),
    lastStatusCode: integer(),
    lastError: text(),
    deliveredAt: timestamp(),
    createdAt: timestamp().notNull(),
  },
  (t) => [index('webhook_deliveries_due_idx').on(t.status, t.nextAttemptAt)],
);
