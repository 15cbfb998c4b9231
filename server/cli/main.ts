/**
 * The `npm run portal -- <command>` entry point: opens the database — PostgreSQL with
 * DATABASE_URL, else the file at DATABASE_PATH (default data/portal.db), migrated on
 * open — only when a command needs it, runs the command, says on stderr which database
 * it used, and exits with its code.
 */
import { resolve } from 'node:path';
import type { Db } from '../db/client';
import { closeDatabase } from '../db/health';
import { describeDatabase, openPortalDatabase, type DatabaseSettings } from '../db/open';
import { systemClock } from '../lib/clock';
import { runCli } from './commands';
import { runDbCli } from './db-commands';

const databasePath = process.env.DATABASE_PATH || 'data/portal.db';
const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;
const database: DatabaseSettings = { postgres: databaseUrl ? { url: databaseUrl } : null, sqlitePath: databasePath };
let db: Db | undefined;

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);
async function run(argv: string[]): Promise<number> {
  if (argv[0] !== 'db') {
    return await runCli(argv, {
      // Opened before a command runs, so `help` and bad command lines never create a database file.
      async open() {
        db ??= await openPortalDatabase(database, { info() {}, warn() {}, error: (line) => err(line) });
      },
      get db() {
        if (!db) throw new Error('The database is opened before a command runs.');
        return db;
      },
      clock: systemClock,
      out,
      err,
    });
  }
  // The db commands work on the file itself (a backup must not migrate the live database); they say which file.
  // With DATABASE_URL set, only `db copy` runs (from PostgreSQL); backup and restore refuse (pg_dump's job).
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
  await closeDatabase(db);
  // Say which database the command used: without DATABASE_PATH it is data/portal.db, which need not
  // be the database a running server uses. On stderr, so that stdout stays the command's own output;
  // after success only, so that a failure stays one line.
  if (exitCode === 0) {
    process.stderr.write(
      databaseUrl
        ? `Database: ${describeDatabase(database)} (DATABASE_URL)\n`
        : `Database: ${resolve(databasePath)}${process.env.DATABASE_PATH ? '' : ' (the default; set DATABASE_PATH for another)'}\n`,
    );
  }
}
// exitCode rather than process.exit(), so output piped to another program is flushed first.
process.exitCode = exitCode;
