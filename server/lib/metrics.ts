import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { ChargeOutcome, Observer } from './observer';
import { RequestMetrics } from './request-metrics';

/** The `route` label of a request no route matched (a 404), so unknown URLs never become labels. */
export const UNMATCHED_ROUTE = '(unmatched)';

/** The `route` label when the matched route cannot be told (the app mounted in another copy of Hono). */
export const UNKNOWN_ROUTE = '(unknown)';

/** The outboxes the workers deliver from. */
export type Outbox = 'email' | 'webhook';

/** What waits in an outbox: how many are pending, and how long the oldest of them has waited (0 when none). */
export interface OutboxBacklog {
  pending: number;
  oldestPendingSeconds: number;
}

/**
 * The operator's metrics of one app: a registry of its own (never prom-client's
 * global one, so any number of apps live in one process), counted by the HTTP
 * middleware, by the services (as their {@link Observer}) and, for the outboxes,
 * at scrape time.
 */
export interface Metrics extends Observer {
  readonly registry: Registry;
  /** One answered request, by method, route pattern and status, and how long it took. */
  requestServed(method: string, route: string, status: number, seconds: number): void;
  /** Sets an outbox's gauges (`GET /metrics` reads them from the database just before it answers). */
  outboxBacklog(outbox: Outbox, backlog: OutboxBacklog): void;
}

export interface MetricsOptions {
  /** Also Node's process metrics (CPU, memory, event-loop lag, GC): once per process, in main.ts. */
  processMetrics?: boolean;
}

/** Creates the metrics of one app, under names that start with `portal_`. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'portal_' });
  const requests = new RequestMetrics(registry);
  const outboxPending = new Gauge({
    name: 'portal_outbox_pending',
    help: 'Emails and webhook deliveries waiting to be sent (including those waiting for a retry).',
    labelNames: ['outbox'],
    registers: [registry],
  });
  const outboxOldest = new Gauge({
    name: 'portal_outbox_oldest_pending_seconds',
    help: 'How long the oldest pending email or webhook delivery has waited since it was queued (0: none pending).',
    labelNames: ['outbox'],
    registers: [registry],
  });
  const renewals = new Counter({
    name: 'portal_renewal_results_total',
    help: 'What renewal runs did, by the kind of step (the renewal worker summary: renewed, declined, deactivated, …).',
    labelNames: ['result'],
    registers: [registry],
  });
  const charges = new Counter({
    name: 'portal_charges_total',
    help: 'Subscription charges sent to the payment gateway, by kind and by its answer (unavailable: no answer).',
    labelNames: ['kind', 'outcome'],
    registers: [registry],
  });
  const rateLimits = new Counter({
    name: 'portal_rate_limit_hits_total',
    help: 'Requests refused by a rate limit, by limit.',
    labelNames: ['limit'],
    registers: [registry],
  });

  return {
    registry,
    requestServed(method, route, status, seconds) {
      requests.served(method, route, status, seconds);
    },
    outboxBacklog(outbox, backlog) {
      outboxPending.set({ outbox }, backlog.pending);
      outboxOldest.set({ outbox }, backlog.oldestPendingSeconds);
    },
    chargeAnswered(kind: string, outcome: ChargeOutcome) {
      charges.inc({ kind, outcome });
    },
    renewalsRun(summary) {
      for (const [result, count] of Object.entries<number>(summary)) renewals.inc({ result }, count);
    },
    rateLimited(limit) {
      rateLimits.inc({ limit });
    },
  };
}
