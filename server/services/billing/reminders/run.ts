import type { ReminderKind } from '../../../db/schema';
import type { Deps } from '../../../deps';
import { storeSettings } from '../../../lib/store-settings';
import { listStores } from '../../stores';
import { dueSubscriptionIds, reminderWindows } from './due';
import { sendReminder } from './send';

/** What one reminder run sent, by kind, and how many subscriptions it could not remind (logged). */
export interface ReminderSummary {
  renewalUpcoming: number;
  trialEnding: number;
  cardExpiring: number;
  errors: number;
}

export interface RunRemindersOptions {
  /** The most reminders one run sends (default: everything due). */
  limit?: number;
  /** Reminders sent per transaction (default 50); the run lets waiting requests in between. */
  chunkSize?: number;
  /** Stops the run between chunks, for a graceful shutdown. */
  signal?: AbortSignal;
}

const counters: Record<ReminderKind, keyof ReminderSummary> = {
  renewal_upcoming: 'renewalUpcoming',
  trial_ending: 'trialEnding',
  card_expiring_30d: 'cardExpiring',
  card_expiring_7d: 'cardExpiring',
};

export const emptyReminderSummary = (): ReminderSummary => ({
  renewalUpcoming: 0,
  trialEnding: 0,
  cardExpiring: 0,
  errors: 0,
});

/** How many reminders a summary counts as sent. */
export const remindersSent = (s: ReminderSummary) => s.renewalUpcoming + s.trialEnding + s.cardExpiring;

/**
 * One pass over every store: each reminder its settings turn on that is due at
 * `deps.clock.now()` and not sent yet for the subscription's next charge is sent —
 * webhook event, email (unless the store sends its own) and its record, in one
 * transaction with the query that found it due. A reminder that cannot be sent
 * (an error, logged) rolls back alone and is tried again next run; a second run,
 * in this process or another, finds nothing left to send.
 */
export async function runReminders(deps: Deps, options: RunRemindersOptions = {}): Promise<ReminderSummary> {
  const now = deps.clock.now();
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const chunkSize = options.chunkSize ?? 50;
  const summary = emptyReminderSummary();
  for (const store of await listStores(deps.db)) {
    for (const window of reminderWindows(storeSettings(store))) {
      const failed: string[] = [];
      for (;;) {
        const room = Math.min(chunkSize, limit - remindersSent(summary));
        if (room <= 0 || options.signal?.aborted) return summary;
        // Counted once the chunk commits: PostgreSQL may run the transaction again (a serialization
        // failure between two processes), and a rolled-back attempt sent nothing.
        const chunk = await deps.db.transaction(async (tx) => {
          const ids = await dueSubscriptionIds(tx, store.id, window, now, room, failed);
          const result = { found: ids.length, sent: 0, failed: [] as string[] };
          for (const id of ids) {
            try {
              await tx.transaction(async (savepoint) => await sendReminder(savepoint, deps, store, window, id, now));
              result.sent++;
            } catch (error) {
              result.failed.push(id);
              deps.logger.error('reminder failed', { subscriptionId: id, kind: window.kind, error });
            }
          }
          return result;
        });
        summary[counters[window.kind]] += chunk.sent;
        summary.errors += chunk.failed.length;
        failed.push(...chunk.failed);
        if (chunk.found < room) break;
        // Let waiting requests be answered between chunks.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }
  return summary;
}

/** The summary as one log line; empty when nothing was sent or failed. */
export function describeReminderSummary(summary: ReminderSummary): string {
  return Object.entries(summary)
    .filter(([, value]) => value > 0)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
}
