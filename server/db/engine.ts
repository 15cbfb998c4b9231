import { PgDatabase, PgTransaction } from 'drizzle-orm/pg-core';
import { SQLiteTransaction } from 'drizzle-orm/sqlite-core';

/**
 * Which engine a database handle (the database or a transaction on it) runs on. The
 * services are engine-neutral; the few places below them that are not (prepared
 * statements, whole-row writes, health checks) ask this.
 */
export function isPostgres(db: object): boolean {
  return db instanceof PgDatabase;
}

/** Whether a handle is a transaction, rather than the database (whose writes commit on their own). */
export function isTransaction(db: object): boolean {
  return db instanceof SQLiteTransaction || db instanceof PgTransaction;
}
