import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { checkpointInBackground } from './db/checkpoints';
import { closeDatabase } from './db/health';
import { describeDatabase, openPortalDatabase, type DatabaseSettings } from './db/open';
import { createServerDeps } from './deps';
import { createMailer } from './email/create-mailer';
import { clearExpiredEmailBodies } from './email/outbox';
import { createEmailWorker } from './email/worker';
import { readEnv } from './env';
import { HOUR, systemClock } from './lib/clock';
import { guardHttpServer, httpServerOptions } from './lib/http-server';
import { createLogger } from './lib/logger';
import { createMetrics } from './lib/metrics';
import { purgeExpiredIdempotencyKeys } from './services/idempotency';
import { createLoginLinkWorker, purgeRateLimitHits, purgeExpiredTokens } from './services/sign-in';
import { createWebhookWorker } from './webhooks/worker';
import { createReminderWorker, createRenewalWorker } from './services/billing';
import { renderAttachedDocument } from './services/orders';
import { ensureWidgetBundle } from './widget-build';

/**
 * The process entry point: the only place that reads the environment, opens the
 * database (the SQLite file, or PostgreSQL with DATABASE_URL) and a port, starts the
 * background workers and handles shutdown.
 */
async function main() {
  // `npm start -- --theme-editor` is THEME_EDITOR=true.
  const env = readEnv({ ...process.env, ...(process.argv.includes('--theme-editor') && { THEME_EDITOR: 'true' }) });
  const logger = createLogger({ format: env.logFormat });
  // The start-up lines stay plain in text logs; JSON logs get them as objects like every other line.
  const announce = (line: string) => (env.logFormat === 'json' ? logger.info(line) : console.log(line));
  // Before listening, so the first page served has the current widget (never throws).
  await ensureWidgetBundle({ logger, mode: env.widgetBuild });
  const database: DatabaseSettings = { postgres: env.postgres, sqlitePath: env.databasePath };
  const db = await openPortalDatabase(database, logger);
  // SQLite's WAL checkpoints on a thread of their own; PostgreSQL checkpoints itself.
  const checkpoints = env.postgres ? undefined : checkpointInBackground(db, env.databasePath);
  const deps = await createServerDeps({
    db,
    clock: systemClock,
    logger,
    metrics: createMetrics({ processMetrics: true }),
    stripe: env.stripe,
    config: {
      production: env.production,
      publicBaseUrl: env.publicBaseUrl,
      trustProxy: env.trustProxy,
      ...(env.metricsToken && { metricsToken: env.metricsToken }),
      logRequests: env.logRequests,
    },
  });
  if (env.production && deps.gateway.isTest && !env.allowTestGateway) {
    const what =
      deps.gateway.name === 'stripe'
        ? 'Stripe test-mode keys, which never charge anyone'
        : 'the test payment gateway, which never charges anyone';
    throw new Error(
      `Refusing to start in production with ${what}. ` +
        'Configure a real gateway (live keys), or set ALLOW_TEST_GATEWAY=true for a staging system.',
    );
  }
  // Development code is loaded only outside production, so a production process never has it in memory;
  // production loads it for the theme editor alone, when that is asked for.
  const dev = env.production && !env.themeEditor ? null : await import('./dev');
  const development = env.production
    ? undefined
    : dev?.createDevelopment(deps, { host: env.host, themeEditor: env.themeEditor });
  const themeEditor = env.themeEditor ? dev?.createThemeEditor(deps) : undefined;
  const app = createApp(deps, { development, themeEditor });
  const webhooks = createWebhookWorker(deps);
  const renewals = createRenewalWorker(deps, {
    intervalMs: env.renewalIntervalMs,
    concurrency: env.renewalConcurrency,
    ratePerSecond: env.renewalRatePerSecond,
  });
  const reminders = createReminderWorker(deps);
  const loginLinks = createLoginLinkWorker(deps);
  const housekeeping = setInterval(async () => {
    await purgeExpiredIdempotencyKeys(db, systemClock.now());
    await purgeRateLimitHits(db, systemClock.now());
    await purgeExpiredTokens(db, systemClock.now());
    await clearExpiredEmailBodies(db, systemClock.now());
  }, HOUR);
  housekeeping.unref();

  const server = serve({
    fetch: app.fetch,
    port: env.port,
    hostname: env.host,
    serverOptions: httpServerOptions(env.http),
  });
  guardHttpServer(server as Server, env.http);
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server.once('listening', () => resolve(server.address() as AddressInfo));
    server.once('error', reject);
  });
  // PORT=0 picks a free port: only now is the real base URL known (the demo's links use it).
  deps.config.publicBaseUrl = deps.config.publicBaseUrl.replace(/:0$/, `:${address.port}`);
  if (development) await dev?.seedDemoStore(deps, env.demoCredentials);
  announce(`Account Portal listening on ${deps.config.publicBaseUrl} (${describeDatabase(database)})`);
  const demoSite = development
    ? await dev?.startDemoSite(deps, {
        host: env.host,
        port: env.demoPort,
        credentials: env.demoCredentials,
        portal: address,
      })
    : undefined;
  if (themeEditor)
    announce(`Theme editor: ${deps.config.publicBaseUrl}/theme-editor (your store's Server API credentials)`);
  webhooks.start();
  const mailer = createMailer({ ...env, outboxUrl: development?.outboxUrl() }, logger);
  const emails = createEmailWorker(deps, mailer, {
    fromAddress: env.email.from,
    renderDocument: (document) => renderAttachedDocument(deps, document),
  });
  emails.start();
  // After the base URL is final: the links it puts into emails start with it.
  loginLinks.start();
  // After seeding, so the demo's subscriptions are there; charges go through deps.gateway.
  renewals.start();
  // After seeding too; the emails it queues carry links that start with the final base URL.
  reminders.start();

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
    await Promise.all([
      closed,
      demoSite?.close(),
      webhooks.stop(),
      emails.stop(),
      renewals.stop(),
      reminders.stop(),
      loginLinks.stop(),
    ]);
    await checkpoints?.stop();
    await closeDatabase(db);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  if (process.env.LOG_FORMAT === 'json') createLogger({ format: 'json' }).error(message);
  else console.error(message);
  process.exit(1);
});
