import { index, integer, primaryKey, pgTable, text } from 'drizzle-orm/pg-core';
import { storeRef, timestamp } from './columns';
import { stores } from './stores';

/**
 * The first response to a request made with an `Idempotency-Key`, replayed for 24 h.
 * While that request runs, `responseStatus` is 0 and the row expires after 30 seconds.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    storeId: storeRef().references(() => stores.id),
    /** The operation the key was used for (`POST /api/orders`, `POST /api/webhook-endpoints`, …). */
    scope: text().notNull(),
    key: text().notNull(),
    requestHash: text().notNull(),
    responseStatus: integer().notNull(),
    /** Encrypted with a key derived from the caller's API password, which only its hash is stored of. */
    responseBody: text().notNull(),
    createdAt: timestamp().notNull(),
    expiresAt: timestamp().notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.scope, t.key] }), index('idempotency_keys_expires_idx').on(t.expiresAt)],
);
