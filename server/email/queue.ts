import type { Tx } from '../db/client';
import { emails } from '../db/schema';
import type { ComposedEmail } from './templates';
import { newId } from '../lib/ids';
import type { StoreRow } from '../db/schema';

/**
 * Queues an email in the caller's transaction: it exists exactly when what caused
 * it does, and the email worker sends it (with retries) after the commit.
 */
export function queueEmail(
  tx: Tx,
  message: { store: StoreRow; accountId: string | null; to: string; kind: string; email: ComposedEmail },
  now: Date,
): string {
  const id = newId('eml');
  tx.insert(emails).values({
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
    nextAttemptAt: now,
    createdAt: now,
  }).run();
  return id;
}
