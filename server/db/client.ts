import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerDatabase } from './prepared';
import type { Db } from './types';

export type { Db, DbOrTx, Tx } from './types';

export const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../../drizzle/sqlite');

/**
 * Makes `db.transaction` take the write lock when it begins (`BEGIN IMMEDIATE`) unless
 * told otherwise. A deferred transaction that reads and then writes cannot wait for
 * another process's write: SQLite answers SQLITE_BUSY at once, the busy timeout never
 * applies. Taking the lock first makes concurrent writers (a second server process,
 * the CLI) queue for up to the busy timeout instead of failing.
 */
function beginImmediately(db: Db): void {
  const transaction = db.transaction.bind(db);
  db.transaction = ((run, config) => transaction(run, { behavior: 'immediate', ...config })) as Db['transaction'];
}

/**
 * Opens (creating if needed) the SQLite database at `path`, or an in-memory one for
 * `:memory:`, with WAL, foreign keys and a busy timeout, and applies the migrations
 * in drizzle/sqlite/. `trace` receives every statement run, with its values filled in
 * (tests use it to see what a request does).
 */
export function openDatabase(path: string, options: { trace?: (sql: string) => void } = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path, options.trace ? { verbose: (sql) => options.trace!(String(sql)) } : {});
  sqlite.pragma('journal_mode = WAL');
  // NORMAL in WAL mode is durable against process crashes (only an OS crash can lose the last commit).
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { casing: 'snake_case' }) as Db;
  beginImmediately(db);
  migrate(db, { migrationsFolder });
  registerDatabase(db);
  return db;
}
