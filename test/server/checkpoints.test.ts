import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { checkpointInBackground, FALLBACK_AUTOCHECKPOINT_PAGES } from '../../server/db/checkpoints';
import { openDatabase } from '../../server/db/client';

const dir = mkdtempSync(join(tmpdir(), 'checkpoints-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('checkpoints on a thread of their own', () => {
  test('commits no longer checkpoint inline; the background thread copies the whole log into the database file', async () => {
    const path = join(dir, 'portal.db');
    const db = openDatabase(path);
    // An interval longer than the test: only now() checkpoints, so the test does not depend on timing.
    const checkpoints = checkpointInBackground(db, path, 3_600_000);
    try {
      assert.equal(db.$client.pragma('wal_autocheckpoint', { simple: true }), FALLBACK_AUTOCHECKPOINT_PAGES);
      await db.run(sql`create table t (id integer primary key, payload text)`);
      const first = await checkpoints.now();
      assert.equal(first.checkpointed, first.log, 'a fresh log is copied whole');
      for (let i = 0; i < 1500; i++) await db.run(sql`insert into t (payload) values (${'x'.repeat(100)})`);
      const walBytes = statSync(`${path}-wal`).size;
      const done = await checkpoints.now();
      // SQLite's default would have checkpointed in a commit at 1,000 pages and started the log again.
      assert.ok(done.log >= 1500, `the log kept all ${done.log} frames of the 1,500 commits (${walBytes} bytes)`);
      assert.equal(done.checkpointed, done.log, 'and the background thread copied every frame');
      assert.equal((db.$client.prepare('select count(*) as n from t').get() as { n: number }).n, 1500);
      // With the log copied, the next commit starts it over instead of growing it.
      await db.run(sql`insert into t (payload) values ('again')`);
      assert.ok((await checkpoints.now()).log < 10, 'the log started over');
    } finally {
      await checkpoints.stop();
      db.$client.close();
    }
  });
});
