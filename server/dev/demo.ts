import type { AddressInfo } from 'node:net';
import { seedDemo } from '../../demo/seed';
import { startDemoSite as listenDemoSite } from '../../demo/site/server';
import type { Deps } from '../deps';

/** The running demo merchant site. */
export interface DemoSite {
  url: string;
  close(): Promise<void>;
}

/**
 * Seeds the demo store once per database and logs its Server API credentials.
 * Synchronous, so called right after the server starts listening, no request is
 * answered before the demo store exists.
 */
export async function seedDemoStore(deps: Deps, credentials: { user: string; password: string }): Promise<void> {
  const { created } = await seedDemo(deps, credentials);
  deps.logger.info(
    `demo store "demo" ${created ? 'seeded' : 'ready'}; Server API credentials: ` +
      `${credentials.user} / ${credentials.password}`,
  );
}

/**
 * Starts the demo merchant site on another origin than the portal and shows it on
 * the landing page. Resolves null when its port is taken (the portal runs on without it).
 */
export async function startDemoSite(
  deps: Deps,
  options: {
    host: string;
    port: number;
    credentials: { user: string; password: string };
    /** The portal server's bound address, for the site's backend calls to the Server API. */
    portal: AddressInfo;
  },
): Promise<DemoSite | null> {
  const site = await listenDemoSite({
    deps,
    host: options.host,
    port: options.port,
    credentials: options.credentials,
    portalLocalUrl: loopbackUrl(options.portal),
  });
  deps.config.demoSiteUrl = site?.url;
  if (site) console.log(`Demo: ${deps.config.publicBaseUrl}/ (merchant site on ${site.url}, a different origin)`);
  return site;
}

/** How this process reaches its own server: the bound address, or loopback when bound to every interface. */
function loopbackUrl(address: AddressInfo): string {
  const host = address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}
