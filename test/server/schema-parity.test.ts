import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { is, SQL, type Column } from 'drizzle-orm';
import {
  getTableConfig as pgConfig,
  index as pgIndex,
  integer as pgInteger,
  PgTable,
  pgTable,
  uniqueIndex as pgUniqueIndex,
} from 'drizzle-orm/pg-core';
import {
  getTableConfig as sqliteConfig,
  index as sqliteIndex,
  integer as sqliteInteger,
  SQLiteTable,
  sqliteTable,
} from 'drizzle-orm/sqlite-core';
import * as sqliteSchema from '../../server/db/schema/sqlite';
import * as pgSchema from '../../server/db/schema-pg';

/**
 * What a column holds, in terms both dialects share (see server/db/schema-pg/index.ts
 * for the mapping). A column type not listed here fails the test until it is mapped.
 */
function kindOf(column: Column): string {
  const sqlType = column.getSQLType();
  switch (column.columnType) {
    case 'SQLiteText':
    case 'PgText':
      return 'text';
    case 'SQLiteTextJson':
    case 'PgJsonb':
      return 'json';
    case 'SQLiteInteger':
    case 'PgInteger':
    case 'PgBigInt53':
      return 'integer';
    case 'SQLiteBoolean':
    case 'PgBoolean':
      return 'boolean';
    case 'SQLiteTimestamp':
      if ((column as Column & { mode?: string }).mode === 'timestamp_ms') return 'timestamp (ms)';
      break;
    case 'SQLiteBlobBuffer':
      return 'bytes';
    case 'PgCustomColumn':
      // server/db/schema-pg/columns.ts: `timestamp` is epoch milliseconds in a bigint, `bytea` is bytes.
      if (sqlType === 'bigint' && column.dataType === 'custom') return 'timestamp (ms)';
      if (sqlType === 'bytea') return 'bytes';
      break;
  }
  throw new Error(`${column.name}: no mapping for ${column.columnType} (${sqlType}); add one to schema-parity.test.ts`);
}

const columnNames = (columns: readonly unknown[]) =>
  columns.map((c) => (is(c, SQL) ? '<expression>' : ((c as { name?: string }).name ?? '<unnamed>')));

type AnyConfig = ReturnType<typeof sqliteConfig> | ReturnType<typeof pgConfig>;

/** A table as both dialects can state it: plain data, for deepEqual to compare and show the difference. */
function describeTable(config: AnyConfig) {
  const byName = <T extends { name: string }>(list: T[]) => list.sort((a, b) => a.name.localeCompare(b.name));
  return {
    columns: Object.fromEntries(
      config.columns.map((column) => [
        column.name,
        {
          kind: kindOf(column),
          notNull: column.notNull,
          primaryKey: column.primary,
          generated: Boolean(
            (column as Column & { autoIncrement?: boolean }).autoIncrement || column.generatedIdentity,
          ),
          default: !column.hasDefault ? 'none' : is(column.default, SQL) ? '<sql>' : column.default,
          enumValues: column.enumValues ?? null,
        },
      ]),
    ),
    primaryKey: config.primaryKeys.map((key) => columnNames(key.columns)),
    indexes: byName(
      config.indexes.map(({ config: index }) => ({
        name: index.name ?? '<unnamed>',
        columns: columnNames(index.columns),
        unique: index.unique,
        partial: Boolean(index.where),
      })),
    ),
    uniqueConstraints: byName(
      config.uniqueConstraints.map((unique) => ({
        name: unique.name ?? '<unnamed>',
        columns: columnNames(unique.columns),
      })),
    ),
    foreignKeys: byName(
      config.foreignKeys.map((key) => {
        const reference = key.reference();
        const foreignTable = 'getSQL' in reference.foreignTable ? tableName(reference.foreignTable) : '?';
        return {
          name: key.getName(),
          columns: columnNames(reference.columns),
          foreignTable,
          foreignColumns: columnNames(reference.foreignColumns),
          onDelete: key.onDelete ?? 'no action',
          onUpdate: key.onUpdate ?? 'no action',
        };
      }),
    ),
  };
}

function tableName(table: SQLiteTable | PgTable): string {
  return is(table, SQLiteTable) ? sqliteConfig(table).name : pgConfig(table as PgTable).name;
}

const sqliteTables = new Map(
  (Object.values(sqliteSchema) as unknown[])
    .filter((value): value is SQLiteTable => is(value, SQLiteTable))
    .map((table) => [sqliteConfig(table).name, table]),
);
const pgTables = new Map(
  (Object.values(pgSchema) as unknown[])
    .filter((value): value is PgTable => is(value, PgTable))
    .map((table) => [pgConfig(table).name, table]),
);

describe('the SQLite and PostgreSQL schemas (server/db/schema, server/db/schema-pg)', () => {
  test('have the same tables', () => {
    assert.ok(sqliteTables.size > 10, 'the SQLite schema was read');
    assert.deepEqual([...pgTables.keys()].sort(), [...sqliteTables.keys()].sort());
  });

  for (const [name, sqliteTable] of sqliteTables) {
    test(`${name}: the same columns, kinds, nullability, defaults, keys, indexes and unique constraints`, () => {
      const pgTable = pgTables.get(name);
      assert.ok(pgTable, `no table ${name} in server/db/schema-pg`);
      const pg = describeTable(pgConfig(pgTable));
      const sqlite = describeTable(sqliteConfig(sqliteTable));
      assert.deepEqual(Object.keys(pg.columns).sort(), Object.keys(sqlite.columns).sort(), `${name}: column names`);
      for (const section of Object.keys(sqlite) as (keyof typeof sqlite)[]) {
        assert.deepEqual(pg[section], sqlite[section], `${name}: ${section}`);
      }
    });
  }

  test('the comparison notices a missing column, another nullability, a missing, different or unique index', () => {
    const sqliteOne = sqliteTable('t', { a: sqliteInteger().notNull(), b: sqliteInteger() }, (t) => [
      sqliteIndex('t_a_idx').on(t.a, t.b),
    ]);
    const describePg = (table: PgTable) => describeTable(pgConfig(table));
    const expected = describeTable(sqliteConfig(sqliteOne));
    const same = pgTable('t', { a: pgInteger().notNull(), b: pgInteger() }, (t) => [pgIndex('t_a_idx').on(t.a, t.b)]);
    assert.deepEqual(describePg(same), expected);
    const variants = [
      pgTable('t', { a: pgInteger().notNull() }, (t) => [pgIndex('t_a_idx').on(t.a)]),
      pgTable('t', { a: pgInteger(), b: pgInteger() }, (t) => [pgIndex('t_a_idx').on(t.a, t.b)]),
      pgTable('t', { a: pgInteger().notNull(), b: pgInteger() }),
      pgTable('t', { a: pgInteger().notNull(), b: pgInteger() }, (t) => [pgIndex('t_a_idx').on(t.a)]),
      pgTable('t', { a: pgInteger().notNull(), b: pgInteger() }, (t) => [pgIndex('t_b_idx').on(t.a, t.b)]),
      pgTable('t', { a: pgInteger().notNull(), b: pgInteger() }, (t) => [pgUniqueIndex('t_a_idx').on(t.a, t.b)]),
    ];
    for (const variant of variants) assert.notDeepEqual(describePg(variant), expected);
  });
});
