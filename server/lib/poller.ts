import type { Logger } from './logger';

export interface PollerOptions {
  /** One round of work; resolves to the number of items it handled. */
  runOnce: () => Promise<number>;
  /** The most items one round handles: a round that handles this many is followed by another at once. */
  batchSize: number;
  /** The pause between rounds when there was nothing more to do, in real milliseconds. */
  pollIntervalMs: number;
  logger: Logger;
  /** What the rounds are for, used in log messages (`webhook`, `email`). */
  name: string;
}

export interface Poller {
  /** Runs one round now; resolves to the number of items handled. */
  runOnce(): Promise<number>;
  /** Runs a round at once and then repeatedly, on a timer that does not keep the process alive. */
  start(): void;
  /** Stops the timer and waits for the rounds in flight to finish. */
  stop(): Promise<void>;
}

/**
 * Creates the timer loop that drains an outbox. A round that throws is logged and
 * the loop goes on; rounds never overlap within one poller, though `runOnce` may be
 * called alongside it (the outboxes' claims make that safe).
 */
export function createPoller(options: PollerOptions): Poller {
  const { batchSize, pollIntervalMs, logger, name } = options;
  const inFlight = new Set<Promise<number>>();
  let timer: NodeJS.Timeout | undefined;
  let running = false;

  const runOnce = (): Promise<number> => {
    const round = options.runOnce().finally(() => inFlight.delete(round));
    inFlight.add(round);
    return round;
  };

  const schedule = (delayMs: number) => {
    timer = setTimeout(async () => {
      timer = undefined;
      const handled = await runOnce().catch((error: unknown) => {
        logger.error(`${name} round failed`, { error });
        return 0;
      });
      // A full batch suggests more is due: go again at once instead of waiting. A timer
      // already set means stop() and start() ran meanwhile and a new chain has begun.
      if (running && timer === undefined) schedule(handled >= batchSize ? 0 : pollIntervalMs);
    }, delayMs);
    timer.unref();
  };

  return {
    runOnce,
    start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await Promise.allSettled([...inFlight]);
    },
  };
}

/**
 * A poller whose rounds get a signal that `stop()` aborts: the round in flight finishes
 * what it started and takes on no more (the renewal and reminder workers). `start()`
 * after a stop hands the next rounds a fresh signal.
 */
export function createStoppablePoller(
  options: Omit<PollerOptions, 'runOnce'> & { runOnce: (signal: AbortSignal) => Promise<number> },
): Poller {
  let stopping = new AbortController();
  const poller = createPoller({ ...options, runOnce: () => options.runOnce(stopping.signal) });
  return {
    runOnce: poller.runOnce,
    start() {
      if (stopping.signal.aborted) stopping = new AbortController();
      poller.start();
    },
    async stop() {
      stopping.abort();
      await poller.stop();
    },
  };
}
