import type Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';

const HOUR = 3_600_000;

/**
 * The floor of the Portal API's one hot write, `POST /portal/{store}/login-links`: the
 * statements the portal runs for it, as raw prepared better-sqlite3 statements in one
 * `BEGIN IMMEDIATE` transaction — the store, the two rate-limit buckets (the address's
 * and the network's: read, then counted) and the queued request for the worker — with
 * the same hashing of the buckets and JSON in and out, and nothing else
 * (test/server/bench-floor.test.ts holds it to the app's statements). What it leaves
 * out is what the app adds: routing, validation, middleware, the ORM and its errors.
 */
export function floorWrites(sqlite: Database.Database) {
  const s = {
    store: sqlite.prepare('select * from stores where id = ?'),
    hits: sqlite.prepare('select at from rate_limit_hits where bucket = ? and at > ? order by at asc'),
    hit: sqlite.prepare('insert into rate_limit_hits (bucket, at) values (?, ?) returning rowid'),
    request: sqlite.prepare(
      'insert into login_link_requests (id, store_id, email, return_to, purpose, requested_at, status, attempts, ' +
        "next_attempt_at, lease_until) values (?, ?, ?, null, 'login', ?, 'pending', 0, ?, null)",
    ),
  };
  const queue = sqlite.transaction((storeId: string, email: string, ip: string, now: number) => {
    const buckets = [`login-email:${storeId}:${email}`, `login-ip:${ip}`].map(sha256);
    for (const bucket of buckets) s.hits.all(bucket, now - HOUR);
    for (const bucket of buckets) s.hit.get(bucket, now);
    s.request.run(`llr_${randomBytes(15).toString('base64url')}`, storeId, email, now, now);
  });
  return {
    /** `POST /portal/{store}/login-links` with `body`; undefined for an unknown store. */
    loginLink(storeId: string, ip: string, body: string): string | undefined {
      if (!s.store.get(storeId)) return undefined;
      const email = String((JSON.parse(body) as { email?: unknown }).email ?? '')
        .trim()
        .toLowerCase();
      queue.immediate(storeId, email, ip, Date.now());
      return JSON.stringify({ message: 'If an account exists for this address, a sign-in link is on its way.' });
    },
  };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export type FloorWrites = ReturnType<typeof floorWrites>;
