import type { Statement } from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { isPostgres } from './engine';
import type { Db, PgDb } from './types';

const probes = new WeakMap<Db, Statement>();

/**
 * Asks the database a trivial question and says whether it answered: `null` when it did,
 * else why not (a closed handle, a file that cannot be read, a server that is down). On
 * SQLite the question reads the schema's first page, so that SQLite starts a read
 * transaction on the file — a bare `SELECT 1` is answered without touching the database
 * at all — prepared once per database: microseconds. On PostgreSQL, `SELECT 1` on a
 * pooled connection: a round trip. Cheap enough for a load balancer's health check
 * every second.
 */
export async function databaseProblem(db: Db): Promise<string | null> {
  try {
    if (isPostgres(db)) {
      await (db as unknown as PgDb).execute(sql`select 1`);
      return null;
    }
    let probe = probes.get(db);
    if (!probe) {
      probe = db.$client.prepare('SELECT 1 FROM sqlite_schema LIMIT 1');
      probes.set(db, probe);
    }
    probe.get();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Closes the database: the SQLite connections, or the PostgreSQL pool (after its queries finish). */
export async function closeDatabase(db: Db): Promise<void> {
  if (isPostgres(db)) await (db as unknown as PgDb).$client.end();
  else db.$client.close();
}
