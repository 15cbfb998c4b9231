import type { Statement } from 'better-sqlite3';
import type { Db } from './types';

const probes = new WeakMap<Db, Statement>();

/**
 * Asks the database a trivial question and says whether it answered: `null` when it did,
 * else why not (a closed handle, a file that cannot be read). The question reads the
 * schema's first page, so that SQLite starts a read transaction on the file — a bare
 * `SELECT 1` is answered without touching the database at all. Prepared once per
 * database; microseconds, cheap enough for a load balancer's health check every second.
 */
export function databaseProblem(db: Db): string | null {
  try {
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
