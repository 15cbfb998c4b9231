import { createApp } from '../../server/app';
import { openDatabase, type Db } from '../../server/db/client';
import type { TestContext as NodeTestContext } from 'node:test';
import type { PgDb } from '../../server/db/postgres';
import { createServerDeps, type Deps } from '../../server/deps';
import { createDevelopment } from '../../server/dev';
import type { StripeEnv } from '../../server/env';
import { FakeClock } from '../../server/lib/clock';
import { consoleLogger, silentLogger, type Logger } from '../../server/lib/logger';
import { createStore, type ApiCredentials } from '../../server/services/stores/stores';
import { onPostgres, openTestPostgres, reopenTestPostgres } from './pg-databases';
import { tempDatabasePath } from './temp-database';

export interface TestStore {
  id: string;
  credentials: ApiCredentials;
  /** `Authorization` header value for the store's Server API. */
  auth: string;
}

export interface TestContext {
  app: ReturnType<typeof createApp>;
  db: Db;
  clock: FakeClock;
  deps: Deps;
  store: TestStore;
  /** Creates another store (for isolation tests). */
  addStore(id: string, options?: { allowedOrigins?: string[]; portalUrl?: string | null }): Promise<TestStore>;
  /** A Server API request as the given store (default: the first). */
  api(
    method: string,
    path: string,
    body?: unknown,
    options?: { store?: TestStore; headers?: Record<string, string> },
  ): Promise<Response>;
}

export const basic = (c: ApiCredentials) => `Basic ${Buffer.from(`${c.user}:${c.password}`).toString('base64')}`;

/**
 * A fresh, empty, migrated database on the run's engine: in-memory SQLite, or under
 * `npm run test:pg` a PostgreSQL database of its own (pg-databases.ts).
 */
export async function openTestDatabase(options: { trace?: (sql: string) => void } = {}): Promise<Db> {
  // The services are typed against SQLite's Db; openPostgres pointed their tables at PostgreSQL's (schema/index.ts).
  if (onPostgres) return (await openTestPostgres(options)) as unknown as Db;
  return openDatabase(':memory:', options);
}

/**
 * A fresh app over a migrated in-memory database with a fake clock and one store,
 * `shop`. Outside production it has the development routes, as `npm start` does.
 * Under `npm run test:pg` the database is a fresh PostgreSQL one instead (see
 * pg-databases.ts), unless the test asks for a SQLite file with `databasePath`.
 * Without a logger given it logs nothing, or to the console with TEST_LOG=1.
 */
export async function createTestContext(
  options: {
    databasePath?: string;
    now?: string;
    config?: Partial<Deps['config']>;
    /** The interface the server would listen on (default 127.0.0.1); the dev outbox is served on loopback only. */
    host?: string;
    logger?: Logger;
    /** Receives every SQL statement the database runs. */
    trace?: (sql: string) => void;
    /** Run with the Stripe gateway (against the fake Stripe API). */
    stripe?: StripeEnv;
  } = {},
): Promise<TestContext> {
  const db =
    options.databasePath === undefined
      ? await openTestDatabase({ trace: options.trace })
      : openDatabase(options.databasePath, { trace: options.trace });
  const clock = new FakeClock(options.now);
  const deps = await createServerDeps({
    db,
    clock,
    logger: options.logger ?? (process.env.TEST_LOG ? consoleLogger : silentLogger),
    stripe: options.stripe,
    config: { production: false, publicBaseUrl: 'https://portal.test', ...options.config },
  });
  const development = deps.config.production
    ? undefined
    : createDevelopment(deps, { host: options.host ?? '127.0.0.1' });
  const app = createApp(deps, { development });
  const addStore: TestContext['addStore'] = async (id, storeOptions = {}) => {
    const { credentials } = await createStore(db, clock, {
      id,
      name: `Store ${id}`,
      allowedOrigins: storeOptions.allowedOrigins ?? [`https://${id}.example`],
      portalUrl: storeOptions.portalUrl ?? null,
    });
    return { id, credentials, auth: basic(credentials) };
  };
  const store = await addStore('shop');
  const api: TestContext['api'] = async (method, path, body, requestOptions = {}) =>
    app.request(path, {
      method,
      headers: {
        authorization: (requestOptions.store ?? store).auth,
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...requestOptions.headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  return { app, db, clock, deps, store, addStore, api };
}

/**
 * The options of a context whose database a second connection opens with `openAgain`:
 * on SQLite a file in a temporary directory, removed when the test ends; on PostgreSQL
 * nothing more (any pool may open a test database).
 */
export function reopenable(t: NodeTestContext): { databasePath?: string } {
  return onPostgres ? {} : { databasePath: tempDatabasePath(t) };
}

/**
 * Another connection to the database of a context, as a second process (or the same
 * one after a restart) would open it: on SQLite its file (the context must have been
 * given a `databasePath`), on PostgreSQL its database. Close it with `closeDatabase`
 * (engine-sql.ts); on PostgreSQL it is closed when the file's tests end anyway.
 */
export async function openAgain(db: Db): Promise<Db> {
  if (typeof (db as { $client: unknown }).$client === 'function') {
    return (await reopenTestPostgres(db as unknown as PgDb)) as unknown as Db;
  }
  if (db.$client.memory) throw new Error('An in-memory database cannot be opened again: give a databasePath.');
  return openDatabase(db.$client.name);
}

/** Reads a JSON body after asserting nothing about it; callers check the status first. */
export async function json<T = any>(response: Response): Promise<T> {
  return (await response.json()) as T;
}
