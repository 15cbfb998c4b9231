import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './types';

/**
 * How large the write-ahead log may grow (in 4 KiB pages, ~40 MB) before a commit on
 * the server's own connection checkpoints it after all: the fallback should the
 * background thread ever stop. SQLite's default is 1,000.
 */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;

/** How often the background thread copies the log into the database file. */
export const CHECKPOINT_INTERVAL_MS = 500;

export interface Checkpoints {
  /** Checkpoints now and answers how many log frames there were and how many are in the database file. */
  now(): Promise<{ log: number; checkpointed: number }>;
  stop(): Promise<void>;
}

/**
 * Moves SQLite's checkpoints off the thread that serves requests. In WAL mode a
 * commit that finds 1,000 pages in the log copies them into the database file and
 * syncs it to disk, right there in the request that committed: a few milliseconds,
 * on the event loop, every thousand pages written (the p99 of a write request). A
 * worker thread with a connection of its own checkpoints every 500 ms instead
 * (PASSIVE: it never waits for, or blocks, the server's readers and writers), and
 * the server's connection only checkpoints itself should the log ever reach
 * FALLBACK_AUTOCHECKPOINT_PAGES. For a database file (not `:memory:`).
 */
export function checkpointInBackground(
  db: Pick<Db, '$client'>,
  path: string,
  intervalMs = CHECKPOINT_INTERVAL_MS,
): Checkpoints {
  if (path === ':memory:') return { now: async () => ({ log: 0, checkpointed: 0 }), stop: async () => {} };
  db.$client.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path, intervalMs } });
  worker.unref();
  let asked = 0;
  const waiting = new Map<number, (result: { log: number; checkpointed: number }) => void>();
  // Should the thread ever die, the server's own connection checkpoints at the fallback size; nobody waits forever.
  worker.on('error', () => {
    for (const answer of waiting.values()) answer({ log: -1, checkpointed: -1 });
    waiting.clear();
  });
  worker.on('message', (message: { id: number; log: number; checkpointed: number }) => {
    waiting.get(message.id)?.(message);
    waiting.delete(message.id);
  });
  return {
    now() {
      const id = ++asked;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        worker.postMessage({ id });
      });
    },
    async stop() {
      await worker.terminate();
    },
  };
}

// Plain JavaScript, run by the worker thread (which has no TypeScript loader).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
db.pragma('cache_size = -64');
const checkpoint = () => {
  const [result] = db.pragma('wal_checkpoint(PASSIVE)');
  return { log: result.log, checkpointed: result.checkpointed };
};
setInterval(() => { try { checkpoint(); } catch {} }, workerData.intervalMs);
parentPort.on('message', ({ id }) => parentPort.postMessage({ id, ...checkpoint() }));
`;
