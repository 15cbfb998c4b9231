import { Hono, type Context } from 'hono';
import type { Deps } from '../deps';
import { requestLanguage, type Language } from '../i18n';
import { styleHashSource } from '../lib/html';
import { renderSetupMessagePage, renderSetupPage, setupPageCss, setupPageScript } from '../payments/test-gateway-page';
import { getPortalConfig } from '../services/stores';
import { setupForPage, setupParentOrigins } from '../services/billing';

/**
 * The page's policy: its script only from this server (no inline script), its one
 * inline style by hash, no network connections at all (the card never leaves the
 * page), no form submission, and framed only by the given ancestors.
 */
function contentSecurityPolicy(css: string, frameAncestors: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src ${styleHashSource(css)}`,
    "img-src 'self' data:",
    "connect-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}

/** `?lang=` when it names a supported language, else the browser's preference. */
const pageLanguage = (c: Context): Language => requestLanguage(c.req.query('lang'), c.req.header('accept-language'));

function secure(c: Context, css: string, frameAncestors: string): void {
  c.header('Content-Security-Policy', contentSecurityPolicy(css, frameAncestors));
  c.header('Referrer-Policy', 'no-referrer');
  c.header('Cache-Control', 'no-store');
  c.header('X-Robots-Tag', 'noindex');
  c.header('Vary', 'Accept-Language');
}

/**
 * The built-in test gateway's own pages, mounted at `/gateway/test` only while the
 * test gateway is the one in use: `GET /setup/{setupId}` is the card form the
 * widget shows in an iframe (framed only by the store's allowed origins and the
 * portal itself), and `GET /setup.js` its script, which tokenises the card in the
 * browser and posts the token to the parent window.
 */
export function testGatewayRoutes(deps: Pick<Deps, 'db' | 'clock' | 'gateway' | 'config'>) {
  return new Hono()
    .get('/setup.js', (c) => {
      const { body, etag } = setupPageScript();
      c.header('Cache-Control', 'public, max-age=300');
      c.header('ETag', etag);
      if (c.req.header('if-none-match') === etag) return c.body(null, 304);
      c.header('Content-Type', 'text/javascript; charset=utf-8');
      return c.body(body);
    })
    .get('/setup/:setupId', async (c) => {
      const language = pageLanguage(c);
      const found = await setupForPage(deps.db, c.req.param('setupId'), deps.gateway.name, deps.clock.now());
      if (found.state !== 'open') {
        const css = setupPageCss();
        // A message without a form or script is harmless in any frame, and the widget's iframe must be able to show it.
        secure(c, css, '*');
        return c.html(renderSetupMessagePage(language, found.state, css), found.state === 'unknown' ? 404 : 410);
      }
      const parentOrigins = setupParentOrigins(found.store, deps.config.publicBaseUrl);
      const css = setupPageCss(getPortalConfig(found.store).theme);
      secure(c, css, parentOrigins.join(' '));
      return c.html(renderSetupPage({ language, setupId: found.setup.id, parentOrigins, css }));
    });
}
