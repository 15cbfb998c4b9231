import { affected } from '../db/query';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../db/client';
import { claimDue, leaseHeld, pendingBacklog, type Backlog, type LeasedOutbox } from '../db/lease';
import { events, webhookDeliveries, webhookEndpoints } from '../db/schema';
import type { AppConfig, Deps } from '../deps';
import { addressPolicy } from '../lib/addresses';
import { backoffDelayMs } from '../lib/backoff';
import { HOUR, MINUTE, SECOND } from '../lib/clock';
import { createGuardedFetch, type OutboundInit } from '../lib/outbound';
import { createPoller } from '../lib/poller';
import { signPayload } from './sign';
import { concurrentTransaction } from '../db/concurrent';

/**
 * How long to wait after each failed attempt before the next one (after the 1st,
 * the 2nd, …). Eight attempts in all, spread over about a day and a quarter.
 */
export const WEBHOOK_RETRY_SCHEDULE_MS = [
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  10 * HOUR,
];

/** The number of attempts after which a delivery is given up. */
export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_RETRY_SCHEDULE_MS.length + 1;

/** Retry delays vary by up to this fraction either way, so failed endpoints are not hit in bursts. */
export const WEBHOOK_RETRY_JITTER = 0.1;

const DEFAULT_TIMEOUT_MS = 15 * SECOND;
const DEFAULT_LEASE_MS = 60 * SECOND;
const MAX_ERROR_LENGTH = 500;

export interface WebhookWorkerOptions {
  /** The most deliveries claimed and sent in one round (default 20). */
  batchSize?: number;
  /** The pause between rounds when there was nothing more to do, in real milliseconds (default 1000). */
  pollIntervalMs?: number;
  /** How long to wait for the receiver's response headers (default 15 s). */
  timeoutMs?: number;
  /**
   * How long a claim holds a delivery. A worker that dies mid-delivery leaves its
   * claim behind; once it expires another worker sends the delivery again. It is
   * kept well above `timeoutMs` (default 60 s).
   */
  leaseMs?: number;
  /**
   * How requests are sent (tests hand in their own). The default connects only to
   * public addresses in production (loopback is allowed outside it), after DNS
   * resolution and to the very addresses it checked.
   */
  fetch?: (url: string, init: OutboundInit) => Promise<Response>;
  /** A number in [0, 1) for the retry jitter (default Math.random). */
  random?: () => number;
}

export interface WebhookWorker {
  /** Claims the deliveries that are due, sends them, records the results; resolves to the number sent. */
  runOnce(): Promise<number>;
  /** Runs rounds on a timer that does not keep the process alive. */
  start(): void;
  /** Stops the timer and waits for the round in flight to finish. */
  stop(): Promise<void>;
}

type WorkerDeps = Pick<Deps, 'db' | 'clock' | 'logger'> & { config: Pick<AppConfig, 'production'> };

/** A claimed delivery with what it takes to send it. */
interface Claimed {
  id: string;
  eventId: string;
  endpointId: string;
  attempts: number;
  payload: string;
  url: string;
  secret: string;
  disabledAt: Date | null;
  /** The lease this worker holds: results are written only while it is still the delivery's lease. */
  lease: Date;
}

/** What one attempt came to. */
type Outcome =
  | { kind: 'delivered'; statusCode: number }
  | { kind: 'gone'; statusCode: number }
  | { kind: 'failed'; statusCode: number | null; error: string };

/**
 * The delay before the next attempt once `attempts` attempts have failed, with
 * ±10% jitter; undefined when the delivery should be given up.
 */
export function webhookRetryDelayMs(attempts: number, random: () => number = Math.random): number | undefined {
  return backoffDelayMs(WEBHOOK_RETRY_SCHEDULE_MS, attempts, WEBHOOK_RETRY_JITTER, random);
}

/** The webhook outbox's columns, for the shared claim and lease helpers. */
const outbox: LeasedOutbox = {
  table: webhookDeliveries,
  id: webhookDeliveries.id,
  status: webhookDeliveries.status,
  nextAttemptAt: webhookDeliveries.nextAttemptAt,
  leaseUntil: webhookDeliveries.leaseUntil,
};

/** The webhook deliveries waiting to be made (retries included) and when the oldest of them was queued. */
export const webhookBacklog = async (db: DbOrTx): Promise<Backlog> =>
  await pendingBacklog(db, outbox, webhookDeliveries.createdAt);

/**
 * Creates the worker that drains the webhook outbox. Several workers (or processes)
 * may share one database: a delivery is claimed with a conditional UPDATE before it
 * is sent, so an attempt is never sent twice, and a claim left by a crashed worker
 * expires so the delivery resumes after a restart.
 */
export function createWebhookWorker(deps: WorkerDeps, options: WebhookWorkerOptions = {}): WebhookWorker {
  const settings = resolveSettings(options, deps.config.production);
  return createPoller({
    runOnce: () => runRound(deps, settings),
    batchSize: settings.batchSize,
    pollIntervalMs: settings.pollIntervalMs,
    logger: deps.logger,
    name: 'webhook',
  });
}

type Settings = Required<WebhookWorkerOptions>;

function resolveSettings(options: WebhookWorkerOptions, production: boolean): Settings {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    batchSize: options.batchSize ?? 20,
    pollIntervalMs: options.pollIntervalMs ?? 1000,
    timeoutMs,
    // A claim must outlast the longest attempt, or a slow receiver would be sent the delivery twice.
    leaseMs: Math.max(options.leaseMs ?? DEFAULT_LEASE_MS, timeoutMs + 30 * SECOND),
    fetch: options.fetch ?? createGuardedFetch(addressPolicy(production)),
    random: options.random ?? Math.random,
  };
}

/** One round: claim what is due, drop deliveries to disabled endpoints, send the rest in parallel. */
async function runRound(deps: WorkerDeps, settings: Settings): Promise<number> {
  const claimed = await concurrentTransaction(
    deps.db,
    async (tx) => await claimDeliveries(tx, deps.clock.now(), settings),
  );
  const sendable: Claimed[] = [];
  for (const delivery of claimed) {
    if (delivery.disabledAt) await failDisabled(deps.db, delivery);
    else sendable.push(delivery);
  }
  const results = await Promise.allSettled(
    sendable.map(async (delivery) => {
      const outcome = await attempt(deps, delivery, settings);
      await record(deps, delivery, outcome, settings.random);
    }),
  );
  for (const result of results) {
    if (result.status === 'rejected') deps.logger.error('webhook result not recorded', { error: result.reason });
  }
  return sendable.length;
}

/** Claims up to `batchSize` due deliveries (see claimDue) with what it takes to send them. */
async function claimDeliveries(db: Tx, now: Date, settings: Settings): Promise<Claimed[]> {
  const { ids, lease } = await claimDue(db, outbox, now, settings);
  if (ids.length === 0) return [];
  const rows = await db
    .select({
      id: webhookDeliveries.id,
      eventId: webhookDeliveries.eventId,
      endpointId: webhookDeliveries.endpointId,
      attempts: webhookDeliveries.attempts,
      payload: events.payload,
      url: webhookEndpoints.url,
      secret: webhookEndpoints.secret,
      disabledAt: webhookEndpoints.disabledAt,
    })
    .from(webhookDeliveries)
    .innerJoin(events, eq(events.id, webhookDeliveries.eventId))
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(inArray(webhookDeliveries.id, ids))
    .orderBy(asc(webhookDeliveries.nextAttemptAt), asc(webhookDeliveries.id));
  return rows.map((row) => ({ ...row, lease }));
}

/** Sends one delivery and classifies the answer. Never throws. */
async function attempt(deps: WorkerDeps, delivery: Claimed, settings: Settings): Promise<Outcome> {
  const timestamp = Math.floor(deps.clock.now().getTime() / 1000);
  try {
    const response = await settings.fetch(delivery.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'AccountPortal-Webhooks/1.0',
        'webhook-id': delivery.eventId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signPayload(delivery.secret, delivery.eventId, timestamp, delivery.payload),
      },
      body: delivery.payload,
      redirect: 'manual',
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    // The answer's body is of no interest; cancelling it frees the connection.
    await response.body?.cancel().catch(() => undefined);
    return classify(response);
  } catch (error) {
    return { kind: 'failed', statusCode: null, error: describeError(error, settings.timeoutMs) };
  }
}

function classify(response: Response): Outcome {
  const { status } = response;
  if (status >= 200 && status < 300) return { kind: 'delivered', statusCode: status };
  if (status === 410) return { kind: 'gone', statusCode: status };
  if (response.type === 'opaqueredirect' || (status >= 300 && status < 400)) {
    return { kind: 'failed', statusCode: status, error: `Redirect (${status}) not followed.` };
  }
  return { kind: 'failed', statusCode: status, error: `HTTP ${status}.` };
}

function describeError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `Timed out after ${timeoutMs} ms.`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const detail = cause?.code ?? cause?.message;
  return (detail ? `${message}: ${detail}` : message).slice(0, MAX_ERROR_LENGTH);
}

/** The condition that this worker still holds the delivery's lease. */
const held = (delivery: Claimed) => leaseHeld(outbox, delivery.id, delivery.lease);

/** Writes an attempt's outcome, unless the lease was lost meanwhile (then another worker owns it). */
async function record(deps: WorkerDeps, delivery: Claimed, outcome: Outcome, random: () => number): Promise<void> {
  const now = deps.clock.now();
  const attempts = delivery.attempts + 1;
  const fields = {
    deliveryId: delivery.id,
    eventId: delivery.eventId,
    endpointId: delivery.endpointId,
    attempt: attempts,
  };
  if (outcome.kind === 'gone') {
    await disableEndpoint(deps.db, delivery, attempts, now);
    deps.logger.warn('webhook endpoint disabled after 410 Gone', fields);
    return;
  }
  const changes =
    outcome.kind === 'delivered'
      ? { status: 'delivered' as const, deliveredAt: now, lastError: null }
      : nextTry(attempts, now, outcome.error, random);
  const result = await deps.db
    .update(webhookDeliveries)
    .set({ ...changes, attempts, lastStatusCode: outcome.statusCode, leaseUntil: null })
    .where(held(delivery));
  if (affected(result) === 0) {
    deps.logger.warn('webhook delivery lease lost; result discarded', fields);
  } else if (outcome.kind === 'failed') {
    deps.logger.warn('webhook delivery attempt failed', {
      ...fields,
      statusCode: outcome.statusCode,
      error: outcome.error,
      final: changes.status === 'failed',
    });
  }
}

function nextTry(attempts: number, now: Date, error: string, random: () => number) {
  const delay = webhookRetryDelayMs(attempts, random);
  if (delay === undefined) return { status: 'failed' as const, lastError: error };
  return { status: 'pending' as const, lastError: error, nextAttemptAt: new Date(now.getTime() + delay) };
}

/**
 * The receiver answered 410 Gone: the endpoint is disabled and none of its pending
 * deliveries are sent, this one included.
 */
async function disableEndpoint(db: Db, delivery: Claimed, attempts: number, now: Date): Promise<void> {
  const reason = 'The endpoint answered 410 Gone.';
  await db.transaction(async (tx) => {
    await tx
      .update(webhookDeliveries)
      .set({ status: 'failed', attempts, lastStatusCode: 410, lastError: reason, leaseUntil: null })
      .where(held(delivery));
    await tx
      .update(webhookEndpoints)
      .set({ disabledAt: now, disabledReason: reason })
      .where(and(eq(webhookEndpoints.id, delivery.endpointId), isNull(webhookEndpoints.disabledAt)));
    await tx
      .update(webhookDeliveries)
      .set({ status: 'failed', lastError: 'The endpoint is disabled.', leaseUntil: null })
      .where(and(eq(webhookDeliveries.endpointId, delivery.endpointId), eq(webhookDeliveries.status, 'pending')));
  });
}

/** A delivery claimed for an endpoint disabled since it was queued is given up unsent. */
async function failDisabled(db: Db, delivery: Claimed): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set({ status: 'failed', lastError: 'The endpoint is disabled.', leaseUntil: null })
    .where(held(delivery));
}
