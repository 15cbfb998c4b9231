import type { Logger } from '../lib/logger';
import { openDatabase } from './client';
import { openPostgres } from './postgres';
import type { Db, PgDb } from './types';

/** Which database the portal runs on: PostgreSQL's settings, or null for the SQLite file at `sqlitePath`. */
export interface DatabaseSettings {
  postgres: { url: string; poolSize?: number; statementTimeoutMs?: number } | null;
  sqlitePath: string;
}

/**
 * Opens the portal's database, migrated: PostgreSQL when it is configured (the
 * migrations under an advisory lock, so that replicas starting together migrate once;
 * then a pool), else the SQLite file (created and migrated on open). Either is a `Db`:
 * the services are written once against it, and server/db/engine.ts tells the engines
 * apart where their SQL differs. Rejects with the reason, naming the database but never
 * its password.
 */
export async function openPortalDatabase(settings: DatabaseSettings, logger: Logger): Promise<Db> {
  try {
    if (!settings.postgres) return openDatabase(settings.sqlitePath);
    const { url, poolSize, statementTimeoutMs } = settings.postgres;
    const db: PgDb = await openPostgres(url, { poolSize, statementTimeoutMs, logger });
    return db as unknown as Db;
  } catch (error) {
    throw new Error(`Cannot open the database (${describeDatabase(settings)}): ${(error as Error).message}`);
  }
}

/** The URL with its password replaced by *** (never print a secret). */
export function redact(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

/** The database for a log line: the SQLite file, or PostgreSQL's URL without its password. */
export function describeDatabase(settings: DatabaseSettings): string {
  return settings.postgres ? `PostgreSQL ${redact(settings.postgres.url)}` : `SQLite ${settings.sqlitePath}`;
}
