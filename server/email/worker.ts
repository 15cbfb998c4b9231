import { affected } from '../db/query';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/client';
import { claimDue, leaseHeld, pendingBacklog, type Backlog, type LeasedOutbox } from '../db/lease';
import { emailAttachments, emails, type AttachedDocument } from '../db/schema';
import type { Deps } from '../deps';
import { backoffDelayMs } from '../lib/backoff';
import { HOUR, MINUTE, SECOND } from '../lib/clock';
import { createPoller, type Poller } from '../lib/poller';
import { MailerError, type Mailer, type OutgoingEmail } from './mailer';
import { concurrentTransaction } from '../db/concurrent';

/**
 * How long to wait after each failed attempt before the next one (after the 1st,
 * the 2nd, …). Eight attempts in all, spread over about 21 hours: a sign-in link
 * that arrives later than that has expired anyway.
 */
export const EMAIL_RETRY_SCHEDULE_MS = [10 * SECOND, MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 6 * HOUR, 12 * HOUR];

/** The number of attempts after which an email is given up. */
export const EMAIL_MAX_ATTEMPTS = EMAIL_RETRY_SCHEDULE_MS.length + 1;

/** Retry delays vary by up to this fraction either way. */
export const EMAIL_RETRY_JITTER = 0.1;

/** The From address used when none is configured. */
export const DEFAULT_FROM_ADDRESS = 'portal@localhost';

export interface EmailWorkerOptions {
  /** The address every email is sent from, behind the store's name (default `portal@localhost`). */
  fromAddress?: string;
  /** The most emails claimed and sent in one round (default 10). */
  batchSize?: number;
  /** The pause between rounds when there was nothing more to do, in real milliseconds (default 1000). */
  pollIntervalMs?: number;
  /**
   * How long a claim holds an email. A worker that dies mid-send leaves its claim
   * behind; once it expires another worker sends the email. It must outlast the
   * mailer's own timeout (Postmark's is 30 s), or a slow send could go out twice
   * (default 2 min).
   */
  leaseMs?: number;
  /** A number in [0, 1) for the retry jitter (default Math.random). */
  random?: () => number;
  /**
   * Renders the documents emails carry (invoices and credit notes, queued by name
   * only): the app gives the domain's renderer. Without one, an email with a
   * document attached fails its attempts.
   */
  renderDocument?: DocumentRenderer;
}

/** Renders a document an email carries to its bytes (a PDF). */
export type DocumentRenderer = (document: AttachedDocument) => Promise<Uint8Array>;

export type EmailWorker = Poller;

type WorkerDeps = Pick<Deps, 'db' | 'clock' | 'logger'>;
type Settings = Required<Omit<EmailWorkerOptions, 'renderDocument'>> & { renderDocument: DocumentRenderer | null };

/** A claimed email with the lease this worker holds on it. */
interface Claimed {
  row: typeof emails.$inferSelect;
  lease: Date;
}

type Outcome = { kind: 'sent'; messageId: string } | { kind: 'failed'; permanent: boolean; error: string };

const outbox: LeasedOutbox = {
  table: emails,
  id: emails.id,
  status: emails.status,
  nextAttemptAt: emails.nextAttemptAt,
  leaseUntil: emails.leaseUntil,
};

/** The emails waiting to be sent (retries included) and when the oldest of them was queued. */
export const emailBacklog = async (db: DbOrTx): Promise<Backlog> => await pendingBacklog(db, outbox, emails.createdAt);

/** The delay before the next attempt once `attempts` attempts have failed; undefined to give up. */
export function emailRetryDelayMs(attempts: number, random: () => number = Math.random): number | undefined {
  return backoffDelayMs(EMAIL_RETRY_SCHEDULE_MS, attempts, EMAIL_RETRY_JITTER, random);
}

/**
 * Creates the worker that drains the email outbox through `mailer`. Like the webhook
 * worker it claims emails with a lease before sending, so two workers (or processes)
 * never send one email twice, and an email claimed by a worker that crashed is sent
 * once its lease lapses.
 */
export function createEmailWorker(deps: WorkerDeps, mailer: Mailer, options: EmailWorkerOptions = {}): EmailWorker {
  const settings: Settings = {
    fromAddress: options.fromAddress ?? DEFAULT_FROM_ADDRESS,
    batchSize: options.batchSize ?? 10,
    pollIntervalMs: options.pollIntervalMs ?? 1000,
    leaseMs: options.leaseMs ?? 2 * MINUTE,
    random: options.random ?? Math.random,
    renderDocument: options.renderDocument ? oneAtATime(options.renderDocument) : null,
  };
  return createPoller({
    runOnce: () => runRound(deps, mailer, settings),
    batchSize: settings.batchSize,
    pollIntervalMs: settings.pollIntervalMs,
    logger: deps.logger,
    name: 'email',
  });
}

/**
 * Renders one document at a time, each after a turn of the event loop: rendering
 * a PDF is synchronous CPU work, and a round's emails are sent in parallel, so
 * without this their documents would render back to back while requests waiting
 * to be answered (a health check, a customer) wait for all of them.
 */
function oneAtATime(render: DocumentRenderer): DocumentRenderer {
  let queue: Promise<unknown> = Promise.resolve();
  return (document) => {
    const next = queue.then(() => new Promise((resolve) => setImmediate(resolve))).then(() => render(document));
    queue = next.catch(() => undefined);
    return next;
  };
}

/** One round: claim what is due, send it in parallel, record each result. */
async function runRound(deps: WorkerDeps, mailer: Mailer, settings: Settings): Promise<number> {
  const claimed = await concurrentTransaction(deps.db, async (tx) => await claimEmails(tx, deps.clock.now(), settings));
  const results = await Promise.allSettled(
    claimed.map(async (email) => {
      let outcome: Outcome;
      try {
        const attachments = await attachmentsOf(deps, email.row.id, settings.renderDocument);
        outcome = await attempt(mailer, email, attachments, settings.fromAddress);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        outcome = { kind: 'failed', permanent: false, error: `An attachment could not be rendered: ${reason}` };
      }
      await record(deps, mailer, email, outcome, settings.random);
    }),
  );
  for (const result of results) {
    if (result.status === 'rejected') deps.logger.error('email result not recorded', { error: result.reason });
  }
  return claimed.length;
}

async function claimEmails(tx: Tx, now: Date, settings: Settings): Promise<Claimed[]> {
  const { ids, lease } = await claimDue(tx, outbox, now, settings);
  if (ids.length === 0) return [];
  return (await tx.select().from(emails).where(inArray(emails.id, ids))).map((row) => ({ row, lease }));
}

/**
 * An email's attachments in order, documents rendered first (once: their bytes are
 * stored, so a retry sends the same file); null when their content was cleared.
 */
async function attachmentsOf(
  deps: WorkerDeps,
  emailId: string,
  render: DocumentRenderer | null,
): Promise<OutgoingEmail['attachments'] | null> {
  const rows = await deps.db
    .select()
    .from(emailAttachments)
    .where(eq(emailAttachments.emailId, emailId))
    .orderBy(asc(emailAttachments.position));
  const files: OutgoingEmail['attachments'] = [];
  for (const row of rows) {
    let content = row.content;
    if (content === null && row.document) {
      if (!render) throw new Error(`No renderer for the ${row.document.kind} ${row.document.id}.`);
      content = Buffer.from(await render(row.document));
      await deps.db
        .update(emailAttachments)
        .set({ content, size: content.length })
        .where(and(eq(emailAttachments.id, row.id), isNull(emailAttachments.content)));
    }
    if (content === null) return null;
    files.push({ name: row.name, contentType: row.contentType, content });
  }
  return files;
}

/** Hands one email to the mailer and classifies the result. Never throws. */
async function attempt(
  mailer: Mailer,
  { row }: Claimed,
  attachments: OutgoingEmail['attachments'] | null,
  fromAddress: string,
): Promise<Outcome> {
  if (row.textBody === null || row.htmlBody === null || attachments === null) {
    return { kind: 'failed', permanent: true, error: 'The email has no body.' };
  }
  const message: OutgoingEmail = {
    id: row.id,
    from: { name: row.fromName, address: fromAddress },
    to: row.toAddress,
    subject: row.subject,
    text: row.textBody,
    html: row.htmlBody,
    tag: row.kind,
    attachments,
  };
  try {
    const { messageId } = await mailer.send(message);
    return { kind: 'sent', messageId };
  } catch (error) {
    if (error instanceof MailerError) return { kind: 'failed', permanent: error.permanent, error: error.message };
    return { kind: 'failed', permanent: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Writes an attempt's outcome, unless the lease lapsed meanwhile (then another worker
 * owns the email). Once the email is final its bodies, which carry sign-in links,
 * and its attachments' bytes are cleared, unless the mailer keeps them (the local
 * outbox outside production, until housekeeping clears them when their links expire).
 */
async function record(
  deps: WorkerDeps,
  mailer: Mailer,
  { row, lease }: Claimed,
  outcome: Outcome,
  random: () => number,
) {
  const now = deps.clock.now();
  const attempts = row.attempts + 1;
  const changes =
    outcome.kind === 'sent'
      ? {
          status: 'sent' as const,
          provider: mailer.name,
          providerMessageId: outcome.messageId,
          sentAt: now,
          lastError: null,
        }
      : nextTry(attempts, now, outcome, random);
  const clearBodies = !mailer.keepsBodies && changes.status !== 'pending';
  const result = await deps.db.transaction(async (tx) => {
    const updated = await tx
      .update(emails)
      .set({ ...changes, attempts, leaseUntil: null, ...(clearBodies && { textBody: null, htmlBody: null }) })
      .where(leaseHeld(outbox, row.id, lease));
    // Attachments go with the bodies: an invoice is as private as the email that carried it.
    if (affected(updated) > 0 && clearBodies) {
      await tx.update(emailAttachments).set({ content: null }).where(eq(emailAttachments.emailId, row.id));
    }
    return updated;
  });
  const fields = { emailId: row.id, kind: row.kind, attempt: attempts };
  if (affected(result) === 0) {
    deps.logger.warn('email lease lapsed before its result was recorded', { ...fields, sent: outcome.kind === 'sent' });
  } else if (outcome.kind === 'failed') {
    deps.logger.warn('email attempt failed', {
      ...fields,
      provider: mailer.name,
      permanent: outcome.permanent,
      final: changes.status === 'failed',
      error: outcome.error,
    });
  }
}

function nextTry(attempts: number, now: Date, outcome: Extract<Outcome, { kind: 'failed' }>, random: () => number) {
  const delay = outcome.permanent ? undefined : emailRetryDelayMs(attempts, random);
  if (delay === undefined) return { status: 'failed' as const, lastError: outcome.error };
  return { status: 'pending' as const, lastError: outcome.error, nextAttemptAt: new Date(now.getTime() + delay) };
}
