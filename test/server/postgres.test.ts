import { first } from '../../server/db/query';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eq, is, sql } from 'drizzle-orm';
import { toSnakeCase } from 'drizzle-orm/casing';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { openDatabase, type Db } from '../../server/db/client';
import { openPostgres, pgMigrationsFolder, type PgDb } from '../../server/db/postgres';
import * as sqliteSchema from '../../server/db/schema/sqlite';
import * as pgSchema from '../../server/db/schema-pg';
import type { Logger } from '../../server/lib/logger';
import { normaliseEmail } from '../../server/services/accounts';
import { startPostgres, type Postgres } from '../helpers/postgres';

const at = new Date('2026-03-01T12:34:56.789Z');
const store = (id: string) => ({
  id,
  name: `Store ${id}`,
  apiUser: `user-${id}`,
  apiPasswordHash: 'hash',
  createdAt: at,
  updatedAt: at,
});
const account = (id: string, storeId: string, email: string) => ({
  id,
  storeId,
  email,
  createdAt: at,
  updatedAt: at,
});

/** 'duplicate' when the engine refused the row for a unique index, 'ok' when it took it. */
async function outcome(write: () => unknown): Promise<string> {
  try {
    await write();
    return 'ok';
  } catch (error) {
    // Drizzle wraps postgres.js' error (the code is its cause's); better-sqlite3's comes as it is.
    const { code, cause } = error as { code?: string; cause?: { code?: string } };
    if (cause?.code === '23505') return 'duplicate';
    if (code === 'SQLITE_CONSTRAINT_UNIQUE') return 'duplicate';
    throw error;
  }
}

const journalEntries = () =>
  (JSON.parse(readFileSync(join(pgMigrationsFolder, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] }).entries
    .length;

describe('PostgreSQL (server/db/postgres.ts, on a throwaway cluster)', () => {
  let cluster: Postgres;
  const opened: PgDb[] = [];
  let pgDb: PgDb;
  let sqliteDb: Db;

  before(async () => {
    cluster = await startPostgres();
    sqliteDb = openDatabase(':memory:');
  });

  after(async () => {
    sqliteDb?.$client.close();
    await Promise.all(opened.map((db) => db.$client.end()));
    await cluster?.stop();
  });

  test('three replicas opening the database at once migrate it once, to every table, column and index of the schema', async () => {
    const logs: string[][] = [[], [], []];
    const logger = (lines: string[]): Logger => ({
      info: (message) => lines.push(message),
      warn: (message) => lines.push(message),
      error: (message) => lines.push(message),
    });
    const replicas = await Promise.all(logs.map((lines) => openPostgres(cluster.url, { logger: logger(lines) })));
    opened.push(...replicas);
    pgDb = replicas[0];
    assert.deepEqual(
      logs.map((lines) => lines.filter((line) => line.includes('applied migrations')).length).sort(),
      [0, 0, 1],
      'exactly one replica applied the migrations',
    );
    const [migrations] = await pgDb.execute<{ n: string }>(sql`select count(*) as n from drizzle.__drizzle_migrations`);
    assert.equal(Number(migrations.n), journalEntries());

    // The migrations in drizzle/pg/ made what server/db/schema-pg/ declares (no forgotten `npm run db:generate`).
    const tables = (Object.values(pgSchema) as unknown[])
      .filter((value): value is PgTable => is(value, PgTable))
      .map((table) => getTableConfig(table));
    const declared = tables.flatMap((table) =>
      table.columns.map((c) => `${table.name}.${toSnakeCase(c.name)} ${c.notNull ? 'not null' : 'null'}`),
    );
    const columns = await pgDb.execute<{ line: string }>(
      sql`select table_name || '.' || column_name || case when is_nullable = 'NO' then ' not null' else ' null' end as line
       from information_schema.columns where table_schema = 'public'`,
    );
    assert.deepEqual(columns.map((r) => r.line).sort(), declared.sort());
    const indexes = await pgDb.execute<{ line: string }>(
      sql`select c.relname || case when i.indisunique then ' unique' else ' index' end as line
       from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and not i.indisprimary`,
    );
    assert.deepEqual(
      indexes.map((r) => r.line).sort(),
      tables
        .flatMap((table) => table.indexes.map(({ config }) => `${config.name} ${config.unique ? 'unique' : 'index'}`))
        .sort(),
    );
  });

  test('a second start applies nothing', async () => {
    const lines: string[] = [];
    const again = await openPostgres(cluster.url, {
      poolSize: 1,
      logger: { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) },
    });
    opened.push(again);
    assert.deepEqual(lines, []);
  });

  test('a statement running past DATABASE_STATEMENT_TIMEOUT_MS is cancelled', async () => {
    const limited = await openPostgres(cluster.url, { poolSize: 1, statementTimeoutMs: 100 });
    opened.push(limited);
    await assert.rejects(limited.execute(sql`select pg_sleep(5)`), (error: { cause?: { code?: string } }) => {
      assert.equal(error.cause?.code, '57014', 'query_canceled');
      return true;
    });
    const [row] = await limited.execute<{ ok: number }>(sql`select 1 as ok`);
    assert.equal(row.ok, 1, 'the connection still serves');
  });

  test('email uniqueness per store refuses and accepts the same addresses as on SQLite', async () => {
    const engines = {
      sqlite: async (write: 'store' | 'account', row: Record<string, unknown>) =>
        write === 'store'
          ? await sqliteDb.insert(sqliteSchema.stores).values(row as ReturnType<typeof store>)
          : await sqliteDb.insert(sqliteSchema.accounts).values(row as ReturnType<typeof account>),
      pg: async (write: 'store' | 'account', row: Record<string, unknown>) =>
        write === 'store'
          ? pgDb.insert(pgSchema.stores).values(row as ReturnType<typeof store>)
          : pgDb.insert(pgSchema.accounts).values(row as ReturnType<typeof account>),
    };
    const results: Record<string, string[]> = {};
    for (const [engine, write] of Object.entries(engines)) {
      await write('store', store('s1'));
      await write('store', store('s2'));
      const tries: [string, string][] = [
        ['s1', 'Ann@Example.com'],
        ['s1', ' ANN@example.COM '],
        ['s2', 'ann@example.com'],
        ['s1', 'ÖZGE@example.com'],
        ['s1', 'özge@EXAMPLE.com'],
        ['s1', 'STRASSE@example.com'],
        ['s1', 'straße@example.com'],
      ];
      results[engine] = [];
      for (const [i, [storeId, email]] of tries.entries()) {
        results[engine].push(await outcome(() => write('account', account(`a${i}`, storeId, normaliseEmail(email)))));
      }
    }
    assert.deepEqual(results.sqlite, ['ok', 'duplicate', 'ok', 'ok', 'duplicate', 'ok', 'ok']);
    assert.deepEqual(results.pg, results.sqlite);
  });

  test('JSON columns, money in bigint minor units and timestamps read back the same as on SQLite', async () => {
    const themes = {
      reminderDays: 7,
      nested: { list: [1, 'two', null, { deep: true }], empty: {} },
      text: 'Grüße, 日本, "quotes" and \\ backslash',
      fraction: 0.1,
      largest: Number.MAX_SAFE_INTEGER,
      negative: -42,
    };
    const row = { ...store('json'), checkoutThemes: themes, seller: null };
    await sqliteDb.insert(sqliteSchema.stores).values(row);
    await pgDb.insert(pgSchema.stores).values(row);
    const [fromPg] = await pgDb.select().from(pgSchema.stores).where(eq(pgSchema.stores.id, 'json'));
    const fromSqlite = first(
      await sqliteDb.select().from(sqliteSchema.stores).where(eq(sqliteSchema.stores.id, 'json')),
    )!;
    assert.deepEqual(fromSqlite.checkoutThemes, themes);
    assert.deepEqual(fromPg.checkoutThemes, fromSqlite.checkoutThemes);
    assert.deepEqual(fromPg.allowedOrigins, [], 'the default');
    assert.deepEqual(fromPg.allowedOrigins, fromSqlite.allowedOrigins);
    assert.equal(fromPg.seller, null);
    assert.equal(fromSqlite.seller, null);

    // Past 2^31 minor units (PostgreSQL's `integer`), up to 2^53 - 1, and negative.
    const amounts = { subtotal: 2 ** 31 + 5, discount: -(2 ** 40), tax: 0, total: Number.MAX_SAFE_INTEGER };
    const order = {
      id: 'ord_big',
      storeId: 'json',
      accountId: 'acc_json',
      reference: 'R-1',
      currency: 'IDR',
      ...amounts,
      customerEmail: 'big@example.com',
      completedAt: at,
      createdAt: at,
    };
    await sqliteDb.insert(sqliteSchema.accounts).values(account('acc_json', 'json', 'big@example.com'));
    await pgDb.insert(pgSchema.accounts).values(account('acc_json', 'json', 'big@example.com'));
    await sqliteDb.insert(sqliteSchema.orders).values(order);
    await pgDb.insert(pgSchema.orders).values(order);
    const [pgOrder] = await pgDb.select().from(pgSchema.orders).where(eq(pgSchema.orders.id, 'ord_big'));
    const sqliteOrder = first(
      await sqliteDb.select().from(sqliteSchema.orders).where(eq(sqliteSchema.orders.id, 'ord_big')),
    )!;
    for (const [name, value] of Object.entries(amounts)) {
      assert.equal(sqliteOrder[name as keyof typeof amounts], value, `${name} on SQLite`);
      assert.equal(pgOrder[name as keyof typeof amounts], value, `${name} on PostgreSQL`);
    }

    // A timestamp is the same Date, stored as the same epoch milliseconds.
    assert.equal(pgOrder.completedAt.toISOString(), at.toISOString());
    assert.equal(sqliteOrder.completedAt.toISOString(), at.toISOString());
    const [stored] = await pgDb.execute<{ ms: string }>(
      sql`select completed_at as ms from orders where id = 'ord_big'`,
    );
    const raw = sqliteDb.get<{ ms: number }>(sql`select completed_at as ms from orders where id = 'ord_big'`);
    assert.equal(Number(stored.ms), at.getTime());
    assert.equal(raw.ms, at.getTime());
  });
});
