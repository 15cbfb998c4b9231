/**
 * `npm run bench:replicas`: the Server API on PostgreSQL, one process and several,
 * against the same API on SQLite measured in the same run (the baseline). Seeds a
 * store into a SQLite file (bench/seed/store.ts), copies it into a throwaway
 * PostgreSQL cluster with `db copy`'s code, then runs the real app (bench/servers/api.ts,
 * production dependencies, no workers) over each database and measures with autocannon:
 *
 * - `GET /api/orders/{id}`, a read, random orders of the seeded store;
 * - `POST /api/orders`, a write: an order for one of 1,000 customers, with its own
 *   idempotency key, each taking the store's next invoice number (the hottest row).
 *
 * Beside them, in the same run: a Hono hello world and the floor of the read (the same
 * statements as raw better-sqlite3 on node:http, bench/servers/floor.ts).
 *
 * Replicas are measured with one autocannon per replica at once, the connections split
 * between them; the figures are their sum (req/s) and their worst (p99). On a machine
 * with few cores the replicas, PostgreSQL and the load generator share them: the
 * figures there show the cost of PostgreSQL and of the replicas' coordination, not the
 * scale-out more machines would give. Exits 0 whenever it could measure.
 *
 * Environment: BENCH_ACCOUNTS (10000), BENCH_ORDERS (100000), BENCH_DURATION (10),
 * BENCH_WARMUP (3), BENCH_CONNECTIONS (12), BENCH_REPLICAS (3), BENCH_SAMPLE (20000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { copyDatabase } from '../server/db/copy';
import { startPostgres } from '../test/helpers/postgres';
import { envNumber } from './lib/env';
import { cycle, measure, type Measurement } from './lib/measure';
import { fmt, table } from './lib/report';
import { startServerProcess, type ServerProcess } from './lib/server-process';
import { seedStore } from './seed/store';

const config = {
  accounts: envNumber('BENCH_ACCOUNTS', 10_000),
  orders: envNumber('BENCH_ORDERS', 100_000),
  durationSeconds: envNumber('BENCH_DURATION', 10),
  warmupSeconds: envNumber('BENCH_WARMUP', 3),
  connections: envNumber('BENCH_CONNECTIONS', 12),
  replicas: envNumber('BENCH_REPLICAS', 3),
  sampleSize: envNumber('BENCH_SAMPLE', 20_000),
};

const dir = mkdtempSync(join(tmpdir(), 'portal-bench-replicas-'));
const sqlitePath = join(dir, 'portal.db');
const log = (line: string) => console.log(line);

log(`Seeding ${fmt.int(config.accounts)} accounts and ${fmt.int(config.orders)} orders into SQLite…`);
const seedStarted = performance.now();
const seed = await seedStore({
  path: sqlitePath,
  storeId: 'bench',
  accounts: config.accounts,
  orders: config.orders,
  sampleSize: config.sampleSize,
});
log(`Seeded in ${fmt.seconds((performance.now() - seedStarted) / 1000)}.`);
const cluster = await startPostgres({ maxConnections: 200 });
try {
  const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
  await admin.unsafe('create database portal');
  await admin.end();
  const pgUrl = cluster.url.replace(/\/postgres$/, '/portal');
  log('Copying it into PostgreSQL (db copy)…');
  const copyStarted = performance.now();
  const copied = await copyDatabase({ engine: 'sqlite', path: sqlitePath }, { engine: 'postgres', url: pgUrl });
  const rows = copied.tables.reduce((sum, t) => sum + t.targetRows, 0);
  log(
    `Copied ${fmt.int(rows)} rows in ${fmt.seconds((performance.now() - copyStarted) / 1000)}, verified: ${copied.verified}.`,
  );

  const auth = `Basic ${Buffer.from(`${seed.credentials.user}:${seed.credentials.password}`).toString('base64')}`;
  const headers = { authorization: auth };
  let written = 0;
  const orderBody = () => {
    const n = written++;
    return {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `bench-${process.pid}-${n}` },
      body: JSON.stringify({
        customer: { email: `bench-writer-${n % 1000}@example.com` },
        currency: 'EUR',
        items: [
          { product: 'bench-write', displayName: `Benchmark order ${n}`, quantity: 1, unitPrice: 1000 + (n % 500) },
        ],
      }),
    };
  };

  /** One endpoint against `servers` at once (one autocannon each); their sum and their worst. */
  async function measureAll(name: string, servers: ServerProcess[], write: boolean): Promise<Measurement> {
    const each = Math.max(1, Math.round(config.connections / servers.length));
    const runs = await Promise.all(
      servers.map((server) =>
        measure({
          name,
          url: server.url,
          headers,
          connections: each,
          durationSeconds: config.durationSeconds,
          warmupSeconds: config.warmupSeconds,
          path: write ? () => '/api/orders' : cycle(seed.sampleOrderIds, (id) => `/api/orders/${id}`),
          ...(write && { request: orderBody }),
          server,
        }),
      ),
    );
    const sum = (pick: (m: Measurement) => number) => runs.reduce((total, m) => total + pick(m), 0);
    return {
      ...runs[0],
      connections: each * servers.length,
      requestsPerSecond: sum((m) => m.requestsPerSecond),
      p50Ms: Math.max(...runs.map((m) => m.p50Ms)),
      p99Ms: Math.max(...runs.map((m) => m.p99Ms)),
      maxMs: Math.max(...runs.map((m) => m.maxMs)),
      responses: sum((m) => m.responses),
      non2xxTotal: sum((m) => m.non2xxTotal),
      non2xx: Object.assign({}, ...runs.map((m) => m.non2xx)) as Record<string, number>,
      errors: sum((m) => m.errors),
      timeouts: sum((m) => m.timeouts),
      serverCpuPercent: sum((m) => m.serverCpuPercent ?? 0),
    };
  }

  const api = new URL('./servers/api.ts', import.meta.url);
  const setups: { label: string; database: string; processes: number }[] = [
    { label: 'SQLite, 1 process (baseline)', database: sqlitePath, processes: 1 },
    { label: 'PostgreSQL, 1 process', database: pgUrl, processes: 1 },
    { label: `PostgreSQL, ${config.replicas} replicas`, database: pgUrl, processes: config.replicas },
  ];
  const results: { label: string; read: Measurement; write: Measurement }[] = [];
  for (const setup of setups) {
    log(`Measuring ${setup.label}…`);
    const servers = await Promise.all(
      Array.from({ length: setup.processes }, () => startServerProcess(api, { args: [setup.database] })),
    );
    try {
      const read = await measureAll('GET /api/orders/{id}', servers, false);
      const write = await measureAll('POST /api/orders', servers, true);
      results.push({ label: setup.label, read, write });
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
  }

  // The hello world and the floor of the read (raw better-sqlite3 on node:http), in the same run.
  const floors: { label: string; read: Measurement }[] = [];
  for (const [label, entry, args, path] of [
    ['Hono hello world', './servers/hello.ts', [], () => '/'],
    ['floor (raw SQLite)', './servers/floor.ts', [sqlitePath], cycle(seed.sampleOrderIds, (id) => `/api/orders/${id}`)],
  ] as const) {
    log(`Measuring ${label}…`);
    const server = await startServerProcess(new URL(entry, import.meta.url), { args: [...args] });
    try {
      floors.push({
        label,
        read: await measure({
          name: label === 'Hono hello world' ? 'GET /' : 'GET /api/orders/{id}',
          url: server.url,
          headers,
          connections: config.connections,
          durationSeconds: config.durationSeconds,
          warmupSeconds: config.warmupSeconds,
          path,
          server,
        }),
      });
    } finally {
      await server.stop();
    }
  }

  const [baseline] = results;
  const row = (label: string, m: Measurement, base: Measurement) => [
    label,
    m.name,
    fmt.int(m.requestsPerSecond),
    fmt.ms(m.p50Ms),
    fmt.ms(m.p99Ms),
    fmt.int(m.non2xxTotal + m.errors + m.timeouts),
    fmt.percent(m.serverCpuPercent),
    fmt.ratio(m.requestsPerSecond / base.requestsPerSecond),
  ];
  console.log(
    `\n${table(
      ['database', 'endpoint', 'req/s', 'p50 ms', 'p99 ms', 'failed', 'server CPU', 'vs SQLite'],
      [
        ...floors.map((f) => row(f.label, f.read, baseline.read)),
        ...results.flatMap((r) => [row(r.label, r.read, baseline.read), row(r.label, r.write, baseline.write)]),
      ],
      [false, false, true, true, true, true, true, true],
    )}`,
  );
  console.log(
    `\n${config.connections} connections, ${config.durationSeconds} s per endpoint after ${config.warmupSeconds} s of warm-up; ` +
      `a machine of ${(await import('node:os')).cpus().length} cores shared by the servers, PostgreSQL and the load generator.`,
  );
} finally {
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}
