import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BackupError, backupDatabase, restoreDatabase } from '../db/backup';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './exit-codes';

/** What the `db` commands work with: the database file (not an open database) and the output. */
export interface DbCliIo {
  /** DATABASE_PATH, or the default when it is unset. */
  databasePath: string;
  /** Whether `databasePath` is the default (DATABASE_PATH unset), which the output then says. */
  defaultPath: boolean;
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
};

/** The `db` commands' lines of the CLI's help. */
export function dbHelpLines(): string[] {
  return Object.values(usages).map((c) => `  ${c.usage}\n      ${c.summary}`);
}

/**
 * Runs `db backup` or `db restore` (`argv` after `db`) and returns the exit code: 0 done,
 * 1 could not be done (the file exists, the database is in use, the backup is damaged or
 * not a portal database), 2 a wrong command line. They open the database file themselves,
 * without migrating it, so that a backup never changes the live database.
 */
export async function runDbCli(argv: string[], io: DbCliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h') {
    io.out(['Usage:', ...dbHelpLines()].join('\n'));
    return EXIT_OK;
  }
  const command = name === 'backup' || name === 'restore' ? usages[name] : undefined;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: { help: { type: 'boolean', short: 'h' }, ...(name === 'backup' && { force: { type: 'boolean' } }) },
    });
  } catch (error) {
    return usageError(io, `${(error as Error).message.split(/(?<=\.) /)[0]}`, command?.usage);
  }
  if (!command)
    return usageError(io, name ? `Unknown command "db ${name}".` : 'Missing a db command: backup or restore.');
  if (parsed.values.help) {
    io.out(`Usage: ${PROGRAM} ${command.usage}\n\n${command.summary}`);
    return EXIT_OK;
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

function usageError(io: DbCliIo, message: string, usage = 'db backup|restore <file>'): number {
  io.err(`Error: ${message} Usage: ${PROGRAM} ${usage} (see "${PROGRAM} help").`);
  return EXIT_USAGE;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
