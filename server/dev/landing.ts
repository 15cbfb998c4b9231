import { Hono } from 'hono';
import type { Deps } from '../deps';
import { escapeHtml, styleHashSource } from '../lib/html';

const CSS =
  `*{box-sizing:border-box}body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;` +
  `color:#1f2937;background:#f5f7fb}main{max-width:52rem;margin:0 auto;padding:clamp(1.25rem,5vw,3.5rem) 1.25rem}` +
  `h1{font-size:clamp(1.6rem,4vw,2.2rem);line-height:1.2;margin:0 0 .5rem}.lead{color:#4b5563;margin:0 0 2rem;max-width:40rem}` +
  `ul{list-style:none;padding:0;margin:0;display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr))}` +
  `ul li{display:flex}a.card{flex:1;display:block;padding:1.25rem 1.25rem 1.1rem;background:#fff;border:1px solid #e5e7eb;` +
  `border-radius:12px;color:inherit;text-decoration:none;box-shadow:0 1px 2px rgb(0 0 0/.04)}` +
  `a.card:hover{border-color:#4f46e5;box-shadow:0 4px 16px rgb(79 70 229/.12)}a.card:focus-visible{outline:3px solid #4f46e5;outline-offset:2px}` +
  `.card strong{display:block;font-size:1.05rem;margin-bottom:.25rem;color:#312e81}.card span{color:#4b5563;font-size:.95rem}` +
  `.card code{font-size:.85rem;color:#6b7280;display:block;margin-top:.6rem;word-break:break-all}` +
  `.steps{margin:2rem 0 0;padding:1.25rem 1.5rem;background:#eef2ff;border-radius:12px}.steps h2{font-size:1.05rem;margin:0 0 .5rem}` +
  `.steps ol{margin:0;padding-left:1.25rem}.muted{color:#6b7280;font-size:.9rem;margin-top:2rem}` +
  `.off{border-style:dashed;color:#6b7280}`;

const CSP =
  `default-src 'none'; style-src ${styleHashSource(CSS)}; img-src 'self' data:; base-uri 'none'; ` +
  "form-action 'none'; frame-ancestors 'none'";

interface Card {
  title: string;
  text: string;
  href: string | null;
}

function card({ title, text, href }: Card): string {
  if (!href)
    return `<li><div class="card off"><strong>${escapeHtml(title)}</strong><span>${escapeHtml(text)}</span></div></li>`;
  return (
    `<li><a class="card" href="${escapeHtml(href)}"><strong>${escapeHtml(title)}</strong>` +
    `<span>${escapeHtml(text)}</span><code>${escapeHtml(href)}</code></a></li>`
  );
}

/**
 * `GET /` outside production: a small landing page that points a newcomer to the
 * demo merchant site (served from another origin, `DEMO_PORT`), the hosted page and
 * the local email outbox (when it is served), with the three steps of a first sign-in.
 */
export function landingRoutes(
  deps: Pick<Deps, 'config'>,
  options: { outboxUrl: () => string | undefined; themeEditor?: boolean },
) {
  return new Hono().get('/', (c) => {
    const demo = deps.config.demoSiteUrl ?? null;
    const base = deps.config.publicBaseUrl;
    const outbox = options.outboxUrl() ?? null;
    const cards: Card[] = [
      {
        title: 'Northwind shop',
        href: demo ? `${demo}/` : null,
        text: demo
          ? "A merchant's shop page that embeds the widget with one script tag, from another origin."
          : 'The demo site is not running (see the server log).',
      },
      {
        title: 'SaaS dashboard',
        href: demo ? `${demo}/app` : null,
        text: demo
          ? 'A "Manage subscription" panel signed in by the app\'s own backend through the Server API.'
          : 'The demo site is not running (see the server log).',
      },
      {
        title: 'Hosted page',
        href: `${base}/account/demo`,
        text: "The portal's own themed page, where login links lead.",
      },
      {
        title: 'Theme editor',
        href: options.themeEditor ? `${base}/theme-editor` : null,
        text: options.themeEditor
          ? "The portal's colours, font and logo, tried on the demo data and saved; sign in with the store's Server API credentials."
          : 'Not served: THEME_EDITOR=false.',
      },
      {
        title: 'Email outbox',
        href: outbox,
        text: outbox
          ? 'Every email the portal sent, with its links clickable.'
          : 'Not served: the server listens on more than loopback, and the outbox holds live sign-in links.',
      },
    ];
    c.header('Content-Security-Policy', CSP);
    c.header('Cache-Control', 'no-store');
    return c.html(
      '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
        '<meta name="viewport" content="width=device-width,initial-scale=1"><title>Account Portal · demo</title>' +
        '<link rel="icon" href="data:,">' +
        `<style>${CSS}</style></head><body><main><h1>Account Portal</h1>` +
        '<p class="lead">A customer account portal that merchants embed in their own pages. ' +
        'This server runs in demo mode with a seeded store, <em>Northwind Software</em>.</p>' +
        `<ul>${cards.map(card).join('')}</ul>` +
        '<section class="steps"><h2>Try it as a customer</h2><ol>' +
        '<li>Open the shop page and sign in with <strong>ada@example.com</strong>.</li>' +
        '<li>Open the email outbox and click the login link in the newest email.</li>' +
        '<li>Browse the orders, copy a licence key, download a file, edit the billing details.</li></ol></section>' +
        `<p class="muted">Server API: <a href="${escapeHtml(`${base}/api/openapi.json`)}">OpenAPI document</a> ` +
        '(credentials in the server log). Not served in production.</p>' +
        '</main></body></html>',
    );
  });
}
