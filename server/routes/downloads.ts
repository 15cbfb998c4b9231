import { Hono, type Context } from 'hono';
import type { Deps } from '../deps';
import { errors, type ErrorCode } from '../contract';
import { DomainError, errorBody } from '../lib/errors';
import { escapeHtml } from '../lib/html';
import { fetchPrivateDownload, openDownloadLink } from '../services/orders';

const page = (title: string, message: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2937}</style>
</head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`;

/** A small page for browsers, the JSON error shape for everything else. */
function problem(c: Context, status: 410 | 502, code: ErrorCode, title: string, message: string) {
  if (c.req.header('accept')?.includes('text/html')) return c.html(page(title, message), status);
  return c.json(errorBody(code, message), status);
}

/**
 * Download links (`GET /downloads/{token}`), public and outside the Portal API. A
 * live link either redirects to the file's URL signed to expire with the link
 * (`signed` delivery), or streams the file from the merchant's server without
 * revealing where it came from (`private`). An unknown or expired link answers
 * 410 `link_expired`, a withdrawn download 410 `download_revoked`: a small page
 * for browsers, JSON otherwise. Nothing is cached and no referrer is sent on, so
 * the link does not travel to the file's host.
 */
export function downloadRoutes(deps: Deps) {
  return new Hono()
    .use('*', async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
      c.header('Referrer-Policy', 'no-referrer');
    })
    .get('/:token', async (c) => {
      try {
        const target = await openDownloadLink(deps, c.req.param('token'));
        if (!target) return problem(c, 410, 'link_expired', 'Link expired', errors.link_expired.message);
        if (target.delivery === 'signed') return c.redirect(target.url, 302);
        return await fetchPrivateDownload(deps, target, {
          range: c.req.header('range'),
          ifRange: c.req.header('if-range'),
        });
      } catch (error) {
        if (error instanceof DomainError && (error.status === 410 || error.status === 502)) {
          return problem(
            c,
            error.status,
            error.code,
            error.status === 410 ? 'Download withdrawn' : 'Try again later',
            error.message,
          );
        }
        throw error;
      }
    });
}
