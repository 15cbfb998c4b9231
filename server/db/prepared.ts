import type Database from 'better-sqlite3';
import type { Db, DbOrTx } from './types';

const roots = new WeakMap<Database.Database, Db>();
const cache = new WeakMap<Db, Map<string, unknown>>();

/** Registers a database so statements prepared on it serve its transactions too (client.ts calls it). */
export function registerDatabase(db: Db): void {
  roots.set(db.$client, db);
}

/** The database a handle belongs to: itself, or for a transaction the database it runs on. */
function rootOf(db: DbOrTx): Db | undefined {
  if ('$client' in db) return db as Db;
  // Drizzle keeps the connection on the transaction's session; it is the same better-sqlite3 connection.
  const client = (db as unknown as { session?: { client?: Database.Database } }).session?.client;
  return client ? roots.get(client) : undefined;
}

/**
 * A statement prepared once per database and reused, for hot paths: building a
 * query with Drizzle and preparing it in SQLite costs several times more than
 * running it. `build` receives the database to build on; the statement also runs
 * inside that database's transactions (same connection, so it sees and takes part
 * in the transaction).
 */
export function prepared<T>(db: DbOrTx, key: string, build: (db: Db) => T): T {
  const root = rootOf(db);
  if (!root) return build(db as Db);
  let statements = cache.get(root);
  if (!statements) cache.set(root, (statements = new Map()));
  let statement = statements.get(key) as T | undefined;
  if (statement === undefined) {
    statement = build(root);
    statements.set(key, statement);
  }
  return statement;
}
