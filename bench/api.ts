/**
 * `npm run bench:api`: seeds a store with 100k accounts and 1M orders into a fresh
 * SQLite file, then measures a bare Hono hello world and the Server API's order reads
 * with autocannon, each server in its own process. Prints the figures with PASS/FAIL
 * against the targets of issue 2 and exits 0 whenever it could measure: it is a
 * measurement, not a test.
 *
 * Environment, for quick smoke runs and profiling:
 *   BENCH_ACCOUNTS, BENCH_ORDERS    how much to seed (100000, 1000000)
 *   BENCH_DURATION, BENCH_WARMUP    seconds per endpoint (10) and before it (3)
 *   BENCH_CONNECTIONS               concurrent connections (10)
 *   BENCH_SAMPLE                    how many random order and account ids to cycle through (20000)
 *   BENCH_KEEP=1                    keep the seeded database
 *   BENCH_DB=<file>                 reuse a kept database instead of seeding
 *   BENCH_PROFILE=1                 CPU-profile the API server and print where its time goes
 *   BENCH_NODE_FLAGS="…"            extra Node flags for the API server, e.g. --max-old-space-size=96
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printProfile } from './lib/cpu-profile';
import { envFlag, envNumber } from './lib/env';
import type { ProcessStats } from './lib/ipc';
import { cycle, measure, type Measurement, type MeasureOptions } from './lib/measure';
import { fmt, isClean, measurementTable, targetTable, type TargetCheck } from './lib/report';
import { expectOk, withServer } from './lib/run';
import type { ServerProcess } from './lib/server-process';
import { reuseStore, seedStore, type SeedResult } from './seed/store';

const config = {
  accounts: envNumber('BENCH_ACCOUNTS', 100_000),
  orders: envNumber('BENCH_ORDERS', 1_000_000),
  durationSeconds: envNumber('BENCH_DURATION', 10),
  warmupSeconds: envNumber('BENCH_WARMUP', 3),
  connections: envNumber('BENCH_CONNECTIONS', 10),
  sampleSize: envNumber('BENCH_SAMPLE', 20_000),
  keep: envFlag('BENCH_KEEP'),
  reuse: process.env.BENCH_DB,
  profile: envFlag('BENCH_PROFILE'),
  nodeFlags: (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean),
};

const targets = { ratio: 0.45, p99Ms: 5, seedSeconds: 60, rssBytes: 200 * 1024 * 1024 };

interface Database extends SeedResult {
  path: string;
  reused: boolean;
}

interface Run {
  db: Database;
  hello: Measurement;
  helloStats: ProcessStats;
  byId: Measurement;
  list: Measurement;
  apiStats: ProcessStats;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'portal-bench-'));
  try {
    const db = prepareDatabase(dir);
    const hello = await withServer(new URL('./servers/hello.ts', import.meta.url), [], measureHello);
    const profileDir = join(dir, 'profile');
    const api = await withServer(
      new URL('./servers/api.ts', import.meta.url),
      [db.path],
      (server) => measureApi(server, db),
      { nodeFlags: [...config.nodeFlags, ...(config.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])] },
    );
    printReport({ db, hello: hello.result, helloStats: hello.stats, ...api.result, apiStats: api.stats });
    if (config.profile) printProfile(join(profileDir, readdirSync(profileDir)[0]), 30);
  } finally {
    if (config.keep && !config.reuse)
      console.log(`\nKept ${dir} (rerun with BENCH_DB=${join(dir, 'bench.db')} to skip seeding).`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

function prepareDatabase(dir: string): Database {
  if (config.reuse) {
    if (!existsSync(config.reuse)) throw new Error(`BENCH_DB=${config.reuse} does not exist.`);
    console.log(`Reusing ${config.reuse} (not seeding; the store gets new credentials).`);
    return { ...reuseStore(config.reuse, 'bench', config.sampleSize), path: config.reuse, reused: true };
  }
  const path = join(dir, 'bench.db');
  console.log(`Seeding ${fmt.int(config.accounts)} accounts and ${fmt.int(config.orders)} orders into ${path}`);
  const seeded = seedStore({
    path,
    storeId: 'bench',
    accounts: config.accounts,
    orders: config.orders,
    sampleSize: config.sampleSize,
    log: console.log,
  });
  const c = seeded.counts;
  console.log(
    `Seeded in ${fmt.seconds(seeded.seconds)}: ${fmt.int(c.orders)} orders with ${fmt.int(c.items)} items, ` +
      `${fmt.int(c.fulfilments)} fulfilments and ${fmt.int(c.gifts)} gifts; ${fmt.gb(seeded.fileBytes)}`,
  );
  return { ...seeded, path, reused: false };
}

function load(server: ServerProcess): Omit<MeasureOptions, 'name' | 'path'> {
  return {
    url: server.url,
    server,
    connections: config.connections,
    durationSeconds: config.durationSeconds,
    warmupSeconds: config.warmupSeconds,
  };
}

async function measureHello(server: ServerProcess): Promise<Measurement> {
  await expectOk(`${server.url}/`, {}, (body, status) => status === 200 && body === 'Hello Hono!');
  console.log(`\nMeasuring hello world (${server.url}, pid ${server.pid})…`);
  return measure({ ...load(server), name: 'GET / (hello world)', path: () => '/' });
}

async function measureApi(server: ServerProcess, db: Database) {
  const { user, password } = db.credentials;
  const headers = { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
  const orderId = db.sampleOrderIds[0];
  const accountId = db.sampleAccountIds[0];
  await expectOk(
    `${server.url}/api/orders/${orderId}`,
    { headers },
    (body, status) => status === 200 && JSON.parse(body).id === orderId,
  );
  await expectOk(
    `${server.url}/api/orders?accountId=${accountId}`,
    { headers },
    (body, status) =>
      status === 200 && JSON.parse(body).data.every((order: { accountId: string }) => order.accountId === accountId),
  );
  console.log(`Measuring the Server API (${server.url}, pid ${server.pid})…`);
  const byId = await measure({
    ...load(server),
    headers,
    name: 'GET /api/orders/{id}',
    path: cycle(db.sampleOrderIds, (id) => `/api/orders/${id}`),
  });
  const list = await measure({
    ...load(server),
    headers,
    name: 'GET /api/orders?accountId=…',
    path: cycle(db.sampleAccountIds, (id) => `/api/orders?accountId=${id}`),
  });
  return { byId, list };
}

function printReport(run: Run) {
  const { db, hello, byId, list } = run;
  const flags = config.nodeFlags.length > 0 ? `, API server flags ${config.nodeFlags.join(' ')}` : '';
  console.log(
    `\nAccount Portal: Server API benchmark (Node ${process.version}, 127.0.0.1${flags}, ` +
      `${config.connections} connections, ${config.durationSeconds} s per endpoint after ${config.warmupSeconds} s warm-up)`,
  );
  console.log(
    `Data: ${fmt.int(db.counts.accounts)} accounts and ${fmt.int(db.counts.orders)} orders in one store; ` +
      `requests cycle through ${fmt.int(db.sampleOrderIds.length)} random orders / ${fmt.int(db.sampleAccountIds.length)} accounts\n`,
  );
  console.log(measurementTable([hello, byId, list], hello));
  for (const m of [hello, byId, list].filter((m) => !isClean(m))) {
    console.log(
      `! ${m.name}: non-2xx by status ${JSON.stringify(m.non2xx)}, errors ${m.errors}, timeouts ${m.timeouts}`,
    );
  }
  if (hello.loadCpuPercent >= 90) {
    console.log(
      '! The load generator used a whole core during hello world: the baseline is a floor, the ratios are generous.',
    );
  }
  if ([hello, byId, list].some((m) => (m.otherCpuPercent ?? 0) > 25)) {
    console.log(
      '! Other processes used the CPUs during the run ("other CPU"): the figures are disturbed; rerun on a quiet machine.',
    );
  }
  console.log(
    `\nAPI server RSS: peak ${fmt.mb(run.apiStats.peakRss)}, ${fmt.mb(run.apiStats.rss)} after the run ` +
      `(JS heap ${fmt.mb(run.apiStats.heapUsed)} used of ${fmt.mb(run.apiStats.heapTotal)}); ` +
      `hello-world server peak ${fmt.mb(run.helloStats.peakRss)}`,
  );
  console.log(
    `Database: ${fmt.gb(db.fileBytes)}, ${db.reused ? 'reused (not seeded in this run)' : `seeded in ${fmt.seconds(db.seconds)}`}\n`,
  );
  console.log(targetTable(targetChecks(run)));
  console.log('\nPASS/FAIL compare the figures with the targets of issue 2; the run exits 0 either way.');
}

function targetChecks({ db, hello, byId, list, apiStats }: Run): TargetCheck[] {
  const endpoint = (m: Measurement): TargetCheck[] => {
    const ratio = m.requestsPerSecond / hello.requestsPerSecond;
    return [
      {
        target: `${m.name}: ≥ ${targets.ratio}× hello world`,
        measured: fmt.ratio(ratio),
        pass: isClean(m) && isClean(hello) ? ratio >= targets.ratio : undefined,
      },
      {
        target: `${m.name}: p99 ≤ ${targets.p99Ms} ms`,
        measured: `${fmt.ms(m.p99Ms)} ms`,
        pass: isClean(m) ? m.p99Ms <= targets.p99Ms : undefined,
      },
    ];
  };
  return [
    ...endpoint(byId),
    ...endpoint(list),
    {
      target: `seeding ≤ ${targets.seedSeconds} s`,
      measured: db.reused ? 'not seeded' : fmt.seconds(db.seconds),
      pass: db.reused ? undefined : db.seconds <= targets.seedSeconds,
    },
    {
      target: `API server RSS ≤ ${fmt.mb(targets.rssBytes)} (peak)`,
      measured: fmt.mb(apiStats.peakRss),
      pass: apiStats.peakRss <= targets.rssBytes,
    },
  ];
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
