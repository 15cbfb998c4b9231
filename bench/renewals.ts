/**
 * `npm run bench:renewals`: seeds 100k automatic-renewal subscriptions that are
 * due now (a few % with cards that decline) into a fresh SQLite file, then runs
 * the renewal scheduler through the built-in test gateway — as the server's
 * renewal worker does, in runs of `BENCH_BATCH` subscriptions, with two runners
 * on the database at once as two server processes would — until nothing is due.
 * Prints subscriptions renewed per second and checks in `test_gateway_charges`
 * and `subscription_charges` that no subscription was charged twice. Exits 0
 * whenever it could measure: it is a measurement, not a test.
 *
 * Environment, for quick smoke runs:
 *   BENCH_SUBSCRIPTIONS   due subscriptions to seed (100000)
 *   BENCH_DECLINE_RATE    share whose card declines every charge (0.03)
 *   BENCH_RUNNERS         renewal runners working on the database at once (2)
 *   BENCH_BATCH           subscriptions one run claims, the worker's batch size (500)
 *   BENCH_CONCURRENCY     subscriptions in flight per runner (4)
 *   BENCH_KEEP=1          keep the database
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../server/db/client';
import { createDeps, type Deps } from '../server/deps';
import { systemClock } from '../server/lib/clock';
import type { Logger } from '../server/lib/logger';
import { emptySummary, runRenewals, type RenewalSummary } from '../server/services/billing';
import { createStore } from '../server/services/stores';
import { envFlag, envNumber } from './lib/env';
import { fmt, targetTable, type TargetCheck } from './lib/report';
import { seedDueSubscriptions, type DueSeed } from './seed/subscriptions';

const config = {
  subscriptions: envNumber('BENCH_SUBSCRIPTIONS', 100_000),
  declineRate: envNumber('BENCH_DECLINE_RATE', 0.03),
  runners: Math.max(1, envNumber('BENCH_RUNNERS', 2)),
  batch: Math.max(1, envNumber('BENCH_BATCH', 500)),
  concurrency: Math.max(1, envNumber('BENCH_CONCURRENCY', 4)),
  keep: envFlag('BENCH_KEEP'),
};

/**
 * Renewals per second the scheduler should sustain: 100k subscriptions falling due
 * at the same moment (a store that migrated them all on one day) are renewed within
 * ten minutes. Spread over a month, that is 30 times the volume of a 100k store's day.
 */
const TARGET_PER_SECOND = 167;

interface Passes {
  totals: RenewalSummary;
  runs: number;
  seconds: number;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'portal-bench-renewals-'));
  const path = join(dir, 'renewals.db');
  const db = openDatabase(path);
  try {
    createStore(db, systemClock, { id: 'bench', name: 'Benchmark Store', allowedOrigins: ['https://shop.bench.example'], portalUrl: null });
    console.log(`Seeding ${fmt.int(config.subscriptions)} due subscriptions into ${path}`);
    const seedStarted = performance.now();
    const seed = seedDueSubscriptions(db.$client, { storeId: 'bench', count: config.subscriptions, declineRate: config.declineRate, now: new Date() });
    console.log(`  seeded in ${fmt.seconds((performance.now() - seedStarted) / 1000)} (${fmt.int(seed.declining)} with declining cards)`);
    const logs = countingLogger();
    const deps = createDeps({ db, clock: systemClock, logger: logs.logger, config: { production: false, publicBaseUrl: 'http://127.0.0.1:8787' } });
    console.log(`Renewing with ${config.runners} runner(s), runs of ${config.batch}, ${config.concurrency} in flight each`);
    const passes = await renewUntilIdle(deps);
    const leftover = await runRenewals(deps);
    printReport(seed, passes, verify(db, seed, leftover), logs.counts);
  } finally {
    db.$client.close();
    if (config.keep) console.log(`\nKept ${path}.`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs every runner until a run of its finds nothing to claim. */
async function renewUntilIdle(deps: Deps): Promise<Passes> {
  const totals = emptySummary();
  let runs = 0;
  const started = performance.now();
  const runner = async () => {
    for (;;) {
      const summary = await runRenewals(deps, { limit: config.batch, concurrency: config.concurrency });
      runs++;
      for (const key of Object.keys(totals) as (keyof RenewalSummary)[]) totals[key] += summary[key];
      if (summary.examined === 0) return;
    }
  };
  await Promise.all(Array.from({ length: config.runners }, runner));
  return { totals, runs, seconds: (performance.now() - started) / 1000 };
}

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
function verify(db: Db, seed: DueSeed, leftover: RenewalSummary): Verification {
  const one = (sql: string) => (db.$client.prepare(sql).get() as { n: number }).n;
  return {
    duplicatePeriods: one(`SELECT COUNT(*) AS n FROM (SELECT subscription_id, period_index FROM subscription_charges
      WHERE status = 'succeeded' GROUP BY subscription_id, period_index HAVING COUNT(*) > 1)`),
    gatewayDuplicates: one(`SELECT COUNT(*) AS n FROM (SELECT c.subscription_id FROM test_gateway_charges g
      JOIN subscription_charges c ON c.idempotency_key = g.idempotency_key WHERE g.status = 'succeeded'
      GROUP BY c.subscription_id HAVING COUNT(*) > 1)`),
    gatewaySucceeded: one(`SELECT COUNT(*) AS n FROM test_gateway_charges WHERE status = 'succeeded'`),
    recordedSucceeded: one(`SELECT COUNT(*) AS n FROM subscription_charges WHERE status = 'succeeded'`),
    unmatched: one(`SELECT COUNT(*) AS n FROM test_gateway_charges g LEFT JOIN subscription_charges c
      ON c.idempotency_key = g.idempotency_key WHERE c.id IS NULL`)
      + one(`SELECT COUNT(*) AS n FROM subscription_charges c LEFT JOIN test_gateway_charges g
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
  console.log(`\n${fmt.int(handled)} due subscriptions handled in ${fmt.seconds(passes.seconds)} over ${fmt.int(passes.runs)} runs: `
    + `${fmt.int(totals.renewed)} renewed, ${fmt.int(totals.declined)} declined (now overdue), `
    + `${fmt.int(totals.busy)} skipped as busy (the other runner had them), ${totals.errors} errors, ${logs.warn} warnings.`);
  console.log(`${fmt.int(perSecond)} subscriptions/s (${fmt.int(totals.renewed / passes.seconds)} renewals/s); `
    + `${fmt.ms((passes.seconds * 1000) / Math.max(1, handled))} ms each.`);
  // The run uses one core; a load well above that means other work competed for the CPU and the figures are low.
  console.log(`Machine load (1-minute average) at the end: ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores.\n`);
  const checks: TargetCheck[] = [
    { target: `throughput ≥ ${TARGET_PER_SECOND} subscriptions/s (100k in 10 min)`, measured: `${fmt.int(perSecond)}/s, ${fmt.seconds(passes.seconds)}`,
      pass: perSecond >= TARGET_PER_SECOND },
    { target: 'every due subscription handled', measured: `${fmt.int(handled)} of ${fmt.int(seed.succeeding + seed.declining)}`,
      pass: handled === seed.succeeding + seed.declining },
    { target: 'renewed: active in their next period', measured: `${fmt.int(v.renewed)} of ${fmt.int(seed.succeeding)}`, pass: v.renewed === seed.succeeding },
    { target: 'declined cards: overdue, retry scheduled', measured: `${fmt.int(v.overdue)} of ${fmt.int(seed.declining)}`, pass: v.overdue === seed.declining },
    { target: 'no period charged twice (subscription_charges)', measured: `${v.duplicatePeriods} duplicates`, pass: v.duplicatePeriods === 0 },
    { target: 'no subscription charged twice (test_gateway_charges)', measured: `${v.gatewayDuplicates} duplicates`, pass: v.gatewayDuplicates === 0 },
    { target: 'gateway successes = recorded successes', measured: `${fmt.int(v.gatewaySucceeded)} = ${fmt.int(v.recordedSucceeded)}`,
      pass: v.gatewaySucceeded === v.recordedSucceeded && v.recordedSucceeded === seed.succeeding },
    { target: 'every charge in both ledgers', measured: `${v.unmatched} unmatched`, pass: v.unmatched === 0 },
    { target: 'no charge left pending', measured: String(v.pending), pass: v.pending === 0 },
    { target: 'one rebill order per renewal', measured: fmt.int(v.rebillOrders), pass: v.rebillOrders === seed.succeeding },
    { target: 'nothing due afterwards', measured: `${v.dueAfter} claimed by a last run`, pass: v.dueAfter === 0 },
    { target: 'no errors', measured: `${totals.errors} errors, ${logs.error} logged`, pass: totals.errors === 0 && logs.error === 0 },
  ];
  console.log(targetTable(checks));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
