import type { Db } from './db/client';
import type { TrustProxy } from './lib/client-ip';
import type { Clock } from './lib/clock';
import type { Logger } from './lib/logger';
import type { PaymentGateway } from './payments/gateway';
import { TestGateway } from './payments/test-gateway';

/** Everything the app and its services need from the outside world, injected so tests can swap it. */
export interface Deps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** The payment processor: the built-in test gateway outside production. */
  gateway: PaymentGateway;
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
  /** Where the demo merchant site runs (another origin), once it listens; shown on the landing page. */
  demoSiteUrl?: string;
}

/**
 * Assembles the dependencies, with the built-in test gateway unless another is
 * given (main.ts decides; production refuses the test gateway unless allowed).
 */
export function createDeps(parts: Omit<Deps, 'gateway'> & { gateway?: PaymentGateway }): Deps {
  const deps: Deps = { ...parts, gateway: parts.gateway! };
  // The gateway reads the base URL when it builds links, after PORT=0 has been resolved.
  deps.gateway ??= new TestGateway(parts.db, parts.clock, () => deps.config.publicBaseUrl);
  return deps;
}
