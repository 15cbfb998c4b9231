/**
 * The `npm run portal -- <command>` entry point: opens the database at
 * DATABASE_PATH (default data/portal.db, migrated on open) only when a command
 * needs it, runs the command, says on stderr which database it used, and exits
 * with its code.
 */
import { resolve } from 'node:path';
import { openDatabase, type Db } from '../db/client';
import { POSTGRES_NOT_READY } from '../env';
import { systemClock } from '../lib/clock';
import { runCli } from './commands';
import { runDbCli } from './db-commands';

const databasePath = process.env.DATABASE_PATH || 'data/portal.db';
let db: Db | undefined;

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);
// Never the SQLite file when PostgreSQL is configured: the command would change another database than the server's.
const postgresConfigured = () => Boolean(process.env.DATABASE_URL?.trim());

async function run(argv: string[]): Promise<number> {
  if (argv[0] !== 'db') {
    return await runCli(argv, {
      // Opened on first use, so `help` and bad command lines never create a database file.
      get db() {
        if (postgresConfigured()) throw new Error(POSTGRES_NOT_READY);
        try {
          db ??= openDatabase(databasePath);
        } catch (error) {
          throw new Error(`Cannot open the database at ${databasePath}: ${(error as Error).message}`);
        }
        return db;
      },
      clock: systemClock,
      out,
      err,
    });
  }
  // The db commands work on the file itself (a backup must not migrate the live database); they say which file.
  // With DATABASE_URL set, only `db copy` runs (from PostgreSQL); backup and restore refuse.
  return runDbCli(argv.slice(1), {
    databasePath,
    defaultPath: !process.env.DATABASE_PATH,
    databaseUrl: process.env.DATABASE_URL,
    out,
    err,
  });
}

const exitCode = await run(process.argv.slice(2));
if (db) {
  db.$client.close();
  // Say which file the command used: without DATABASE_PATH it is data/portal.db, which need not be
  // the database a running server uses. On stderr, so that stdout stays the command's own output;
  // after success only, so that a failure stays one line.
  if (exitCode === 0) {
    process.stderr.write(
      `Database: ${resolve(databasePath)}${process.env.DATABASE_PATH ? '' : ' (the default; set DATABASE_PATH for another)'}\n`,
    );
  }
}
// exitCode rather than process.exit(), so output piped to another program is flushed first.
process.exitCode = exitCode;
