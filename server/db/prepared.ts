import type Database from 'better-sqlite3';
import { eq, getTableColumns, getTableName, is, sql, SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db, DbOrTx } from './types';

const roots = new WeakMap<Database.Database, Db>();
const cache = new WeakMap<Db, Map<string, unknown>>();

/** Registers a database so statements prepared on it serve its transactions too (client.ts calls it). */
export function registerDatabase(db: Db): void {
  roots.set(db.$client, db);
}

/** The database a handle belongs to: itself, or for a transaction the database it runs on. */
function rootOf(db: DbOrTx): Db | undefined {
  if ('$client' in db) return db as Db;
  // Drizzle keeps the connection on the transaction's session; it is the same better-sqlite3 connection.
  const client = (db as unknown as { session?: { client?: Database.Database } }).session?.client;
  return client ? roots.get(client) : undefined;
}

/**
 * A statement prepared once per database and reused, for hot paths: building a
 * query with Drizzle and preparing it in SQLite costs several times more than
 * running it. `build` receives the database to build on; the statement also runs
 * inside that database's transactions (same connection, so it sees and takes part
 * in the transaction).
 */
export function prepared<T>(db: DbOrTx, key: string, build: (db: Db) => T): T {
  const root = rootOf(db);
  if (!root) return build(db as Db);
  let statements = cache.get(root);
  if (!statements) cache.set(root, (statements = new Map()));
  let statement = statements.get(key) as T | undefined;
  if (statement === undefined) {
    statement = build(root);
    statements.set(key, statement);
  }
  return statement;
}

/** A column as the helpers below use it: its default and its encoder (dates, booleans, JSON). */
interface EncodingColumn {
  default?: unknown;
  /** Drizzle's `$defaultFn` / `$onUpdateFn`: computed in JavaScript by its own insert, which these helpers do not imitate. */
  defaultFn?: unknown;
  onUpdateFn?: unknown;
  mapToDriverValue(value: unknown): unknown;
}

/** A row's value for a column as SQLite stores it: Drizzle's own encoding, null as null, a constant default for a value left out. */
function encode(column: EncodingColumn, value: unknown, table: string, key: string): unknown {
  if (value === undefined) {
    if (is(column.default, SQL) || column.defaultFn || column.onUpdateFn)
      throw new Error(`insertRow: ${table}.${key} has a computed default; give it a value`);
    value = column.default ?? null;
  }
  return value === null ? null : column.mapToDriverValue(value);
}

interface RowInsert {
  statement: Database.Statement;
  /** The table's columns in the statement's parameter order, by property name. */
  columns: [string, EncodingColumn][];
}

/**
 * Inserts a whole row through an INSERT of every column, prepared once per database
 * and table and run on the connection itself: for hot paths, where building the
 * insert with Drizzle and compiling it in SQLite costs several times more than
 * running it. Values are encoded as Drizzle's insert encodes them; a column left out
 * gets its (constant) default, or null. Returns the row as stored, as a select would
 * read it. Runs inside the caller's transaction when given one (same connection).
 */
export function insertRow<T extends SQLiteTable>(db: DbOrTx, table: T, row: T['$inferInsert']): T['$inferSelect'] {
  const name = getTableName(table);
  // A connection opened elsewhere (not through openDatabase): Drizzle's own insert.
  if (!rootOf(db)) return (db as Db).insert(table).values(row).returning().get() as T['$inferSelect'];
  const insert = prepared(db, `insert-row:${name}`, (root): RowInsert => {
    const columns = Object.entries(getTableColumns(table)) as [string, EncodingColumn][];
    const values = Object.fromEntries(columns.map(([key]) => [key, sql`${sql.placeholder(key)}`]));
    const query = root
      .insert(table)
      .values(values as never)
      .toSQL();
    const order = query.params.map((param) => (param as { name: string }).name);
    const byKey = new Map(columns);
    return { statement: root.$client.prepare(query.sql), columns: order.map((key) => [key, byKey.get(key)!]) };
  });
  const source = row as Record<string, unknown>;
  const stored: Record<string, unknown> = {};
  const params = insert.columns.map(([key, column]) => {
    const value = source[key] === undefined ? (column.default ?? null) : source[key];
    stored[key] = value;
    return encode(column, source[key], name, key);
  });
  insert.statement.run(params);
  return stored as T['$inferSelect'];
}

/**
 * Updates columns of the row with id `id` through a statement prepared once per
 * set of columns changed, encoding values as Drizzle does. `extra` are SQL
 * assignments the caller always adds for that set (a version bump); undefined
 * values are left out, as Drizzle's `set` leaves them out.
 */
export function updateById<T extends SQLiteTable & { id: SQLiteColumn }>(
  db: DbOrTx,
  table: T,
  id: string,
  changes: Partial<T['$inferInsert']>,
  extra: Record<string, SQL> = {},
): number {
  const name = getTableName(table);
  const entries = Object.entries(changes).filter(([, value]) => value !== undefined);
  const keys = entries.map(([key]) => key);
  const statement = prepared(db, `update-by-id:${name}:${keys.join(',')}:${Object.keys(extra).join(',')}`, (root) =>
    root
      .update(table)
      .set({ ...Object.fromEntries(keys.map((key) => [key, sql`${sql.placeholder(key)}`])), ...extra } as never)
      .where(eq(table.id, sql.placeholder('id')))
      .prepare(),
  );
  const columns = getTableColumns(table) as Record<string, EncodingColumn>;
  const values: Record<string, unknown> = { id };
  for (const [key, value] of entries) values[key] = encode(columns[key], value, name, key);
  return statement.run(values).changes;
}
