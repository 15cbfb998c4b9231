import autocannon from 'autocannon';
import { cpus } from 'node:os';
import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
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
  return toMeasurement(
    options,
    connections,
    histogram,
    await tally(options, connections, options.durationSeconds ?? 10, histogram),
  );
}

/**
 * Measures several endpoints (or servers) against each other, their runs interleaved:
 * each is warmed up, then they take turns in short chunks (`chunkSeconds`, the order
 * rotating from pass to pass) until each has run its `durationSeconds`. On a machine
 * whose speed drifts from one stretch of seconds to the next (a virtual machine's
 * cores shared with its host's other guests), a slow stretch then falls on all of them
 * alike, and their ratios hold where back-to-back runs of 10 s differ by 10–20 %.
 * Each turn first settles for `settleSeconds`, not counted: its connections are new
 * and its server has been idle, and those first requests would otherwise weigh on
 * every turn's latencies (the p99 of one 10 s run has them once).
 */
export async function measureInterleaved(
  sides: MeasureOptions[],
  chunkSeconds = 2,
  settleSeconds = 0.25,
): Promise<Measurement[]> {
  const connections = sides.map((side) => side.connections ?? 10);
  for (const [i, side] of sides.entries()) {
    if ((side.warmupSeconds ?? 0) > 0) await run(side, connections[i], side.warmupSeconds!);
  }
  const histograms = sides.map(() => createHistogram());
  const tallies: Tally[] = sides.map(() => emptyTally());
  const chunks = Math.max(1, Math.round((sides[0].durationSeconds ?? 10) / chunkSeconds));
  for (let pass = 0; pass < chunks; pass++) {
    for (let turn = 0; turn < sides.length; turn++) {
      const i = (pass + turn) % sides.length;
      const seconds = (sides[i].durationSeconds ?? 10) / chunks;
      addTally(tallies[i], await tally(sides[i], connections[i], seconds, histograms[i], settleSeconds));
    }
  }
  return sides.map((side, i) => toMeasurement(side, connections[i], histograms[i], tallies[i]));
}

/** What one measured run (or several, added up) counted. */
interface Tally {
  /** How long responses were counted: the run less its settling time. */
  seconds: number;
  /** How long the run lasted: the time the CPU figures are shares of. */
  cpuSeconds: number;
  responses: number;
  non2xx: Record<string, number>;
  errors: number;
  timeouts: number;
  /** CPU of the server process; undefined when it could not be asked. */
  serverMicros: number | undefined;
  loadMicros: number;
  machineMs: number;
}

const emptyTally = (): Tally => ({
  seconds: 0,
  cpuSeconds: 0,
  responses: 0,
  non2xx: {},
  errors: 0,
  timeouts: 0,
  serverMicros: 0,
  loadMicros: 0,
  machineMs: 0,
});

function addTally(total: Tally, more: Tally): void {
  total.seconds += more.seconds;
  total.cpuSeconds += more.cpuSeconds;
  total.responses += more.responses;
  for (const [code, n] of Object.entries(more.non2xx)) total.non2xx[code] = (total.non2xx[code] ?? 0) + n;
  total.errors += more.errors;
  total.timeouts += more.timeouts;
  total.serverMicros =
    total.serverMicros === undefined || more.serverMicros === undefined
      ? undefined
      : total.serverMicros + more.serverMicros;
  total.loadMicros += more.loadMicros;
  total.machineMs += more.machineMs;
}

/** One measured run, every response's latency recorded in `histogram`. */
async function tally(
  options: MeasureOptions,
  connections: number,
  seconds: number,
  histogram: RecordableHistogram,
  settleSeconds = 0,
): Promise<Tally> {
  const serverBefore = await options.server?.stats();
  const loadBefore = process.cpuUsage();
  const machineBefore = machineBusyMs();
  const started = performance.now();
  const countFrom = started + settleSeconds * 1000;
  let responses = 0;
  const non2xx: Record<string, number> = {};
  const result = await run(options, connections, settleSeconds + seconds, (ms, status) => {
    if (performance.now() < countFrom) return;
    responses++;
    if (status < 200 || status > 299) non2xx[status] = (non2xx[status] ?? 0) + 1;
    histogram.record(Math.max(1, Math.round(ms * 1000)));
  });
  const counted = Math.max(0, performance.now() - countFrom) / 1000;
  const load = process.cpuUsage(loadBefore);
  const machineMs = machineBusyMs() - machineBefore;
  const serverAfter = await options.server?.stats();
  return {
    seconds: counted,
    cpuSeconds: result.duration,
    responses,
    non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    serverMicros:
      serverBefore && serverAfter
        ? serverAfter.cpuUser + serverAfter.cpuSystem - serverBefore.cpuUser - serverBefore.cpuSystem
        : undefined,
    loadMicros: load.user + load.system,
    machineMs,
  };
}

function toMeasurement(
  options: MeasureOptions,
  connections: number,
  histogram: RecordableHistogram,
  t: Tally,
): Measurement {
  const cpuPercent = (micros: number) => (100 * micros) / 1e6 / t.cpuSeconds;
  return {
    name: options.name,
    connections,
    durationSeconds: t.seconds,
    requestsPerSecond: t.responses / t.seconds,
    p50Ms: histogram.percentile(50) / 1000,
    p99Ms: histogram.percentile(99) / 1000,
    maxMs: histogram.max / 1000,
    responses: t.responses,
    non2xx: t.non2xx,
    non2xxTotal: Object.values(t.non2xx).reduce((sum, n) => sum + n, 0),
    errors: t.errors,
    timeouts: t.timeouts,
    serverCpuPercent: t.serverMicros === undefined ? undefined : cpuPercent(t.serverMicros),
    loadCpuPercent: cpuPercent(t.loadMicros),
    otherCpuPercent:
      t.serverMicros === undefined
        ? undefined
        : Math.max(0, cpuPercent(t.machineMs * 1000 - t.serverMicros - t.loadMicros)),
  };
}

function run(
  options: MeasureOptions,
  connections: number,
  seconds: number,
  onResponse?: (ms: number, status: number) => void,
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections,
        duration: seconds,
        // autocannon stops at its first sample after the duration: every 0.1 s rather than every second,
        // so that runs of a fraction of a second (measureInterleaved's turns) last what they are given.
        sampleInt: 100,
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
    if (onResponse) instance.on('response', (_client, status, _bytes, ms) => onResponse(ms, status));
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
