/**
 * The `npm run portal -- <command>` entry point: opens the database at
 * DATABASE_PATH (default data/portal.db, migrated on open) only when a command
 * needs it, runs the command and exits with its code.
 */
import { openDatabase, type Db } from '../db/client';
import { systemClock } from '../lib/clock';
import { runCli } from './commands';

const databasePath = process.env.DATABASE_PATH || 'data/portal.db';
let db: Db | undefined;

const exitCode = runCli(process.argv.slice(2), {
  // Opened on first use, so `help` and bad command lines never create a database file.
  get db() {
    try {
      db ??= openDatabase(databasePath);
    } catch (error) {
      throw new Error(`Cannot open the database at ${databasePath}: ${(error as Error).message}`);
    }
    return db;
  },
  clock: systemClock,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
db?.$client.close();
// exitCode rather than process.exit(), so output piped to another program is flushed first.
process.exitCode = exitCode;
