import { Hono } from 'hono';
import type { Deps } from '../deps';
import { errorBody } from '../lib/errors';
import { resolveDownloadLink } from '../services/orders';

const EXPIRED_MESSAGE = 'This download link has expired. Open your account page and start the download again.';

const expiredPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Link expired</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2937}</style>
</head><body><h1>Link expired</h1><p>${EXPIRED_MESSAGE}</p></body></html>`;

/**
 * Signed download links (`GET /downloads/{token}`), public and outside the Portal
 * API: a live link redirects to the file; an unknown or expired one answers 410,
 * as a small page for browsers and as JSON otherwise. Nothing is cached and no
 * referrer is sent on, so the link does not travel to the file's host.
 */
export function downloadRoutes(deps: Deps) {
  return new Hono()
    .use('*', async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
      c.header('Referrer-Policy', 'no-referrer');
    })
    .get('/:token', (c) => {
      const target = resolveDownloadLink(deps.db, c.req.param('token'), deps.clock.now());
      if (target) return c.redirect(target, 302);
      if (c.req.header('accept')?.includes('text/html')) return c.html(expiredPage, 410);
      return c.json(errorBody('link_expired', EXPIRED_MESSAGE), 410);
    });
}
