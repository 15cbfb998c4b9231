import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from 'node:zlib';
import { Hono, type Context } from 'hono';
import { errorBody } from '../lib/errors';
import { contentEtag, matchesIfNoneMatch } from '../lib/etag';
import { projectPath } from '../lib/project-root';

export const widgetBundlePath = projectPath('dist/account-portal.js');
const localesDir = projectPath('widget/locales');

/** The encodings the server sends, best first; `identity` is the file as it is. */
type Encoding = 'br' | 'gzip' | 'identity';

interface Asset {
  mtimeMs: number;
  /** The body in each encoding, with its own ETag (one representation, one strong validator). */
  variants: Record<Encoding, { body: Buffer; etag: string }>;
}

const cache = new Map<string, Asset>();

/**
 * The precompressed copy that the build wrote beside `path` (`.br`, `.gz`), when it
 * holds exactly `body`; otherwise (no build step, as for the locales, or a copy
 * from an older build caught mid-replacement) the body compressed here, once.
 */
function compressed(path: string, body: Buffer, encoding: 'br' | 'gzip'): Buffer {
  const [suffix, decompress, compress] =
    encoding === 'br'
      ? ([
          '.br',
          brotliDecompressSync,
          (b: Buffer) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        ] as const)
      : (['.gz', gunzipSync, (b: Buffer) => gzipSync(b, { level: 9 })] as const);
  try {
    const stored = readFileSync(path + suffix);
    if (decompress(stored).equals(body)) return stored;
  } catch {
    // No precompressed copy, or a damaged one: compress it here.
  }
  return compress(body);
}

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
  const body = readFileSync(path);
  const asset: Asset = {
    mtimeMs,
    variants: {
      identity: { body, etag: contentEtag(body) },
      br: { body: compressed(path, body, 'br'), etag: contentEtag(body, '-br') },
      gzip: { body: compressed(path, body, 'gzip'), etag: contentEtag(body, '-gz') },
    },
  };
  cache.set(path, asset);
  return asset;
}

/** The best encoding the client accepts: brotli, then gzip, else the plain file. */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
    if (name) accepted.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return 'identity';
}

/** How long a browser or CDN may keep a file: the stable entry URL revalidates; hashed names never change. */
export const widgetCaching = {
  /** `/widget/account-portal.js`: its URL stays, so every load asks (a 304 when nothing changed). */
  entry: 'no-cache',
  /** `/widget/chunks/{name}-{hash}.js`: a new build makes new names. */
  hashed: 'public, max-age=31536000, immutable',
  /** `/widget/i18n/{lang}.json`: fetched once per page; an hour's delay for new wording is fine. */
  locale: 'public, max-age=3600, stale-while-revalidate=86400',
} as const;

/**
 * Serves an asset any page may load: as a module script or a fetched JSON it is a
 * CORS request from the merchant's origin, so it allows every origin (it is public
 * and carries no credentials). Compressed as the client accepts (precompressed at
 * build time), revalidated by ETag.
 */
function serve(c: Context, asset: Asset | undefined, type: string, cacheControl: string) {
  if (!asset)
    return c.json(errorBody('not_found', 'No such widget asset. Run `npm run build` to build the widget.'), 404);
  const encoding = chooseEncoding(c.req.header('accept-encoding'));
  const variant = asset.variants[encoding];
  c.header('Access-Control-Allow-Origin', '*');
  c.header('Cross-Origin-Resource-Policy', 'cross-origin');
  c.header('Cache-Control', cacheControl);
  c.header('Vary', 'Accept-Encoding');
  c.header('ETag', variant.etag);
  if (matchesIfNoneMatch(c.req.header('if-none-match'), variant.etag)) return c.body(null, 304);
  c.header('Content-Type', type);
  if (encoding !== 'identity') c.header('Content-Encoding', encoding);
  return c.body(new Uint8Array(variant.body));
}

/** Where the assets are read from; tests point these at temporary files. */
export interface WidgetAssetPaths {
  bundlePath?: string;
  localesDir?: string;
}

const javascript = 'text/javascript; charset=utf-8';

/**
 * The widget: its entry module (`/widget/account-portal.js`), the chunks it loads on
 * demand (`/widget/chunks/{name}-{hash}.js`, beside the entry) and its lazily loaded
 * locales (`/widget/i18n/de.json`, `/widget/i18n/pt-BR.json`).
 */
export function widgetAssetRoutes(paths: WidgetAssetPaths = {}) {
  const bundle = paths.bundlePath ?? widgetBundlePath;
  const chunks = resolve(dirname(bundle), 'chunks');
  const locales = paths.localesDir ?? localesDir;
  return new Hono()
    .get('/account-portal.js', (c) => serve(c, load(bundle), javascript, widgetCaching.entry))
    .get('/chunks/:file{[A-Za-z0-9_.-]+-[A-Za-z0-9_-]{8}\\.js}', (c) =>
      serve(c, load(resolve(chunks, c.req.param('file'))), javascript, widgetCaching.hashed),
    )
    .get('/i18n/:file{[a-z]{2}(?:-[A-Z]{2})?\\.json}', (c) =>
      serve(c, load(resolve(locales, c.req.param('file'))), 'application/json; charset=utf-8', widgetCaching.locale),
    );
}
