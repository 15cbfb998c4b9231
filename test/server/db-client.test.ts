import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../server/db/client';
import { tempDatabasePath } from '../helpers/temp-database';

test('a transaction takes the write lock when it begins, so a second process queues instead of breaking it', (t) => {
  const path = tempDatabasePath(t, 'portal-db-');
  const ours = openDatabase(path);
  const theirs = openDatabase(path);
  t.after(() => {
    ours.$client.close();
    theirs.$client.close();
  });
  theirs.$client.pragma('busy_timeout = 50');
  ours.run(sql`create table counters (n integer not null)`);
  ours.run(sql`insert into counters values (0)`);
  let outsider: unknown;
  ours.transaction((tx) => {
    const { n } = tx.get<{ n: number }>(sql`select n from counters`);
    // Another connection writes between our read and our write. With a deferred BEGIN it would
    // win, and our write would fail at once with SQLITE_BUSY (the busy timeout never applies).
    try {
      theirs.run(sql`update counters set n = 100`);
    } catch (error) {
      outsider = error;
    }
    tx.run(sql`update counters set n = ${n + 1}`);
  });
  // Drizzle wraps the driver's error; better-sqlite3's carries SQLite's code.
  assert.equal(
    (outsider as { cause?: { code?: string } })?.cause?.code,
    'SQLITE_BUSY',
    'the other writer waited for our lock',
  );
  assert.equal(theirs.get<{ n: number }>(sql`select n from counters`).n, 1);
  assert.equal(
    theirs.transaction((tx) => tx.get<{ n: number }>(sql`select n from counters`)).n,
    1,
    'reads in transactions still work',
  );
});
