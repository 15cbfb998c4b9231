import postgres from 'postgres';
import { copyDatabase } from '../../server/db/copy';
import { startPostgres } from '../../test/helpers/postgres';
import { measure, type Measurement, type MeasureOptions } from './measure';
import type { ServerProcess } from './server-process';

/** A throwaway PostgreSQL cluster holding a copy of a seeded SQLite database. */
export interface PostgresCopy {
  /** The `postgres://` URL servers take as their database (DATABASE_URL). */
  url: string;
  /** How long `db copy` took, seconds, and the rows it copied. */
  seconds: number;
  rows: number;
  stop(): Promise<void>;
}

/**
 * Starts a throwaway cluster (test/helpers/postgres.ts: Debian's `postgresql` package,
 * `initdb` into a temporary directory) and copies the SQLite database at `sqlitePath`
 * into a new database there with `db copy`'s code, verified as the command verifies it.
 */
export async function copyIntoPostgres(sqlitePath: string): Promise<PostgresCopy> {
  const cluster = await startPostgres({ maxConnections: 200 });
  try {
    const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
    await admin.unsafe('create database portal');
    await admin.end();
    const url = cluster.url.replace(/\/postgres$/, '/portal');
    const started = performance.now();
    const copied = await copyDatabase({ engine: 'sqlite', path: sqlitePath }, { engine: 'postgres', url });
    if (!copied.verified) throw new Error('db copy did not verify the copy.');
    return {
      url,
      seconds: (performance.now() - started) / 1000,
      rows: copied.tables.reduce((sum, t) => sum + t.targetRows, 0),
      stop: () => cluster.stop(),
    };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

/**
 * One endpoint measured against several servers at once (replicas behind a load
 * balancer), one autocannon each with the connections split between them: their sum
 * (req/s, responses) and their worst (latencies). One server: measured as usual.
 */
export async function measureAcross(
  servers: ServerProcess[],
  options: Omit<MeasureOptions, 'url' | 'server'>,
): Promise<Measurement> {
  const connections = Math.max(1, Math.round((options.connections ?? 10) / servers.length));
  const runs = await Promise.all(
    servers.map((server) => measure({ ...options, url: server.url, server, connections })),
  );
  if (runs.length === 1) return runs[0];
  const sum = (pick: (m: Measurement) => number | undefined) => runs.reduce((total, m) => total + (pick(m) ?? 0), 0);
  const worst = (pick: (m: Measurement) => number) => Math.max(...runs.map(pick));
  const non2xx: Record<string, number> = {};
  for (const m of runs) for (const [status, n] of Object.entries(m.non2xx)) non2xx[status] = (non2xx[status] ?? 0) + n;
  return {
    ...runs[0],
    connections: connections * servers.length,
    requestsPerSecond: sum((m) => m.requestsPerSecond),
    p50Ms: worst((m) => m.p50Ms),
    p99Ms: worst((m) => m.p99Ms),
    maxMs: worst((m) => m.maxMs),
    responses: sum((m) => m.responses),
    non2xx,
    non2xxTotal: sum((m) => m.non2xxTotal),
    errors: sum((m) => m.errors),
    timeouts: sum((m) => m.timeouts),
    serverCpuPercent: sum((m) => m.serverCpuPercent),
    // One load generator ran them all: its CPU and the machine's were measured by each run alike.
    loadCpuPercent: runs[0].loadCpuPercent,
    otherCpuPercent: worst((m) => m.otherCpuPercent ?? 0),
  };
}

/**
 * `POST /api/orders` requests: each a new order with its own idempotency key, for one of
 * 1,000 customers (new at first, then returning), each taking the store's next invoice
 * number (the hottest row of a store).
 */
export function orderWrites(tag: string): NonNullable<MeasureOptions['request']> {
  let written = 0;
  return () => {
    const n = written++;
    return {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `bench-${tag}-${process.pid}-${n}` },
      body: JSON.stringify({
        customer: { email: `bench-writer-${n % 1000}@example.com` },
        currency: 'EUR',
        items: [
          { product: 'bench-write', displayName: `Benchmark order ${n}`, quantity: 1, unitPrice: 1000 + (n % 500) },
        ],
      }),
    };
  };
}
