import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BackupError, backupDatabase, restoreDatabase } from '../db/backup';
import {
  CopyError,
  copyDatabase,
  describeStore,
  parseStore,
  VerifyError,
  type CopyReport,
  type Store,
} from '../db/copy';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './exit-codes';

/** What the `db` commands work with: the database file (not an open database) and the output. */
export interface DbCliIo {
  /** DATABASE_PATH, or the default when it is unset. */
  databasePath: string;
  /** Whether `databasePath` is the default (DATABASE_PATH unset), which the output then says. */
  defaultPath: boolean;
  /** DATABASE_URL when it is set: then PostgreSQL is the database `db copy` copies from. */
  databaseUrl?: string;
  out(line: string): void;
  err(line: string): void;
}

const PROGRAM = 'npm run portal --';

const usages = {
  backup: {
    usage: 'db backup <file> [--force]',
    summary:
      'Copy the database to <file> while the server runs (a consistent snapshot), check the copy with ' +
      'PRAGMA integrity_check; an existing <file> is kept unless --force.',
  },
  restore: {
    usage: 'db restore <file>',
    summary:
      'Put the backup <file> in place of the database (the server must be stopped); newer migrations ' +
      'apply when the server next starts.',
  },
  copy: {
    usage: 'db copy --to <postgres://… | file.db | sqlite:<path>>',
    summary:
      'Copy every row of the database into the other engine: from the SQLite file at DATABASE_PATH into an empty ' +
      'PostgreSQL database, or, with DATABASE_URL set, from PostgreSQL into a new SQLite file. One transaction on ' +
      'the target, checked (row counts and digests) before it commits.',
  },
};

/** The `db` commands' lines of the CLI's help. */
export function dbHelpLines(): string[] {
  return Object.values(usages).map((c) => `  ${c.usage}\n      ${c.summary}`);
}

/**
 * Runs `db backup`, `db restore` or `db copy` (`argv` after `db`) and returns the exit
 * code: 0 done, 1 could not be done (the file exists, the database is in use, the backup
 * is damaged or not a portal database, the copy's target is not empty or the copy
 * failed and was rolled back), 2 a wrong command line. Backup and restore open the
 * database file themselves, without migrating it, so that a backup never changes the
 * live database; they refuse when DATABASE_URL is set. `db copy` reads the SQLite file
 * without migrating it too, or PostgreSQL when DATABASE_URL is set.
 */
export async function runDbCli(argv: string[], io: DbCliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h') {
    io.out(['Usage:', ...dbHelpLines()].join('\n'));
    return EXIT_OK;
  }
  const command = name === 'backup' || name === 'restore' || name === 'copy' ? usages[name] : undefined;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        ...(name === 'backup' && { force: { type: 'boolean' } }),
        ...(name === 'copy' && { to: { type: 'string' } }),
      },
    });
  } catch (error) {
    return usageError(io, `${(error as Error).message.split(/(?<=\.) /)[0]}`, command?.usage);
  }
  if (!command)
    return usageError(io, name ? `Unknown command "db ${name}".` : 'Missing a db command: backup, restore or copy.');
  if (parsed.values.help) {
    io.out(`Usage: ${PROGRAM} ${command.usage}\n\n${command.summary}`);
    return EXIT_OK;
  }
  if (name === 'copy') return await runCopy(parsed.positionals, parsed.values.to, io);
  if (postgresConfigured(io)) {
    io.err(
      `Error: db ${name} works on the SQLite file, and DATABASE_URL is set: the portal runs on PostgreSQL. ` +
        'Back it up with pg_dump and restore it with pg_restore (README, "Backups").',
    );
    return EXIT_FAILED;
  }
  const [file, extra] = parsed.positionals;
  if (file === undefined) return usageError(io, 'Missing <file>.', command.usage);
  if (extra !== undefined) return usageError(io, `Unexpected argument "${extra}".`, command.usage);
  const database = `${resolve(io.databasePath)}${io.defaultPath ? ' (the default; set DATABASE_PATH for another)' : ''}`;
  try {
    if (name === 'backup') {
      io.out(`Backing up the database at ${database}`);
      const result = await backupDatabase(io.databasePath, file, { force: parsed.values.force === true });
      io.out(
        `Wrote ${result.file}: ${result.pages} pages of ${result.pageSize} bytes (${megabytes(result.bytes)}), ` +
          `${result.migrations} migrations; PRAGMA integrity_check: ok.`,
      );
    } else {
      io.out(`Restoring into the database at ${database}`);
      const result = restoreDatabase(file, io.databasePath);
      io.out(
        `${result.replaced ? 'Replaced' : 'Created'} ${result.target} with ${resolve(file)} ` +
          `(${megabytes(result.bytes)}, ${result.migrations} migrations; PRAGMA integrity_check: ok).`,
      );
      if (result.pendingMigrations > 0) {
        io.out(`The server applies the ${result.pendingMigrations} newer migrations when it next starts.`);
      }
    }
    return EXIT_OK;
  } catch (error) {
    io.err(`Error: ${error instanceof BackupError ? error.message : String((error as Error).message ?? error)}`);
    return EXIT_FAILED;
  }
}

const postgresConfigured = (io: DbCliIo) => Boolean(io.databaseUrl?.trim());

/** `db copy --to <target>`: from DATABASE_URL's PostgreSQL when it is set, else from the SQLite file. */
async function runCopy(positionals: string[], to: string | boolean | undefined, io: DbCliIo): Promise<number> {
  const { usage } = usages.copy;
  if (positionals.length > 0) return usageError(io, `Unexpected argument "${positionals[0]}".`, usage);
  if (typeof to !== 'string') return usageError(io, 'Missing --to <target>.', usage);
  const target = parseStore(to);
  if (typeof target === 'string') return usageError(io, target, usage);
  const source: Store = postgresConfigured(io)
    ? { engine: 'postgres', url: io.databaseUrl!.trim() }
    : { engine: 'sqlite', path: io.databasePath };
  if (source.engine === target.engine) {
    return usageError(
      io,
      source.engine === 'sqlite'
        ? 'Both ends are SQLite: copy to a postgres:// URL (or use db backup for another SQLite file).'
        : 'Both ends are PostgreSQL (DATABASE_URL is set): copy to a SQLite file, or use pg_dump.',
      usage,
    );
  }
  const from =
    source.engine === 'postgres'
      ? `the PostgreSQL database at ${describeStore(source)} (DATABASE_URL)`
      : `the database at ${describeStore(source)}${io.defaultPath ? ' (the default; set DATABASE_PATH for another)' : ''}`;
  const into =
    target.engine === 'postgres' ? `the PostgreSQL database at ${describeStore(target)}` : describeStore(target);
  io.out(`Copying ${from} into ${into}`);
  try {
    const report = await copyDatabase(source, target, {
      logger: { info: (message, fields) => migrationNote(io, message, fields), warn: () => {}, error: () => {} },
    });
    printCounts(io.out, report);
    const rows = report.tables.reduce((sum, t) => sum + t.targetRows, 0);
    io.out(
      `Copied ${rows} rows in ${report.tables.length} tables; every table's row count and digest agree. ` +
        'Writes to the source after the copy began are not in the copy.',
    );
    return EXIT_OK;
  } catch (error) {
    if (error instanceof VerifyError) printCounts(io.err, error.report);
    io.err(`Error: ${error instanceof CopyError ? error.message : String((error as Error).message ?? error)}`);
    if (!(error instanceof CopyError)) io.err('Nothing was written to the target (the copy was rolled back).');
    return EXIT_FAILED;
  }
}

function migrationNote(io: DbCliIo, message: string, fields?: Record<string, unknown>): void {
  if (!message.includes('applied migrations')) return;
  const count = Number(fields?.count);
  io.out(`Migrated the PostgreSQL database: applied ${count} migration${count === 1 ? '' : 's'}.`);
}

/** The table of counts: each table's rows on the source and on the target, a mark where they differ. */
function printCounts(print: (line: string) => void, report: CopyReport): void {
  const width = Math.max(5, ...report.tables.map((t) => t.name.length));
  print(`${'table'.padEnd(width)}  ${'source'.padStart(8)}  ${'target'.padStart(8)}`);
  for (const t of report.tables) {
    const same = t.sourceRows === t.targetRows && t.sourceDigest === t.targetDigest;
    print(
      `${t.name.padEnd(width)}  ${String(t.sourceRows).padStart(8)}  ${String(t.targetRows).padStart(8)}` +
        (same ? '' : '  DIFFERS'),
    );
  }
}

function usageError(io: DbCliIo, message: string, usage = 'db backup|restore <file> | db copy --to <target>'): number {
  io.err(`Error: ${message} Usage: ${PROGRAM} ${usage} (see "${PROGRAM} help").`);
  return EXIT_USAGE;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
