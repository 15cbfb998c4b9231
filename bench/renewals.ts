/**
 * `npm run bench:renewals`: seeds 100k automatic-renewal subscriptions that are
 * due now (a few % with cards that decline) into a fresh SQLite file, then runs
 * the renewal scheduler through the built-in test gateway — as the server's
 * renewal worker does, in runs of `BENCH_BATCH` subscriptions, with two runners
 * on the database at once as two server processes would — until nothing is due.
 * Prints subscriptions renewed per second and checks in the processor's ledger
 * and `subscription_charges` that no subscription was charged twice. Exits 0
 * whenever it could measure: it is a measurement, not a test.
 *
 * Environment, for quick smoke runs:
 *   BENCH_SUBSCRIPTIONS   due subscriptions to seed (100000)
 *   BENCH_DECLINE_RATE    share whose card declines every charge (0.03)
 *   BENCH_RUNNERS         renewal runners working on the database at once (2)
 *   BENCH_BATCH           subscriptions one run claims, the worker's batch size (500)
 *   BENCH_CONCURRENCY     subscriptions in flight per runner (4; 64 with Stripe)
 *   BENCH_GATEWAY         `test` (the built-in gateway, in-process) or `stripe` (the Stripe
 *                         adapter and the real client against the fake Stripe API, run as a
 *                         child process: scripts/fake-stripe)
 *   BENCH_LATENCY_MS      the processor's answer time per call (0; try 300 for Stripe's typical
 *                         off-session charge): the fake answers after it, or the test gateway waits it
 *   BENCH_RATE            renewals started per second at most, per runner (0: no ceiling)
 *   BENCH_FLOOR=1         the floor instead: as many charges through the gateway alone (the
 *                         Stripe adapter and client, or the test gateway), with as many in flight
 *                         as the runners keep, and no portal code: what the processor's calls
 *                         cost this machine, below which no renewal can go
 *   BENCH_CHECKPOINTS     `background` (a thread copies the write-ahead log into the database file,
 *                         as the server does: server/db/checkpoints.ts) or `inline` (SQLite's own
 *                         checkpoints, on the renewing thread)
 *   BENCH_KEEP=1          keep the database
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointInBackground, type Checkpoints } from '../server/db/checkpoints';
import { openDatabase, type Db } from '../server/db/client';
import { createServerDeps, type Deps } from '../server/deps';
import { systemClock } from '../server/lib/clock';
import type { Logger } from '../server/lib/logger';
import { emptySummary, runRenewals, type RenewalSummary } from '../server/services/billing';
import { createStore } from '../server/services/stores';
import { envFlag, envNumber } from './lib/env';
import { fmt, targetTable, type TargetCheck } from './lib/report';
import { seedDueSubscriptions, type DueSeed } from './seed/subscriptions';
import { spawn } from 'node:child_process';
import { parseStripeApiHost } from '../server/env';
import type { PaymentGateway } from '../server/payments/gateway';
import { FAKE_KEYS } from '../scripts/fake-stripe/server';

const config = {
  subscriptions: envNumber('BENCH_SUBSCRIPTIONS', 100_000),
  declineRate: envNumber('BENCH_DECLINE_RATE', 0.03),
  runners: Math.max(1, envNumber('BENCH_RUNNERS', 2)),
  batch: Math.max(1, envNumber('BENCH_BATCH', 500)),
  gateway: process.env.BENCH_GATEWAY === 'stripe' ? ('stripe' as const) : ('test' as const),
  concurrency: Math.max(1, envNumber('BENCH_CONCURRENCY', process.env.BENCH_GATEWAY === 'stripe' ? 64 : 4)),
  latencyMs: envNumber('BENCH_LATENCY_MS', 0),
  rate: envNumber('BENCH_RATE', 0),
  floor: envFlag('BENCH_FLOOR'),
  checkpoints: process.env.BENCH_CHECKPOINTS === 'inline' ? ('inline' as const) : ('background' as const),
  keep: envFlag('BENCH_KEEP'),
};

/**
 * Renewals per second the scheduler should sustain: 100k subscriptions falling due
 * at the same moment (a store that migrated them all on one day) are renewed within
 * ten minutes. Spread over a month, that is 30 times the volume of a 100k store's day.
 */
const TARGET_PER_SECOND = 170;

interface Passes {
  totals: RenewalSummary;
  runs: number;
  seconds: number;
  /** CPU time (user + system) the renewing process spent, in seconds: what the machine's load does not change. */
  cpuSeconds: number;
  /** CPU time the fake Stripe API's process spent meanwhile, in seconds (undefined without it, or off Linux). */
  fakeCpuSeconds: number | undefined;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'portal-bench-renewals-'));
  const path = join(dir, 'renewals.db');
  const db = openDatabase(path);
  try {
    await createStore(db, systemClock, {
      id: 'bench',
      name: 'Benchmark Store',
      allowedOrigins: ['https://shop.bench.example'],
      portalUrl: null,
    });
    console.log(`Seeding ${fmt.int(config.subscriptions)} due subscriptions into ${path}`);
    const seedStarted = performance.now();
    const seed = seedDueSubscriptions(db.$client, {
      storeId: 'bench',
      count: config.subscriptions,
      declineRate: config.declineRate,
      now: new Date(),
      tokens: config.gateway,
    });
    console.log(
      `  seeded in ${fmt.seconds((performance.now() - seedStarted) / 1000)} (${fmt.int(seed.declining)} with declining cards)`,
    );
    // As the server does (main.ts); the thread's CPU time counts in the renewing process's.
    checkpoints = config.checkpoints === 'background' ? checkpointInBackground(db, path) : undefined;
    const logs = countingLogger();
    fake = config.gateway === 'stripe' ? await startFakeStripeProcess(config.latencyMs) : undefined;
    const deps = await createServerDeps({
      db,
      clock: systemClock,
      logger: logs.logger,
      config: { production: false, publicBaseUrl: 'http://127.0.0.1:8787' },
      stripe: fake && { ...FAKE_KEYS, live: false, api: parseStripeApiHost(fake.apiHost) },
    });
    if (!fake && config.latencyMs > 0) delayCharges(deps, config.latencyMs);
    if (config.floor) return await measureFloor(deps, seed);
    console.log(
      `Renewing through ${config.gateway === 'stripe' ? `the Stripe adapter against the fake Stripe API (${fake!.apiHost})` : 'the test gateway'}` +
        ` answering after ${config.latencyMs} ms, with ${config.runners} runner(s), runs of ${config.batch}, ${config.concurrency} in flight each` +
        `${config.rate ? `, at most ${config.rate}/s each` : ''}; checkpoints ${config.checkpoints === 'background' ? 'in a background thread' : 'inline'}`,
    );
    const passes = await renewUntilIdle(deps);
    const leftover = await runRenewals(deps);
    const ledger = fake ? await fake.ledger() : testGatewayLedger(db);
    printReport(seed, passes, verify(db, seed, leftover, ledger), logs.counts);
  } finally {
    await checkpoints?.stop();
    fake?.stop();
    db.$client.close();
    if (config.keep) console.log(`\nKept ${path}.`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The floor: one charge per seeded subscription straight through the gateway, with
 * `runners × concurrency` in flight, as the renewal run sends them (same method,
 * amount, description, idempotency key) but with nothing of the portal around them.
 */
async function measureFloor(deps: Deps, seed: DueSeed) {
  const methods = deps.db.$client
    .prepare(
      `SELECT s.id, s.currency, m.processor_token AS token, m.processor_customer_id AS customer
       FROM subscriptions s JOIN payment_methods m ON m.id = s.payment_method_id`,
    )
    .all() as { id: string; currency: string; token: string; customer: string | null }[];
  const amount = seed.unitPrice + Math.round((seed.unitPrice * seed.taxRatePpm) / 1_000_000);
  const counts = { succeeded: 0, declined: 0, other: 0 };
  let next = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const fakeCpu = fake?.cpuSeconds();
  const lane = async () => {
    while (next < methods.length) {
      const sub = methods[next++];
      const result = await deps.gateway.charge({
        idempotencyKey: `renewal:${sub.id}:1:1`,
        token: sub.token,
        customerId: sub.customer,
        amount,
        currency: sub.currency,
        description: `Benchmark Store: Pro, floor charge of ${sub.id}`,
      });
      if (result.status === 'succeeded' || result.status === 'declined') counts[result.status]++;
      else counts.other++;
    }
  };
  await Promise.all(Array.from({ length: config.runners * config.concurrency }, lane));
  const seconds = (performance.now() - started) / 1000;
  const spent = process.cpuUsage(cpu);
  const fakeSpent = fake?.cpuSeconds();
  const n = Math.max(1, methods.length);
  const perCharge = (cpuSeconds: number) => fmt.ms((cpuSeconds * 1000) / n);
  console.log(
    `\nFloor: ${fmt.int(methods.length)} charges through the gateway alone in ${fmt.seconds(seconds)} ` +
      `(${counts.succeeded} succeeded, ${counts.declined} declined, ${counts.other} other): ${fmt.int(methods.length / seconds)}/s.`,
  );
  const cpuSeconds = (spent.user + spent.system) / 1e6;
  const fakeSeconds = fakeCpu !== undefined && fakeSpent !== undefined ? fakeSpent - fakeCpu : undefined;
  console.log(`CPU time of the charging process: ${perCharge(cpuSeconds)} ms per charge.`);
  if (fakeSeconds !== undefined) {
    console.log(
      `CPU time of the fake Stripe API's process: ${perCharge(fakeSeconds)} ms per charge; both: ${perCharge(cpuSeconds + fakeSeconds)} ms, ` +
        `so ${availableParallelism()} free cores sustain at most about ${fmt.int((n * availableParallelism()) / Math.max(0.001, cpuSeconds + fakeSeconds))} charges/s.`,
    );
  }
  console.log(
    `Machine load (1-minute average) at the end: ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores.`,
  );
}

/** Runs every runner until a run of its finds nothing to claim. */
async function renewUntilIdle(deps: Deps): Promise<Passes> {
  const totals = emptySummary();
  let runs = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const fakeCpu = fake?.cpuSeconds();
  const runner = async () => {
    for (;;) {
      const summary = await runRenewals(deps, {
        limit: config.batch,
        concurrency: config.concurrency,
        ratePerSecond: config.rate || undefined,
      });
      runs++;
      for (const key of Object.keys(totals) as (keyof RenewalSummary)[]) totals[key] += summary[key];
      if (summary.examined === 0) return;
    }
  };
  await Promise.all(Array.from({ length: config.runners }, runner));
  const spent = process.cpuUsage(cpu);
  const fakeSpent = fake?.cpuSeconds();
  return {
    totals,
    runs,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (spent.user + spent.system) / 1e6,
    fakeCpuSeconds: fakeCpu !== undefined && fakeSpent !== undefined ? fakeSpent - fakeCpu : undefined,
  };
}

let fake: FakeProcess | undefined;
let checkpoints: Checkpoints | undefined;

interface FakeProcess {
  apiHost: string;
  /** Every PaymentIntent the fake made: its charge key and status. */
  ledger(): Promise<[string, string][]>;
  /** CPU time (user + system) the process has spent so far, in seconds, read from /proc (undefined off Linux). */
  cpuSeconds(): number | undefined;
  stop(): void;
}

/** The fake Stripe API in its own process (as Stripe is on another machine), answering after `latencyMs`. */
async function startFakeStripeProcess(latencyMs: number): Promise<FakeProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/fake-stripe/main.ts', '--port', '0', '--latency', String(latencyMs)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Fake Stripe API on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the fake Stripe API exited (${code})`)));
  });
  return {
    apiHost: new URL(url).host,
    ledger: async () => {
      const response = await fetch(`${url}/_fake/ledger`, {
        headers: { authorization: `Bearer ${FAKE_KEYS.secretKey}` },
      });
      return ((await response.json()) as { data: [string, string][] }).data;
    },
    cpuSeconds: () => processCpuSeconds(child.pid),
    stop: () => child.kill(),
  };
}

/** Linux's count of a process's CPU time (utime + stime in /proc/<pid>/stat, in clock ticks of 1/100 s). */
function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command name, which is in parentheses and may contain spaces: state is field 3, utime 14.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** The test gateway answering after `ms`, as a processor across a network would. */
function delayCharges(deps: Deps, ms: number) {
  const real = deps.gateway;
  const charge = real.charge.bind(real);
  deps.gateway = Object.assign(Object.create(real) as PaymentGateway, {
    charge: async (request: Parameters<PaymentGateway['charge']>[0]) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return charge(request);
    },
  });
}

/** The test gateway's own ledger: every charge key it answered, and how. */
const testGatewayLedger = (db: Db): [string, string][] =>
  (
    db.$client.prepare('SELECT idempotency_key AS key, status FROM test_gateway_charges').all() as {
      key: string;
      status: string;
    }[]
  ).map((row) => [row.key, row.status]);

/** A logger that counts warnings and errors and prints the first few (never tokens: the scheduler logs none). */
function countingLogger() {
  const counts = { warn: 0, error: 0 };
  const print = (level: 'warn' | 'error') => (message: string, fields?: Record<string, unknown>) => {
    if (++counts[level] <= 5) console.log(`  [${level}] ${message} ${JSON.stringify(fields ?? {})}`);
  };
  const logger: Logger = { info: () => {}, warn: print('warn'), error: print('error') };
  return { logger, counts };
}

interface Verification {
  /** (subscription, period) pairs with more than one succeeded charge. */
  duplicatePeriods: number;
  /** Subscriptions the gateway's own ledger shows charged successfully more than once. */
  gatewayDuplicates: number;
  gatewaySucceeded: number;
  recordedSucceeded: number;
  /** Gateway ledger rows without a recorded charge, or recorded charges the gateway never saw. */
  unmatched: number;
  pending: number;
  renewed: number;
  overdue: number;
  rebillOrders: number;
  dueAfter: number;
}

/** Reads what happened from the tables themselves. */
function verify(db: Db, seed: DueSeed, leftover: RenewalSummary, ledger: [string, string][]): Verification {
  const one = (sql: string) => (db.$client.prepare(sql).get() as { n: number }).n;
  // The processor's ledger, whichever gateway kept it, as a table beside ours; Stripe's `succeeded` is the test gateway's.
  db.$client.exec('DROP TABLE IF EXISTS temp.ledger; CREATE TEMP TABLE ledger (idempotency_key TEXT, status TEXT)');
  const insert = db.$client.prepare('INSERT INTO temp.ledger VALUES (?, ?)');
  db.$client.transaction(() => {
    for (const [key, status] of ledger) insert.run(key, status === 'succeeded' ? 'succeeded' : 'declined');
  })();
  return {
    duplicatePeriods: one(`SELECT COUNT(*) AS n FROM (SELECT subscription_id, period_index FROM subscription_charges
      WHERE status = 'succeeded' GROUP BY subscription_id, period_index HAVING COUNT(*) > 1)`),
    gatewayDuplicates: one(`SELECT COUNT(*) AS n FROM (SELECT c.subscription_id FROM temp.ledger g
      JOIN subscription_charges c ON c.idempotency_key = g.idempotency_key WHERE g.status = 'succeeded'
      GROUP BY c.subscription_id HAVING COUNT(*) > 1)`),
    gatewaySucceeded: one(`SELECT COUNT(*) AS n FROM temp.ledger WHERE status = 'succeeded'`),
    recordedSucceeded: one(`SELECT COUNT(*) AS n FROM subscription_charges WHERE status = 'succeeded'`),
    unmatched:
      one(`SELECT COUNT(*) AS n FROM temp.ledger g LEFT JOIN subscription_charges c
      ON c.idempotency_key = g.idempotency_key WHERE c.id IS NULL`) +
      one(`SELECT COUNT(*) AS n FROM subscription_charges c LEFT JOIN temp.ledger g
      ON g.idempotency_key = c.idempotency_key WHERE g.idempotency_key IS NULL`),
    pending: one(`SELECT COUNT(*) AS n FROM subscription_charges WHERE status = 'pending'`),
    renewed: one(`SELECT COUNT(*) AS n FROM subscriptions WHERE status = 'active' AND period_index = 1`),
    overdue: one(`SELECT COUNT(*) AS n FROM subscriptions WHERE status = 'overdue' AND failed_attempts = 1`),
    rebillOrders: one(`SELECT COUNT(*) AS n FROM orders WHERE kind = 'rebill'`),
    dueAfter: leftover.examined,
  };
}

function printReport(seed: DueSeed, passes: Passes, v: Verification, logs: { warn: number; error: number }) {
  const { totals } = passes;
  const handled = totals.renewed + totals.declined;
  const perSecond = handled / passes.seconds;
  console.log(
    `\n${fmt.int(handled)} due subscriptions handled in ${fmt.seconds(passes.seconds)} over ${fmt.int(passes.runs)} runs: ` +
      `${fmt.int(totals.renewed)} renewed, ${fmt.int(totals.declined)} declined (now overdue), ` +
      `${fmt.int(totals.busy)} skipped as busy (the other runner had them), ${totals.errors} errors, ${logs.warn} warnings.`,
  );
  console.log(
    `${fmt.int(perSecond)} subscriptions/s (${fmt.int(totals.renewed / passes.seconds)} renewals/s); ` +
      `${fmt.ms((passes.seconds * 1000) / Math.max(1, handled))} ms each.`,
  );
  console.log(
    `CPU time of the renewing process: ${fmt.ms((passes.cpuSeconds * 1000) / Math.max(1, handled))} ms per subscription, ` +
      `so one free core sustains about ${fmt.int(handled / Math.max(0.001, passes.cpuSeconds))}/s; the rest of the wall time is waiting (for the processor, or for a busy CPU).`,
  );
  if (passes.fakeCpuSeconds !== undefined) {
    const perHandled = (seconds: number) => fmt.ms((seconds * 1000) / Math.max(1, handled));
    console.log(
      `CPU time of the fake Stripe API's process (not the portal's, but on the same cores): ${perHandled(passes.fakeCpuSeconds)} ms per subscription; ` +
        `both processes: ${perHandled(passes.cpuSeconds + passes.fakeCpuSeconds)} ms, so ${availableParallelism()} free cores sustain about ` +
        `${fmt.int((handled * availableParallelism()) / Math.max(0.001, passes.cpuSeconds + passes.fakeCpuSeconds))}/s.`,
    );
  }
  console.log(`Peak RSS of the renewing process: ${fmt.int(process.resourceUsage().maxRSS / 1024)} MB.`);
  // The run uses one core; a load well above that means other work competed for the CPU and the figures are low.
  console.log(
    `Machine load (1-minute average) at the end: ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores.\n`,
  );
  const checks: TargetCheck[] = [
    {
      target: `throughput ≥ ${TARGET_PER_SECOND} subscriptions/s (100k in 10 min)`,
      measured: `${fmt.int(perSecond)}/s, ${fmt.seconds(passes.seconds)}`,
      pass: perSecond >= TARGET_PER_SECOND,
    },
    {
      target: 'every due subscription handled',
      measured: `${fmt.int(handled)} of ${fmt.int(seed.succeeding + seed.declining)}`,
      pass: handled === seed.succeeding + seed.declining,
    },
    {
      target: 'renewed: active in their next period',
      measured: `${fmt.int(v.renewed)} of ${fmt.int(seed.succeeding)}`,
      pass: v.renewed === seed.succeeding,
    },
    {
      target: 'declined cards: overdue, retry scheduled',
      measured: `${fmt.int(v.overdue)} of ${fmt.int(seed.declining)}`,
      pass: v.overdue === seed.declining,
    },
    {
      target: 'no period charged twice (subscription_charges)',
      measured: `${v.duplicatePeriods} duplicates`,
      pass: v.duplicatePeriods === 0,
    },
    {
      target: 'no subscription charged twice (the processor ledger)',
      measured: `${v.gatewayDuplicates} duplicates`,
      pass: v.gatewayDuplicates === 0,
    },
    {
      target: 'gateway successes = recorded successes',
      measured: `${fmt.int(v.gatewaySucceeded)} = ${fmt.int(v.recordedSucceeded)}`,
      pass: v.gatewaySucceeded === v.recordedSucceeded && v.recordedSucceeded === seed.succeeding,
    },
    { target: 'every charge in both ledgers', measured: `${v.unmatched} unmatched`, pass: v.unmatched === 0 },
    { target: 'no charge left pending', measured: String(v.pending), pass: v.pending === 0 },
    {
      target: 'one rebill order per renewal',
      measured: fmt.int(v.rebillOrders),
      pass: v.rebillOrders === seed.succeeding,
    },
    { target: 'nothing due afterwards', measured: `${v.dueAfter} claimed by a last run`, pass: v.dueAfter === 0 },
    {
      target: 'no errors',
      measured: `${totals.errors} errors, ${logs.error} logged`,
      pass: totals.errors === 0 && logs.error === 0,
    },
  ];
  console.log(targetTable(checks));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
