import type { Db } from './db/client';
import type { Clock } from './lib/clock';
import type { Logger } from './lib/logger';

/** Everything the app and its services need from the outside world, injected so tests can swap it. */
export interface Deps {
  db: Db;
  clock: Clock;
  logger: Logger;
  config: AppConfig;
}

export interface AppConfig {
  /** `NODE_ENV === 'production'`: no demo, no dev pages, strict checks. */
  production: boolean;
  /** The public URL the server is reached at, used in every link it builds. */
  publicBaseUrl: string;
  /** Take the client IP from `X-Forwarded-For` (only behind a reverse proxy you run). */
  trustProxy?: boolean;
  /** Where the demo merchant site runs (another origin), once it listens; shown on the landing page. */
  demoSiteUrl?: string;
}
