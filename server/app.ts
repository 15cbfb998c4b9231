import { Hono } from 'hono';
import type { Deps } from './deps';
import { errorBody } from './lib/errors';
import { PortalRouter } from './lib/router';
import { createTurns, type Turns } from './lib/turns';
import { logRequests } from './middleware/access-log';
import { errorHandler } from './middleware/errors';
import { markUnmatched, measureRequests } from './middleware/metrics';
import { assignRequestId } from './middleware/request-id';
import { limitUrl } from './middleware/request-limits';
import { securityHeaders } from './middleware/response-headers';
import { takeTurns } from './middleware/turns';
import { downloadRoutes } from './routes/downloads';
import { health } from './routes/health';
import { hostedPageRoutes } from './routes/hosted-page';
import { metricsRoutes } from './routes/metrics';
import { portalApi } from './routes/portal';
import { serverApi } from './routes/server-api';
import { isStripeGateway } from './payments/stripe/load';
import { stripeGatewayRoutes } from './routes/stripe-gateway';
import { stripeWebhookRoutes } from './routes/stripe-webhooks';
import { testGatewayRoutes } from './routes/test-gateway';
import { widgetAssetRoutes } from './routes/widget-assets';

export interface AppOptions {
  /**
   * Mounts development-only routes beside the production ones: server/dev's, which
   * main.ts (and the tests) load outside production only. Production passes none.
   */
  development?: { mount(app: Hono): void };
  /** How requests take turns on a saturated event loop (lib/turns); one per app by default. */
  turns?: Turns;
  /**
   * Mounts the theme editor (`/theme-editor`), which lives in server/dev too: outside
   * production unless turned off, in production only when asked for (`THEME_EDITOR=true`).
   */
  themeEditor?: { mount(app: Hono): void };
}

/**
 * Builds the HTTP application from its dependencies. Does no I/O of its own, so
 * tests construct it in-process with an in-memory database and a fake clock.
 */
export function createApp(deps: Deps, options: AppOptions = {}) {
  const app = new Hono({ router: new PortalRouter() });
  useAppWideMiddleware(app, deps);
  return mountRoutes(app, deps, options);
}

/**
 * What every request goes through before any route: its request id, metrics, the
 * access log (when configured), security headers and the URL limit.
 */
export function useAppWideMiddleware(app: Hono, deps: Deps): void {
  app.use('*', assignRequestId());
  app.use('*', measureRequests(deps.metrics));
  if (deps.config.logRequests) app.use('*', logRequests(deps.logger));
  // Routes may set their own policy (the widget bundle is cross-origin; the hosted page has its CSP).
  app.use('*', securityHeaders());
  app.use('*', limitUrl());
}

/**
 * The routes, behind {@link useAppWideMiddleware} in the app (bench:api also measures
 * them without it, to show what it costs): health and metrics, turns, the APIs and
 * pages, and the answers to unknown paths and to errors.
 */
export function mountRoutes(app: Hono, deps: Deps, options: AppOptions = {}): Hono {
  // Before the turns: a load balancer's health check and the metrics scrape are answered even while requests queue.
  app.get('/health', health(deps));
  app.route('/metrics', metricsRoutes(deps));
  app.use('*', takeTurns(options.turns ?? createTurns()));
  app.route('/api', serverApi(deps));
  app.route('/portal', portalApi(deps));
  app.route('/widget', widgetAssetRoutes());
  app.route('/downloads', downloadRoutes(deps));
  app.route('/account', hostedPageRoutes(deps));
  // Production has the test gateway's pages only when it runs with the test gateway (ALLOW_TEST_GATEWAY).
  if (deps.gateway.name === 'test') app.route('/gateway/test', testGatewayRoutes(deps));
  if (isStripeGateway(deps.gateway)) app.route('/gateway/stripe', stripeGatewayRoutes(deps, deps.gateway));
  if (deps.stripeWebhookSecret) app.route('/webhooks/stripe', stripeWebhookRoutes(deps, deps.stripeWebhookSecret));
  options.development?.mount(app);
  options.themeEditor?.mount(app);
  app.notFound((c) => {
    markUnmatched(c);
    return c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}.`), 404);
  });
  app.onError(errorHandler(deps.logger));
  return app;
}

export type App = ReturnType<typeof createApp>;
