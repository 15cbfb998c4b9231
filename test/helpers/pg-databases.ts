import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import postgres from 'postgres';
import { openPostgres, type PgDb } from '../../server/db/postgres';
import { silentLogger } from '../../server/lib/logger';

/**
 * Under `npm run test:pg` (scripts/test-pg.ts), the cluster's URL and the name of a
 * migrated template database; unset otherwise, and the tests run on SQLite.
 */
export const PG_URL_ENV = 'PORTAL_TEST_PG_URL';
export const PG_TEMPLATE_ENV = 'PORTAL_TEST_PG_TEMPLATE';

const clusterUrl = process.env[PG_URL_ENV];
const template = process.env[PG_TEMPLATE_ENV];

/** Whether this test process runs on the PostgreSQL of `npm run test:pg`. */
export const onPostgres = Boolean(clusterUrl && template);

/** The databases this process made, and their pools: closed and dropped when its tests have ended. */
const made: { name: string; db: PgDb }[] = [];
let admin: postgres.Sql | undefined;

/** One connection to the cluster's `postgres` database, to create and drop databases on. */
function adminClient(): postgres.Sql {
  admin ??= postgres(clusterUrl!, { max: 1, idle_timeout: 1, onnotice: () => {} });
  return admin;
}

/** The URL of database `name` on the cluster at `base` (by default this run's). */
export function databaseUrl(name: string, base = clusterUrl!): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.href;
}

// A hook at the top level belongs to the file's root test: it runs once every test of the
// file has ended. Registered only in a test process on PostgreSQL (NODE_TEST_CONTEXT is set
// by `node --test` for the file's process), so a program importing the helpers outside the
// test runner does not start one. The idle timeout below lets the process exit even if a
// pool were missed.
if (onPostgres && process.env.NODE_TEST_CONTEXT) {
  after(async () => {
    const pools = made.splice(0);
    await Promise.all(pools.map(({ db }) => db.$client.end({ timeout: 0 })));
    if (pools.length > 0) {
      const sql = adminClient();
      for (const name of new Set(pools.map((pool) => pool.name))) {
        await sql.unsafe(`drop database if exists "${name}" with (force)`);
      }
    }
    await admin?.end({ timeout: 0 });
    admin = undefined;
  });
}

/**
 * A fresh, empty, migrated database for one test context: `CREATE DATABASE … TEMPLATE`
 * the template migrated once for the run (a file copy, much faster than migrating),
 * opened with `openPostgres`. Its idle connections close after a second, and the pool
 * is closed and the database dropped when the file's tests have ended.
 */
export async function openTestPostgres(options: { trace?: (sql: string) => void } = {}): Promise<PgDb> {
  if (!onPostgres) throw new Error(`${PG_URL_ENV} and ${PG_TEMPLATE_ENV} are set by npm run test:pg.`);
  const name = `t_${randomBytes(8).toString('hex')}`;
  await adminClient().unsafe(`create database "${name}" template "${template}"`);
  const db = await openPostgres(databaseUrl(name), {
    idleTimeoutSeconds: 1,
    logger: silentLogger,
    trace: options.trace,
  });
  made.push({ name, db });
  return db;
}

/**
 * A second pool on the database of `db` (from `openTestPostgres`), as another process
 * would open it; closed with the others when the file's tests have ended.
 */
export async function reopenTestPostgres(db: PgDb): Promise<PgDb> {
  const entry = made.find((candidate) => candidate.db === db);
  if (!entry) throw new Error('Not a database of openTestPostgres (or its file has ended).');
  const again = await openPostgres(databaseUrl(entry.name), { idleTimeoutSeconds: 1, logger: silentLogger });
  // Listed under the same name: the drop at the end comes after every pool on it has closed.
  made.push({ name: entry.name, db: again });
  return again;
}
