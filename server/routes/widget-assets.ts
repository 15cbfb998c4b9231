import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono, type Context } from 'hono';
import { errorBody } from '../lib/errors';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const widgetBundlePath = resolve(root, 'dist/account-portal.js');
const localesDir = resolve(root, 'widget/locales');

interface Asset {
  body: string;
  etag: string;
  mtimeMs: number;
}

const cache = new Map<string, Asset>();

/** Reads a file once and again only when it changes on disk; undefined when it does not exist. */
function load(path: string): Asset | undefined {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
  const cached = cache.get(path);
  if (cached?.mtimeMs === mtimeMs) return cached;
  const body = readFileSync(path, 'utf8');
  const asset = { body, mtimeMs, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
  cache.set(path, asset);
  return asset;
}

/**
 * Serves an asset any page may load: as a module script or a fetched JSON it is a
 * CORS request from the merchant's origin, so it allows every origin (it is public
 * and carries no credentials). Revalidated by ETag.
 */
function serve(c: Context, asset: Asset | undefined, type: string, maxAge: number) {
  if (!asset) return c.json(errorBody('not_found', 'No such widget asset. Run `npm run build` to build the widget.'), 404);
  c.header('Access-Control-Allow-Origin', '*');
  c.header('Cross-Origin-Resource-Policy', 'cross-origin');
  c.header('Cache-Control', `public, max-age=${maxAge}, stale-while-revalidate=86400`);
  c.header('ETag', asset.etag);
  if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304);
  c.header('Content-Type', type);
  return c.body(asset.body);
}

/** Where the assets are read from; tests point these at temporary files. */
export interface WidgetAssetPaths {
  bundlePath?: string;
  localesDir?: string;
}

/** The widget bundle (`/widget/account-portal.js`) and its lazily loaded locales (`/widget/i18n/de.json`). */
export function widgetAssetRoutes(paths: WidgetAssetPaths = {}) {
  const bundle = paths.bundlePath ?? widgetBundlePath;
  const locales = paths.localesDir ?? localesDir;
  return new Hono()
    .get('/account-portal.js', (c) => serve(c, load(bundle), 'text/javascript; charset=utf-8', 300))
    .get('/i18n/:file{[a-z]{2}\\.json}', (c) => serve(c, load(resolve(locales, c.req.param('file'))),
      'application/json; charset=utf-8', 3600));
}
