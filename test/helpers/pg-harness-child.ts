/**
 * A test file's process for test/server/pg-harness.test.ts: opens two test databases and
 * a second pool on the first, writes the databases' names to the file PG_HARNESS_OUT
 * names, and ends its one test without closing any pool. The process must still exit
 * promptly, its databases dropped.
 * Usage (under npm run test:pg): PG_HARNESS_OUT=<file> node --import tsx --test pg-harness-child.ts
 */
import { writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { openTestPostgres, reopenTestPostgres } from './pg-databases';

const out = process.env.PG_HARNESS_OUT!;

test('opens two databases and a second pool on one, and leaves the pools open', async () => {
  const names: string[] = [];
  const [a, b] = [await openTestPostgres(), await openTestPostgres()];
  // And a second pool on the first, as a test of two processes on one database opens.
  for (const db of [a, b, await reopenTestPostgres(a)]) {
    const [row] = await db.execute<{ name: string }>(sql`select current_database() as name`);
    names.push(row.name);
  }
  writeFileSync(out, names.join('\n'));
});
