/**
 * A test file's process for test/server/pg-harness.test.ts: opens two test databases,
 * writes their names to the file PG_HARNESS_OUT names, and ends its one test without closing either
 * pool. The process must still exit promptly, its databases dropped.
 * Usage (under npm run test:pg): PG_HARNESS_OUT=<file> node --import tsx --test pg-harness-child.ts
 */
import { writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { openTestPostgres } from './pg-databases';

const out = process.env.PG_HARNESS_OUT!;

test('opens two databases and leaves their pools open', async () => {
  const names: string[] = [];
  for (const db of [await openTestPostgres(), await openTestPostgres()]) {
    const [row] = await db.execute<{ name: string }>(sql`select current_database() as name`);
    names.push(row.name);
  }
  writeFileSync(out, names.join('\n'));
});
