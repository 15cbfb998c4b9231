import type Database from 'better-sqlite3';
import { eq, getTableColumns, getTableName, is, sql, SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { isPostgres, isTransaction } from './engine';
import { affected, first } from './query';
import type { Db, DbOrTx } from './types';

/** A handle's Drizzle session: one per connection on SQLite, shared by the transactions run on it; one per transaction on PostgreSQL. */
type Session = { client: Database.Database; prepareQuery(...args: unknown[]): PgPrepared };
const cache = new WeakMap<object, Map<string, unknown>>();

const sessionOf = (db: DbOrTx): Session => (db as unknown as { session: Session }).session;

/**
 * A statement prepared once and reused, for hot paths: building a query with Drizzle
 * (and, on SQLite, preparing it) costs several times more than running it. `build`
 * receives the handle to build on and returns Drizzle's prepared query.
 *
 * On SQLite the statement serves every handle on the same connection: the database's
 * reads, or the transactions on its writer connection (so it sees and takes part in
 * the transaction). On PostgreSQL a transaction is a session of its own, on a
 * connection of the pool: what is kept is the query Drizzle built (its SQL, parameters
 * and result mapping), bound to the handle's session at each run, under a name, so the
 * driver also prepares it once per connection in PostgreSQL.
 */
export function prepared<T>(db: DbOrTx, key: string, build: (db: Db) => T): T {
  if (isPostgres(db)) return preparedOnPostgres(db, key, build as unknown as (db: Db) => PgPrepared) as T;
  const session = sessionOf(db);
  let statements = cache.get(session);
  if (!statements) cache.set(session, (statements = new Map()));
  let statement = statements.get(key) as T | undefined;
  if (statement === undefined) statements.set(key, (statement = build(db as Db)));
  return statement;
}

/** A statement Drizzle prepared on PostgreSQL: run with `execute`, always asynchronously. */
interface PgPrepared {
  execute(values?: Record<string, unknown>): Promise<unknown>;
}

/** What Drizzle's builder gave its session's `prepareQuery`: the query built once, to bind to any session. */
type PreparedQueryArgs = unknown[];

function preparedOnPostgres(db: DbOrTx, key: string, build: (db: Db) => PgPrepared) {
  // The dialect is the database's, shared by all its transactions' sessions.
  const dialect = (db as unknown as { dialect: object }).dialect;
  let queries = cache.get(dialect) as Map<string, PreparedQueryArgs> | undefined;
  if (!queries) cache.set(dialect, (queries = new Map()));
  let args = queries.get(key);
  if (args === undefined) {
    args = capturePrepareQuery(db, build);
    // Named: the driver prepares it in PostgreSQL once per connection (unnamed, it is parsed at every run).
    args[2] = key;
    queries.set(key, args);
  }
  return runsLikeSQLite(sessionOf(db).prepareQuery(...args));
}

/** Builds the query on `db`, catching the arguments its builder passes the session's `prepareQuery`. */
function capturePrepareQuery(db: DbOrTx, build: (db: Db) => PgPrepared): PreparedQueryArgs {
  const session = sessionOf(db);
  let captured: PreparedQueryArgs | undefined;
  const own = Object.getPrototypeOf(session) as Session;
  session.prepareQuery = (...args: unknown[]) => {
    captured = args;
    return own.prepareQuery.apply(session, args);
  };
  try {
    build(db as Db);
  } finally {
    delete (session as Partial<Session>).prepareQuery;
  }
  if (!captured) throw new Error('prepared: the builder did not prepare a query');
  return captured;
}

/**
 * A PostgreSQL statement answering SQLite's ways to run one (`get`, `all`, `run`),
 * which the services use and await: `get` the first row, `all` the rows, `run` the
 * result (its `count` read by `affected`).
 */
function runsLikeSQLite(statement: PgPrepared) {
  return {
    get: async (values?: Record<string, unknown>) => first((await statement.execute(values)) as unknown[]),
    all: (values?: Record<string, unknown>) => statement.execute(values),
    run: (values?: Record<string, unknown>) => statement.execute(values),
  };
}

/** A column as the helpers below use it: its default and its encoder (dates, booleans, JSON). */
interface EncodingColumn {
  default?: unknown;
  /** Drizzle's `$defaultFn` / `$onUpdateFn`: computed in JavaScript by its own insert, which these helpers do not imitate. */
  defaultFn?: unknown;
  onUpdateFn?: unknown;
  /** PostgreSQL's identity columns (numbered by the database). */
  generatedIdentity?: unknown;
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
export async function insertRow<T extends SQLiteTable>(
  db: DbOrTx,
  table: T,
  row: T['$inferInsert'],
): Promise<T['$inferSelect']> {
  // Run on the connection itself, so on a transaction's (the database's own writes take their turn in one).
  if (!isTransaction(db)) return await db.transaction((tx) => insertRow(tx, table, row));
  if (isPostgres(db)) return await insertPgRow(db, table, row);
  const name = getTableName(table);
  const insert = prepared(db, `insert-row:${name}`, (root): RowInsert => {
    const columns = Object.entries(getTableColumns(table)) as [string, EncodingColumn][];
    const values = Object.fromEntries(columns.map(([key]) => [key, sql`${sql.placeholder(key)}`]));
    const query = root
      .insert(table)
      .values(values as never)
      .toSQL();
    const order = query.params.map((param) => (param as { name: string }).name);
    const byKey = new Map(columns);
    return {
      statement: sessionOf(root).client.prepare(query.sql),
      columns: order.map((key) => [key, byKey.get(key)!]),
    };
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
 * {@link insertRow} on PostgreSQL: Drizzle's insert of the row's columns, prepared once
 * per table and set of columns, returning the row as stored. An identity column the row
 * leaves out is numbered by the database; any other column left out gets its constant
 * default, as on SQLite.
 */
async function insertPgRow<T extends SQLiteTable>(
  db: DbOrTx,
  table: T,
  row: T['$inferInsert'],
): Promise<T['$inferSelect']> {
  const name = getTableName(table);
  const source = row as Record<string, unknown>;
  const columns = (Object.entries(getTableColumns(table)) as [string, EncodingColumn][]).filter(
    ([key, column]) => source[key] !== undefined || !column.generatedIdentity,
  );
  const keys = columns.map(([key]) => key);
  const insert = prepared(db, `insert-row:${name}:${keys.join(',')}`, (root) =>
    root
      .insert(table)
      .values(Object.fromEntries(keys.map((key) => [key, sql`${sql.placeholder(key)}`])) as never)
      .returning()
      .prepare(),
  );
  const values = Object.fromEntries(columns.map(([key, column]) => [key, encode(column, source[key], name, key)]));
  return first((await insert.all(values)) as T['$inferSelect'][]) as T['$inferSelect'];
}

/**
 * Updates columns of the row with id `id` through a statement prepared once per
 * set of columns changed, encoding values as Drizzle does. `extra` are SQL
 * assignments the caller always adds for that set (a version bump); undefined
 * values are left out, as Drizzle's `set` leaves them out.
 */
export async function updateById<T extends SQLiteTable & { id: SQLiteColumn }>(
  db: DbOrTx,
  table: T,
  id: string,
  changes: Partial<T['$inferInsert']>,
  extra: Record<string, SQL> = {},
): Promise<number> {
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
  // Awaited: on the database itself (not a transaction) the write waits for its turn.
  return affected(await statement.run(values));
}
