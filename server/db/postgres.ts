import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { consoleLogger, type Logger } from '../lib/logger';
import * as schema from './schema-pg';

/** A Drizzle database on PostgreSQL over a node-postgres pool (`$client`; `$client.end()` closes it). */
export type PgDb = NodePgDatabase<typeof schema> & { $client: pg.Pool };

export const pgMigrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../../drizzle/pg');

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
  /** Where a broken idle connection and applied migrations are reported. */
  logger?: Logger;
}

/**
 * Opens a pool on the PostgreSQL database at `url` and applies the migrations in
 * drizzle/pg/ under an advisory lock, so that replicas starting together migrate once.
 * Rejects, with the pool closed, when the database cannot be reached or a migration fails.
 */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<PgDb> {
  const logger = options.logger ?? consoleLogger;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    // Sent when each connection starts, so it is every session's default.
    ...(options.statementTimeoutMs && { statement_timeout: options.statementTimeoutMs }),
    application_name: 'account-portal',
  });
  // A connection that breaks while idle (the server restarted) is dropped by the pool;
  // without a listener its 'error' event would end the process.
  pool.on('error', (error) => logger.warn('PostgreSQL: an idle connection broke', { error }));
  try {
    await migrateOnce(pool, logger);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return drizzle(pool, { schema, casing: 'snake_case' });
}

/** Applies the pending migrations on one connection holding the migration lock. */
async function migrateOnce(pool: pg.Pool, logger: Logger): Promise<void> {
  const client = await pool.connect();
  try {
    // A long migration must not hit the statement timeout, nor the wait for the lock.
    await client.query('set statement_timeout = 0');
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = async () => {
      const table = await client.query<{ found: string | null }>(
        `select to_regclass('drizzle.__drizzle_migrations') as found`,
      );
      if (table.rows[0].found === null) return 0;
      const { rows } = await client.query<{ n: string }>('select count(*) as n from drizzle.__drizzle_migrations');
      return Number(rows[0].n);
    };
    const before = await applied();
    await migrate(drizzle(client, { casing: 'snake_case' }), { migrationsFolder: pgMigrationsFolder });
    const after = await applied();
    if (after > before) logger.info('PostgreSQL: applied migrations', { count: after - before, total: after });
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
  } finally {
    // Never hand the connection back: its statement timeout is off (and, after a failure, it may hold the lock).
    client.release(true);
  }
}
