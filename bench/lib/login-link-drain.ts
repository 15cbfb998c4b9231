import { first } from '../../server/db/query';
import { count } from 'drizzle-orm';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../../server/db/client';
import { loginLinkRequests } from '../../server/db/schema';
import { benchDeps } from './bench-deps';
import { silentLogger } from '../../server/lib/logger';
import { createLoginLinkWorker } from '../../server/services/sign-in';

/** How fast the login-link worker answers queued requests (issuing links and rendering emails). */
export interface DrainMeasurement {
  /** Requests waiting when the measurement began. */
  pending: number;
  answered: number;
  seconds: number;
}

/** Runs the login-link worker over the database at `path` until `max` requests are answered or none is left. */
export async function drainLoginLinks(path: string, max: number): Promise<DrainMeasurement> {
  const db = openDatabase(path);
  try {
    const deps = benchDeps(db, silentLogger);
    const pending = first(await db.select({ n: count() }).from(loginLinkRequests))?.n ?? 0;
    const worker = createLoginLinkWorker(deps, { batchSize: 100 });
    const started = performance.now();
    let answered = 0;
    while (answered < max) {
      const round = await worker.runOnce();
      if (round === 0) break;
      answered += round;
    }
    return { pending, answered, seconds: (performance.now() - started) / 1000 };
  } finally {
    db.$client.close();
  }
}
