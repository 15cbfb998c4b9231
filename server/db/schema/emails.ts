import { blob, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { storeRef, timestamp } from './columns';
import { stores } from './stores';

/**
 * The email outbox: every email is rendered and written here in the same
 * transaction as what caused it, then sent by the email worker with retries.
 */
export const emails = sqliteTable(
  'emails',
  {
    id: text().primaryKey(),
    storeId: storeRef().references(() => stores.id),
    accountId: text(),
    /** Template name, such as `login_link` or `invitation`. */
    kind: text().notNull(),
    toAddress: text().notNull(),
    fromName: text().notNull(),
    language: text().notNull(),
    subject: text().notNull(),
    /**
     * Bodies; they may carry sign-in links. Cleared once the email is final unless the
     * mailer keeps them (the local outbox outside production), and at `bodyExpiresAt`.
     */
    textBody: text(),
    htmlBody: text(),
    /** When the last sign-in link in the bodies expires, and housekeeping clears them; null when they carry none. */
    bodyExpiresAt: timestamp(),
    status: text({ enum: ['pending', 'sent', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp().notNull(),
    leaseUntil: timestamp(),
    /** `outbox` or `postmark`. */
    provider: text(),
    providerMessageId: text(),
    lastError: text(),
    sentAt: timestamp(),
    createdAt: timestamp().notNull(),
    /** Orders emails queued in the same millisecond (server/lib/insertion-order.ts). */
    insertionOrder: integer().notNull().default(0),
  },
  (t) => [
    index('emails_due_idx').on(t.status, t.nextAttemptAt),
    index('emails_store_created_idx').on(t.storeId, t.createdAt),
    index('emails_body_expires_idx').on(t.bodyExpiresAt),
  ],
);

/**
 * A document an email carries that is rendered when the email is sent (see
 * server/email/worker.ts): its kind and id, which the renderer the worker is given
 * understands (`invoice` / `credit_note` and the row's id), and its language.
 */
export interface AttachedDocument {
  kind: string;
  id: string;
  language: string;
}

/**
 * A file sent with an email (an invoice or credit note PDF). A `document` is
 * rendered by the email worker before the first attempt and its bytes stored
 * here; the bytes are cleared together with the email's bodies once an external
 * provider has it, while name, type and size stay for the record.
 */
export const emailAttachments = sqliteTable(
  'email_attachments',
  {
    id: text().primaryKey(),
    emailId: text()
      .notNull()
      .references(() => emails.id),
    position: integer().notNull(),
    name: text().notNull(),
    contentType: text().notNull(),
    /** What to render; null for a file queued with its bytes. */
    document: text({ mode: 'json' }).$type<AttachedDocument>(),
    /** Bytes; null until a document is rendered. */
    size: integer(),
    content: blob({ mode: 'buffer' }).$type<Buffer>(),
  },
  (t) => [index('email_attachments_email_idx').on(t.emailId, t.position)],
);

/** A row of `emailAttachments`. */
export type EmailAttachmentRow = typeof emailAttachments.$inferSelect;

/** A row of `emails`. */
export type EmailRow = typeof emails.$inferSelect;
