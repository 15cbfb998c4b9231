import { DEMO_CUSTOMER_EMAIL, DEMO_STORE_ID, seedDemo } from '../../../demo/seed';
import { createApp } from '../../app';
import { openDatabase } from '../../db/client';
import { createDeps } from '../../deps';
import type { Clock } from '../../lib/clock';
import { randomSecret } from '../../lib/crypto';
import type { Logger } from '../../lib/logger';
import { findAccountByEmail } from '../../services/accounts';
import { issueAuthenticateUrl } from '../../services/sign-in';
import { getStore } from '../../services/stores';

/** The theme editor's preview portal, wherever it runs (preview.ts: in the server's thread, or one of its own). */
export interface Sandbox {
  /** A single-use URL that signs the preview's widget in as the demo customer. */
  authUrl(): Promise<string>;
  /** The preview's Portal API; `env` is the connection, as @hono/node-server hands it on (none in-process). */
  fetch(request: Request, env?: unknown): Promise<Response>;
}

export interface SandboxOptions {
  /** Where the server serves the preview: its links point there. */
  publicBaseUrl: string;
  clock: Clock;
  logger: Logger;
}

/**
 * The preview's own portal: the demo store (demo/seed.ts: Northwind Software and its
 * customers' history) seeded into an in-memory SQLite database of its own, behind a
 * real Portal API. It never touches the server's database; every store's editor shows
 * the same demo data.
 */
export async function openSandbox(options: SandboxOptions): Promise<Sandbox> {
  const deps = createDeps({
    db: openDatabase(':memory:'),
    clock: options.clock,
    logger: options.logger,
    // Its own world: never production (the demo is seeded only outside it), links under the preview's path.
    config: { production: false, publicBaseUrl: options.publicBaseUrl },
  });
  // Nobody signs in to its Server API: its credentials are thrown away.
  await seedDemo(deps, { user: `preview-${randomSecret(6)}`, password: randomSecret(24) });
  const app = createApp(deps);
  return {
    authUrl: async () =>
      await deps.db.transaction(async (tx) => {
        const store = await getStore(tx, DEMO_STORE_ID);
        const account = (await findAccountByEmail(tx, DEMO_STORE_ID, DEMO_CUSTOMER_EMAIL))!;
        return (await issueAuthenticateUrl(tx, store, account, options.publicBaseUrl, options.clock.now())).url;
      }),
    fetch: async (request, env) => await app.fetch(request, env),
  };
}
