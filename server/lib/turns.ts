/**
 * Takes turns on the event loop when requests pile up, so that a saturated server still
 * accepts new connections and serves them in the order they came.
 *
 * Why: Node accepts one new connection per event-loop iteration, and one iteration runs
 * every request that arrived on the sockets it polled. With 500 busy keep-alive clients,
 * one iteration is 500 requests (~0.5 s of work), so a newcomer waits in the kernel's
 * accept queue for seconds and its client times out (`npm run bench:sessions` saw 647
 * timeouts in 30 s before this; a load balancer's health check would see the same).
 *
 * How: while the work done since the loop last polled stays within `budgetMs`, a request
 * runs at once (the common case costs a clock read). Past the budget, requests queue and
 * are let through one per iteration, first come first served, so every iteration polls
 * the sockets again, accepts one more connection and queues the requests that arrived;
 * once the queue is empty requests run at once again. Nothing is refused and no request
 * holds a turn while it waits on I/O: a turn only decides when a request may start.
 */
export interface Turns {
  /** Undefined when the request may start now; otherwise a promise that resolves on its turn. */
  take(): Promise<void> | undefined;
  /** How many requests wait for their turn. */
  readonly waiting: number;
}

export interface TurnsOptions {
  /** How much work (ms) one event-loop iteration may run before requests queue. */
  budgetMs?: number;
  /** Milliseconds from a monotonic clock. */
  now?: () => number;
  /** Runs a function in the next event-loop iteration, after the loop polled (setImmediate). */
  nextIteration?: (run: () => void) => void;
}

/** 10 ms: long enough that an unloaded server never queues, short enough that a new connection waits ~10 ms. */
export const TURN_BUDGET_MS = 10;

export function createTurns(options: TurnsOptions = {}): Turns {
  const budgetMs = options.budgetMs ?? TURN_BUDGET_MS;
  const now = options.now ?? (() => performance.now());
  const nextIteration = options.nextIteration ?? ((run) => void setImmediate(run));
  const queue: (() => void)[] = [];
  // When this iteration's first request started; reset once per iteration.
  let iterationStart = 0;
  let iterationOpen = false;
  let draining = false;

  const closeIteration = () => {
    iterationOpen = false;
  };
  const letNextIn = () => {
    const start = queue.shift();
    if (!start) {
      draining = false;
      return;
    }
    start();
    nextIteration(letNextIn);
  };

  return {
    take() {
      if (!draining) {
        if (!iterationOpen) {
          iterationOpen = true;
          iterationStart = now();
          nextIteration(closeIteration);
        }
        if (now() - iterationStart <= budgetMs) return undefined;
        draining = true;
        nextIteration(letNextIn);
      }
      return new Promise<void>((resolve) => queue.push(resolve));
    },
    get waiting() {
      return queue.length;
    },
  };
}
