import type { Deps } from '../../../deps';
import { createStoppablePoller, type Poller } from '../../../lib/poller';
import { describeReminderSummary, remindersSent, runReminders } from './run';
import { REMINDER_INTERVAL_MS } from './schedule';

export interface ReminderWorkerOptions {
  /** The pause between runs when nothing more was due, in real milliseconds (default five minutes). */
  intervalMs?: number;
  /** The most reminders one run sends; a run that sends this many is followed by another at once (default 500). */
  batchSize?: number;
}

export type ReminderWorker = Poller;

/**
 * Creates the worker that sends the reminders before renewals, trial ends and card
 * expiries inside the server process: a `runReminders` pass every five minutes (and
 * at once again while runs come back full). It logs one line per run that sent
 * something — counts only. Several processes may run it on one database: each
 * reminder's unique key lets only one of them send it. `stop()` lets the chunk in
 * flight finish.
 */
export function createReminderWorker(deps: Deps, options: ReminderWorkerOptions = {}): ReminderWorker {
  const batchSize = options.batchSize ?? 500;
  return createStoppablePoller({
    runOnce: async (signal) => {
      const started = performance.now();
      const summary = await runReminders(deps, { limit: batchSize, signal });
      const line = describeReminderSummary(summary);
      if (line) deps.logger.info(`reminders: ${line} (${Math.round(performance.now() - started)} ms)`);
      return remindersSent(summary);
    },
    batchSize,
    pollIntervalMs: options.intervalMs ?? REMINDER_INTERVAL_MS,
    logger: deps.logger,
    name: 'reminder',
  });
}
