import { first } from './query';
import { and, asc, count, eq, inArray, isNull, lte, min, or, type SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { DbOrTx, Tx } from './client';
import { isPostgres } from './engine';

/** PostgreSQL's select builder, which can lock the rows it reads (SQLite's has no such clause). */
type PgSelectFor = { for(strength: 'update', config: { skipLocked: true }): PromiseLike<unknown> };

/**
 * An outbox table whose rows are worked off with leases: a text `id`, a `status`
 * that is `pending` while work remains, the time `nextAttemptAt` the next attempt is
 * due and `leaseUntil`, the end of the claim a worker holds on the row.
 */
export interface LeasedOutbox {
  table: SQLiteTable;
  id: SQLiteColumn;
  status: SQLiteColumn;
  nextAttemptAt: SQLiteColumn;
  leaseUntil: SQLiteColumn;
}

/** A set of claimed rows and the lease that holds them. */
export interface Claim {
  ids: string[];
  lease: Date;
}

/**
 * Claims up to `batchSize` due rows, oldest due first, in one UPDATE … RETURNING.
 * SQLite runs it under its write lock; PostgreSQL picks the rows `FOR UPDATE SKIP
 * LOCKED`, so workers on several replicas claiming at once take different rows and never
 * wait for one another (run it in a concurrentTransaction: server/db/concurrent.ts). On
 * both, the WHERE clause re-checks that each row is still pending and unleased, so two
 * workers (or processes) never claim the same row; a claim left by a crashed worker
 * lapses after `leaseMs` and the row is due again.
 */
export async function claimDue(
  tx: Tx,
  outbox: LeasedOutbox,
  now: Date,
  options: { batchSize: number; leaseMs: number },
): Promise<Claim> {
  const lease = new Date(now.getTime() + options.leaseMs);
  const due = and(
    eq(outbox.status, 'pending'),
    lte(outbox.nextAttemptAt, now),
    or(isNull(outbox.leaseUntil), lte(outbox.leaseUntil, now)),
  );
  const oldestDue = tx
    .select({ id: outbox.id })
    .from(outbox.table)
    .where(due)
    .orderBy(asc(outbox.nextAttemptAt), asc(outbox.id))
    .limit(options.batchSize);
  // PostgreSQL: the rows are picked and locked first, passing over those another worker is
  // claiming right now (not waiting for them), then leased. Not in one UPDATE … WHERE id IN
  // (SELECT … FOR UPDATE SKIP LOCKED LIMIT n): run that way, a claim with a limit of one
  // leased two rows (test/server/email.test.ts) — PostgreSQL does not promise to run such a
  // subquery only once per statement.
  if (isPostgres(tx)) {
    const picked = (await (oldestDue as unknown as PgSelectFor).for('update', { skipLocked: true })) as {
      id: string;
    }[];
    if (picked.length === 0) return { ids: [], lease };
    const leased = await tx
      .update(outbox.table)
      .set({ leaseUntil: lease })
      .where(
        inArray(
          outbox.id,
          picked.map((row) => row.id),
        ),
      )
      .returning({ id: outbox.id });
    return { ids: leased.map((row) => row.id as string), lease };
  }
  const ids = (
    await tx
      .update(outbox.table)
      .set({ leaseUntil: lease })
      .where(and(inArray(outbox.id, oldestDue), due))
      .returning({ id: outbox.id })
  ).map((row) => row.id as string);
  return { ids, lease };
}

/**
 * The condition that the lease `lease` still holds row `id`: results are written only
 * under it, so a worker whose claim lapsed (and was taken over) changes nothing.
 */
export function leaseHeld(outbox: LeasedOutbox, id: string, lease: Date): SQL {
  return and(eq(outbox.id, id), eq(outbox.status, 'pending'), eq(outbox.leaseUntil, lease))!;
}

/** What waits in an outbox: its pending rows (those waiting for a retry too) and when the oldest was queued. */
export interface Backlog {
  pending: number;
  /** Null when nothing is pending. */
  oldestQueuedAt: Date | null;
}

/** Counts an outbox's pending rows and finds the oldest by `queuedAt` (its creation time), in one read. */
export async function pendingBacklog(db: DbOrTx, outbox: LeasedOutbox, queuedAt: SQLiteColumn): Promise<Backlog> {
  const row = first(
    await db
      .select({ pending: count(), oldest: min(queuedAt) })
      .from(outbox.table)
      .where(eq(outbox.status, 'pending')),
  );
  return { pending: row?.pending ?? 0, oldestQueuedAt: (row?.oldest as Date | null | undefined) ?? null };
}
