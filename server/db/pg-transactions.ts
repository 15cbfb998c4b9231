import type { Logger } from '../lib/logger';
import type { PgDb } from './types';

/**
 * PostgreSQL's answers that mean "try the transaction again": a serialization failure
 * (another transaction changed what this one read, under REPEATABLE READ or
 * SERIALIZABLE) or a deadlock (PostgreSQL rolled this one back to break it).
 */
const RETRYABLE = new Set(['40001', '40P01']);

/** How many times a transaction runs before a retryable failure is given to the caller. */
export const TRANSACTION_ATTEMPTS = 5;

/**
 * Makes `db.transaction` on PostgreSQL take the same calls as on SQLite: the services
 * pass SQLite's `{ behavior }`, which means nothing here (PostgreSQL's writers wait for
 * each other's row locks; unique constraints and conditional UPDATEs decide races), and
 * a transaction that failed with a serialization failure or a deadlock runs again, up
 * to TRANSACTION_ATTEMPTS times, after a short random pause. A transaction's effects
 * outside the database (a gateway call) must therefore not be inside it — none are.
 */
export function retryingTransactions(db: PgDb, logger: Logger): void {
  const transaction = db.transaction.bind(db);
  db.transaction = (async (run: Parameters<PgDb['transaction']>[0]) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await transaction(run);
      } catch (error) {
        const code =
          (error as { code?: string; cause?: { code?: string } }).code ??
          (error as { cause?: { code?: string } }).cause?.code;
        if (!code || !RETRYABLE.has(code) || attempt >= TRANSACTION_ATTEMPTS) throw error;
        logger.warn('PostgreSQL: transaction retried', { code, attempt });
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
      }
    }
  }) as PgDb['transaction'];
}
