import { first } from '../../server/db/query';
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { openDatabase } from '../../server/db/client';
import { insertRow, updateById } from '../../server/db/prepared';
import { bool, timestamp } from '../../server/db/schema/columns';
import { tempDatabasePath } from '../helpers/temp-database';

/** A table with every kind of column the schema uses: dates, booleans, JSON, defaults, nullable ones. */
const samples = sqliteTable('prepared_samples', {
  id: text().primaryKey(),
  at: timestamp(),
  createdAt: timestamp().notNull(),
  flag: bool().notNull().default(false),
  maybe: bool(),
  data: text({ mode: 'json' }).$type<{ a: number }>(),
  tags: text({ mode: 'json' }).$type<string[]>().notNull().default([]),
  status: text({ enum: ['open', 'closed'] })
    .notNull()
    .default('open'),
  n: integer(),
  note: text(),
});

async function setUp(t: TestContext) {
  const db = openDatabase(tempDatabasePath(t, 'portal-prepared-'));
  t.after(() => db.$client.close());
  db.run(sql`create table prepared_samples (id text primary key, at integer, created_at integer not null,
    flag integer not null default 0, maybe integer, data text, tags text not null default '[]',
    status text not null default 'open', n integer, note text)`);
  const raw = (id: string) =>
    db.$client.prepare('select * from prepared_samples where id = ?').get(id) as Record<string, unknown> | undefined;
  return { db, raw };
}

const rows: (typeof samples.$inferInsert)[] = [
  { id: 'full', at: new Date(1_700_000_000_123), createdAt: new Date(5), flag: true, maybe: false, data: { a: 1 } },
  { id: 'nulls', at: null, createdAt: new Date(0), maybe: null, data: null, n: null, note: null },
  { id: 'defaults', createdAt: new Date(7), tags: ['x'], status: 'closed', n: 0, note: '' },
];

test('insertRow stores a row exactly as Drizzle’s insert does, and returns it as a select reads it', async (t) => {
  const { db, raw } = await setUp(t);
  for (const row of rows) {
    const returned = await insertRow(db, samples, row);
    const ours = raw(row.id);
    const read = first(await db.select().from(samples).where(eq(samples.id, row.id)));
    await db.delete(samples).where(eq(samples.id, row.id));
    await db.insert(samples).values(row);
    assert.deepEqual(ours, raw(row.id), `${row.id}: the stored values`);
    assert.deepEqual(returned, read, `${row.id}: the returned row`);
  }
  // In a transaction, on the same connection: rolled back with it.
  await assert.rejects(
    async () =>
      await db.transaction(async (tx) => {
        await insertRow(tx, samples, { id: 'rolled-back', createdAt: new Date() });
        throw new Error('roll back');
      }),
  );
  assert.equal(raw('rolled-back'), undefined);
});

test('updateById writes changes exactly as Drizzle’s update does, leaving undefined values out', async (t) => {
  const { db, raw } = await setUp(t);
  const changes: Partial<typeof samples.$inferInsert>[] = [
    { at: null, flag: true, data: null, note: undefined },
    { at: new Date(42), maybe: false, data: { a: 2 }, tags: [] },
    { n: 3, status: 'closed' },
  ];
  for (const change of changes) {
    await insertRow(db, samples, { ...rows[0], id: 'ours' });
    await insertRow(db, samples, { ...rows[0], id: 'theirs' });
    assert.equal(await updateById(db, samples, 'ours', change), 1);
    await db.update(samples).set(change).where(eq(samples.id, 'theirs'));
    assert.deepEqual({ ...raw('ours'), id: '' }, { ...raw('theirs'), id: '' }, JSON.stringify(change));
    await db.delete(samples);
  }
  assert.equal(await updateById(db, samples, 'unknown', { n: 1 }), 0, 'no such row: nothing changed');
});

test('insertRow refuses to leave out a column whose default Drizzle computes, rather than store null in its place', async (t) => {
  const db = openDatabase(tempDatabasePath(t, 'portal-prepared-'));
  t.after(() => db.$client.close());
  db.run(sql`create table computed_samples (id text primary key, code text not null)`);
  const computed = sqliteTable('computed_samples', {
    id: text().primaryKey(),
    code: text()
      .notNull()
      .$defaultFn(() => 'c'),
  });
  await assert.rejects(
    async () => await insertRow(db, computed, { id: 'a' }),
    /computed_samples\.code has a computed default/,
  );
  assert.deepEqual(await insertRow(db, computed, { id: 'b', code: 'given' }), { id: 'b', code: 'given' });
  assert.deepEqual(await db.select().from(computed), [{ id: 'b', code: 'given' }]);
});
