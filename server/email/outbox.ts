import { affected, first } from '../db/query';
import { and, desc, eq, inArray, isNotNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/client';
import { emailAttachments, emails } from '../db/schema';
import type { EmailAttachmentRow, EmailRow } from '../db/schema';

/** The most emails the outbox lists. */
export const OUTBOX_LIST_LIMIT = 200;

/**
 * The emails in the outbox of every store, newest first (in the order they were
 * queued when their times are equal), optionally only those to one address.
 */
export async function listOutboxEmails(db: DbOrTx, filter: { to?: string } = {}): Promise<EmailRow[]> {
  const conditions: SQL[] = [];
  if (filter.to) conditions.push(sql`lower(${emails.toAddress}) = ${filter.to.trim().toLowerCase()}`);
  return await db
    .select()
    .from(emails)
    .where(and(...conditions))
    .orderBy(desc(emails.createdAt), desc(emails.insertionOrder))
    .limit(OUTBOX_LIST_LIMIT);
}

/** One email of the outbox, or undefined. */
export async function findOutboxEmail(db: DbOrTx, id: string): Promise<EmailRow | undefined> {
  return first(await db.select().from(emails).where(eq(emails.id, id)));
}

/**
 * Clears the bodies of emails whose sign-in links have all expired (`bodyExpiresAt`
 * has passed), whatever their status: an expired link is of no use to anyone, and
 * an email still unsent by then is given up. Returns how many were cleared.
 */
export async function clearExpiredEmailBodies(db: DbOrTx, now: Date): Promise<number> {
  return affected(
    await db
      .update(emails)
      .set({ textBody: null, htmlBody: null })
      .where(and(lte(emails.bodyExpiresAt, now), or(isNotNull(emails.textBody), isNotNull(emails.htmlBody)))),
  );
}

/** An email's attachments in order, without their bytes (and without a size until a document is rendered). */
export async function outboxAttachments(
  db: DbOrTx,
  emailId: string,
): Promise<Omit<EmailAttachmentRow, 'content' | 'document'>[]> {
  return await db
    .select({
      id: emailAttachments.id,
      emailId: emailAttachments.emailId,
      position: emailAttachments.position,
      name: emailAttachments.name,
      contentType: emailAttachments.contentType,
      size: emailAttachments.size,
    })
    .from(emailAttachments)
    .where(eq(emailAttachments.emailId, emailId))
    .orderBy(emailAttachments.position);
}

/** One attachment of an email with its bytes, or undefined (also before a document is rendered, or once cleared). */
export async function findOutboxAttachment(db: DbOrTx, emailId: string, attachmentId: string) {
  const row = first(
    await db
      .select()
      .from(emailAttachments)
      .where(and(eq(emailAttachments.emailId, emailId), eq(emailAttachments.id, attachmentId))),
  );
  return row?.content ? { ...row, content: row.content } : undefined;
}

/** The http(s) URLs in a text body, in order and without repeats. */
export function linksIn(text: string | null): string[] {
  const found = (text ?? '').match(/https?:\/\/[^\s<>"'()]+/g) ?? [];
  // Sentence punctuation after a URL is not part of it.
  return [...new Set(found.map((url) => url.replace(/[.,;:!?]+$/, '')))];
}

/** What the outbox keeps of an email to an account, for the account's own data export: never the bodies. */
export interface AccountEmailRecord {
  kind: string;
  to: string;
  subject: string;
  language: string;
  status: EmailRow['status'];
  createdAt: Date;
  sentAt: Date | null;
}

/** The emails queued for an account (sent, pending or failed), newest first, without bodies or attachments. */
export async function accountEmails(db: DbOrTx, storeId: string, accountId: string): Promise<AccountEmailRecord[]> {
  return await db
    .select({
      kind: emails.kind,
      to: emails.toAddress,
      subject: emails.subject,
      language: emails.language,
      status: emails.status,
      createdAt: emails.createdAt,
      sentAt: emails.sentAt,
    })
    .from(emails)
    .where(and(eq(emails.storeId, storeId), eq(emails.accountId, accountId)))
    .orderBy(desc(emails.createdAt), desc(emails.insertionOrder));
}

/**
 * Forgets an erased account's emails, in the caller's transaction: the address becomes
 * `placeholder`, bodies and attachment bytes are cleared (subject, kind, times and
 * status stay, as a record of what was sent), and an email still waiting is never sent.
 * Emails queued with the account's id count, and any other to its old address.
 */
export async function forgetAccountEmails(
  tx: Tx,
  account: { storeId: string; id: string; email: string },
  placeholder: string,
): Promise<void> {
  const ofAccount = and(
    eq(emails.storeId, account.storeId),
    or(eq(emails.accountId, account.id), sql`lower(${emails.toAddress}) = ${account.email.toLowerCase()}`),
  );
  const ids = tx.select({ id: emails.id }).from(emails).where(ofAccount);
  await tx.update(emailAttachments).set({ content: null }).where(inArray(emailAttachments.emailId, ids));
  await tx
    .update(emails)
    .set({ status: 'failed', lastError: 'Not sent: the account was deleted.', leaseUntil: null })
    .where(and(ofAccount, eq(emails.status, 'pending')));
  await tx
    .update(emails)
    .set({ toAddress: placeholder, textBody: null, htmlBody: null, bodyExpiresAt: null })
    .where(ofAccount);
}
