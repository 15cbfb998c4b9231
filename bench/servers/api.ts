import { Hono } from 'hono';
import { createApp, mountRoutes } from '../../server/app';
import { checkpointInBackground } from '../../server/db/checkpoints';
import { closeDatabase } from '../../server/db/health';
import { openPortalDatabase } from '../../server/db/open';
import { DEFAULT_HTTP_LIMITS } from '../../server/lib/http-server';
import { consoleLogger } from '../../server/lib/logger';
import { createLoginLinkWorker } from '../../server/services/sign-in';
import { benchDeps } from '../lib/bench-deps';
import { failChild, serveChild } from '../lib/serve-child';

/**
 * The real Account Portal app over a database (argv[2]: a SQLite file, or a
 * `postgres://` URL, as DATABASE_URL would give it): createApp with the
 * production dependencies, served exactly as the server serves it (with main.ts's
 * default HTTP limits). Background workers do not run, unless
 * BENCH_LOGIN_LINK_WORKER=1 starts the login-link worker in this process, as
 * server/main.ts does. BENCH_APP=routes serves the app's routes without its app-wide
 * middleware (server/app.ts), for bench:api to show what that middleware costs.
 */
const path = process.argv[2];
try {
  if (!path) throw new Error('usage: servers/api.ts <database path | postgres:// URL>');
  const postgres = /^postgres(ql)?:\/\//.test(path);
  const db = await openPortalDatabase(
    {
      postgres: postgres ? { url: path, poolSize: Number(process.env.BENCH_POOL_SIZE ?? 10) } : null,
      sqlitePath: path,
    },
    consoleLogger,
  );
  // As main.ts runs it, unless BENCH_CHECKPOINTS=inline compares SQLite's own checkpoints.
  if (!postgres && process.env.BENCH_CHECKPOINTS !== 'inline') checkpointInBackground(db, path);
  const deps = benchDeps(db, consoleLogger, process.env.BENCH_TRUST_PROXY === '1');
  const loginLinks = process.env.BENCH_LOGIN_LINK_WORKER === '1' ? createLoginLinkWorker(deps) : undefined;
  loginLinks?.start();
  const app = process.env.BENCH_APP === 'routes' ? mountRoutes(new Hono(), deps) : createApp(deps);
  serveChild(app.fetch, () => void closeDatabase(db), DEFAULT_HTTP_LIMITS);
} catch (error) {
  failChild(error);
}
