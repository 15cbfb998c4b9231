import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { is, sql } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import type { PgDb } from '../../server/db/postgres';
import * as pgSchema from '../../server/db/schema-pg';
import { createTestContext } from '../helpers/app';
import { onPostgres, openTestPostgres, PG_URL_ENV, reopenTestPostgres } from '../helpers/pg-databases';
import { tempDatabasePath } from '../helpers/temp-database';

const journalEntries = () =>
  (
    JSON.parse(readFileSync(new URL('../../drizzle/pg/meta/_journal.json', import.meta.url), 'utf8')) as {
      entries: unknown[];
    }
  ).entries.length;

const schemaTables = (Object.values(pgSchema) as unknown[])
  .filter((value): value is PgTable => is(value, PgTable))
  .map((table) => getTableConfig(table).name)
  .sort();

/** The name of the database `db` is connected to, its public tables, their rows in all, and its applied migrations. */
async function describeDatabase(db: PgDb) {
  const [{ name }] = await db.execute<{ name: string }>(sql`select current_database() as name`);
  const tables = (
    await db.execute<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    )
  ).map((row) => row.table_name);
  let rows = 0;
  for (const table of tables) {
    const [{ n }] = await db.execute<{ n: string }>(sql.raw(`select count(*) as n from "${table}"`));
    rows += Number(n);
  }
  const [{ n: migrations }] = await db.execute<{ n: string }>(
    sql`select count(*) as n from drizzle.__drizzle_migrations`,
  );
  return { name, tables, rows, migrations: Number(migrations) };
}

describe(
  'npm run test:pg: a database per test context (test/helpers/pg-databases.ts)',
  { skip: !onPostgres && 'runs under npm run test:pg' },
  () => {
    test('two contexts get different databases, each empty and migrated to every table of the schema', async () => {
      const [a, b] = await Promise.all([
        describeDatabase(await openTestPostgres()),
        describeDatabase(await openTestPostgres()),
      ]);
      assert.notEqual(a.name, b.name);
      for (const db of [a, b]) {
        assert.match(db.name, /^t_[0-9a-f]{16}$/);
        assert.deepEqual(db.tables, schemaTables);
        assert.equal(db.rows, 0, 'no row in any table');
        assert.equal(db.migrations, journalEntries(), 'every migration in drizzle/pg/ applied');
      }
    });

    test('what one context writes, the other does not see; a second pool on its database does', async () => {
      const [a, b] = [await openTestPostgres(), await openTestPostgres()];
      await a.insert(pgSchema.stores).values({
        id: 'only-in-a',
        name: 'A',
        apiUser: 'a',
        apiPasswordHash: 'hash',
        createdAt: new Date(0),
        updatedAt: new Date(0),
      });
      assert.equal((await describeDatabase(a)).rows, 1);
      assert.equal((await describeDatabase(b)).rows, 0);
      const again = await reopenTestPostgres(a);
      assert.notEqual(again, a);
      assert.deepEqual(await describeDatabase(again), await describeDatabase(a), 'a second pool on the same database');
    });

    test('a context that asks for a SQLite file keeps it', async (t) => {
      const path = tempDatabasePath(t);
      const context = await createTestContext({ databasePath: path });
      t.after(() => context.db.$client.close());
      assert.equal(context.db.$client.name, path);
    });

    test('a test file that leaves its pools open exits promptly, its databases dropped', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'pg-harness-'));
      after(() => rmSync(dir, { recursive: true, force: true }));
      const out = join(dir, 'names');
      const child = fileURLToPath(new URL('../helpers/pg-harness-child.ts', import.meta.url));
      const started = performance.now();
      const code = await new Promise<number | null>((resolve, reject) => {
        // Its own test run: without the NODE_TEST_CONTEXT of this file's, which would make it report to us.
        const { NODE_TEST_CONTEXT: _, ...env } = process.env;
        const process_ = spawn(process.execPath, ['--import', 'tsx', '--test', child], {
          stdio: 'ignore',
          env: { ...env, PG_HARNESS_OUT: out },
        });
        const kill = setTimeout(() => process_.kill('SIGKILL'), 30_000);
        process_.once('error', reject);
        process_.once('exit', (exitCode) => {
          clearTimeout(kill);
          resolve(exitCode);
        });
      });
      const seconds = (performance.now() - started) / 1000;
      assert.equal(code, 0, 'the child test passed');
      assert.ok(seconds < 15, `the process exited ${seconds.toFixed(1)} s after it started`);
      const names = readFileSync(out, 'utf8').split('\n');
      assert.equal(names.length, 3);
      assert.equal(names[2], names[0], 'the second pool is on the first database');
      const admin = postgres(process.env[PG_URL_ENV]!, { max: 1, onnotice: () => {} });
      try {
        const left = await admin<
          { datname: string }[]
        >`select datname from pg_database where datname in ${admin(names)}`;
        assert.deepEqual(
          left.map((row) => row.datname),
          [],
          'both databases were dropped when the file ended',
        );
      } finally {
        await admin.end();
      }
    });
  },
);
