import { bigint, index, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import {
  activityActors,
  activityKinds,
  browserFamilies,
  osFamilies,
  signInMethods,
  type ActivityDetails,
} from '../../contract';
import { accounts } from './accounts';
import { storeRef, timestamp } from './columns';
import { stores } from './stores';

/**
 * The activity log: one row per sign-in and per change to an account, its
 * subscriptions, payment methods and billing details, written in the change's
 * transaction and never updated. `actor` says who made the change. A sign-in's
 * device is kept as its browser and operating system families only (never the
 * User-Agent or the address), so an erasure anonymises an account's log by clearing
 * `browser` and `os`; `details` holds no personal data but a card's last four digits.
 */
export const accountActivity = pgTable(
  'account_activity',
  {
    /** Insertion order: entries of one transaction share `at` and keep the order they were made in. */
    seq: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    id: text().notNull(),
    storeId: storeRef().references(() => stores.id),
    accountId: text()
      .notNull()
      .references(() => accounts.id),
    at: timestamp().notNull(),
    kind: text({ enum: activityKinds }).notNull(),
    actor: text({ enum: activityActors }).notNull(),
    /** How a sign-in happened. */
    method: text({ enum: signInMethods }),
    browser: text({ enum: browserFamilies }),
    os: text({ enum: osFamilies }),
    /** The subscription, payment method or order the entry is about. */
    subjectId: text(),
    details: jsonb().$type<ActivityDetails>().notNull().default({}),
  },
  (t) => [
    uniqueIndex('account_activity_id_unique').on(t.id),
    index('account_activity_account_idx').on(t.storeId, t.accountId, t.at, t.seq),
  ],
);
