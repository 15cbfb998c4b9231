import Database from 'better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { migrationsFolder } from './client';

/** A backup or restore that cannot be done, in words for the operator (the CLI prints the message, exit code 1). */
export class BackupError extends Error {
  override name = 'BackupError';
}

export interface BackupResult {
  /** The backup file, as an absolute path. */
  file: string;
  bytes: number;
  pages: number;
  pageSize: number;
  /** Migrations applied in the copied database. */
  migrations: number;
}

export interface RestoreResult {
  /** The database file that was replaced or created, as an absolute path. */
  target: string;
  /** Whether a database was there before (and is now replaced). */
  replaced: boolean;
  bytes: number;
  /** Migrations applied in the backup, and how many newer ones the server applies when it next starts. */
  migrations: number;
  pendingMigrations: number;
}

/** The migrations this code knows, each with the time drizzle-kit generated it (drizzle's order and check). */
const knownMigrations = () => readMigrationFiles({ migrationsFolder });

/**
 * Copies the SQLite database at `source` to `target` while other processes (a running
 * server) keep reading and writing it: SQLite's online backup API, in one step, so the
 * copy is the database as of one moment — every transaction committed before the step
 * began, none after. In WAL mode the step holds a read snapshot only, so the server's
 * writers are never blocked. Copying page by page, with pauses, would restart from the
 * beginning whenever another process wrote in between, and could never finish on a busy
 * server.
 *
 * The copy is written beside `target` under a temporary name, switched to a rollback
 * journal (one self-contained file, no -wal beside it), checked with
 * `PRAGMA integrity_check` and for the migrations table, synced to disk, and only then
 * renamed to `target`. An existing `target` is refused unless `force`.
 */
export async function backupDatabase(
  source: string,
  target: string,
  options: { force?: boolean } = {},
): Promise<BackupResult> {
  const file = resolve(target);
  if (!existsSync(source)) throw new BackupError(`There is no database at ${resolve(source)}.`);
  if ([resolve(source), `${resolve(source)}-wal`, `${resolve(source)}-shm`].includes(file)) {
    throw new BackupError(`${file} is the database itself; back it up to another file.`);
  }
  refuseExisting(file, options.force);
  if (!existsSync(dirname(file))) throw new BackupError(`The folder ${dirname(file)} does not exist.`);
  const temporary = temporaryBeside(file);
  const db = new Database(source, { fileMustExist: true, timeout: 5000 });
  try {
    portalFacts(db, resolve(source));
    await db.backup(temporary, { progress: () => 0x7fffffff });
  } catch (error) {
    rmSync(temporary, { force: true });
    if (error instanceof BackupError) throw error;
    throw new BackupError(`Could not back up ${resolve(source)}: ${(error as Error).message}`);
  } finally {
    db.close();
  }
  try {
    const copy = new Database(temporary, { fileMustExist: true });
    let facts;
    try {
      copy.pragma('journal_mode = DELETE');
      checkIntegrity(copy, file);
      facts = portalFacts(copy, file);
    } finally {
      copy.close();
    }
    syncFile(temporary);
    refuseExisting(file, options.force);
    renameSync(temporary, file);
    syncFile(dirname(file));
    const { migrations, pages, pageSize } = facts;
    return { file, bytes: statSync(file).size, pages, pageSize, migrations };
  } finally {
    rmSync(temporary, { force: true });
  }
}

/**
 * Puts the backup `backup` in place of the database at `target`: checks that it is a
 * sound portal database from this version or an older one (an older one is migrated
 * when the server next starts, as any database is), refuses while any process has
 * `target` open, copies it beside `target`, syncs it and renames it over `target` (a
 * reader sees the old database or the new one, never half of one), and removes the old
 * database's -wal and -shm files, which would otherwise be read as part of the new one.
 */
export function restoreDatabase(backup: string, target: string): RestoreResult {
  const source = resolve(backup);
  const file = resolve(target);
  if (!existsSync(source)) throw new BackupError(`There is no backup at ${source}.`);
  if (source === file) throw new BackupError(`${source} is the database itself; restore a backup of it.`);
  mkdirSync(dirname(file), { recursive: true });
  const temporary = temporaryBeside(file);
  try {
    copyFileSync(source, temporary);
    const copy = new Database(temporary, { fileMustExist: true });
    let facts;
    try {
      copy.pragma('journal_mode = DELETE');
      checkIntegrity(copy, source);
      facts = portalFacts(copy, source);
    } catch (error) {
      if (error instanceof BackupError) throw error;
      const { code, message } = error as { code?: string; message: string };
      throw new BackupError(
        code === 'SQLITE_NOTADB'
          ? `${source} is not a SQLite database.`
          : `${source} cannot be read as a database: ${message}.`,
      );
    } finally {
      copy.close();
    }
    const known = knownMigrations();
    if (facts.lastMigrationAt > (known.at(-1)?.folderMillis ?? 0)) {
      throw new BackupError(
        `${source} was written by a newer version of the portal (it has migrations this version does not know); ` +
          'restore it with that version.',
      );
    }
    syncFile(temporary);
    const replaced = existsSync(file);
    if (replaced) takeOver(file);
    for (const suffix of ['-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
    renameSync(temporary, file);
    syncFile(dirname(file));
    const pendingMigrations = known.filter((m) => m.folderMillis > facts.lastMigrationAt).length;
    return { target: file, replaced, bytes: statSync(file).size, migrations: facts.migrations, pendingMigrations };
  } finally {
    rmSync(temporary, { force: true });
  }
}

/**
 * Makes sure no process has the database at `file` open, and folds its write-ahead log
 * into it so that nothing of it is left beside the file. In WAL mode every open
 * connection holds a shared lock on the database file for as long as it is open, even
 * when idle, so an exclusive lock taken without waiting (busy timeout 0) fails exactly
 * while a server, its checkpoint thread or another CLI command has the file open.
 */
function takeOver(file: string): void {
  let db;
  try {
    db = new Database(file, { fileMustExist: true, timeout: 0 });
  } catch (error) {
    throw new BackupError(`Cannot open the database at ${file}: ${(error as Error).message}`);
  }
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    db.pragma('journal_mode = DELETE');
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      throw new BackupError(
        `The database at ${file} is in use (a running server or another command has it open). ` +
          'Stop the server first, then restore.',
      );
    }
    // Not a database (or a damaged one): it is about to be replaced, which is what a restore is for.
  } finally {
    db.close();
  }
}

/** Fails unless `PRAGMA integrity_check` finds nothing wrong with `db` (it reads every page). */
function checkIntegrity(db: Database.Database, name: string): void {
  const problems = db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[];
  if (problems.length !== 1 || problems[0].integrity_check !== 'ok') {
    const first = problems
      .slice(0, 3)
      .map((p) => p.integrity_check)
      .join('; ');
    throw new BackupError(`${name} is damaged: PRAGMA integrity_check says ${first}.`);
  }
}

/** What makes `db` a portal database — drizzle's migrations table, with at least one migration — and its size. */
function portalFacts(db: Database.Database, name: string) {
  const table = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = '__drizzle_migrations'").get();
  const applied = table
    ? (db.prepare('SELECT count(*) AS n, max(created_at) AS last FROM __drizzle_migrations').get() as {
        n: number;
        last: number | null;
      })
    : { n: 0, last: null };
  if (applied.n === 0) {
    throw new BackupError(`${name} is a SQLite database but not a portal database (it has no migrations table).`);
  }
  return {
    migrations: applied.n,
    lastMigrationAt: Number(applied.last),
    pages: db.pragma('page_count', { simple: true }) as number,
    pageSize: db.pragma('page_size', { simple: true }) as number,
  };
}

function refuseExisting(file: string, force = false): void {
  if (!force && existsSync(file)) throw new BackupError(`${file} exists; pass --force to overwrite it.`);
}

/** A name beside `file` (same folder, so same file system: the rename is atomic) that no other run uses. */
function temporaryBeside(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
}

/** Flushes a file, or a folder's entries (a rename), to disk. */
function syncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
