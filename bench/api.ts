/**
 * `npm run bench:api`: seeds a store with 100k accounts and 1M orders into a fresh
 * SQLite file (and a session for 2,000 of the accounts), then measures with autocannon,
 * each server in its own process: a bare Hono hello world; the floor of each read
 * (bench/servers/floor.ts: the same statements as raw prepared better-sqlite3 and
 * JSON.stringify on node:http, no framework); the stack's floor of the same reads
 * (bench/servers/stack.ts: Hono and Drizzle running the portal's services for them,
 * without its middleware, validation or router); the same with the work the portal
 * must do for each read done once, with the portal's own code (BENCH_LAYERS=1: its
 * app-wide middleware, turns, validation and headers on a router of three routes:
 * the least that work costs on this stack); the portal's routes without
 * its app-wide middleware (BENCH_APP=routes); and the portal's reads — the Server API's
 * order by id and orders of an account, and the Portal API's `/me` — and a write,
 * `POST /api/orders` (a new order taking the store's next invoice number). The reads
 * are measured on those five servers interleaved (bench/lib/measure.ts), with the
 * database file held in memory (bench/lib/page-cache.ts).
 *
 * Then the same on PostgreSQL (unless BENCH_POSTGRES=0): the seeded file is copied into
 * a throwaway cluster with `db copy` (timed: seeding on PostgreSQL is the SQLite seed
 * plus the copy), and the reads and the write are measured on one server process and
 * on BENCH_REPLICAS processes at once (the connections split between them; their sum
 * and their worst p99), beside SQLite's figures from the same run. On a machine with
 * few cores the replicas, PostgreSQL and the load generator share them: those figures
 * show what PostgreSQL and the replicas' coordination cost, not the scale-out more
 * machines would give.
 *
 * Prints the figures with PASS/FAIL against the targets (issue 14: ≥ 0.75 of the
 * floor and p99 ≤ 5 ms; issue 2: seeding and memory) and exits 0 whenever it could
 * measure: it is a measurement, not a test. A target the layered stack misses in
 * every round of the run is marked out of reach on this stack.
 *
 * Environment, for quick smoke runs and profiling:
 *   BENCH_ACCOUNTS, BENCH_ORDERS    how much to seed (100000, 1000000)
 *   BENCH_DURATION, BENCH_WARMUP    seconds per endpoint (10) and before it (3)
 *   BENCH_ROUNDS                    rounds of the reads (1; 3 or more when the machine's run-to-run spread
 *                                   matters): each on fresh processes of the five servers, each read measured
 *                                   on them interleaved; the ratios to the floor are the median of the
 *                                   rounds' own ratios
 *   BENCH_CONNECTIONS               concurrent connections (10)
 *   BENCH_SAMPLE                    how many random order and account ids to cycle through (20000)
 *   BENCH_KEEP=1                    keep the seeded database
 *   BENCH_DB=<file>                 reuse a kept database instead of seeding
 *   BENCH_PROFILE=1                 CPU-profile the API server and print where its time goes
 *   BENCH_NODE_FLAGS="…"            extra Node flags for the API server, e.g. --max-old-space-size=96
 *   BENCH_POSTGRES=0                SQLite only
 *   BENCH_REPLICAS                  server processes on PostgreSQL in the replicas' run (3)
 *   BENCH_FROM_SOURCE=1             run the servers' TypeScript through tsx (as `npm start` does) instead of
 *                                   built as `npm run build` builds the server (as production runs it)
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { printProfile } from './lib/cpu-profile';
import { envFlag, envNumber } from './lib/env';
import type { ProcessStats } from './lib/ipc';
import { cycle, measure, measureInterleaved, type Measurement, type MeasureOptions } from './lib/measure';
import { fmt, isClean, measurementTable, table, targetTable, type TargetCheck } from './lib/report';
import { copyIntoPostgres, measureAcross, orderWrites, type PostgresCopy } from './lib/postgres';
import { expectOk, withServer } from './lib/run';
import { startServerProcess, type ServerProcess } from './lib/server-process';
import { benchServers, type BenchServers } from './lib/built-servers';
import { holdInMemory } from './lib/page-cache';
import { openDatabase } from '../server/db/client';
import { systemClock } from '../server/lib/clock';
import { startSession } from '../server/services/sign-in';
import { getStore } from '../server/services/stores';
import { reuseStore, seedStore, type SeedResult } from './seed/store';

const config = {
  accounts: envNumber('BENCH_ACCOUNTS', 100_000),
  orders: envNumber('BENCH_ORDERS', 1_000_000),
  durationSeconds: envNumber('BENCH_DURATION', 10),
  rounds: Math.max(1, envNumber('BENCH_ROUNDS', 1)),
  warmupSeconds: envNumber('BENCH_WARMUP', 3),
  connections: envNumber('BENCH_CONNECTIONS', 10),
  sampleSize: envNumber('BENCH_SAMPLE', 20_000),
  keep: envFlag('BENCH_KEEP'),
  reuse: process.env.BENCH_DB,
  profile: envFlag('BENCH_PROFILE'),
  nodeFlags: (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean),
  postgres: process.env.BENCH_POSTGRES !== '0',
  fromSource: envFlag('BENCH_FROM_SOURCE'),
  replicas: envNumber('BENCH_REPLICAS', 3),
};

const targets = { ofFloor: 0.75, p99Ms: 5, seedSeconds: 60, rssBytes: 200 * 1024 * 1024 };

/** How many sampled accounts get a session for the `/me` reads. */
const SESSIONS = 2000;

interface Database extends SeedResult {
  path: string;
  reused: boolean;
  /** Bearer tokens of live sessions of sampled accounts. */
  tokens: string[];
}

/** The three reads, measured on one server (or several at once). */
interface Reads {
  byId: Measurement;
  list: Measurement;
  me: Measurement;
}

/** The reads and the write on one setup of the portal. */
interface Setup {
  label: string;
  reads: Reads;
  write: Measurement;
}

const READS = ['byId', 'list', 'me'] as const;

/** How long each server runs a read before the next takes its turn (measureInterleaved). */
const CHUNK_SECONDS = 2;

/** One round: the floor, the stack's floor, the layered stack, the portal's routes and the portal side by side, each read measured on each in turn. */
interface Round {
  floor: Reads;
  stack: Reads;
  layers: Reads;
  routes: Reads;
  api: Reads;
  apiStats: ProcessStats;
}

interface Run {
  db: Database;
  hello: Measurement;
  helloStats: ProcessStats;
  floor: Reads;
  stack: Reads;
  layers: Reads;
  routes: Reads;
  api: Reads;
  /** Each read's portal × floor, stack × floor and layers × floor: the median of the rounds' own ratios. */
  ofFloor: Record<keyof Reads, number>;
  stackOfFloor: Record<keyof Reads, number>;
  layersOfFloor: Record<keyof Reads, number>;
  /** Each read's best round for the layered stack, to call a target out of reach only when every round says so. */
  layersBest: Record<keyof Reads, LayersBest>;
  apiStats: ProcessStats;
  /** SQLite, then PostgreSQL with one process and with replicas. */
  setups: Setup[];
  pg: PostgresCopy | undefined;
  /** How many rounds the reads' figures are the medians of. */
  rounds: number;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'portal-bench-'));
  let pg: PostgresCopy | undefined;
  let release = () => {};
  const servers = await benchServers(['api', 'floor', 'hello', 'stack'], config.fromSource);
  const apiEntry = servers.entry('api');
  try {
    const db = await prepareDatabase(dir);
    // Before any write: PostgreSQL gets the data as seeded.
    if (config.postgres) {
      console.log('Copying it into PostgreSQL (db copy)…');
      pg = await copyIntoPostgres(db.path);
      console.log(`Copied ${fmt.int(pg.rows)} rows in ${fmt.seconds(pg.seconds)}.`);
    }
    const held = holdInMemory(db.path);
    console.log(
      `Holding ${fmt.gb(held.bytes)} of the ${fmt.gb(held.fileBytes)} database in memory while measuring ` +
        '(mapped, so the machine cannot page it out: see bench/lib/page-cache.ts).',
    );
    release = held.release;
    const hello = await withServer(servers.entry('hello'), [], measureHello);
    const profileDir = join(dir, 'profile');
    const rounds: Round[] = [];
    for (let round = 1; round <= config.rounds; round++) {
      if (config.rounds > 1) console.log(`\nRound ${round} of ${config.rounds}:`);
      // Profiled in the first round only: one profile to read.
      const profiled = config.profile && round === 1;
      const result = await measureRound(servers, db, profiled ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
      rounds.push(result);
      if (config.rounds > 1) {
        const of = (key: keyof Reads) =>
          `${key} ${(['floor', 'stack', 'layers', 'routes', 'api'] as const).map((s) => fmt.int(result[s][key].requestsPerSecond)).join(' / ')}` +
          ` (${fmt.ratio(result.api[key].requestsPerSecond / result.floor[key].requestsPerSecond)})`;
        console.log(
          `Round ${round}, req/s on the floor / stack / layers / routes / portal (portal × floor): ${READS.map(of).join('; ')}`,
        );
      }
    }
    // The write on a server of its own: the memory figures above are the reads'.
    const write = await withServer(apiEntry, [db.path], (server) => measureWrite([server], db, 'sqlite'));
    const api = medianReads(rounds.map((r) => r.api));
    const setups: Setup[] = [{ label: 'SQLite, 1 process', reads: api, write: write.result }];
    if (pg) {
      for (const processes of [1, config.replicas]) {
        const label = `PostgreSQL, ${processes === 1 ? '1 process' : `${processes} replicas`}`;
        setups.push({ label, ...(await onServers(apiEntry, processes, pg.url, db, `pg${processes}`)) });
      }
    }
    printReport({
      db,
      hello: hello.result,
      helloStats: hello.stats,
      floor: medianReads(rounds.map((r) => r.floor)),
      stack: medianReads(rounds.map((r) => r.stack)),
      layers: medianReads(rounds.map((r) => r.layers)),
      routes: medianReads(rounds.map((r) => r.routes)),
      ofFloor: pairedRatios(rounds, 'api'),
      stackOfFloor: pairedRatios(rounds, 'stack'),
      layersOfFloor: pairedRatios(rounds, 'layers'),
      layersBest: bestOfLayers(rounds),
      api,
      // The highest peak of the rounds' servers.
      apiStats: rounds.map((r) => r.apiStats).reduce((a, b) => (b.peakRss > a.peakRss ? b : a)),
      rounds: config.rounds,
      setups,
      pg,
    });
    if (config.profile) printProfile(join(profileDir, readdirSync(profileDir)[0]), 30);
  } finally {
    release();
    servers.remove();
    await pg?.stop();
    if (config.keep && !config.reuse)
      console.log(`\nKept ${dir} (rerun with BENCH_DB=${join(dir, 'bench.db')} to skip seeding).`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/** The median of `items` by `value` (the lower of the two middle ones when their number is even). */
function medianBy<T>(items: T[], value: (item: T) => number): T {
  return [...items].sort((a, b) => value(a) - value(b))[(items.length - 1) >> 1];
}

/** Each read's median round (by req/s), with that round's latencies. */
function medianReads(rounds: Reads[]): Reads {
  const median = (key: keyof Reads) =>
    medianBy(
      rounds.map((r) => r[key]),
      (m) => m.requestsPerSecond,
    );
  return { byId: median('byId'), list: median('list'), me: median('me') };
}

/**
 * Each read's ratio of `server` to the floor, as the median of the rounds' own ratios:
 * a round measures a read on the five servers interleaved, so what slows the machine
 * for a while slows them alike and cancels out of the ratio.
 */
function pairedRatios(rounds: Round[], server: Measured): Record<keyof Reads, number> {
  const ratio = (key: keyof Reads) => medianBy(roundRatios(rounds, server, key), (x) => x);
  return { byId: ratio('byId'), list: ratio('list'), me: ratio('me') };
}

type Measured = 'api' | 'routes' | 'layers' | 'stack';

/** Each round's own ratio of `server` to the floor for one read. */
const roundRatios = (rounds: Round[], server: Measured, key: keyof Reads) =>
  rounds.map((r) => r[server][key].requestsPerSecond / r.floor[key].requestsPerSecond);

/** The layered stack's best figures over the rounds: its highest ratio to the floor, its lowest p99. */
interface LayersBest {
  ofFloor: number;
  p99Ms: number;
  /** The lowest of the rounds' floor p99s at the target's speed (see targetChecks). */
  floorP99AtTargetMs: number;
}

function bestOfLayers(rounds: Round[]): Record<keyof Reads, LayersBest> {
  const best = (key: keyof Reads): LayersBest => ({
    ofFloor: Math.max(...roundRatios(rounds, 'layers', key)),
    p99Ms: Math.min(...rounds.map((r) => r.layers[key].p99Ms)),
    floorP99AtTargetMs: Math.min(...rounds.map((r) => r.floor[key].p99Ms / targets.ofFloor)),
  });
  return { byId: best('byId'), list: best('list'), me: best('me') };
}

/**
 * A round on fresh processes of the floor, the stack's floor, the layered stack
 * (BENCH_LAYERS=1), the portal's routes without its app-wide middleware
 * (BENCH_APP=routes) and the portal, all started at once (an idle server costs the
 * others nothing): each read is measured on all five,
 * interleaved, before the next read.
 */
async function measureRound(servers: BenchServers, db: Database, profileFlags: string[]): Promise<Round> {
  const starting = await Promise.allSettled([
    startServerProcess(servers.entry('floor'), { args: [db.path] }),
    startServerProcess(servers.entry('stack'), { args: [db.path] }),
    startServerProcess(servers.entry('stack'), { args: [db.path], env: { BENCH_LAYERS: '1' } }),
    startServerProcess(servers.entry('api'), { args: [db.path], env: { BENCH_APP: 'routes' } }),
    startServerProcess(servers.entry('api'), { args: [db.path], nodeFlags: [...config.nodeFlags, ...profileFlags] }),
  ]);
  const started = starting.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  try {
    const failed = starting.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    const [floor, stack, layers, routes, api] = started;
    const sides = [
      ['floor', floor],
      ['stack', stack],
      ['layers', layers],
      ['routes', routes],
      ['portal', api],
    ] as const;
    for (const [, server] of sides) await checkReads(server, db);
    console.log(
      `Measuring each read on the floor (pid ${floor.pid}), the stack's floor (pid ${stack.pid}), the stack with ` +
        `the portal's layers (pid ${layers.pid}), the portal's routes (pid ${routes.pid}) and the portal (pid ${api.pid}), interleaved in ${CHUNK_SECONDS} s turns…`,
    );
    const reads = { floor: {}, stack: {}, layers: {}, routes: {}, portal: {} } as Record<Which, Reads>;
    for (const key of READS) {
      const measured = await measureInterleaved(
        sides.map(([which, server]) => ({ ...readLoad(db, which, key), url: server.url, server })),
        CHUNK_SECONDS,
      );
      for (const [i, [which]] of sides.entries()) reads[which][key] = measured[i];
    }
    return {
      floor: reads.floor,
      stack: reads.stack,
      layers: reads.layers,
      routes: reads.routes,
      api: reads.portal,
      apiStats: await api.stats(),
    };
  } finally {
    await Promise.all(started.map((server) => server.stop()));
  }
}

/** The reads and the write on `processes` API servers over the database at `database`, at once. */
async function onServers(apiEntry: URL, processes: number, database: string, db: Database, tag: string) {
  const servers = await Promise.all(
    Array.from({ length: processes }, () =>
      startServerProcess(apiEntry, { args: [database], nodeFlags: config.nodeFlags }),
    ),
  );
  try {
    return { reads: await measureReads(servers, db, 'portal'), write: await measureWrite(servers, db, tag) };
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

async function prepareDatabase(dir: string): Promise<Database> {
  if (config.reuse) {
    if (!existsSync(config.reuse)) throw new Error(`BENCH_DB=${config.reuse} does not exist.`);
    console.log(`Reusing ${config.reuse} (not seeding; the store gets new credentials).`);
    const reused = await reuseStore(config.reuse, 'bench', config.sampleSize);
    return {
      ...reused,
      path: config.reuse,
      reused: true,
      tokens: await seedSessions(config.reuse, reused.sampleAccountIds),
    };
  }
  const path = join(dir, 'bench.db');
  console.log(`Seeding ${fmt.int(config.accounts)} accounts and ${fmt.int(config.orders)} orders into ${path}`);
  const seeded = await seedStore({
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
  return { ...seeded, path, reused: false, tokens: await seedSessions(path, seeded.sampleAccountIds) };
}

/** A live session for each of the first SESSIONS sampled accounts, started as sign-in starts them. */
async function seedSessions(path: string, accountIds: string[]): Promise<string[]> {
  const db = openDatabase(path);
  try {
    const store = await getStore(db, 'bench');
    return await db.transaction(
      async (tx) =>
        await Promise.all(
          accountIds
            .slice(0, SESSIONS)
            .map(
              async (accountId) =>
                (await startSession(tx, store, { accountId, via: 'login', deviceId: null }, systemClock.now())).token,
            ),
        ),
    );
  } finally {
    db.$client.close();
  }
}

function load(server: ServerProcess): Omit<MeasureOptions, 'name' | 'path'> {
  return {
    url: server.url,
    server,
    ...loadOf(),
  };
}

/** The load every measurement puts on: the connections (split between replicas) and how long. */
function loadOf() {
  return {
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

async function measureReads(servers: ServerProcess[], db: Database, which: Which): Promise<Reads> {
  await checkReads(servers[0], db);
  const where = servers.map((s) => `${s.url}, pid ${s.pid}`).join('; ');
  console.log(`Measuring the ${which === 'stack' ? "stack's floor" : which} (${where})…`);
  return {
    byId: await measureAcross(servers, readLoad(db, which, 'byId')),
    list: await measureAcross(servers, readLoad(db, which, 'list')),
    me: await measureAcross(servers, readLoad(db, which, 'me')),
  };
}

type Which = 'floor' | 'stack' | 'layers' | 'routes' | 'portal';

/** A benchmark of 401s or 404s is worthless: one real answer of each read first. */
async function checkReads(server: ServerProcess, db: Database): Promise<void> {
  const headers = basicAuth(db);
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
      status === 200 &&
      JSON.parse(body).data.every((order: { accountId?: string; account_id?: string }) =>
        [order.accountId, order.account_id].includes(accountId),
      ),
  );
  await expectOk(
    `${server.url}/portal/bench/me`,
    { headers: { authorization: `Bearer ${db.tokens[0]}` } },
    (body, status) => status === 200 && JSON.parse(body).id === accountId,
  );
}

/** How to load one read (its path, headers, label), on whichever server. */
function readLoad(db: Database, which: Which, key: keyof Reads): Omit<MeasureOptions, 'url' | 'server'> {
  const label = (name: string) => (which === 'portal' ? name : `${which}: ${name}`);
  const headers = basicAuth(db);
  if (key === 'byId') {
    return {
      ...loadOf(),
      headers,
      name: label('GET /api/orders/{id}'),
      path: cycle(db.sampleOrderIds, (id) => `/api/orders/${id}`),
    };
  }
  if (key === 'list') {
    return {
      ...loadOf(),
      headers,
      name: label('GET /api/orders?accountId=…'),
      path: cycle(db.sampleAccountIds, (id) => `/api/orders?accountId=${id}`),
    };
  }
  const nextToken = cycle(db.tokens, (token) => token);
  return {
    ...loadOf(),
    name: label('GET /portal/{store}/me'),
    path: () => '/portal/bench/me',
    request: () => ({ headers: { authorization: `Bearer ${nextToken()}` } }),
  };
}

/** The store's Server API credentials as a Basic `Authorization` header. */
function basicAuth(db: Database) {
  const { user, password } = db.credentials;
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

/** `POST /api/orders`: new orders, each taking the store's next invoice number. */
async function measureWrite(servers: ServerProcess[], db: Database, tag: string): Promise<Measurement> {
  const headers = basicAuth(db);
  const request = orderWrites(tag);
  const first = request();
  await expectOk(
    `${servers[0].url}/api/orders`,
    { method: 'POST', headers: { ...headers, ...first.headers }, body: first.body },
    (body, status) => status === 201 && typeof JSON.parse(body).id === 'string',
  );
  return await measureAcross(servers, {
    ...loadOf(),
    headers,
    name: 'POST /api/orders',
    path: () => '/api/orders',
    request,
  });
}

function printReport(run: Run) {
  const { db, hello, floor, stack, layers, routes, api } = run;
  const all = [hello, ...[floor, stack, layers, routes, api].flatMap((reads) => READS.map((key) => reads[key]))];
  const flags =
    (config.fromSource
      ? ', servers run from source through tsx'
      : ', servers built as `npm run build` builds the server') +
    (config.nodeFlags.length > 0 ? `, API server flags ${config.nodeFlags.join(' ')}` : '');
  console.log(
    `\nAccount Portal: Server API benchmark (Node ${process.version}, 127.0.0.1${flags}, ` +
      `${config.connections} connections, ${config.durationSeconds} s per endpoint after ${config.warmupSeconds} s warm-up` +
      `${run.rounds > 1 ? `; the reads: the median of ${run.rounds} rounds` : ''})`,
  );
  console.log(
    `Data: ${fmt.int(db.counts.accounts)} accounts and ${fmt.int(db.counts.orders)} orders in one store; ` +
      `requests cycle through ${fmt.int(db.sampleOrderIds.length)} random orders / ${fmt.int(db.sampleAccountIds.length)} accounts\n`,
  );
  console.log(measurementTable(all, hello));
  for (const m of all.filter((m) => !isClean(m))) {
    console.log(
      `! ${m.name}: non-2xx by status ${JSON.stringify(m.non2xx)}, errors ${m.errors}, timeouts ${m.timeouts}`,
    );
  }
  if (hello.loadCpuPercent >= 90) {
    console.log(
      '! The load generator used a whole core during hello world: the baseline is a floor, the ratios are generous.',
    );
  }
  if (all.some((m) => (m.otherCpuPercent ?? 0) > 25)) {
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
  printBudget(run);
  if (run.pg) printEngines(run);
  console.log(targetTable(targetChecks(run)));
  console.log(
    '\nPASS/FAIL compare the figures with the targets of issues 14 (reads against the floor) and 2 (seeding, memory);' +
      ' the run exits 0 either way.',
  );
}

/**
 * Each read's time per request (one busy core: 1 s / req/s) on the floor, the stack's
 * floor, the layered stack, the portal's routes and the portal, and what the target
 * leaves: ≥ 0.75 of the floor is at most 1/0.75 of the floor's time, of which the
 * stack alone takes its share before any of the portal's own routing, validation and
 * middleware runs, and the layered stack what the portal's work costs done once. The
 * routes' server is the app without its app-wide middleware, so the last two columns
 * split what the portal adds between its routes (their middleware, validation, a
 * router of every route) and the middleware every request goes through.
 */
function printBudget({ floor, stack, layers, routes, api, stackOfFloor, layersOfFloor }: Run) {
  const us = (m: Measurement) => 1e6 / m.requestsPerSecond;
  const rows = READS.map((key) => {
    const allowed = us(floor[key]) / targets.ofFloor;
    return [
      api[key].name,
      us(floor[key]).toFixed(0),
      us(stack[key]).toFixed(0),
      us(layers[key]).toFixed(0),
      us(routes[key]).toFixed(0),
      us(api[key]).toFixed(0),
      fmt.ratio(stackOfFloor[key]),
      fmt.ratio(layersOfFloor[key]),
      allowed.toFixed(0),
      (allowed - us(stack[key])).toFixed(0),
      (us(layers[key]) - us(stack[key])).toFixed(0),
      (us(routes[key]) - us(stack[key])).toFixed(0),
      (us(api[key]) - us(routes[key])).toFixed(0),
    ];
  });
  console.log(
    `Time per request, µs (1 s / req/s): the stack's floor is Hono and Drizzle running the portal's services for the read, nothing else; ` +
      `"layers" is that with the portal's app-wide middleware, turns, validation and headers on a router of three routes; "routes" is the portal without its app-wide middleware (request id, metrics, security headers, URL limit)
${table(
  [
    'endpoint',
    'floor',
    'stack',
    'layers',
    'routes',
    'portal',
    'stack × floor',
    'layers × floor',
    'target allows',
    'left after the stack',
    'layers add',
    'routes add',
    'middleware adds',
  ],
  rows,
  [false, true, true, true, true, true, true, true, true, true, true, true, true],
)}
`,
  );
}

/** SQLite beside PostgreSQL (one process, replicas): each endpoint's figures, against SQLite's and the floor. */
function printEngines({ db, floor, setups, pg }: Run) {
  const [sqlite] = setups;
  const endpoints: [keyof Reads | 'write', Measurement | undefined][] = [
    ['byId', floor.byId],
    ['list', floor.list],
    ['me', floor.me],
    ['write', undefined],
  ];
  const rows = endpoints.flatMap(([key, base]) =>
    setups.map((setup) => {
      const m = key === 'write' ? setup.write : setup.reads[key];
      const same = key === 'write' ? sqlite.write : sqlite.reads[key];
      return [
        m.name,
        setup.label,
        fmt.int(m.requestsPerSecond),
        fmt.ms(m.p50Ms),
        fmt.ms(m.p99Ms),
        fmt.ratio(m.requestsPerSecond / same.requestsPerSecond),
        base ? fmt.ratio(m.requestsPerSecond / base.requestsPerSecond) : '–',
        fmt.int(m.non2xxTotal + m.errors + m.timeouts),
        fmt.percent(m.serverCpuPercent),
        fmt.percent(m.otherCpuPercent),
      ];
    }),
  );
  console.log(
    `SQLite and PostgreSQL (${config.connections} connections in all; replicas share them)\n${table(
      ['endpoint', 'database', 'req/s', 'p50 ms', 'p99 ms', '× SQLite', '× floor', 'failed', 'server CPU', 'other CPU'],
      rows,
      [false, false, true, true, true, true, true, true, true, true],
    )}`,
  );
  const seeded = db.reused ? 'the reused SQLite file' : `seeding SQLite ${fmt.seconds(db.seconds)}`;
  console.log(
    `Seeding on PostgreSQL: ${seeded} + db copy ${fmt.seconds(pg!.seconds)} (${fmt.int(pg!.rows)} rows)` +
      `${db.reused ? '' : ` = ${fmt.seconds(db.seconds + pg!.seconds)}`}. "other CPU" on PostgreSQL includes ` +
      `PostgreSQL's own processes; a machine of ${cpus().length} cores runs the servers, PostgreSQL and the load generator.\n`,
  );
}

function targetChecks(run: Run): TargetCheck[] {
  const { db, floor, layers, api, ofFloor, stackOfFloor, layersOfFloor, layersBest, apiStats, rounds } = run;
  const endpoint = (key: keyof Reads): TargetCheck[] => {
    const [m, base, ratio] = [api[key], floor[key], ofFloor[key]];
    const figures =
      rounds > 1
        ? `the median of the rounds' ratios; the stack's floor ${fmt.ratio(stackOfFloor[key])}`
        : `${fmt.int(m.requestsPerSecond)} / ${fmt.int(base.requestsPerSecond)} req/s; the stack's floor ${fmt.ratio(stackOfFloor[key])}`;
    // Out of reach when the stack doing the portal's work once (layeredReads) misses the target itself in
    // every round (and, for p99, so would the floor slowed to the target's speed). At 10 connections a
    // request waits for the ones ahead of it, so latency scales with the time per request: a server at
    // exactly 0.75 of the floor's speed, with the floor's spread, has the floor's p99 / 0.75.
    const p99AtTarget = base.p99Ms / targets.ofFloor;
    const layersMiss = layersBest[key].ofFloor < targets.ofFloor;
    const p99Miss = layersBest[key].p99Ms > targets.p99Ms && layersBest[key].floorP99AtTargetMs > targets.p99Ms;
    return [
      {
        target: `${m.name}: ≥ ${targets.ofFloor} of the floor`,
        measured:
          `${fmt.ratio(ratio)} (${figures}; with the portal's layers ${fmt.ratio(layersOfFloor[key])})` +
          (ratio < targets.ofFloor && layersMiss ? ' — out of reach on this stack' : ''),
        pass: isClean(m) && isClean(base) ? ratio >= targets.ofFloor : undefined,
      },
      {
        target: `${m.name}: p99 ≤ ${targets.p99Ms} ms`,
        measured:
          `${fmt.ms(m.p99Ms)} ms (with the portal's layers ${fmt.ms(layers[key].p99Ms)}; the floor ${fmt.ms(base.p99Ms)}, ` +
          `at ${targets.ofFloor} of its speed ${fmt.ms(p99AtTarget)})` +
          (m.p99Ms > targets.p99Ms && p99Miss ? ' — out of reach on this stack' : ''),
        pass: isClean(m) ? m.p99Ms <= targets.p99Ms : undefined,
      },
    ];
  };
  return [
    ...endpoint('byId'),
    ...endpoint('list'),
    ...endpoint('me'),
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
