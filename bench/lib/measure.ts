import autocannon from 'autocannon';
import { cpus } from 'node:os';
import { createHistogram } from 'node:perf_hooks';
import type { ProcessStats } from './ipc';

export interface MeasureOptions {
  /** Label for the report, such as `GET /api/orders/{id}`. */
  name: string;
  /** Base URL of the server, `http://127.0.0.1:<port>`. */
  url: string;
  /** The path of each request; called once per request, so it can cycle through ids. */
  path: () => string;
  /** Method, headers and body of each request, when they vary (POSTs); merged over the defaults. */
  request?: () => { method?: string; headers?: Record<string, string>; body?: string };
  headers?: Record<string, string>;
  connections?: number;
  durationSeconds?: number;
  /** Load before the measured run (JIT, caches), not counted. */
  warmupSeconds?: number;
  /** The server process, to report how busy it was during the run. */
  server?: { stats(): Promise<ProcessStats> };
}

export interface Measurement {
  name: string;
  connections: number;
  durationSeconds: number;
  /** Responses per second over the measured run (any status). */
  requestsPerSecond: number;
  /** Latency percentiles in milliseconds, at microsecond resolution. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  responses: number;
  /** Responses that were not 2xx, by status code. */
  non2xx: Record<string, number>;
  non2xxTotal: number;
  /** Connection errors and timeouts. */
  errors: number;
  timeouts: number;
  /** CPU time of the server process over the run, as % of one core (100 = one core saturated). */
  serverCpuPercent?: number;
  /** The same for this process, which runs autocannon. */
  loadCpuPercent: number;
  /**
   * CPU the rest of the machine used meanwhile (all cores' busy time minus the server's
   * and ours). Much of it means something else competed for the cores and the figures are disturbed.
   */
  otherCpuPercent?: number;
}

/**
 * Runs autocannon against one endpoint: an optional warm-up, then the measured run.
 * Latencies come from our own histogram fed by every response, because autocannon's
 * own percentiles are whole milliseconds and these requests take less than one.
 */
export async function measure(options: MeasureOptions): Promise<Measurement> {
  const connections = options.connections ?? 10;
  if ((options.warmupSeconds ?? 0) > 0) await run(options, connections, options.warmupSeconds!);
  const histogram = createHistogram();
  const serverBefore = await options.server?.stats();
  const loadBefore = process.cpuUsage();
  const machineBefore = machineBusyMs();
  const result = await run(options, connections, options.durationSeconds ?? 10, (ms) => {
    histogram.record(Math.max(1, Math.round(ms * 1000)));
  });
  const load = process.cpuUsage(loadBefore);
  const machineMs = machineBusyMs() - machineBefore;
  const serverAfter = await options.server?.stats();
  const cpuPercent = (micros: number) => (100 * micros) / 1e6 / result.duration;
  const serverMicros =
    serverBefore && serverAfter
      ? serverAfter.cpuUser + serverAfter.cpuSystem - serverBefore.cpuUser - serverBefore.cpuSystem
      : undefined;
  const non2xx = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {})
      .filter(([code]) => !code.startsWith('2'))
      .map(([code, stat]) => [code, stat.count ?? 0]),
  );
  const responses = Object.values(result.statusCodeStats ?? {}).reduce((sum, stat) => sum + (stat.count ?? 0), 0);
  return {
    name: options.name,
    connections,
    durationSeconds: result.duration,
    requestsPerSecond: responses / result.duration,
    p50Ms: histogram.percentile(50) / 1000,
    p99Ms: histogram.percentile(99) / 1000,
    maxMs: histogram.max / 1000,
    responses,
    non2xx,
    non2xxTotal: Object.values(non2xx).reduce((sum, n) => sum + n, 0),
    errors: result.errors,
    timeouts: result.timeouts,
    serverCpuPercent: serverMicros === undefined ? undefined : cpuPercent(serverMicros),
    loadCpuPercent: cpuPercent(load.user + load.system),
    otherCpuPercent:
      serverMicros === undefined
        ? undefined
        : Math.max(0, cpuPercent(machineMs * 1000 - serverMicros - load.user - load.system)),
  };
}

function run(
  options: MeasureOptions,
  connections: number,
  seconds: number,
  onLatency?: (ms: number) => void,
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections,
        duration: seconds,
        headers: options.headers,
        // Every endpoint, the baseline included, goes through the same per-request setup,
        // so the load generator spends the same effort per request on each.
        requests: [
          {
            setupRequest: (request) => {
              const extra = options.request?.();
              const merged = {
                ...request,
                ...extra,
                headers: { ...request.headers, ...extra?.headers },
                path: options.path(),
              };
              return merged as autocannon.Request;
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    if (onLatency) instance.on('response', (_client, _status, _bytes, ms) => onLatency(ms));
  });
}

/** Busy time of all cores together since boot, in milliseconds. */
function machineBusyMs(): number {
  return cpus().reduce((sum, { times }) => sum + times.user + times.nice + times.sys + times.irq, 0);
}

/** A path generator that walks through `ids` round-robin (shuffle them first for random access). */
export function cycle(ids: readonly string[], toPath: (id: string) => string): () => string {
  if (ids.length === 0) throw new Error('cycle() needs at least one id.');
  let next = 0;
  return () => toPath(ids[next++ % ids.length]);
}
