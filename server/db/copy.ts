import Database from 'better-sqlite3';
import { and, asc, eq, getTableColumns, gt, is, or, sql, type Column, type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { toSnakeCase } from 'drizzle-orm/casing';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { getTableConfig as pgConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { createHash } from 'node:crypto';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import postgres from 'postgres';
import type { Logger } from '../lib/logger';
import { migrationsFolder, openDatabase } from './client';
import { openPostgres, type PgDb } from './postgres';
import { redact } from './open';
import * as sqliteSchema from './schema/sqlite';
import * as pgSchema from './schema-pg';

/** A copy that cannot be done, in words for the operator (the CLI prints the message, exit code 1). */
export class CopyError extends Error {
  override name = 'CopyError';
}

/** One end of a copy: a SQLite file or a PostgreSQL database. */
export type Store = { engine: 'sqlite'; path: string } | { engine: 'postgres'; url: string };

/** Rows read and written per query: memory stays flat however big a table is. */
export const PAGE_ROWS = 1000;
/** Values bound per INSERT at most, far below SQLite's (32,766) and PostgreSQL's (65,535) limits. */
const MAX_PARAMETERS = 10_000;

/** A table of the schema on both engines: the same name, columns (by JavaScript key) and primary key. */
export interface CopiedTable {
  name: string;
  sqlite: SQLiteTable;
  pg: PgTable;
  /**
   * The primary key's columns (JavaScript keys), in the key's order: the order rows are
   * read in. A table without a primary key (none today) would be read in the order of all
   * its columns, by offset (`unique` false): its rows need not differ.
   */
  key: string[];
  unique: boolean;
}

/** What a copy did, per table in the order copied: rows and digests read from the source and from the target. */
export interface CopyReport {
  tables: { name: string; sourceRows: number; targetRows: number; sourceDigest: string; targetDigest: string }[];
  /** Whether every table's count and digest agreed (otherwise the copy was rolled back). */
  verified: boolean;
}

/**
 * `postgres://…` / `postgresql://…` is PostgreSQL; `sqlite:<path>` or any other string
 * without a scheme is a SQLite file. Anything else (another scheme, an unparsable URL)
 * answers a sentence saying why.
 */
export function parseStore(value: string): Store | string {
  const trimmed = value.trim();
  if (trimmed === '') return 'The target is empty.';
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      return `"${redact(trimmed)}" is not a valid PostgreSQL URL (postgres://user:password@host:5432/database).`;
    }
    if (!url.hostname) return `"${redact(trimmed)}" names no host (postgres://user:password@host:5432/database).`;
    return { engine: 'postgres', url: trimmed };
  }
  if (/^sqlite:/i.test(trimmed)) {
    const path = trimmed.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    return path ? { engine: 'sqlite', path } : 'sqlite: names no file (sqlite:/path/to/portal.db).';
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(trimmed);
  if (scheme) return `"${scheme[1]}://" is not a database this portal runs on: give a postgres:// URL or a .db file.`;
  return { engine: 'sqlite', path: trimmed };
}

/** A store for messages: the file's absolute path, or the URL without its password. */
export function describeStore(store: Store): string {
  return store.engine === 'sqlite' ? resolve(store.path) : redact(store.url);
}

/**
 * Every table of the schema, parents before children (each table after every table
 * its foreign keys reference), paired with its PostgreSQL twin. Derived from the schema
 * modules' table objects, so a new table is copied without a change here. Throws when
 * the two schemas do not have the same tables and columns (schema-parity.test.ts keeps
 * them so) or the foreign keys form a cycle.
 */
export function copyPlan(): CopiedTable[] {
  const pgByName = new Map<string, PgTable>();
  for (const value of Object.values(pgSchema)) if (is(value, PgTable)) pgByName.set(pgConfig(value).name, value);
  const sqliteTables: SQLiteTable[] = [];
  for (const value of Object.values(sqliteSchema)) if (is(value, SQLiteTable)) sqliteTables.push(value);
  const byName = new Map(sqliteTables.map((table) => [sqliteConfig(table).name, table]));
  const names = [...byName.keys()];
  const missing = [...names.filter((n) => !pgByName.has(n)), ...[...pgByName.keys()].filter((n) => !byName.has(n))];
  if (missing.length > 0) throw new Error(`The SQLite and PostgreSQL schemas differ in tables: ${missing.join(', ')}.`);

  const ordered: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting')
      throw new Error(`The foreign keys form a cycle: ${[...path, name].join(' → ')}.`);
    state.set(name, 'visiting');
    for (const foreignKey of sqliteConfig(byName.get(name)!).foreignKeys) {
      const parent = sqliteConfig(foreignKey.reference().foreignTable).name;
      // A table referencing itself would need its rows in dependency order; none does.
      if (parent === name) throw new Error(`${name} references itself: copying it needs its rows in order.`);
      visit(parent, [...path, name]);
    }
    state.set(name, 'done');
    ordered.push(name);
  };
  for (const name of names) visit(name, []);

  return ordered.map((name) => {
    const sqlite = byName.get(name)!;
    const pg = pgByName.get(name)!;
    const sqliteKeys = Object.keys(getTableColumns(sqlite)).sort();
    const pgKeys = Object.keys(getTableColumns(pg)).sort();
    if (sqliteKeys.join() !== pgKeys.join()) {
      throw new Error(`${name} has other columns on SQLite (${sqliteKeys}) than on PostgreSQL (${pgKeys}).`);
    }
    const key = primaryKeyOf(sqlite);
    return { name, sqlite, pg, key: key ?? Object.keys(getTableColumns(sqlite)), unique: key !== undefined };
  });
}

/** The JavaScript keys of a SQLite table's primary key columns, in the key's order; undefined without one. */
function primaryKeyOf(table: SQLiteTable): string[] | undefined {
  const config = sqliteConfig(table);
  const columns: Column[] = config.primaryKeys[0]?.columns ?? config.columns.filter((column) => column.primary);
  if (columns.length === 0) return undefined;
  const entries = Object.entries(getTableColumns(table));
  return columns.map((column) => entries.find(([, c]) => c === column)![0]);
}

type Row = Record<string, unknown>;

/**
 * A Drizzle database or transaction of either engine, as the copy uses it: select and
 * insert through the table objects, so each engine's encoders map the values.
 */
interface AnyDb {
  select(): {
    from(table: unknown): {
      where(condition: SQL | undefined): {
        orderBy(...columns: SQL[]): { limit(rows: number): Promise<Row[]> & { offset(rows: number): Promise<Row[]> } };
      };
    };
  };
  insert(table: unknown): { values(rows: Row[]): Promise<unknown> };
}

/**
 * The rows of `table` in `copied.key` order, a page at a time: by keyset (each page
 * starts after the last key) when the key is unique, by offset when it is not (both
 * see one snapshot, so no row is skipped or read twice).
 */
async function* pages(db: AnyDb, copied: CopiedTable, engine: 'sqlite' | 'pg', size: number): AsyncGenerator<Row[]> {
  const table = copied[engine];
  const columns = getTableColumns(table) as Record<string, Column>;
  const order = copied.key.map((k) => asc(columns[k]));
  let last: Row | undefined;
  for (let offset = 0; ; offset += size) {
    const query = db
      .select()
      .from(table)
      .where(copied.unique && last ? after(columns, copied.key, last) : undefined)
      .orderBy(...order)
      .limit(size);
    const rows = await (copied.unique ? query : query.offset(offset));
    if (rows.length > 0) yield rows;
    if (rows.length < size) return;
    last = rows.at(-1);
  }
}

/** (k1, k2, …) > (v1, v2, …), spelt out so that each value is bound through its column's encoder. */
function after(columns: Record<string, Column>, key: string[], row: Row): SQL {
  const [first, ...rest] = key;
  if (rest.length === 0) return gt(columns[first], row[first]);
  return or(gt(columns[first], row[first]), and(eq(columns[first], row[first]), after(columns, rest, row)))!;
}

/**
 * A row as plain, engine-independent JSON: dates as epoch milliseconds, bytes as
 * base64, object keys sorted (jsonb does not keep them in order), bigints as strings.
 */
export function normaliseRow(value: unknown): unknown {
  if (value instanceof Date) return value.getTime();
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(normaliseRow);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, normaliseRow((value as Row)[k])]),
    );
  }
  return value;
}

const MODULUS = 1n << 256n;

/** An order-independent digest of rows: the sum of each normalised row's SHA-256, modulo 2^256. */
class Digest {
  rows = 0;
  private sum = 0n;
  add(row: Row): void {
    const hash = createHash('sha256')
      .update(JSON.stringify(normaliseRow(row)))
      .digest('hex');
    this.sum = (this.sum + BigInt(`0x${hash}`)) % MODULUS;
    this.rows++;
  }
  get hex(): string {
    return this.sum.toString(16).padStart(64, '0');
  }
}

/** Reads every page of `table` on `db` into a digest. */
async function digestOf(db: AnyDb, table: CopiedTable, engine: 'sqlite' | 'pg', size: number): Promise<Digest> {
  const digest = new Digest();
  for await (const rows of pages(db, table, engine, size)) for (const row of rows) digest.add(row);
  return digest;
}

export interface CopyOptions {
  /** Where the copy says what it does (migrations applied on the target, each table copied). */
  logger?: Logger;
  /** Rows per page (default PAGE_ROWS); tests page a small database with a few. */
  pageRows?: number;
}

/**
 * Copies every row of the portal database `source` into `target`, which must be the
 * other engine: an empty PostgreSQL database (migrated here by its own migrations, as
 * the server would) or a new SQLite file (made, migrated and renamed into place only
 * when the copy succeeded). The source is read as of one moment (a read transaction);
 * the target is written in one transaction, table by table in foreign-key order and
 * each table in primary-key order, a page at a time; identity sequences are moved past
 * the copied ids; then each table's count and digest are compared on both sides before
 * the commit. Any difference or failure rolls the target back (a CopyError or the
 * database's own error). The migrations journals are not copied: each engine has its own.
 */
export async function copyDatabase(source: Store, target: Store, options: CopyOptions = {}): Promise<CopyReport> {
  if (source.engine === target.engine) {
    throw new CopyError(
      source.engine === 'sqlite'
        ? 'The source and the target are both SQLite: use `db backup` to copy a SQLite database.'
        : 'The source and the target are both PostgreSQL: use pg_dump to copy a PostgreSQL database.',
    );
  }
  const plan = copyPlan();
  const logger = options.logger;
  if (source.engine === 'sqlite') {
    return await readSqlite(source.path, (reader) =>
      writePostgres(target as Extract<Store, { engine: 'postgres' }>, logger, (writer) =>
        copyTables(plan, reader, 'sqlite', writer, 'pg', options),
      ),
    );
  }
  return await readPostgres(source.url, logger, (reader) =>
    writeSqlite((target as Extract<Store, { engine: 'sqlite' }>).path, (writer) =>
      copyTables(plan, reader, 'pg', writer, 'sqlite', options),
    ),
  );
}

async function copyTables(
  plan: CopiedTable[],
  reader: AnyDb,
  from: 'sqlite' | 'pg',
  writer: AnyDb,
  to: 'sqlite' | 'pg',
  { logger, pageRows = PAGE_ROWS }: CopyOptions,
): Promise<CopyReport> {
  const read: Digest[] = [];
  for (const table of plan) {
    const digest = new Digest();
    const columns = Object.keys(getTableColumns(table[to])).length;
    const perInsert = Math.max(1, Math.min(pageRows, Math.floor(MAX_PARAMETERS / columns)));
    const source = pages(reader, table, from, pageRows);
    for (;;) {
      const page = await failing(`read ${table.name} from the source`, () => source.next());
      if (page.done) break;
      for (const row of page.value) digest.add(row);
      for (let i = 0; i < page.value.length; i += perInsert) {
        const rows = page.value.slice(i, i + perInsert);
        await failing(`write ${table.name} into the target`, () =>
          to === 'pg' ? insertPgRows(writer, table.pg, rows) : writer.insert(table[to]).values(rows),
        );
      }
    }
    read.push(digest);
    logger?.info('Copied table', { table: table.name, rows: digest.rows });
  }
  if (to === 'pg') await moveIdentities(plan, writer as unknown as PgDb);
  const tables = [];
  for (const [i, table] of plan.entries()) {
    const written = await digestOf(writer, table, to, pageRows);
    tables.push({
      name: table.name,
      sourceRows: read[i].rows,
      targetRows: written.rows,
      sourceDigest: read[i].hex,
      targetDigest: written.hex,
    });
  }
  const verified = tables.every((t) => t.sourceRows === t.targetRows && t.sourceDigest === t.targetDigest);
  if (!verified) throw new VerifyError({ tables, verified });
  return { tables, verified };
}

/**
 * Runs a step of the copy; when the database fails it, throws a CopyError with the
 * database's own words (Drizzle's "Failed query" error would print the rows' values).
 */
async function failing<T>(step: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CopyError) throw error;
    const { message, cause } = error as Error & { cause?: Error };
    throw new CopyError(
      `Could not ${step}: ${cause?.message ?? message}. Nothing was written to the target (the copy was rolled back).`,
    );
  }
}

/** The copy read back from the target differs from the source: the report says where; the target is rolled back. */
export class VerifyError extends CopyError {
  override name = 'VerifyError';
  constructor(readonly report: CopyReport) {
    const differing = report.tables.filter((t) => t.sourceRows !== t.targetRows || t.sourceDigest !== t.targetDigest);
    super(
      `The copy differs from the source in ${differing.map((t) => t.name).join(', ')}; ` +
        'nothing was written to the target (rolled back).',
    );
  }
}

/** The database column name of a Drizzle column under the snake_case casing the portal uses. */
function columnName(column: Column): string {
  return (column as Column & { keyAsName?: boolean }).keyAsName ? toSnakeCase(column.name) : column.name;
}

/**
 * Rows into a PostgreSQL table as one `INSERT … VALUES (…), (…)` written here, each value
 * encoded by its column as Drizzle's insert would (dates, JSON, booleans): Drizzle
 * builds the same statement at ~4,000 rows a second, most of it spent telling its own
 * objects apart; this one goes several times as fast.
 */
async function insertPgRows(writer: AnyDb, table: PgTable, rows: Row[]): Promise<void> {
  const client = (writer as unknown as { session: { client: postgres.Sql } }).session.client;
  const columns = Object.entries(getTableColumns(table)) as [string, Column][];
  const names = columns.map(([, column]) => `"${columnName(column)}"`).join(', ');
  const params: unknown[] = [];
  const tuples = rows.map((row) => {
    const places = columns.map(([key, column]) => {
      const value = row[key];
      params.push(value === null || value === undefined ? null : column.mapToDriverValue(value));
      return `$${params.length}`;
    });
    return `(${places.join(', ')})`;
  });
  await client.unsafe(
    `insert into "${pgConfig(table).name}" (${names}) values ${tuples.join(', ')}`,
    params as never[],
  );
}

/** Moves each identity column's sequence past the largest id copied, so the next insert gets a fresh one. */
async function moveIdentities(plan: CopiedTable[], tx: PgDb): Promise<void> {
  for (const table of plan) {
    for (const column of pgConfig(table.pg).columns) {
      if (!column.generatedIdentity) continue;
      const tableName = pgConfig(table.pg).name;
      const name = columnName(column);
      await tx.execute(
        sql`select setval(pg_get_serial_sequence(${tableName}, ${name}),
          coalesce((select max(${sql.identifier(name)}) from ${sql.identifier(tableName)}), 0) + 1, false)`,
      );
    }
  }
}

/**
 * Reads the SQLite database at `path` inside one read transaction on a connection of
 * its own, opened read-only: every read sees the database as of the first one, while a
 * running server keeps writing (WAL). Refuses a file that is not a portal database or
 * whose migrations are not exactly this version's (the table objects would not match).
 */
async function readSqlite<T>(path: string, work: (reader: AnyDb) => Promise<T>): Promise<T> {
  const file = resolve(path);
  if (!existsSync(file)) throw new CopyError(`There is no database at ${file}.`);
  let connection: Database.Database;
  try {
    connection = new Database(file, { readonly: true, fileMustExist: true });
    connection.pragma('busy_timeout = 5000');
  } catch (error) {
    throw new CopyError(`Cannot open the database at ${file}: ${(error as Error).message}`);
  }
  try {
    connection.exec('BEGIN');
    // The first read takes the snapshot every later read of this transaction sees.
    checkMigrations(connection, file);
    const result = await work(drizzle(connection, { casing: 'snake_case' }) as unknown as AnyDb);
    connection.exec('COMMIT');
    return result;
  } finally {
    connection.close();
  }
}

/** Refuses a SQLite database that is not a portal database or not at this version's last migration. */
function checkMigrations(connection: Database.Database, file: string): void {
  let last: number | null;
  try {
    const table = connection
      .prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = '__drizzle_migrations'")
      .get();
    if (!table) throw new CopyError(`${file} is not a portal database (it has no migrations table).`);
    last = (connection.prepare('SELECT max(created_at) AS last FROM __drizzle_migrations').get() as { last: number })
      .last;
  } catch (error) {
    if (error instanceof CopyError) throw error;
    throw new CopyError(`${file} cannot be read as a portal database: ${(error as Error).message}`);
  }
  const known = readMigrationFiles({ migrationsFolder }).at(-1)?.folderMillis ?? 0;
  if (Number(last) > known) {
    throw new CopyError(`${file} was written by a newer version of the portal; copy it with that version.`);
  }
  if (Number(last) < known) {
    throw new CopyError(
      `${file} lacks this version's newest migrations: start the server on it once (it migrates on start), then copy.`,
    );
  }
}

/** Opens (and migrates) the PostgreSQL database at `url`, failing with the operator's words when it cannot. */
async function connectPostgres(url: string, logger: Logger | undefined): Promise<PgDb> {
  try {
    return await openPostgres(url, { poolSize: 1, logger: logger ?? silent });
  } catch (error) {
    throw new CopyError(`Cannot open the PostgreSQL database at ${redact(url)}: ${(error as Error).message}`);
  }
}

const silent: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/**
 * Reads the PostgreSQL database at `url` in one repeatable-read, read-only transaction:
 * one snapshot. Refuses a database without the portal's migrations table before
 * opening it (opening migrates, and would make portal tables in someone else's database).
 */
async function readPostgres<T>(url: string, logger: Logger | undefined, work: (reader: AnyDb) => Promise<T>) {
  const probe = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [{ found }] = await probe<
      { found: string | null }[]
    >`select to_regclass('drizzle.__drizzle_migrations') as found`;
    if (found === null) {
      throw new CopyError(
        `The PostgreSQL database at ${redact(url)} is not a portal database (it has no migrations table).`,
      );
    }
  } catch (error) {
    if (error instanceof CopyError) throw error;
    throw new CopyError(`Cannot open the PostgreSQL database at ${redact(url)}: ${(error as Error).message}`);
  } finally {
    await probe.end();
  }
  const db = await connectPostgres(url, logger);
  try {
    return await db.transaction((tx) => work(tx as unknown as AnyDb), {
      isolationLevel: 'repeatable read',
      accessMode: 'read only',
    });
  } finally {
    await db.$client.end();
  }
}

/**
 * Writes into the PostgreSQL database at `url` in one transaction, after checking in
 * it that no portal table has a row (the tables are locked first, so no server can add
 * one between the check and the copy).
 */
async function writePostgres<T>(
  target: { url: string },
  logger: Logger | undefined,
  work: (writer: AnyDb) => Promise<T>,
): Promise<T> {
  const db = await connectPostgres(target.url, logger);
  try {
    const result = await db.transaction(async (tx) => {
      const names = copyPlan().map((t) => t.name);
      await tx.execute(sql.raw(`lock table ${names.map((n) => `"${n}"`).join(', ')} in exclusive mode`));
      const filled: string[] = [];
      for (const name of names) {
        const found = await tx.execute(sql`select 1 from ${sql.identifier(name)} limit 1`);
        if (found.length > 0) filled.push(name);
      }
      if (filled.length > 0) {
        throw new CopyError(
          `The PostgreSQL database at ${redact(target.url)} is not empty (rows in ${filled.join(', ')}); ` +
            'copy into an empty database.',
        );
      }
      return await work(tx as unknown as AnyDb);
    });
    // Statistics for the planner now, not when autovacuum gets round to it: right after a copy
    // of 100k orders, a server's reads ran at 36 a second on plans made without them.
    await db.execute(sql`analyze`);
    return result;
  } finally {
    await db.$client.end();
  }
}

/**
 * Writes a new SQLite database at `path`: made and migrated under a temporary name
 * beside it, filled in one transaction, and renamed to `path` only when the copy
 * succeeded (a failed copy leaves no file). An existing `path` is refused.
 */
async function writeSqlite<T>(path: string, work: (writer: AnyDb) => Promise<T>): Promise<T> {
  const file = resolve(path);
  if (existsSync(file)) throw new CopyError(`${file} exists; copy into a new file.`);
  if (!existsSync(dirname(file))) throw new CopyError(`The folder ${dirname(file)} does not exist.`);
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  const removeTemporary = () => {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(temporary + suffix, { force: true });
  };
  removeTemporary();
  try {
    const db = openDatabase(temporary);
    let result: T;
    try {
      result = await db.transaction((tx) => work(tx as unknown as AnyDb));
    } finally {
      db.$client.close();
    }
    // One self-contained file, without a -wal beside it, as `db backup` writes (the server turns WAL back on).
    const connection = new Database(temporary, { fileMustExist: true });
    try {
      connection.pragma('journal_mode = DELETE');
    } finally {
      connection.close();
    }
    if (existsSync(file)) throw new CopyError(`${file} appeared during the copy; copy into a new file.`);
    renameSync(temporary, file);
    return result;
  } finally {
    removeTemporary();
  }
}
