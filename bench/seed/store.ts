import { first } from '../../server/db/query';
import Database from 'better-sqlite3';
import { count, eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { statSync } from 'node:fs';
import { accounts as accountsTable, orders as ordersTable, products, stores } from '../../server/db/schema';
import { openDatabase } from '../../server/db/client';
import { systemClock } from '../../server/lib/clock';
import { createStore, rotateCredentials, type ApiCredentials } from '../../server/services/stores';
import { fastId, Rng } from '../lib/random';
import { seedAccounts } from './accounts';
import { rowInserter } from './bulk-insert';
import { catalog, pricesFor } from './data';
import { seedOrders, type OrderCounts, type SeedProduct } from './orders';

export interface SeedOptions {
  /** The SQLite file to create. */
  path: string;
  storeId: string;
  accounts: number;
  orders: number;
  /** How many order and account ids to hand back for requests. */
  sampleSize: number;
  /** Seed of the data generator (ids are always random). */
  seed?: number;
  /** Progress lines, for a human watching a long run. */
  log?: (line: string) => void;
}

export interface SeedResult {
  storeId: string;
  credentials: ApiCredentials;
  seconds: number;
  /** Size of the database file (and its WAL, if any) after seeding. */
  fileBytes: number;
  counts: OrderCounts & { accounts: number };
  sampleOrderIds: string[];
  sampleAccountIds: string[];
}

/**
 * Creates a fresh database at `path` the way the server would (openDatabase applies
 * the migrations; createStore makes real, hashed credentials), then bulk-loads a
 * catalog, accounts and orders with prepared statements in large transactions.
 */
export async function seedStore(options: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const db = openDatabase(options.path);
  const { credentials } = await createStore(db, systemClock, {
    id: options.storeId,
    name: 'Benchmark Store',
    allowedOrigins: ['https://shop.bench.example'],
    portalUrl: 'https://shop.bench.example/account',
  });
  db.$client.close();

  const sqlite = openForBulkLoad(options.path);
  const indexes = dropIndexes(sqlite);
  const rng = new Rng(options.seed ?? 20_260_115);
  const now = Date.now();
  const seededProducts = seedCatalog(sqlite, options.storeId, now);
  const accounts = seedAccounts(sqlite, rng, options.storeId, options.accounts, now);
  log(`  ${accounts.length.toLocaleString('en')} accounts after ${seconds(started)} s`);

  const sample = new Reservoir<string>(options.sampleSize, rng);
  const counts = seedOrders(sqlite, rng, options.storeId, accounts, seededProducts, {
    count: options.orders,
    now,
    onOrder: (id) => sample.offer(id),
    onProgress: (done) => {
      if (done % 200_000 === 0 || done === options.orders)
        log(`  ${done.toLocaleString('en')} orders after ${seconds(started)} s`);
    },
  });
  // The next order recorded through the API must continue the invoice sequence.
  await drizzle(sqlite, { casing: 'snake_case' })
    .update(stores)
    .set({ lastInvoiceNumber: counts.orders })
    .where(eq(stores.id, options.storeId));
  log(`  rebuilding ${indexes.length} indexes after ${seconds(started)} s`);
  for (const index of indexes) sqlite.exec(index);
  finishBulkLoad(sqlite);

  return {
    storeId: options.storeId,
    credentials,
    seconds: (performance.now() - started) / 1000,
    fileBytes: fileSize(options.path) + fileSize(`${options.path}-wal`),
    counts: { ...counts, accounts: accounts.length },
    sampleOrderIds: sample.items,
    sampleAccountIds: rng.sample(accounts, options.sampleSize).map((a) => a.id),
  };
}

/**
 * Reuses a database an earlier run seeded (kept with BENCH_KEEP): new credentials for
 * the store (the old password is only stored hashed) and fresh random samples of ids.
 */
export async function reuseStore(path: string, storeId: string, sampleSize: number): Promise<SeedResult> {
  const started = performance.now();
  const db = openDatabase(path);
  const credentials = await rotateCredentials(db, systemClock, storeId);
  const sampleIds = async (table: typeof ordersTable | typeof accountsTable) =>
    (
      await db
        .select({ id: table.id })
        .from(table)
        .where(eq(table.storeId, storeId))
        .orderBy(sql`random()`)
        .limit(sampleSize)
    ).map((row) => row.id);
  const tally = async (table: typeof ordersTable | typeof accountsTable) =>
    first(await db.select({ n: count() }).from(table).where(eq(table.storeId, storeId)))!.n;
  const result: SeedResult = {
    storeId,
    credentials,
    seconds: (performance.now() - started) / 1000,
    fileBytes: fileSize(path) + fileSize(`${path}-wal`),
    counts: {
      accounts: await tally(accountsTable),
      orders: await tally(ordersTable),
      items: 0,
      fulfilments: 0,
      gifts: 0,
    },
    sampleOrderIds: await sampleIds(ordersTable),
    sampleAccountIds: await sampleIds(accountsTable),
  };
  db.$client.close();
  return result;
}

/**
 * A second connection for the load only: no journal and no syncs (a crash means
 * seeding again anyway), and a page cache large enough for the random-key indexes.
 */
function openForBulkLoad(path: string): Database.Database {
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = OFF');
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('cache_size = -1048576');
  sqlite.pragma('temp_store = MEMORY');
  // Lets CREATE INDEX sort on more than one core when the indexes are rebuilt.
  sqlite.pragma('threads = 4');
  return sqlite;
}

/**
 * Drops the secondary indexes, so that each row no longer goes into random places of
 * several B-trees, and returns their exact `CREATE INDEX` statements (as the migrations
 * wrote them) to rebuild them after the load from sorted data, which is far faster.
 * Rebuilding a unique index also proves the seeded data unique. Primary keys stay.
 */
function dropIndexes(sqlite: Database.Database): string[] {
  const rows = sqlite.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all() as {
    name: string;
    sql: string;
  }[];
  for (const { name } of rows) sqlite.exec(`DROP INDEX "${name}"`);
  return rows.map((row) => row.sql);
}

/** Leaves the file as openDatabase would: in WAL mode. No ANALYZE, since the server never runs one. */
function finishBulkLoad(sqlite: Database.Database): void {
  sqlite.pragma('journal_mode = WAL');
  sqlite.close();
}

function seedCatalog(sqlite: Database.Database, storeId: string, now: number): SeedProduct[] {
  const insert = rowInserter(sqlite, products);
  return sqlite.transaction(() =>
    catalog.map((product, sortOrder) => {
      const seeded: SeedProduct = { ...product, id: fastId('prod'), prices: pricesFor(product.usd) };
      insert({
        id: seeded.id,
        storeId,
        key: product.key,
        name: product.name,
        description: product.description,
        kind: 'one_time',
        prices: JSON.stringify(seeded.prices),
        interval: null,
        intervalCount: 1,
        family: null,
        sortOrder,
        hidden: 0,
        switchableTo: null,
        createdAt: now - 4 * 365 * 86_400_000,
        updatedAt: now - 4 * 365 * 86_400_000,
      });
      return seeded;
    }),
  )();
}

/** Keeps a uniform random sample of a stream (Algorithm R). */
class Reservoir<T> {
  readonly items: T[] = [];
  #seen = 0;

  constructor(
    private readonly size: number,
    private readonly rng: Rng,
  ) {}

  offer(item: T): void {
    this.#seen++;
    if (this.items.length < this.size) this.items.push(item);
    else {
      const slot = Math.floor(this.rng.next() * this.#seen);
      if (slot < this.size) this.items[slot] = item;
    }
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);
