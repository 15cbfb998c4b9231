/**
 * Everything that exists only for development and the demo, behind one door: the
 * landing page, the demo's downloadable files, the local email outbox pages, the
 * demo store's seeding and the demo merchant site. Production code never imports
 * this folder (nor demo/) statically; main.ts loads it with `import()` only when
 * `NODE_ENV` is not `production`, so a production process never loads it
 * (test/server/dev.test.ts watches a production start's module loads to prove it).
 */
import type { Hono } from 'hono';
import type { Deps } from '../deps';
import { demoFileRoutes } from './demo-files';
import { landingRoutes } from './landing';
import { devOutboxRoutes } from './outbox';

export { seedDemoStore, startDemoSite, type DemoSite } from './demo';

/** The development routes, ready to be mounted beside the production ones. */
export interface Development {
  /** Mounts the landing page (`/`), the demo files (`/demo/files`) and the outbox (`/dev`); createApp calls it. */
  mount(app: Hono): void;
}

/** Builds the development routes. Refuses to run in production, where nothing of it may exist. */
export function createDevelopment(deps: Deps): Development {
  if (deps.config.production) throw new Error('server/dev is never used in production.');
  return {
    mount(app) {
      app.route('/', landingRoutes(deps));
      app.route('/demo/files', demoFileRoutes());
      app.route('/dev', devOutboxRoutes(deps));
    },
  };
}
