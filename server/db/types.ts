import type Database from 'better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type postgres from 'postgres';

/**
 * The database: Drizzle over better-sqlite3, without the relational query API
 * (`db.query.…`, which nothing uses: given the schema, Drizzle builds a query builder
 * for every table on each transaction, about 40 µs each). Reads on `db` itself;
 * writes in `await db.transaction(async (tx) => …)`, on the connection `$client`
 * (client.ts, sqlite-transactions.ts). Every query is awaited, never run with
 * `.get()` / `.all()` / `.run()`, so that the same services run on PostgreSQL.
 */
export type Db = BetterSQLite3Database & { $client: Database.Database };
/** A transaction handle: everything a service writes inside one `db.transaction`. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Either the database or a transaction on it; read helpers accept both. */
export type DbOrTx = Db | Tx;

/**
 * A Drizzle database on PostgreSQL over a postgres.js pool (`$client`; `$client.end()`
 * closes it). postgres.js, not node-postgres: through Drizzle it answered a prepared
 * single-row read 2.4 times and a 20-row page 2.5 times as fast one at a time, and 1.1
 * and 1.2 times as fast 10 at once (`npm run bench:pg-drivers`).
 */
export type PgDb = PostgresJsDatabase & { $client: postgres.Sql };
