import { Hono } from 'hono';
import { DEMO_CUSTOMER_EMAIL, DEMO_STORE_ID, seedDemo } from '../../../demo/seed';
import { createApp } from '../../app';
import { openDatabase } from '../../db/client';
import { createDeps, type Deps } from '../../deps';
import { errorBody } from '../../lib/errors';
import { limitBody } from '../../middleware/request-limits';
import { randomSecret } from '../../lib/crypto';
import { findAccountByEmail } from '../../services/accounts';
import { issueAuthenticateUrl } from '../../services/sign-in';
import { getStore } from '../../services/stores';

/** Where the preview's Portal API is mounted: the widget in the editor takes it as its `api-base`. */
export const PREVIEW_PATH = '/theme-editor/preview';

/** The largest body the preview reads (a sign-in is a few hundred bytes). */
const BODY_LIMIT = 4 * 1024;

/** The store whose demo data the preview shows. */
export const PREVIEW_STORE = DEMO_STORE_ID;

/**
 * The preview's own portal: the demo store (demo/seed.ts: Northwind Software and its
 * customers' history) seeded into an in-memory database of its own, behind a real
 * Portal API, the first time an editor opens. It never touches the server's database,
 * so it runs in production too; every store's editor shows the same demo data.
 */
interface Sandbox {
  deps: Deps;
  app: ReturnType<typeof createApp>;
}

/**
 * What the widget in the preview may do: read, sign in with the editor's URL and sign
 * out. Anything else (cancelling, downloading, adding a card) would change the demo
 * data every editor shares, so it is refused with 403.
 */
function allowed(method: string, path: string): boolean {
  const portal = `/portal/${PREVIEW_STORE}`;
  if (!path.startsWith(`${portal}/`) && !path.startsWith('/widget/')) return false;
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return true;
  return (
    (method === 'POST' && path === `${portal}/sessions`) ||
    (method === 'DELETE' && path === `${portal}/sessions/current`)
  );
}

/** The preview's portal, created on first use; `previewUrl` says where the server serves it. */
export function createPreview(deps: Deps) {
  let sandbox: Sandbox | undefined;
  const open = async (): Promise<Sandbox> => {
    if (sandbox) return sandbox;
    const previewDeps = createDeps({
      db: openDatabase(':memory:'),
      clock: deps.clock,
      logger: deps.logger,
      // Its own world: never production (the demo is seeded only outside it), links under the preview's path.
      config: { production: false, publicBaseUrl: `${deps.config.publicBaseUrl}${PREVIEW_PATH}` },
    });
    // Nobody signs in to its Server API: its credentials are thrown away.
    await seedDemo(previewDeps, { user: `preview-${randomSecret(6)}`, password: randomSecret(24) });
    sandbox = { deps: previewDeps, app: createApp(previewDeps) };
    return sandbox;
  };

  return {
    /** A single-use URL that signs the preview's widget in as the demo customer. */
    async authUrl(): Promise<string> {
      const { deps: previewDeps } = await open();
      return await previewDeps.db.transaction(async (tx) => {
        const store = await getStore(tx, PREVIEW_STORE);
        const account = (await findAccountByEmail(tx, PREVIEW_STORE, DEMO_CUSTOMER_EMAIL))!;
        const now = previewDeps.clock.now();
        return (await issueAuthenticateUrl(tx, store, account, previewDeps.config.publicBaseUrl, now)).url;
      });
    },
    /** The routes under {@link PREVIEW_PATH}: the preview's Portal API and widget locales, read-only. */
    routes(): Hono {
      const inner = (path: string) => path.slice(PREVIEW_PATH.length) || '/';
      return new Hono()
        .use('*', async (c, next) => {
          if (allowed(c.req.method, inner(c.req.path))) return next();
          return c.json(
            errorBody('forbidden', "The theme editor's preview shows demo data; nothing can be changed there."),
            403,
          );
        })
        .use('*', limitBody(BODY_LIMIT))
        .all('/*', async (c) => {
          const url = new URL(c.req.url);
          url.pathname = inner(c.req.path);
          const method = c.req.method;
          const body = method === 'GET' || method === 'HEAD' ? undefined : await c.req.arrayBuffer();
          // The connection (c.env) goes along, so the preview's limits see the browser's address.
          const request = new Request(url, { method, headers: c.req.raw.headers, body });
          const answer = await (await open()).app.fetch(request, c.env);
          // The preview's device cookie would land on this server's own Portal API paths (/portal/demo).
          const headers = new Headers(answer.headers);
          headers.delete('set-cookie');
          return new Response(answer.body, { status: answer.status, headers });
        });
    },
  };
}

export type Preview = ReturnType<typeof createPreview>;
