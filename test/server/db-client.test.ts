import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { migrationsFolder, openDatabase } from '../../server/db/client';
import { first } from '../../server/db/query';
import { tempDatabasePath } from '../helpers/temp-database';

test('a transaction takes the write lock when it begins, so a second process queues instead of breaking it', async (t) => {
  const path = tempDatabasePath(t, 'portal-db-');
  const ours = openDatabase(path);
  // Another process's connection: better-sqlite3 itself, outside this process's turns.
  const theirs = new Database(path);
  t.after(() => {
    ours.$client.close();
    theirs.close();
  });
  theirs.pragma('busy_timeout = 50');
  ours.$client.exec('create table counters (n integer not null); insert into counters values (0)');
  let outsider: unknown;
  await ours.transaction(async (tx) => {
    const { n } = tx.get<{ n: number }>(sql`select n from counters`);
    await new Promise((resolve) => setImmediate(resolve));
    // Another connection writes between our read and our write. With a deferred BEGIN it would
    // win, and our write would fail at once with SQLITE_BUSY (the busy timeout never applies).
    try {
      theirs.prepare('update counters set n = 100').run();
    } catch (error) {
      outsider = error;
    }
    tx.run(sql`update counters set n = ${n + 1}`);
  });
  assert.equal((outsider as { code?: string })?.code, 'SQLITE_BUSY', 'the other writer waited for our lock');
  assert.equal((theirs.prepare('select n from counters').get() as { n: number }).n, 1);
});

test('transactions of one process take turns, whatever they await, and reads outside see only what they committed', async (t) => {
  const path = tempDatabasePath(t, 'portal-db-');
  const db = openDatabase(path);
  t.after(() => db.$client.close());
  db.$client.exec('create table counters (n integer not null); insert into counters values (0)');
  const read = async () => first(await db.all<{ n: number }>(sql`select n from counters`))!.n;
  const seen: number[] = [];
  const increment = () =>
    db.transaction(async (tx) => {
      const { n } = tx.get<{ n: number }>(sql`select n from counters`);
      tx.run(sql`update counters set n = ${n + 1}`);
      // Written, not committed: a read outside the transaction still sees the old value.
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(await read());
      return n + 1;
    });
  const results = await Promise.all(Array.from({ length: 5 }, increment));
  assert.deepEqual(results, [1, 2, 3, 4, 5], 'each began after the one before committed');
  assert.deepEqual(seen, [0, 1, 2, 3, 4], 'and nobody read a write before its commit');
  assert.equal(await read(), 5);
});

test('a write on the database outside a transaction commits on its own, in its turn', async (t) => {
  const path = tempDatabasePath(t, 'portal-db-');
  const db = openDatabase(path);
  t.after(() => db.$client.close());
  db.$client.exec('create table counters (n integer not null); insert into counters values (0)');
  let written = false;
  const slow = db.transaction(async (tx) => {
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(written, false, 'the write waits for the transaction before it');
    tx.run(sql`update counters set n = 10`);
  });
  const write = db.run(sql`update counters set n = n + 1`) as unknown as Promise<unknown>;
  void write.then(() => (written = true));
  await Promise.all([slow, write]);
  assert.equal(first(await db.all<{ n: number }>(sql`select n from counters`))!.n, 11);
});

test('a transaction or a write begun on the database inside a transaction is refused (it would wait for itself)', async (t) => {
  const db = openDatabase(':memory:');
  t.after(() => db.$client.close());
  db.$client.exec('create table counters (n integer not null); insert into counters values (0)');
  await assert.rejects(
    db.transaction(async () => {
      await db.transaction(async () => {});
    }),
    /pass the transaction \(tx\) along/,
  );
  await assert.rejects(
    db.transaction(async () => {
      await db.run(sql`update counters set n = 1`);
    }),
    // Drizzle wraps what the statement threw.
    (error: Error & { cause?: Error }) => /pass the transaction \(tx\) along/.test(error.cause?.message ?? ''),
  );
  assert.equal(first(await db.all<{ n: number }>(sql`select n from counters`))!.n, 0, 'and nothing was written');
});

test('a nested transaction is a savepoint: its failure undoes its own writes only', async (t) => {
  const db = openDatabase(':memory:');
  t.after(() => db.$client.close());
  db.$client.exec('create table counters (n integer not null); insert into counters values (0)');
  await db.transaction(async (tx) => {
    tx.run(sql`update counters set n = 1`);
    await assert.rejects(
      tx.transaction(async (nested) => {
        nested.run(sql`update counters set n = 2`);
        throw new Error('undo the savepoint');
      }),
      /undo the savepoint/,
    );
    assert.equal(tx.get<{ n: number }>(sql`select n from counters`).n, 1);
  });
  assert.equal(first(await db.all<{ n: number }>(sql`select n from counters`))!.n, 1);
});

test('a database migrated from the old layout (migrations in drizzle/) opens with drizzle/sqlite/, applying only what it lacks', async (t) => {
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
