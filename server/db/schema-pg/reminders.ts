import { integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { reminderKinds } from '../schema/reminders';
import { storeRef, timestamp } from './columns';
import { paymentMethods } from './payment-methods';
import { stores } from './stores';
import { subscriptions } from './subscriptions';

/**
 * Every reminder sent, written in the transaction that emits its webhook event and
 * queues its email. (subscription, kind, charge date) is unique: a reminder is sent
 * at most once per charge, however often and in however many processes the
 * reminder run goes over it.
 */
export const subscriptionReminders = pgTable(
  'subscription_reminders',
  {
    id: text().primaryKey(),
    storeId: storeRef().references(() => stores.id),
    subscriptionId: text()
      .notNull()
      .references(() => subscriptions.id),
    kind: text({ enum: reminderKinds }).notNull(),
    /** The charge it reminds of: the renewal date or the trial's end. */
    chargeAt: timestamp().notNull(),
    /** The lead it was due at, in days (the store's setting, or 30 / 7 for a card). */
    daysBefore: integer().notNull(),
    /** The card it names, if any. */
    paymentMethodId: text().references(() => paymentMethods.id),
    /** The webhook event emitted for it. */
    eventId: text().notNull(),
    /** The email queued for it; null when the store sends its own (`reminderEmails` off). */
    emailId: text(),
    createdAt: timestamp().notNull(),
  },
  (t) => [uniqueIndex('subscription_reminders_charge_unique').on(t.subscriptionId, t.kind, t.chargeAt)],
);
