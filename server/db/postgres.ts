import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { consoleLogger, type Logger } from '../lib/logger';
import { useTablesOf } from './schema';
import { retryingTransactions } from './pg-transactions';
import type { PgDb } from './types';
import { projectPath } from '../lib/project-root';

export type { PgDb } from './types';

export const pgMigrationsFolder = projectPath('drizzle/pg');

/**
 * The key of the session-level advisory lock the migrations run under: 'portal' in
 * ASCII. Any number of replicas may start at once; one migrates, the others wait and
 * then find nothing left to do.
 */
export const MIGRATION_LOCK_KEY = 0x706f7274616c;

export interface PostgresOptions {
  /** Connections in the pool (`DATABASE_POOL_SIZE`). */
  poolSize?: number;
  /** The longest a statement may run before PostgreSQL cancels it; 0: no limit (`DATABASE_STATEMENT_TIMEOUT_MS`). */
  statementTimeoutMs?: number;
  /** Where applied migrations and the server's notices are reported. */
  logger?: Logger;
  /** Closes a connection idle this long (tests: so that a finished test file's process can exit). */
  idleTimeoutSeconds?: number;
  /** Receives every SQL statement the pool runs (its parameters as `$1`, `$2`…); tests use it to see what a request does. */
  trace?: (sql: string) => void;
}

/**
 * Applies the migrations in drizzle/pg/ to the PostgreSQL database at `url` under an
 * advisory lock, so that replicas starting together migrate once, then opens a pool on
 * it (connections are made as they are needed). Rejects when the database cannot be
 * reached or a migration fails.
 */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<PgDb> {
  const logger = options.logger ?? consoleLogger;
  await migrateOnce(url, logger);
  const client = postgres(url, {
    max: options.poolSize ?? 10,
    // Startup parameters, so they are every session's default.
    connection: {
      application_name: 'account-portal',
      ...(options.statementTimeoutMs && { statement_timeout: options.statementTimeoutMs }),
    },
    onnotice: (notice) => logger.info('PostgreSQL notice', { message: notice.message }),
    // bigint (int8) and numeric as JavaScript numbers, as SQLite answers integers: money in minor
    // units and counts, far below 2^53; sum() over bigint answers numeric.
    types: { int8: { to: 20, from: [20, 1700], serialize: String, parse: Number } },
    ...(options.idleTimeoutSeconds !== undefined && { idle_timeout: options.idleTimeoutSeconds }),
    ...(options.trace && { debug: (_connection: number, query: string) => options.trace!(query) }),
  });
  // Without the schema: no relational query API (`db.query`), which nothing uses (as on SQLite).
  const db = drizzle(client, { casing: 'snake_case' }) as PgDb;
  retryingTransactions(db, logger);
  useTablesOf('postgres');
  return db;
}

/**
 * Applies the pending migrations on a connection of its own, holding the migration
 * lock, without a statement timeout (a long migration must not be cancelled, nor the
 * wait for another replica's), and closes it.
 */
async function migrateOnce(url: string, logger: Logger): Promise<void> {
  // One connection: the lock, the migrations and the unlock are one session.
  const client = postgres(url, {
    max: 1,
    connection: { application_name: 'account-portal migrations' },
    onnotice: () => {},
  });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY}::bigint)`;
    const applied = async () => {
      const [table] = await client<
        { found: string | null }[]
      >`select to_regclass('drizzle.__drizzle_migrations') as found`;
      if (table.found === null) return 0;
      const [{ n }] = await client<{ n: string }[]>`select count(*) as n from drizzle.__drizzle_migrations`;
      return Number(n);
    };
    const before = await applied();
    await migrate(drizzle(client, { casing: 'snake_case' }), { migrationsFolder: pgMigrationsFolder });
    const after = await applied();
    if (after > before) logger.info('PostgreSQL: applied migrations', { count: after - before, total: after });
    await client`select pg_advisory_unlock(${MIGRATION_LOCK_KEY}::bigint)`;
  } finally {
    // Closing the connection also gives up the lock should a migration have failed.
    await client.end();
  }
}
