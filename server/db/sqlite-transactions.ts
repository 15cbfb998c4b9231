import type Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { SQLiteTransaction } from 'drizzle-orm/sqlite-core';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db, Tx } from './types';

/** A Drizzle prepared query on better-sqlite3: its statement and the ways to run it. */
interface PreparedQuery {
  stmt?: Database.Statement;
  run(...args: unknown[]): unknown;
  all(...args: unknown[]): unknown;
  get(...args: unknown[]): unknown;
  values(...args: unknown[]): unknown;
}

/** Drizzle's internals a transaction is built from (a database's dialect and session). */
interface Session {
  client: Database.Database;
  prepareQuery(...args: unknown[]): PreparedQuery;
  prepareOneTimeQuery(...args: unknown[]): PreparedQuery;
}
interface DrizzleInternals {
  dialect: unknown;
  session: Session;
}

/** Drizzle's transaction class (abstract in its types: each driver subclasses it; the base serves as it is). */
const Transaction = SQLiteTransaction as unknown as new (
  resultType: 'sync',
  dialect: unknown,
  session: unknown,
  schema: undefined,
  nestedIndex?: number,
) => Tx;

/** Takes a turn on the writer connection: runs `work` when every turn asked for before it has ended. */
type Turns = <T>(work: () => T) => Promise<T>;

/**
 * Makes `db.transaction` asynchronous on SQLite, with SQLite's guarantees as before:
 * one writer at a time, its write lock taken when it begins (`BEGIN IMMEDIATE` unless
 * told otherwise, so a second process queues for the busy timeout instead of failing).
 *
 * better-sqlite3 is synchronous and a connection has one transaction, so the writes
 * of this process take turns on the writer connection (a queue): a transaction begins
 * when the one before committed or rolled back, whatever it awaited in between. A
 * write on `db` itself, outside any transaction, is its own transaction as before
 * (autocommit), in its turn. Reads on `db` run on `reader`, a second connection to the
 * same file that sees committed data only (WAL), so a read never observes another
 * request's transaction half done; an in-memory database has one connection (`reader`
 * is `writer`), whose reads may see a transaction in progress.
 *
 * Nested `tx.transaction()` calls are savepoints. A transaction begun, or a write made,
 * on `db` inside a transaction would wait for that transaction, which waits for it:
 * pass the transaction along instead. Under the test runner that mistake is detected
 * and thrown (the check costs every promise of the process, so not in production).
 */
export function useAsyncTransactions(
  db: Db,
  reader: Database.Database,
  writer: Database.Database,
  file: string | undefined,
): void {
  const root = (db as unknown as DrizzleInternals).session;
  const original = { prepareQuery: root.prepareQuery, prepareOneTimeQuery: root.prepareOneTimeQuery };
  // The session transactions and writes run on: Drizzle's over the writer connection.
  const onWriter: DrizzleInternals =
    reader === writer
      ? { dialect: (db as unknown as DrizzleInternals).dialect, session: Object.create(root, descriptors(original)) }
      : (drizzle(writer, { casing: 'snake_case' }) as unknown as DrizzleInternals);

  const queue = file === undefined ? { turn: Promise.resolve() as Promise<unknown> } : queueOf(file);
  const take: Turns = <T>(work: () => T) => {
    if (inside?.getStore())
      throw new Error('A transaction or write began on db inside a transaction: pass the transaction (tx) along.');
    const result = queue.turn.then(() => (inside ? inside.run(true, work) : work())) as Promise<T>;
    queue.turn = result.catch(() => undefined);
    return result;
  };

  for (const method of ['prepareQuery', 'prepareOneTimeQuery'] as const) {
    root[method] = (...args) => {
      const query = original[method].apply(root, args);
      if (!query.stmt || query.stmt.reader) return query;
      return autocommit(original[method].apply(onWriter.session, args), take);
    };
  }

  db.transaction = ((run: (tx: Tx) => unknown, config?: { behavior?: 'deferred' | 'immediate' | 'exclusive' }) =>
    take(async () => {
      const tx = savepoints(new Transaction('sync', onWriter.dialect, onWriter.session, undefined));
      writer.exec(`BEGIN ${(config?.behavior ?? 'immediate').toUpperCase()}`);
      try {
        const result = await run(tx);
        writer.exec('COMMIT');
        return result;
      } catch (error) {
        if (writer.inTransaction) writer.exec('ROLLBACK');
        throw error;
      }
    })) as Db['transaction'];
}

/** Set under the test runner: the flow inside a transaction, to catch one begun inside another. */
const inside = process.env.NODE_TEST_CONTEXT ? new AsyncLocalStorage<true>() : undefined;

/**
 * The turns on one database file, shared by every connection this process opens to it:
 * a second connection's `BEGIN IMMEDIATE` would block the thread while the first
 * transaction, on the same thread, waits for its turn to go on.
 */
const queues = new Map<string, { turn: Promise<unknown> }>();
function queueOf(file: string): { turn: Promise<unknown> } {
  let queue = queues.get(file);
  if (!queue) queues.set(file, (queue = { turn: Promise.resolve() }));
  return queue;
}

/** A write prepared on the writer connection, run in its turn: each way to run it answers a promise. */
function autocommit(query: PreparedQuery, take: Turns): PreparedQuery {
  const queued = Object.create(query) as PreparedQuery;
  for (const method of ['run', 'all', 'get', 'values'] as const) {
    queued[method] = (...args) => take(() => query[method](...args));
  }
  return queued;
}

/** Property descriptors that put a session's own prepare methods back (for a session sharing the connection). */
function descriptors(methods: Pick<Session, 'prepareQuery' | 'prepareOneTimeQuery'>): PropertyDescriptorMap {
  return { prepareQuery: { value: methods.prepareQuery }, prepareOneTimeQuery: { value: methods.prepareOneTimeQuery } };
}

/** Nested transactions on a transaction: savepoints, awaited like the transaction itself. */
function savepoints(tx: Tx, depth = 0): Tx {
  const { dialect, session } = tx as unknown as DrizzleInternals;
  tx.transaction = (async (run: (tx: Tx) => unknown) => {
    const name = `sp${depth}`;
    const nested = savepoints(new Transaction('sync', dialect, session, undefined, depth + 1), depth + 1);
    tx.run(sql.raw(`SAVEPOINT ${name}`));
    try {
      const result = await run(nested);
      tx.run(sql.raw(`RELEASE SAVEPOINT ${name}`));
      return result;
    } catch (error) {
      tx.run(sql.raw(`ROLLBACK TO SAVEPOINT ${name}`));
      tx.run(sql.raw(`RELEASE SAVEPOINT ${name}`));
      throw error;
    }
  }) as unknown as Tx['transaction'];
  return tx;
}
