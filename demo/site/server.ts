import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Deps } from '../../server/deps';
import { findStore, setStoreValue } from '../../server/services/stores';
import { DEMO_STORE_ID } from '../data';
import { createDemoSite } from './app';

export interface DemoSiteServerOptions {
  deps: Pick<Deps, 'db' | 'clock' | 'logger' | 'config'>;
  /** The interface to listen on (the portal's `HOST`) and the port (`DEMO_PORT`; 0 picks a free one). */
  host: string;
  port: number;
  /** The portal server as this process reaches it, for the site's backend calls to the Server API. */
  portalLocalUrl: string;
  credentials: { user: string; password: string };
}

export interface DemoSiteServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the demo merchant site on its own port (so its pages are another origin
 * than the portal) and makes sure the demo store allows that origin, so a
 * `DEMO_PORT` other than 8788 works too. Resolves null, after a warning, when the
 * port is taken: the portal itself keeps running without the demo site.
 */
export async function startDemoSite(options: DemoSiteServerOptions): Promise<DemoSiteServer | null> {
  const { deps } = options;
  let site: ReturnType<typeof createDemoSite> | null = null;
  const server = serve({ fetch: (request) => site!.fetch(request), port: options.port, hostname: options.host });
  let address: AddressInfo;
  try {
    address = await new Promise<AddressInfo>((resolve, reject) => {
      server.once('listening', () => resolve(server.address() as AddressInfo));
      server.once('error', reject);
    });
  } catch (error) {
    deps.logger.warn(
      `The demo site could not listen on ${options.host}:${options.port}; running without it ` +
        '(set DEMO_PORT to a free port).',
      { error: error instanceof Error ? error : String(error) },
    );
    return null;
  }
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${address.port}`;
  site = createDemoSite({
    portalPublicUrl: deps.config.publicBaseUrl,
    siteUrl: url,
    serverApi: { baseUrl: options.portalLocalUrl, credentials: options.credentials },
  });
  await allowDemoOrigins(deps, [`http://127.0.0.1:${address.port}`, `http://localhost:${address.port}`]);
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeIdleConnections' in server) server.closeIdleConnections();
      }),
  };
}

/** Adds the demo site's origins to the demo store's allowed origins when they are not there yet. */
async function allowDemoOrigins(deps: DemoSiteServerOptions['deps'], origins: string[]): Promise<void> {
  const store = await findStore(deps.db, DEMO_STORE_ID);
  if (!store) return;
  const missing = origins.filter((origin) => !store.allowedOrigins.includes(origin));
  if (missing.length === 0) return;
  await setStoreValue(
    deps.db,
    deps.clock,
    DEMO_STORE_ID,
    'allowedOrigins',
    [...store.allowedOrigins, ...missing].join(','),
  );
  deps.logger.info(`Allowed the demo site's origins for the demo store: ${missing.join(', ')}`);
}
