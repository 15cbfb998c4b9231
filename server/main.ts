import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { seedDemo } from '../demo/seed';
import { createApp } from './app';
import { openDatabase } from './db/client';
import type { Deps } from './deps';
import { createMailer } from './email/create-mailer';
import { createEmailWorker } from './email/worker';
import { readEnv } from './env';
import { HOUR, systemClock } from './lib/clock';
import { consoleLogger } from './lib/logger';
import { purgeExpiredIdempotencyKeys } from './services/idempotency';
import { purgeRateLimitHits } from './services/rate-limit';
import { createWebhookWorker } from './webhooks/delivery-worker';

/**
 * The process entry point: the only place that reads the environment, opens the
 * database file and a port, starts the background workers and handles shutdown.
 */
async function main() {
  const env = readEnv();
  const logger = consoleLogger;
  const db = openDatabase(env.databasePath);
  const deps: Deps = {
    db, clock: systemClock, logger,
    config: { production: env.production, publicBaseUrl: env.publicBaseUrl, trustProxy: env.trustProxy },
  };
  const app = createApp(deps);
  const webhooks = createWebhookWorker(deps);
  const housekeeping = setInterval(() => {
    purgeExpiredIdempotencyKeys(db, systemClock.now());
    purgeRateLimitHits(db, systemClock.now());
  }, HOUR);
  housekeeping.unref();

  const server = serve({ fetch: app.fetch, port: env.port, hostname: env.host });
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server.once('listening', () => resolve(server.address() as AddressInfo));
    server.once('error', reject);
  });
  // PORT=0 picks a free port: only now is the real base URL known (the demo's links use it).
  deps.config.publicBaseUrl = deps.config.publicBaseUrl.replace(/:0$/, `:${address.port}`);
  if (!env.production) {
    // Seeding is synchronous, so no request is answered before the demo store exists.
    const { created } = seedDemo(deps, env.demoCredentials);
    logger.info(`demo store "demo" ${created ? 'seeded' : 'ready'}; Server API credentials: `
      + `${env.demoCredentials.user} / ${env.demoCredentials.password}`);
  }
  console.log(`Account Portal listening on ${deps.config.publicBaseUrl}`);
  webhooks.start();
  const mailer = createMailer({ ...env, publicBaseUrl: deps.config.publicBaseUrl }, logger);
  const emails = createEmailWorker(deps, mailer, { fromAddress: env.email.from });
  emails.start();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received, shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    // Stop accepting connections; in-flight requests finish, idle keep-alive sockets close.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    if ('closeIdleConnections' in server) server.closeIdleConnections();
    clearInterval(housekeeping);
    await Promise.all([closed, webhooks.stop(), emails.stop()]);
    db.$client.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
