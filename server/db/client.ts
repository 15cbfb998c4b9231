import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { useTablesOf } from './schema';
import { useAsyncTransactions } from './sqlite-transactions';
import type { Db } from './types';
import { projectPath } from '../lib/project-root';

export type { Db, DbOrTx, Tx } from './types';

export const migrationsFolder = projectPath('drizzle/sqlite');

/** The pragmas every connection gets: WAL, foreign keys, and a busy timeout for another process's lock. */
function configure(sqlite: Database.Database): void {
  sqlite.pragma('journal_mode = WAL');
  // NORMAL in WAL mode is durable against process crashes (only an OS crash can lose the last commit).
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
}

/**
 * Opens (creating if needed) the SQLite database at `path`, or an in-memory one for
 * `:memory:`, and applies the migrations in drizzle/sqlite/. Two connections to a
 * file: `db` reads on one, `db.transaction` writes on the other (`db.$client`, which
 * closing closes both); see sqlite-transactions.ts. `trace` receives every statement
 * run, with its values filled in (tests use it to see what a request does).
 */
export function openDatabase(path: string, options: { trace?: (sql: string) => void } = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const verbose = options.trace ? { verbose: (sql: unknown) => options.trace!(String(sql)) } : {};
  const writer = new Database(path, verbose);
  configure(writer);
  migrate(drizzle(writer, { casing: 'snake_case' }), { migrationsFolder });
  let reader = writer;
  if (path !== ':memory:') {
    reader = new Database(path, { ...verbose, readonly: true });
    reader.pragma('busy_timeout = 5000');
    const close = writer.close.bind(writer);
    writer.close = () => {
      reader.close();
      return close();
    };
  }
  const db = drizzle(reader, { casing: 'snake_case' }) as Db;
  db.$client = writer;
  useAsyncTransactions(db, reader, writer, path === ':memory:' ? undefined : resolve(path));
  useTablesOf('sqlite');
  return db;
}
