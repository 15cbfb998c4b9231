/** What a charge sent to the payment gateway came to: its answer, or no answer at all. */
export type ChargeOutcome = 'succeeded' | 'declined' | 'requires_action' | 'unavailable' | 'no_payment_method';

/**
 * What the services report as it happens, for the operator's metrics
 * (server/lib/metrics.ts counts it for `GET /metrics`). Services reach it through
 * `deps.metrics` and never depend on how it is counted. Each call is cheap, does
 * no I/O and never throws.
 */
export interface Observer {
  /** A charge was sent to the gateway (or, without a payment method, declined without it), by its kind. */
  chargeAnswered(kind: string, outcome: ChargeOutcome): void;
  /** A renewal run ended; its summary's counts, by what happened. */
  renewalsRun<K extends string>(summary: Readonly<Record<K, number>>): void;
  /** A rate limit refused a request (the limit that answered it, by name). */
  rateLimited(limit: string): void;
}

/** An observer that counts nothing, where nobody is refused or charged. */
export const quietObserver: Observer = {
  chargeAnswered() {},
  renewalsRun() {},
  rateLimited() {},
};
