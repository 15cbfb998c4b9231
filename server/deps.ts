import type { Db, Tx } from './db/client';
import type { TrustProxy } from './lib/client-ip';
import type { StripeEnv } from './env';
import type { Clock } from './lib/clock';
import type { Logger } from './lib/logger';
import { createMetrics, type Metrics } from './lib/metrics';
import type { PaymentGateway } from './payments/gateway';
import { loadStripeGateway } from './payments/stripe/load';
import { TestGateway } from './payments/test-gateway';

/** Everything the app and its services need from the outside world, injected so tests can swap it. */
export interface Deps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /**
   * The operator's metrics (`GET /metrics`), one registry per app. Services report to
   * it only as an `Observer` (lib/observer.ts): charges, renewal runs, rate-limit refusals.
   */
  metrics: Metrics;
  /** The payment processor: the built-in test gateway outside production. */
  gateway: PaymentGateway;
  /** Set with the Stripe gateway: verifies Stripe's webhooks (`POST /webhooks/stripe`). Never log it. */
  stripeWebhookSecret?: string;
  config: AppConfig;
}

export interface AppConfig {
  /** `NODE_ENV === 'production'`: no demo, no dev pages, strict checks. */
  production: boolean;
  /** The public URL the server is reached at, used in every link it builds. */
  publicBaseUrl: string;
  /**
   * Take the client IP from `X-Forwarded-For` as the trusted proxies wrote it: a hop count
   * (`true` is one) or the proxies' addresses (only behind reverse proxies you run).
   */
  trustProxy?: TrustProxy;
  /**
   * The bearer token `GET /metrics` asks for (`METRICS_TOKEN`). Unset: it answers only
   * requests from this machine that no proxy forwarded. Never log it.
   */
  metricsToken?: string;
  /** Log one line per request (`LOG_REQUESTS`): method, route pattern, status, time, request id. */
  logRequests?: boolean;
  /** Where the demo merchant site runs (another origin), once it listens; shown on the landing page. */
  demoSiteUrl?: string;
}

/** What createDeps assembles the dependencies from. */
type DepsParts = Omit<Deps, 'gateway' | 'metrics'> & { gateway?: PaymentGateway; metrics?: Metrics };

/**
 * Assembles the dependencies: the gateway given (Stripe's from `createServerDeps`,
 * or a test's), else the built-in test gateway (main.ts decides; production refuses
 * a test gateway unless allowed).
 */
export function createDeps(parts: DepsParts): Deps {
  const { gateway, metrics, ...rest } = parts;
  const deps: Deps = { ...rest, metrics: metrics ?? createMetrics(), gateway: gateway! };
  // Gateways read the base URL when they build links, after PORT=0 has been resolved.
  deps.gateway ??= new TestGateway(parts.db, parts.clock, () => deps.config.publicBaseUrl);
  return deps;
}

/**
 * The dependencies of a server: with the Stripe gateway, loaded now, when its keys are
 * given (and its webhook secret); otherwise as createDeps assembles them.
 */
export async function createServerDeps(
  parts: Omit<DepsParts, 'gateway' | 'stripeWebhookSecret'> & { stripe?: StripeEnv | null },
): Promise<Deps> {
  const { stripe, ...rest } = parts;
  if (!stripe) return createDeps(rest);
  // The config object becomes the dependencies' own: the gateway reads the base URL set once the server listens.
  const gateway = await loadStripeGateway(stripe, () => rest.config.publicBaseUrl);
  return createDeps({ ...rest, gateway, stripeWebhookSecret: stripe.webhookSecret });
}

/**
 * The services' dependencies inside one transaction: their reads see what it wrote, and
 * the transactions they begin are savepoints of it. For work that calls whole services
 * and must stand or fall together (seeding the demo store).
 */
export function depsInTransaction(deps: Deps, tx: Tx): Deps {
  return { ...deps, db: tx as unknown as Db };
}
