import { and, asc, eq, gt, inArray, isNotNull, isNull, lte, notInArray, or, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { subscriptions } from '../../../db/schema';
import type { Deps } from '../../../deps';
import { GatewayUnavailableError } from '../../../payments/gateway';
import { abandonStaleAuthentications } from '../charge-settlement';
import { recoverStaleCharges } from '../subscriptions/charge-recovery';
import { settlePendingRefunds } from '../refunds/refunds';
import { claimSubscriptions, CLAIM_CHUNK, releaseClaims } from './claims';
import { chargeRenewal, type RenewalChargeResult } from './charges';
import { settleUnconfirmedRenewal } from './confirmations';
import {
  applyScheduledChange,
  endCancellation,
  endPause,
  lapseManualRenewal,
  loadRenewalContext,
  markManualRenewalDue,
  nextStep,
  startPause,
  type RenewalContext,
  type RenewalStep,
} from './steps';
import type { StoreRow } from '../../../db/schema';
import { extendLock } from '../subscription-lock';
import { createPacer, type Pacer } from '../../../lib/pacer';

/** What one run did, by kind of step. */
export interface RenewalSummary {
  /** Subscriptions claimed and looked at. */
  examined: number;
  /** Due subscriptions skipped because someone else held their lock (they are due again next run). */
  busy: number;
  renewed: number;
  declined: number;
  /** Deactivated after the last failed renewal attempt. */
  deactivated: number;
  /** Pending cancellations that took effect. */
  canceled: number;
  changesApplied: number;
  pausesStarted: number;
  pausesEnded: number;
  manualDue: number;
  /** Manual renewals deactivated after their grace period. */
  manualLapsed: number;
  /** Charges not made because the gateway was unreachable during this run (retried next run). */
  deferred: number;
  /** Attempts found settled already (an inconsistency, logged; never charged again). */
  skipped: number;
  /** Upgrade and resume charges their request left pending, settled with the processor's answer (charge-recovery.ts). */
  chargesRecovered: number;
  /** Such charges the processor never received: canceled, nothing charged. */
  chargesAbandoned: number;
  /** Such charges the processor took although their change no longer applies: refunded through the gateway. */
  chargesOrphaned: number;
  /** Customer payments left at their bank's challenge for 15 minutes: canceled at the processor, nothing charged. */
  authenticationsAbandoned: number;
  errors: number;
}

export interface RunRenewalsOptions {
  /** The most subscriptions one run claims (default: everything due). */
  limit?: number;
  /** Due subscriptions read per query (default 500). */
  batchSize?: number;
  /**
   * Subscriptions worked on at once, so gateway round trips overlap (default 4).
   * Against a processor answering in 300 ms, 64 in flight renew about 200 a second.
   */
  concurrency?: number;
  /** The most subscriptions (each at most one charge) started per second: the processor's rate limit (default none). */
  ratePerSecond?: number;
  /** Stops the run from claiming more subscriptions (those in flight finish), for a graceful shutdown. */
  signal?: AbortSignal;
}

interface Run {
  deps: Deps;
  /** Everything due at this instant is done; what falls due during the run waits for the next one. */
  now: Date;
  limit: number;
  signal?: AbortSignal;
  stores: Map<string, StoreRow>;
  /** Subscriptions this run has worked on: each gets at most one charge per run. */
  seen: Set<string>;
  /** Set when the gateway was unreachable: no more charges this run. */
  gatewayDown: boolean;
  /** Spaces the subscriptions out to the rate ceiling. */
  pacer: Pacer;
  summary: RenewalSummary;
}

export const emptySummary = (): RenewalSummary => ({
  examined: 0,
  busy: 0,
  renewed: 0,
  declined: 0,
  deactivated: 0,
  canceled: 0,
  changesApplied: 0,
  pausesStarted: 0,
  pausesEnded: 0,
  manualDue: 0,
  manualLapsed: 0,
  deferred: 0,
  skipped: 0,
  chargesRecovered: 0,
  chargesAbandoned: 0,
  chargesOrphaned: 0,
  authenticationsAbandoned: 0,
  errors: 0,
});

/**
 * One pass over everything due at `deps.clock.now()`: first the upgrade and resume
 * charges their request left unfinished (charge-recovery.ts) and the customer's
 * payments left at their bank's challenge (charge-settlement.ts), then cancellations and scheduled
 * changes taking effect at the period's end, pauses starting and ending, renewal
 * charges and their retries, manual renewals falling due and lapsing. Each
 * subscription is claimed with its lock first, so concurrent runs (or a run and a
 * customer's change) never work on it at once, and gets at most one charge per
 * run: a subscription several periods behind (after a downtime) catches up one
 * period per run.
 */
export async function runRenewals(deps: Deps, options: RunRenewalsOptions = {}): Promise<RenewalSummary> {
  const run: Run = {
    deps,
    now: deps.clock.now(),
    limit: options.limit ?? Number.POSITIVE_INFINITY,
    signal: options.signal,
    stores: new Map(),
    seen: new Set(),
    gatewayDown: false,
    summary: emptySummary(),
    pacer: createPacer(options.ratePerSecond),
  };
  const batchSize = options.batchSize ?? 500;
  const concurrency = options.concurrency ?? 4;
  const recovery = await recoverStaleCharges(deps, run.now);
  await settlePendingRefunds(deps, run.now);
  const abandoned = await abandonStaleAuthentications(deps, run.now);
  Object.assign(run.summary, {
    chargesRecovered: recovery.recovered + abandoned.settled,
    chargesAbandoned: recovery.abandoned,
    chargesOrphaned: recovery.orphaned,
    authenticationsAbandoned: abandoned.canceled,
    deferred: recovery.deferred + abandoned.deferred,
  });
  await work(run, await endingWithoutCharge(deps.db, run.now, batchSize), concurrency);
  let cursor: DueCursor | undefined;
  while (open(run)) {
    const page = await dueSubscriptions(deps.db, run.now, cursor, batchSize);
    if (page.length === 0) break;
    cursor = page.at(-1);
    await work(
      run,
      page.map((row) => row.id),
      concurrency,
    );
  }
  deps.metrics.renewalsRun(run.summary);
  return run.summary;
}

/** Whether the run may claim another subscription. */
const open = (run: Run) => run.summary.examined < run.limit && !run.signal?.aborted;

/** Where the previous page of due subscriptions ended: its last due time and id. */
interface DueCursor {
  at: Date | null;
  id: string;
}

/**
 * Subscriptions with a charge date that has come, in due order, one page after
 * `cursor`. Keyset paging on (next_charge_at, id) walks the due index without
 * sorting, however many subscriptions are due.
 */
async function dueSubscriptions(db: Db, now: Date, cursor: DueCursor | undefined, limit: number) {
  const after = cursor
    ? sql`(${subscriptions.nextChargeAt}, ${subscriptions.id}) > (${cursor.at!.getTime()}, ${cursor.id})`
    : undefined;
  return await db
    .select({ id: subscriptions.id, at: subscriptions.nextChargeAt })
    .from(subscriptions)
    .where(and(lte(subscriptions.nextChargeAt, now), after))
    .orderBy(asc(subscriptions.nextChargeAt), asc(subscriptions.id))
    .limit(limit);
}

/**
 * Subscriptions with something due at their period's end but no charge date that
 * has come: pending cancellations (they have none) and scheduled pauses. Read
 * once per run; without an index on the period's end this scans the table.
 */
async function endingWithoutCharge(db: Db, now: Date, limit: number): Promise<string[]> {
  return (
    await db
      .select({ id: subscriptions.id })
      .from(subscriptions)
      .where(
        and(
          notInArray(subscriptions.status, ['canceled', 'deactivated']),
          or(isNull(subscriptions.nextChargeAt), gt(subscriptions.nextChargeAt, now)),
          or(
            and(eq(subscriptions.cancelAtPeriodEnd, true), lte(subscriptions.currentPeriodEnd, now)),
            and(isNotNull(subscriptions.scheduledProductId), lte(subscriptions.currentPeriodEnd, now)),
            and(inArray(subscriptions.status, ['trial', 'active']), lte(subscriptions.pauseStartsAt, now)),
            and(eq(subscriptions.status, 'paused'), lte(subscriptions.pauseResumesAt, now)),
          ),
        ),
      )
      .limit(limit)
  ).map((row) => row.id);
}

/** Subscriptions claimed together, released together once the last of them is done. */
interface Chunk {
  claims: Map<string, Date>;
  /** Claimed subscriptions not finished yet. */
  open: number;
}

/**
 * Works through `ids` within the run's limit with `concurrency` subscriptions in
 * flight all the time: whenever a lane is free and nothing claimed is waiting, it
 * claims the next chunk (one transaction per chunk), so the processor's latency,
 * not a chunk boundary, sets the pace. A chunk's claims are released in one
 * transaction when its last subscription is done; those never started (the run
 * stopped) are released at the end.
 */
async function work(run: Run, ids: string[], concurrency: number): Promise<void> {
  const fresh = ids.filter((id) => !run.seen.has(id));
  const queue: { id: string; chunk: Chunk }[] = [];
  const chunks: Chunk[] = [];
  let from = 0;
  const claimNext = async () => {
    const ids = fresh.slice(from, from + Math.min(CLAIM_CHUNK, run.limit - run.summary.examined));
    from += ids.length;
    for (const id of ids) run.seen.add(id);
    const chunk: Chunk = { claims: await claimSubscriptions(run.deps.db, ids, run.deps.clock.now()), open: 0 };
    chunk.open = chunk.claims.size;
    run.summary.busy += ids.length - chunk.claims.size;
    run.summary.examined += chunk.claims.size;
    chunks.push(chunk);
    for (const id of chunk.claims.keys()) queue.push({ id, chunk });
  };
  // One claim at a time: a lane that finds nothing waiting while a chunk is being claimed waits for it.
  let claiming: Promise<void> | undefined;
  const refill = async () => {
    while (queue.length === 0 && (claiming || (from < fresh.length && open(run)))) {
      if (!claiming) claiming = claimNext().finally(() => (claiming = undefined));
      await claiming;
    }
    return queue.shift();
  };
  const lane = async () => {
    for (let next = await refill(); next && !run.signal?.aborted; next = await refill()) {
      await run.pacer.take();
      try {
        await renewOne(run, next.id, next.chunk.claims);
      } finally {
        if (--next.chunk.open === 0) await releaseClaims(run.deps.db, next.chunk.claims);
      }
    }
  };
  // Every lane ends before any claim is released: one lane failing must not unlock another's subscription.
  const ended = await Promise.allSettled(Array.from({ length: Math.max(1, concurrency) }, lane));
  for (const chunk of chunks) if (chunk.open > 0) await releaseClaims(run.deps.db, chunk.claims);
  const failed = ended.find((lane) => lane.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * Takes one claimed subscription through every step that is due, ending after
 * the first charge. An unreachable gateway leaves the charge pending for the
 * next run (same idempotency key, so it is answered, never repeated).
 */
async function renewOne(run: Run, id: string, claims: Map<string, Date>): Promise<void> {
  const { deps } = run;
  const lock = await extendLock(deps.db, id, claims.get(id)!, deps.clock.now());
  if (!lock) {
    claims.delete(id);
    run.summary.busy++;
    return;
  }
  claims.set(id, lock);
  try {
    await advance(run, id);
  } catch (error) {
    if (error instanceof GatewayUnavailableError) {
      run.gatewayDown = true;
      run.summary.deferred++;
      deps.logger.warn('payment gateway unavailable; renewals resume next run', { subscriptionId: id, error });
    } else {
      run.summary.errors++;
      deps.logger.error('renewal failed', { subscriptionId: id, error });
    }
  }
}

/** Steps that change the subscription without charging, and the summary field each counts in. */
const plainSteps: Record<
  Exclude<RenewalStep, 'charge' | 'confirmation_due'>,
  [(deps: Deps, ctx: RenewalContext) => Promise<void>, keyof RenewalSummary]
> = {
  end_cancellation: [endCancellation, 'canceled'],
  apply_change: [applyScheduledChange, 'changesApplied'],
  start_pause: [startPause, 'pausesStarted'],
  end_pause: [endPause, 'pausesEnded'],
  manual_due: [markManualRenewalDue, 'manualDue'],
  manual_lapse: [lapseManualRenewal, 'manualLapsed'],
};

const chargeCounts: Record<Exclude<RenewalChargeResult, 'rebased'>, keyof RenewalSummary> = {
  renewed: 'renewed',
  declined: 'declined',
  deactivated: 'deactivated',
  skipped: 'skipped',
};

/** More steps than any subscription can have due at once: a guard against a step that changes nothing. */
const MAX_STEPS = 8;

async function advance(run: Run, id: string): Promise<void> {
  for (let steps = 0; steps < MAX_STEPS; steps++) {
    const ctx = await loadRenewalContext(run.deps, id, run.stores);
    const step = nextStep(ctx.sub, run.now);
    if (!step) return;
    if ((step === 'charge' || step === 'confirmation_due') && run.gatewayDown) {
      run.summary.deferred++;
      return;
    }
    if (step === 'confirmation_due') {
      const outcome = await settleUnconfirmedRenewal(run.deps, ctx);
      if (outcome === 'replaced') continue;
      run.summary[outcome]++;
      return;
    }
    if (step === 'charge') {
      const result = await chargeRenewal(run.deps, ctx);
      if (result === 'rebased') continue;
      run.summary[chargeCounts[result]]++;
      return;
    }
    const [apply, counter] = plainSteps[step];
    await apply(run.deps, ctx);
    run.summary[counter]++;
  }
  run.deps.logger.error('renewal steps did not settle', { subscriptionId: id });
}

/** The summary as one log line listing what happened; empty when nothing did (only looked or found busy). */
export function describeSummary(summary: RenewalSummary): string {
  const { examined: _examined, busy, ...done } = summary;
  const happened = Object.entries(done).filter(([, value]) => value > 0);
  if (happened.length === 0) return '';
  return [...happened, ['busy', busy] as const]
    .filter(([, value]) => value > 0)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
}
