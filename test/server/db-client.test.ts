import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { migrationsFolder, openDatabase } from '../../server/db/client';
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

test('a database migrated from the old layout (migrations in drizzle/) opens with drizzle/sqlite/, applying only what it lacks', (t) => {
  const path = tempDatabasePath(t, 'portal-db-');
  // An older release: its migrations at drizzle/ (here the first five of today's), applied and written to.
  const old = join(dirname(path), 'drizzle');
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  const applied = journal.entries.slice(0, 5);
  mkdirSync(join(old, 'meta'), { recursive: true });
  writeFileSync(join(old, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: applied }));
  for (const { tag } of applied) copyFileSync(join(migrationsFolder, `${tag}.sql`), join(old, `${tag}.sql`));
  const before = drizzle(new Database(path), { casing: 'snake_case' });
  migrate(before, { migrationsFolder: old });
  before.run(sql`insert into stores (id, name, api_user, api_password_hash, created_at, updated_at)
                 values ('st_old', 'Old', 'old', 'hash', 0, 0)`);
  before.$client.close();

  const db = openDatabase(path);
  t.after(() => db.$client.close());
  assert.equal(db.get<{ n: number }>(sql`select count(*) as n from __drizzle_migrations`).n, journal.entries.length);
  assert.equal(db.get<{ name: string }>(sql`select name from stores where id = 'st_old'`).name, 'Old');
  // Opening it again applies nothing (a migration applied twice would fail: its tables exist).
  openDatabase(path).$client.close();
  assert.equal(db.get<{ n: number }>(sql`select count(*) as n from __drizzle_migrations`).n, journal.entries.length);
});
