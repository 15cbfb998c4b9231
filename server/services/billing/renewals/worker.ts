import type { Deps } from '../../../deps';
import { MINUTE } from '../../../lib/clock';
import { createStoppablePoller, type Poller } from '../../../lib/poller';
import { describeSummary, runRenewals } from './run';

export interface RenewalWorkerOptions {
  /** The pause between runs when nothing more was due, in real milliseconds (default one minute). */
  intervalMs?: number;
  /** The most subscriptions one run claims; a run that claims this many is followed by another at once (default 500). */
  batchSize?: number;
  /** Subscriptions worked on at once, so gateway round trips overlap (default 4). */
  concurrency?: number;
  /** The most subscriptions started per second, under the processor's rate limit (default none). */
  ratePerSecond?: number;
}

export type RenewalWorker = Poller;

/**
 * Creates the worker that runs the renewal scheduler inside the server process:
 * a run every minute (and at once again while runs come back full), each one a
 * `runRenewals` pass. It logs one line per run that did something — counts only,
 * never tokens. Several processes may run it on one database: the subscription
 * locks keep them from working on a subscription at once. `stop()` lets the
 * subscriptions in flight finish but claims no more.
 */
export function createRenewalWorker(deps: Deps, options: RenewalWorkerOptions = {}): RenewalWorker {
  const batchSize = options.batchSize ?? 500;
  return createStoppablePoller({
    runOnce: async (signal) => {
      const started = performance.now();
      const summary = await runRenewals(deps, {
        limit: batchSize,
        concurrency: options.concurrency,
        ratePerSecond: options.ratePerSecond,
        signal,
      });
      const line = describeSummary(summary);
      if (line) deps.logger.info(`renewals: ${line} (${Math.round(performance.now() - started)} ms)`);
      return summary.examined;
    },
    batchSize,
    pollIntervalMs: options.intervalMs ?? MINUTE,
    logger: deps.logger,
    name: 'renewal',
  });
}
