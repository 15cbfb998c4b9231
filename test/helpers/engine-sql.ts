import type Database from 'better-sqlite3';
import type postgres from 'postgres';
import type { Db } from '../../server/db/client';

/**
 * Raw SQL for tests that reach under the services (to break a row, fail a write, list
 * every table), on whichever engine the test context runs: SQLite's handle
 * (`db.$client` is a better-sqlite3 connection) or PostgreSQL's under `npm run test:pg`
 * (a postgres.js pool, a function). Statements given here must be valid on both.
 */
type Handle = { engine: 'sqlite'; client: Database.Database } | { engine: 'pg'; client: postgres.Sql };

function handleOf(db: Db): Handle {
  const client = (db as { $client: unknown }).$client;
  return typeof client === 'function'
    ? { engine: 'pg', client: client as postgres.Sql }
    : { engine: 'sqlite', client: client as Database.Database };
}

/** Whether `db` is PostgreSQL's. */
export const isPostgres = (db: Db) => handleOf(db).engine === 'pg';

/** Runs `statement` (one or more, no parameters). */
export async function execSql(db: Db, statement: string): Promise<void> {
  const handle = handleOf(db);
  if (handle.engine === 'pg') await handle.client.unsafe(statement).simple();
  else handle.client.exec(statement);
}

/** The rows `query` returns (no parameters). */
export async function rowsOf<T = Record<string, unknown>>(db: Db, query: string): Promise<T[]> {
  const handle = handleOf(db);
  if (handle.engine === 'pg') return [...(await handle.client.unsafe(query))] as T[];
  return handle.client.prepare(query).all() as T[];
}

/** The application's tables (not the migrations' bookkeeping), by name. */
export async function tableNames(db: Db): Promise<string[]> {
  const rows = await rowsOf<{ name: string }>(
    db,
    isPostgres(db)
      ? `select table_name as name from information_schema.tables where table_schema = 'public' order by name`
      : `select name from sqlite_master where type = 'table' and name not like '\\_\\_%' escape '\\' and name not like 'sqlite\\_%' escape '\\' order by name`,
  );
  return rows.map((row) => row.name);
}

/** Runs `statement` with foreign keys unchecked, to make a row no write through the services could. */
export async function execWithoutForeignKeys(db: Db, statement: string): Promise<void> {
  const handle = handleOf(db);
  if (handle.engine === 'pg') {
    // Foreign keys are triggers, which the replica role skips: for this one transaction, on its connection.
    await handle.client.begin(async (tx) => {
      await tx.unsafe('set local session_replication_role = replica');
      await tx.unsafe(statement);
    });
  } else {
    handle.client.pragma('foreign_keys = OFF');
    try {
      handle.client.exec(statement);
    } finally {
      handle.client.pragma('foreign_keys = ON');
    }
  }
}

/**
 * Makes every insert into `table` fail with `message` (as a full disk or a bug would),
 * until the returned function is called.
 */
export async function failInserts(db: Db, table: string, message: string): Promise<() => Promise<void>> {
  const name = `fail_${table}`;
  if (isPostgres(db)) {
    await execSql(
      db,
      `create function ${name}() returns trigger language plpgsql as $$ begin raise exception '${message}'; end $$;
       create trigger ${name} before insert on ${table} for each row execute function ${name}();`,
    );
    return () => execSql(db, `drop trigger ${name} on ${table}; drop function ${name}();`);
  }
  await execSql(db, `create trigger ${name} before insert on ${table} begin select raise(abort, '${message}'); end`);
  return () => execSql(db, `drop trigger ${name}`);
}

/** Closes the database's connections, as an outage would. */
export async function closeDatabase(db: Db): Promise<void> {
  const handle = handleOf(db);
  if (handle.engine === 'pg') await handle.client.end({ timeout: 0 });
  else handle.client.close();
}

/**
 * Matches the error of a write that broke the unique index `index` (for `assert.rejects`):
 * SQLite's "UNIQUE constraint failed: table.column", PostgreSQL's 23505 naming the index,
 * which Drizzle wraps as the cause of its "Failed query" error.
 */
export function uniqueViolationOf(table: string, index: string): (error: unknown) => boolean {
  return (error) => {
    const { message, cause } = error as {
      message?: string;
      cause?: { message?: string; code?: string; constraint_name?: string };
    };
    return (
      `${message} ${cause?.message}`.includes(`UNIQUE constraint failed: ${table}.`) ||
      (cause?.code === '23505' && cause.constraint_name === index)
    );
  };
}
