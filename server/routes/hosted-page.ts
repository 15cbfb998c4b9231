import { Hono, type Context } from 'hono';
import type { Deps } from '../deps';
import { directionOf, messages, requestLanguage, type Language } from '../i18n';
import { escapeHtml, styleHashSource } from '../lib/html';
import type { SchemeColours } from '../contract';
import type { BrowserSources } from '../payments/gateway';
import { colourSchemeCss, defaultTheme, type Theme } from '../lib/theme';
import { getPortalConfig, findStore } from '../services/stores';

/**
 * The page's policy. Scripts only from this server (the widget bundle; no inline
 * script at all), its one inline style by hash, API calls to this server only,
 * images from anywhere secure (the store's logo), frames only from itself (the
 * payment gateway's card page), and never framed. With a processor whose bank
 * challenges (3-D Secure) run in the page, its script, API and frames are allowed
 * too (Stripe.js, which the widget loads only when a payment needs it).
 */
function contentSecurityPolicy(styleHash: string, processor?: BrowserSources): string {
  return [
    "default-src 'none'",
    `script-src 'self'${processor ? ` ${processor.script}` : ''}`,
    `style-src 'self' ${styleHash}`,
    `connect-src 'self'${processor ? ` ${processor.connect}` : ''}`,
    "img-src 'self' https: data:",
    "font-src 'self'",
    "manifest-src 'self'",
    `frame-src 'self'${processor ? ` ${processor.frame}` : ''}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

const fontList = (value: string) => value.replace(/[^A-Za-z0-9 ,"'-]/g, '') || defaultTheme.fontFamily;

/**
 * The page's CSS: the store's checkout colours and font as page background and type, in
 * the colour schemes the widget shows (its dark palette, or the built-in one, under
 * `prefers-color-scheme: dark`, unless the theme's `colorScheme` says otherwise).
 */
export function hostedPageCss(theme: Theme): string {
  const palette = (c: SchemeColours) =>
    `--page-primary:${c.primary};--page-text:${c.text};--page-background:${c.background};--page-surface:${c.surface}`;
  return (
    colourSchemeCss(theme, palette) +
    '*,*::before,*::after{box-sizing:border-box}' +
    `html{background:var(--page-background)}` +
    `body{margin:0;min-height:100vh;display:flex;flex-direction:column;background:var(--page-background);` +
    `color:var(--page-text);font-family:${fontList(theme.fontFamily)};line-height:1.5;-webkit-text-size-adjust:100%}` +
    '.band{height:6px;background:var(--page-primary)}' +
    'main{flex:1;width:100%;max-width:60rem;margin:0 auto;padding:clamp(1rem,4vw,2.5rem) clamp(.5rem,3vw,1.5rem)}' +
    'h1{font-size:clamp(1.375rem,3vw,1.75rem);line-height:1.2;margin:0 0 1rem}' +
    'account-portal{display:block;min-height:20rem}' +
    `account-portal::part(base){border:1px solid color-mix(in srgb,var(--page-text) 12%,transparent);` +
    `box-shadow:0 1px 2px rgb(0 0 0/.04),0 8px 24px rgb(0 0 0/.06)}` +
    '.notice{margin:0;padding:1rem;border-radius:8px;background:var(--page-surface)}'
  );
}

interface PageParts {
  language: Language;
  title: string;
  css: string;
  body: string;
  /** Whether the page loads the widget. */
  widget: boolean;
}

function page({ language, title, css, body, widget }: PageParts): string {
  return (
    '<!doctype html>' +
    `<html lang="${language}" dir="${directionOf(language)}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width,initial-scale=1">' +
    '<meta name="robots" content="noindex"><meta name="referrer" content="no-referrer">' +
    // No favicon request (it would only 404): an empty data: icon, which img-src allows.
    '<link rel="icon" href="data:,">' +
    `<title>${escapeHtml(title)}</title><style>${css}</style>` +
    (widget ? '<script type="module" src="/widget/account-portal.js"></script>' : '') +
    `</head><body><div class="band"></div><main>${body}</main></body></html>`
  );
}

/** Headers for a page that may carry a single-use `?portal_token=`: never cached, never leaked, never framed. */
function secure(c: Context, css: string, processor?: BrowserSources): void {
  c.header('Content-Security-Policy', contentSecurityPolicy(styleHashSource(css), processor));
  c.header('Referrer-Policy', 'no-referrer');
  c.header('Cache-Control', 'no-store');
  c.header('X-Frame-Options', 'DENY');
  c.header('X-Robots-Tag', 'noindex');
  c.header('Vary', 'Accept-Language');
}

/**
 * `GET /account/{store}`: the portal's hosted page, for merchants that just link to
 * it ("Manage your orders") and the target of login links when the store has no
 * portal URL of its own. A themed page around `<account-portal>`; the widget reads
 * a `?portal_token=` from the address, redeems it and removes it from the address bar.
 */
export function hostedPageRoutes(deps: Pick<Deps, 'db' | 'gateway'>) {
  const hostedPage = async (c: Context<object, '/:storeId'>) => {
    const language = requestLanguage(c.req.query('lang'), c.req.header('accept-language'));
    const words = messages(language).pages.hosted;
    const store = await findStore(deps.db, c.req.param('storeId'));
    if (!store) {
      const css = hostedPageCss(defaultTheme);
      secure(c, css);
      return c.html(
        page({
          language,
          title: words.notFoundTitle,
          css,
          body: `<h1>${words.notFoundTitle}</h1><p class="notice">${words.notFound}</p>`,
          widget: false,
        }),
        404,
      );
    }
    const config = getPortalConfig(store);
    const css = hostedPageCss(config.theme);
    secure(c, css, deps.gateway.browserSources);
    return c.html(
      page({
        language,
        title: `${words.heading} · ${store.name}`,
        css,
        body:
          `<h1>${words.heading}</h1>` +
          `<account-portal store="${escapeHtml(store.id)}"></account-portal>` +
          `<noscript><p class="notice">${words.noscript}</p></noscript>`,
        widget: true,
      }),
    );
  };
  return new Hono().get('/:storeId', hostedPage).get('/:storeId/', hostedPage);
}
