import { PostgresJsSession, PostgresJsTransaction } from 'drizzle-orm/postgres-js/session';
import type postgres from 'postgres';
import type { Logger } from '../lib/logger';
import type { PgDb } from './types';

/**
 * PostgreSQL's answers that mean "try the transaction again": a serialization failure
 * (another transaction changed what this one read, under REPEATABLE READ or
 * SERIALIZABLE) or a deadlock (PostgreSQL rolled this one back to break it).
 */
const RETRYABLE = new Set(['40001', '40P01']);

/**
 * A unique violation, which is a serialization failure too when a concurrent transaction
 * inserted the same key after this one looked for it (two replicas taking an order from
 * one new customer at once: both find no account and insert one). PostgreSQL reports it
 * as 23505, not 40001, and its manual advises retrying it: run again, the transaction
 * finds the other's row. A few times only: a key that is really taken fails the same way
 * every time, and the caller then gets the error.
 */
const UNIQUE_VIOLATION = '23505';
const UNIQUE_VIOLATION_ATTEMPTS = 3;

/**
 * How many times a transaction runs before a retryable failure is given to the caller:
 * n transactions that all conflict (32 renewal lanes settling into one store's invoice
 * numbering, say) finish in at most n rounds, since the first to commit in each round
 * wins; this is far above any count of contenders the portal makes.
 */
export const TRANSACTION_ATTEMPTS = 100;

/** The longest pause between two attempts, milliseconds; the pause grows to it, random within. */
const MAX_PAUSE_MS = 20;

/**
 * Makes `db.transaction` on PostgreSQL keep SQLite's guarantee: every transaction is
 * SERIALIZABLE, so its outcome is that of some one-at-a-time order of the transactions
 * — what SQLite's single writer gives by construction, and what the services' "read,
 * check, then write" transactions (a subscription's lock, a claim on outbox rows, the
 * next invoice number, a rate limit's count) rely on, on both engines, with nothing
 * engine-specific in them. Where two transactions could not both stand, PostgreSQL
 * fails one with a serialization failure; a deadlock fails one too; that transaction
 * runs again, up to TRANSACTION_ATTEMPTS times, after a short random pause.
 *
 * And, as on SQLite, a process runs these transactions one at a time, in the order
 * they were begun (reads and single statements outside transactions do not wait): they
 * then conflict only with other processes' (a handful of replicas), and a retry is rare.
 * Without this turn, 300 orders at once on one store, over three replicas, made
 * hundreds of transactions run 5 to 25 times, and some ran out of attempts.
 *
 * The exception: transactions whose writes need no serial order — order intake drawing
 * the store's next invoice number, the outbox workers' claims — run at READ COMMITTED
 * outside the turn (server/db/concurrent.ts), where row locks and `SKIP LOCKED` order
 * them without conflicts: with 3 replicas taking 600 orders and sending their webhooks,
 * no transaction ran more than 4 times (test/server/replicas.test.ts), where before
 * several hundred did, and a few ran out of attempts.
 *
 * A transaction's effects outside the database (a gateway call, an email sent) must
 * therefore not be inside it — none are: the services write an intent, commit, act,
 * then record the outcome. The services pass SQLite's `{ behavior }`, which means
 * nothing here.
 */
export function retryingTransactions(db: PgDb, logger: Logger): void {
  const transaction = beginning(db);
  const attempt = async <T>(
    run: Parameters<PgDb['transaction']>[0],
    isolationLevel: 'serializable' | 'read committed' = 'serializable',
  ): Promise<T> => {
    let duplicates = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        return (await transaction(run, isolationLevel)) as T;
      } catch (error) {
        const code =
          (error as { code?: string; cause?: { code?: string } }).code ??
          (error as { cause?: { code?: string } }).cause?.code;
        if (code === UNIQUE_VIOLATION) duplicates++;
        const retry =
          attempt < TRANSACTION_ATTEMPTS &&
          ((code !== undefined && RETRYABLE.has(code)) ||
            (code === UNIQUE_VIOLATION && duplicates < UNIQUE_VIOLATION_ATTEMPTS));
        if (!retry) throw error;
        if (attempt >= 5) logger.warn('PostgreSQL: transaction retried', { code, attempt });
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(MAX_PAUSE_MS, 2 ** attempt)));
      }
    }
  };
  let last: Promise<unknown> = Promise.resolve();
  db.transaction = ((run: Parameters<PgDb['transaction']>[0]) => {
    const turn = last.then(() => attempt(run));
    last = turn.catch(() => undefined);
    return turn;
  }) as PgDb['transaction'];
  readCommitted.set(db, (run) => attempt(run, 'read committed'));
}

type Run = Parameters<PgDb['transaction']>[0];

/** What Drizzle's postgres-js session holds, to make a transaction's session as Drizzle does. */
interface RootSession {
  client: postgres.Sql;
  dialect: ConstructorParameters<typeof PostgresJsSession>[1];
  schema: ConstructorParameters<typeof PostgresJsSession>[2];
  options: ConstructorParameters<typeof PostgresJsSession>[3];
}

/**
 * Drizzle's transaction on postgres.js, begun with its isolation level in the same
 * statement (`BEGIN ISOLATION LEVEL …`): Drizzle's own sends `BEGIN`, then `SET
 * TRANSACTION …`, one round trip more for every transaction.
 */
function beginning(db: PgDb) {
  const root = (db as unknown as { session: RootSession }).session;
  return (run: Run, isolationLevel: 'serializable' | 'read committed') =>
    root.client.begin(`isolation level ${isolationLevel}`, async (client) => {
      // As Drizzle's own transaction does: the transaction's connection in the place of the pool.
      const session = new PostgresJsSession(client as unknown as postgres.Sql, root.dialect, root.schema, root.options);
      const tx = new PostgresJsTransaction(root.dialect, session as never, root.schema);
      return await run(tx as unknown as Parameters<Run>[0]);
    });
}

/** Each database's READ COMMITTED transactions, outside the process's turn (see {@link concurrentPgTransaction}). */
const readCommitted = new WeakMap<PgDb, (run: Run) => Promise<unknown>>();

/**
 * A transaction at READ COMMITTED, outside the process's turn, retried on deadlocks and
 * unique violations like the others: for the transactions whose writes need no serial
 * order (server/db/concurrent.ts says which qualify).
 */
export function concurrentPgTransaction<T>(db: PgDb, run: (tx: Parameters<Run>[0]) => Promise<T>): Promise<T> {
  const begin = readCommitted.get(db);
  // A transaction handed on as the database (depsInTransaction: the demo's seed): a savepoint in it.
  if (!begin) return db.transaction(run) as Promise<T>;
  return begin(run) as Promise<T>;
}
