import { Hono, type Context } from 'hono';
import type { Deps } from '../deps';
import type { Backlog } from '../db/lease';
import { emailBacklog } from '../email/worker';
import { hashSecret, safeEqual } from '../lib/crypto';
import { problemSaying } from '../lib/errors';
import { isLoopbackHost } from '../lib/loopback';
import { socketAddress } from '../middleware/portal';
import { webhookBacklog } from '../webhooks/worker';

/** Headers a reverse proxy adds: a request carrying one came through a proxy, even from a loopback peer. */
const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'];

/**
 * `GET /metrics`: the app's metrics in Prometheus' text format, the outbox gauges
 * read from the database first. With `METRICS_TOKEN` set it asks for
 * `Authorization: Bearer <token>` (compared in constant time; otherwise 401); without
 * one it answers only a peer on this machine's loopback whose request no proxy
 * forwarded (otherwise 403, saying so) — a reverse proxy on the same host connects
 * from loopback too, and would publish the metrics.
 */
export function metricsRoutes(deps: Deps) {
  const tokenHash = deps.config.metricsToken ? hashSecret(deps.config.metricsToken) : undefined;
  return new Hono().get('/', async (c) => {
    if (tokenHash) checkToken(c, tokenHash);
    else checkLocal(c);
    const now = deps.clock.now();
    deps.metrics.outboxBacklog('email', backlogAt(await emailBacklog(deps.db), now));
    deps.metrics.outboxBacklog('webhook', backlogAt(await webhookBacklog(deps.db), now));
    return c.body(await deps.metrics.registry.metrics(), 200, {
      'Content-Type': deps.metrics.registry.contentType,
      'Cache-Control': 'no-store',
    });
  });
}

const backlogAt = (backlog: Backlog, now: Date) => ({
  pending: backlog.pending,
  oldestPendingSeconds: backlog.oldestQueuedAt
    ? Math.max(0, (now.getTime() - backlog.oldestQueuedAt.getTime()) / 1000)
    : 0,
});

function checkToken(c: Context, tokenHash: string): void {
  const given = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1];
  // Hashes are compared, so neither the time taken nor a length mismatch tells anything about the token.
  if (given && safeEqual(hashSecret(given), tokenHash)) return;
  throw problemSaying(
    'unauthorized',
    'Send the metrics token (METRICS_TOKEN) as Authorization: Bearer <token>.',
    undefined,
    { 'WWW-Authenticate': 'Bearer realm="metrics"' },
  );
}

function checkLocal(c: Context): void {
  const peer = socketAddress(c)?.replace(/^::ffff:/i, '');
  const forwarded = FORWARDING_HEADERS.some((name) => c.req.header(name) !== undefined);
  if (peer && isLoopbackHost(peer) && !forwarded) return;
  throw problemSaying(
    'forbidden',
    'Without METRICS_TOKEN, /metrics answers only requests from this machine (loopback) that no proxy ' +
      'forwarded. Set METRICS_TOKEN to scrape it from elsewhere.',
  );
}
