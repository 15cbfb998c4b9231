import { eq, sql } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { insertRow, prepared } from '../db/prepared';
import { accounts, emailAttachments, emails, type AttachedDocument, type StoreRow } from '../db/schema';
import { newId } from '../lib/ids';
import { nextInsertionOrder } from '../lib/insertion-order';
import type { EmailAttachment } from './mailer';
import type { ComposedEmail } from './templates';

export type { AttachedDocument };

/**
 * A file to send with an email: its bytes, or a document (an invoice, a credit
 * note) that the email worker renders when it sends the email, outside the
 * transaction that queued it.
 */
export type QueuedAttachment =
  EmailAttachment | { name: string; contentType: string; document: AttachedDocument; content?: undefined };

/** An email to queue: who it is for, what it is and, when it carries sign-in links, when they expire. */
export interface QueuedEmail {
  store: StoreRow;
  accountId: string | null;
  to: string;
  kind: string;
  email: ComposedEmail;
  /**
   * When each sign-in link in the email expires. Its bodies are cleared from the
   * outbox once the last has (none given: it carries no sign-in link).
   */
  linkExpiries?: Date[];
  /** Files sent with it (invoice and credit note PDFs), stored beside it until it is sent. */
  attachments?: QueuedAttachment[];
}

/**
 * Queues an email in the caller's transaction: it exists exactly when what caused
 * it does, and the email worker sends it (with retries) after the commit. Its
 * attachments are stored in `email_attachments`, not kept in memory; documents
 * are only named there, and rendered by the worker. Nothing is queued for a deleted
 * account (a refund the merchant makes later, say): null then.
 */
export async function queueEmail(tx: Tx, message: QueuedEmail, now: Date): Promise<string | null> {
  if (message.accountId && (await isDeleted(tx, message.accountId))) return null;
  const id = newId('eml');
  const expiries = (message.linkExpiries ?? []).map((date) => date.getTime());
  await insertRow(tx, emails, {
    id,
    storeId: message.store.id,
    accountId: message.accountId,
    kind: message.kind,
    toAddress: message.to,
    fromName: message.store.name,
    language: message.email.language,
    subject: message.email.subject,
    textBody: message.email.text,
    htmlBody: message.email.html,
    bodyExpiresAt: expiries.length > 0 ? new Date(Math.max(...expiries)) : null,
    nextAttemptAt: now,
    createdAt: now,
    insertionOrder: nextInsertionOrder(),
  });
  for (const [position, file] of (message.attachments ?? []).entries()) {
    await insertRow(tx, emailAttachments, {
      id: newId('att'),
      emailId: id,
      position,
      name: file.name,
      contentType: file.contentType,
      document: file.content === undefined ? file.document : null,
      size: file.content === undefined ? null : file.content.length,
      content: file.content ?? null,
    });
  }
  return id;
}

async function isDeleted(tx: Tx, accountId: string): Promise<boolean> {
  const row = await prepared(tx, 'email:account-deleted', (root) =>
    root
      .select({ deletedAt: accounts.deletedAt })
      .from(accounts)
      .where(eq(accounts.id, sql.placeholder('id')))
      .prepare(),
  ).get({ id: accountId });
  return Boolean(row?.deletedAt);
}
