import { isPostgres } from './engine';
import { concurrentPgTransaction } from './pg-transactions';
import type { Db, PgDb, Tx } from './types';

/**
 * Runs `run` in a transaction whose writes need no serial order to be right: rows
 * inserted (unique keys decide between racers), counters drawn with one
 * `UPDATE … RETURNING` (the row lock hands them out one after another, gapless), and
 * reads of rows that only such writes change. Order intake is one: a burst of orders
 * on one store all draw the store's next invoice number.
 *
 * On SQLite, a transaction like any other (one writer at a time). On PostgreSQL,
 * READ COMMITTED rather than SERIALIZABLE, and outside the process's turn
 * (server/db/pg-transactions.ts): concurrent orders wait for the counter's row lock
 * one after another, each for the moment between drawing its number and committing,
 * where under SERIALIZABLE all but one of them would fail and run again. A racer's
 * duplicate key (two replicas inserting one new customer) runs the transaction again,
 * which then finds the other's row.
 */
export async function concurrentTransaction<T>(db: Db, run: (tx: Tx) => Promise<T>): Promise<T> {
  if (!isPostgres(db)) return await db.transaction(run);
  return await concurrentPgTransaction(
    db as unknown as PgDb,
    run as unknown as Parameters<typeof concurrentPgTransaction<T>>[1],
  );
}
