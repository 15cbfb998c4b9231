/**
 * `npm run test:pg [-- test/server/x.test.ts …]`: the server tests on PostgreSQL. Starts
 * one throwaway cluster for the whole run (test/helpers/postgres.ts), migrates a template
 * database once, and runs the test files with the cluster's URL and the template's name
 * in their environment; each test context then gets a fresh copy of the template
 * (test/helpers/pg-databases.ts). The cluster is stopped at the end whatever happened,
 * Ctrl-C included, and the exit code is the test run's.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { openPostgres } from '../server/db/postgres';
import { silentLogger } from '../server/lib/logger';
import { databaseUrl, PG_TEMPLATE_ENV, PG_URL_ENV } from '../test/helpers/pg-databases';
import { startPostgres } from '../test/helpers/postgres';

/** The template every test database is copied from. */
const TEMPLATE = 'portal_template';

/** Server test files left out, with why; `npm run test:server` runs all of them, on SQLite. */
const excluded: Record<string, string> = {
  // They test SQLite itself.
  'db-backup.test.ts': "SQLite's online backup of the database file (on PostgreSQL, pg_dump's job)",
  'checkpoints.test.ts': "SQLite's WAL checkpoints on their own thread",
  'db-client.test.ts': "openDatabase: SQLite's pragmas, its reader and writer connections, its write queue",
  'prepared-rows.test.ts': "server/db/prepared.ts' better-sqlite3 statements and SQLite's row shapes",
  'orders-crash.test.ts': "a server killed with -9 over the SQLite file it is given: SQLite's durability",
  // Already on PostgreSQL in test:server: they start a cluster of their own.
  'postgres.test.ts': 'openPostgres and the migrations on a cluster of its own, in npm run test:server',
  'db-copy.test.ts': 'db copy between a SQLite file and a cluster of its own, in npm run test:server',
  'replicas.test.ts': 'three server processes on a cluster of its own, in npm run test:server',
  // They open no database at all: the same test twice would tell nothing more.
  'addresses.test.ts': 'no database',
  'architecture.test.ts': 'no database',
  'contrast.test.ts': 'no database',
  'deploy-docs.test.ts': 'no database',
  'http-server.test.ts': 'no database',
  'outbound.test.ts': 'no database',
  'pdf-fonts.test.ts': 'no database',
  'pdf-scripts.test.ts': 'no database',
  'pdf-text.test.ts': 'no database',
  'proration.test.ts': 'no database',
  'readme-docs.test.ts': 'no database',
  'refund-split.test.ts': 'no database',
  'schema-parity.test.ts': 'no database: it compares the two schemas as declared',
  'server-limits.test.ts': 'no database',
  'server-process.test.ts': 'npm start over a SQLite file: the server process has no test database',
  'setting-urls.test.ts': 'no database',
  'stripe-gateway.test.ts': 'no database',
  'widget-build.test.ts': 'no database',
};

const testDir = 'test/server';
const given = process.argv.slice(2);
const files =
  given.length > 0
    ? given
    : readdirSync(testDir)
        .filter((name) => name.endsWith('.test.ts') && !(name in excluded))
        .sort()
        .map((name) => join(testDir, name));

/**
 * The longest the test run may take (TEST_PG_TIMEOUT_MINUTES): a test file that spins
 * (its event loop blocked, so that no test timeout can fire) must not hang CI.
 */
const timeoutMinutes = Number(process.env.TEST_PG_TIMEOUT_MINUTES ?? 25);

const cluster = await startPostgres({ maxConnections: 300 });
let stopping: Promise<void> | undefined;
const stop = () => (stopping ??= cluster.stop());
let child: ReturnType<typeof spawn> | undefined;
/** Signals the test runner and its test files' processes (their own process group). */
const signalTests = (signal: NodeJS.Signals) => {
  try {
    if (child?.pid) process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    signalTests(signal);
    void stop().then(() => process.exit(130));
  });
}

let code = 1;
try {
  const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${TEMPLATE}`);
  await admin.end();
  const template = await openPostgres(databaseUrl(TEMPLATE, cluster.url), { logger: silentLogger });
  await template.$client.end();

  code = await new Promise<number>((resolve, reject) => {
    child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
      stdio: 'inherit',
      env: { ...process.env, [PG_URL_ENV]: cluster.url, [PG_TEMPLATE_ENV]: TEMPLATE },
      detached: true,
    });
    const watchdog = setTimeout(() => {
      console.error(`test:pg: the tests ran past ${timeoutMinutes} minutes (TEST_PG_TIMEOUT_MINUTES); stopping them.`);
      signalTests('SIGKILL');
    }, timeoutMinutes * 60_000);
    child.once('error', reject);
    child.once('exit', (exitCode, signal) => {
      clearTimeout(watchdog);
      resolve(exitCode ?? (signal ? 1 : 0));
    });
  });
} catch (error) {
  console.error(error);
} finally {
  await stop();
}
process.exit(code);
