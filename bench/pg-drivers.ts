/**
 * `npm run bench:pg-drivers`: node-postgres (`pg`) against postgres.js (`postgres`),
 * each through Drizzle on the same throwaway PostgreSQL cluster (test/helpers/postgres.ts)
 * migrated from drizzle/pg/: a prepared single-account read by primary key and a prepared
 * 20-row page of a store's accounts, one at a time and 10 at once (a pool of 10), for
 * BENCH_DURATION seconds each. Prints requests per second per driver and the ratio
 * postgres.js / pg. Exits 0 whenever it could measure.
 *
 * Environment: BENCH_DURATION (5), BENCH_ACCOUNTS (2000).
 */
import { desc, eq, sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePostgresJs } from 'drizzle-orm/postgres-js';
import pg from 'pg';
import postgres from 'postgres';
import { openPostgres } from '../server/db/postgres';
import * as schema from '../server/db/schema-pg';
import { silentLogger } from '../server/lib/logger';
import { startPostgres } from '../test/helpers/postgres';
import { envNumber } from './lib/env';

const config = {
  durationSeconds: envNumber('BENCH_DURATION', 5),
  accounts: envNumber('BENCH_ACCOUNTS', 2000),
};
const POOL = 10;
const { accounts, stores } = schema;

type Db = ReturnType<typeof drizzlePg<typeof schema>> | ReturnType<typeof drizzlePostgresJs<typeof schema>>;

/** The two reads, prepared once, as a service would. */
function queries(db: Db) {
  const byId = db
    .select()
    .from(accounts)
    .where(eq(accounts.id, sql.placeholder('id')))
    .prepare('bench_account_by_id');
  const page = db
    .select()
    .from(accounts)
    .where(eq(accounts.storeId, sql.placeholder('storeId')))
    .orderBy(desc(accounts.createdAt), desc(accounts.id))
    .limit(20)
    .prepare('bench_accounts_page');
  return {
    'by id': async (i: number) => {
      const rows = await byId.execute({ id: `acc_${i % config.accounts}` });
      if (rows.length !== 1) throw new Error('by id: no row');
    },
    '20-row page': async () => {
      const rows = await page.execute({ storeId: 'bench' });
      if (rows.length !== 20) throw new Error(`page: ${rows.length} rows`);
    },
  };
}

/** Requests per second of `run` for the configured duration, with `concurrency` callers in a loop. */
async function measure(run: (i: number) => Promise<void>, concurrency: number): Promise<number> {
  for (let i = 0; i < 200; i++) await run(i); // warm-up: connections open, statements prepared
  const until = performance.now() + config.durationSeconds * 1000;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = worker; performance.now() < until; i += concurrency) {
        await run(i);
        done++;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

async function seed(url: string): Promise<void> {
  const db = await openPostgres(url, { logger: silentLogger });
  const at = new Date('2026-01-01T00:00:00Z');
  await db
    .insert(stores)
    .values({ id: 'bench', name: 'Bench', apiUser: 'bench', apiPasswordHash: 'x', createdAt: at, updatedAt: at });
  for (let from = 0; from < config.accounts; from += 500) {
    const batch = Array.from({ length: Math.min(500, config.accounts - from) }, (_, k) => ({
      id: `acc_${from + k}`,
      storeId: 'bench',
      email: `customer${from + k}@example.com`,
      firstName: 'Ada',
      lastName: 'Lovelace',
      createdAt: new Date(at.getTime() + (from + k) * 1000),
      updatedAt: at,
    }));
    await db.insert(accounts).values(batch);
  }
  await db.execute(sql`analyze`);
  await db.$client.end();
}

async function main() {
  const cluster = await startPostgres();
  try {
    await seed(cluster.url);
    const drivers = {
      pg: () => {
        const pool = new pg.Pool({ connectionString: cluster.url, max: POOL });
        return { db: drizzlePg(pool, { schema, casing: 'snake_case' }), close: () => pool.end() };
      },
      'postgres.js': () => {
        const client = postgres(cluster.url, { max: POOL, onnotice: () => {} });
        return { db: drizzlePostgresJs(client, { schema, casing: 'snake_case' }), close: () => client.end() };
      },
    };
    const results: Record<string, Record<string, number>> = {};
    for (const [driver, open] of Object.entries(drivers)) {
      const { db, close } = open();
      for (const [name, run] of Object.entries(queries(db))) {
        for (const concurrency of [1, POOL]) {
          const label = `${name}, ${concurrency === 1 ? 'sequential' : `${concurrency} at once`}`;
          (results[label] ??= {})[driver] = await measure(run, concurrency);
        }
      }
      await close();
    }
    console.log(`\nDrizzle over each driver, ${config.durationSeconds} s per row, ${config.accounts} accounts\n`);
    console.log('| Query | pg req/s | postgres.js req/s | postgres.js / pg |');
    console.log('| --- | ---: | ---: | ---: |');
    for (const [label, by] of Object.entries(results)) {
      const ratio = by['postgres.js'] / by.pg;
      console.log(`| ${label} | ${by.pg.toFixed(0)} | ${by['postgres.js'].toFixed(0)} | ${ratio.toFixed(2)} |`);
    }
  } finally {
    await cluster.stop();
  }
}

await main();
