/**
 * Everything that exists only for development and the demo, behind one door: the
 * landing page, the demo's downloadable files, the local email outbox pages, the
 * demo store's seeding and the demo merchant site, and the theme editor with its
 * preview of the demo data. Production code never imports this folder (nor demo/)
 * statically; main.ts loads it with `import()` only when `NODE_ENV` is not
 * `production`, or in production for the theme editor alone when it is asked for
 * (`THEME_EDITOR=true`), so a production process otherwise never loads it
 * (test/server/dev.test.ts watches a production start's module loads to prove it).
 */
import type { Hono } from 'hono';
import type { Deps } from '../deps';
import { isLoopbackHost } from '../lib/loopback';
import { demoFileRoutes } from './demo-files';
import { landingRoutes } from './landing';
import { devOutboxRoutes, OUTBOX_REFUSED, refusedOutboxRoutes } from './outbox';

export { seedDemoStore, startDemoSite, type DemoSite } from './demo';
export { createThemeEditor, THEME_EDITOR_PATH } from './theme-editor';

export interface DevelopmentOptions {
  /** The interface the server listens on (`HOST`): the outbox is served only on a loopback address. */
  host: string;
  /** Whether the theme editor is served (`THEME_EDITOR`), for the landing page's link to it. */
  themeEditor?: boolean;
}

/** The development routes, ready to be mounted beside the production ones. */
export interface Development {
  /** Mounts the landing page (`/`), the demo files (`/demo/files`) and the outbox (`/dev`); createApp calls it. */
  mount(app: Hono): void;
  /** Where the outbox can be browsed, or undefined when it is not served. */
  outboxUrl(): string | undefined;
}

/**
 * Builds the development routes. The outbox shows every store's live sign-in links,
 * so it is served only to this machine (HOST on loopback); otherwise `/dev` answers
 * 403 and one log line says so now. Refuses to run in production.
 */
export function createDevelopment(deps: Deps, options: DevelopmentOptions): Development {
  if (deps.config.production) throw new Error('server/dev is never used in production.');
  const outboxServed = isLoopbackHost(options.host);
  if (!outboxServed)
    deps.logger.warn(`dev outbox: not served, HOST=${options.host} is not loopback. ${OUTBOX_REFUSED}`);
  // Read when asked: the base URL is final only once the server listens (PORT=0).
  const outboxUrl = () => (outboxServed ? `${deps.config.publicBaseUrl}/dev/outbox` : undefined);
  return {
    mount(app) {
      app.route('/', landingRoutes(deps, { outboxUrl, themeEditor: options.themeEditor ?? false }));
      app.route('/demo/files', demoFileRoutes());
      app.route('/dev', outboxServed ? devOutboxRoutes(deps) : refusedOutboxRoutes());
    },
    outboxUrl,
  };
}
