import type Database from 'better-sqlite3';
import { CasingCache } from 'drizzle-orm/casing';
import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';

/** What a column value looks like to SQLite: dates are epoch ms, booleans 0/1, JSON is text. */
type DriverValue<V> = V extends Date ? number : V extends boolean ? 0 | 1 : V extends object ? string : V;

/**
 * A complete row of `T` as SQLite stores it. Every column is required (nothing is
 * left to a default) and NOT NULL columns cannot be null, so the type checker holds
 * the seeder to the Drizzle schema.
 */
export type RawRow<T extends SQLiteTable> = { [K in keyof T['$inferSelect']]: DriverValue<T['$inferSelect'][K]> };

/**
 * A prepared `INSERT` of whole rows into a Drizzle table, bypassing the query builder
 * (millions of rows must go in within seconds). Column names come from the Drizzle
 * schema with the app's snake_case casing and are checked against the migrated table,
 * so a schema change the migrations lack fails here rather than somewhere later.
 */
export function rowInserter<T extends SQLiteTable>(sqlite: Database.Database, table: T): (row: RawRow<T>) => void {
  const casing = new CasingCache('snake_case');
  const { name, columns } = getTableConfig(table);
  const dbNames = columns.map((column) => casing.getColumnCasing(column));
  const migrated = (sqlite.pragma(`table_info("${name}")`) as { name: string }[]).map((c) => c.name);
  const missing = dbNames.filter((n) => !migrated.includes(n));
  const extra = migrated.filter((n) => !dbNames.includes(n));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(
      `Table ${name} differs from its Drizzle schema: missing ${missing.join(', ') || '–'}, ` +
        `unknown ${extra.join(', ') || '–'}. Run npm run db:generate.`,
    );
  }
  const statement = sqlite.prepare(
    `INSERT INTO "${name}" (${dbNames.map((n) => `"${n}"`).join(', ')}) ` +
      `VALUES (${columns.map(() => '?').join(', ')})`,
  );
  // A generated `(row) => statement.run(row.id, row.storeId, …)`: binding positionally from
  // plain property reads is the fastest way in, and it matters at millions of rows. The
  // names are the schema's own column keys, so nothing outside the code reaches the source.
  const keys = columns.map((column) => column.name);
  const args = columns
    .map((column) => {
      if (!/^[A-Za-z_$][\w$]*$/.test(column.name)) throw new Error(`Column key ${column.name} is not an identifier.`);
      return `row.${column.name}`;
    })
    .join(', ');
  const insert = new Function('statement', `return (row) => { statement.run(${args}); }`)(statement) as (
    row: RawRow<T>,
  ) => void;
  let checked = false;
  return (row) => {
    // tsx does not type-check: make a column the seeder does not know about fail loudly once.
    if (!checked) {
      const absent = keys.filter((key) => (row as Record<string, unknown>)[key] === undefined);
      if (absent.length > 0) throw new Error(`Seed rows for ${name} lack ${absent.join(', ')}.`);
      checked = true;
    }
    insert(row);
  };
}
