import type Database from 'better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';

/**
 * The database: Drizzle over one better-sqlite3 connection, without the relational
 * query API (`db.query.…`, which nothing uses): given the schema, Drizzle builds a
 * query builder for every table on each `db.transaction`, about 40 µs per transaction.
 */
export type Db = BetterSQLite3Database & { $client: Database.Database };
/** A transaction handle: everything a service writes inside one `db.transaction`. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Either the database or a transaction on it; read helpers accept both. */
export type DbOrTx = Db | Tx;
