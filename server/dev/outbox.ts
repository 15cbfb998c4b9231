import { mapInOrder } from '../lib/in-order';
import { Hono, type Context } from 'hono';
import { errors } from '../contract';
import type { Deps } from '../deps';
import { findOutboxAttachment, findOutboxEmail, linksIn, listOutboxEmails, outboxAttachments } from '../email/outbox';
import { problem } from '../lib/errors';
import { outboxEmailPage, outboxListPage } from './outbox-pages';
import { messages, requestLanguage, type Language } from '../i18n';

/** The pages' own policy: no scripts at all; inline styles, and frames from this server only. */
const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; frame-src 'self'; " +
  "base-uri 'none'; form-action 'none'";

/**
 * An email's HTML body is the portal's own output, but it is still shown sandboxed:
 * an opaque origin with no scripts, whatever it contains.
 */
const BODY_CSP =
  "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; " +
  "style-src 'unsafe-inline'; img-src https: data:; base-uri 'none'; form-action 'none'";

/**
 * The local outbox for developers (mounted at `/dev` outside production, and only
 * while the server listens on loopback):
 * `GET /outbox` lists the emails newest first with their links clickable,
 * `GET /outbox/:id` shows one, `GET /outbox/:id/html` its HTML body alone,
 * `GET /outbox/:id/attachments/:attachmentId` one of its attachments, and
 * `GET /outbox.json` returns them as JSON (`?to=` filters by recipient). The pages
 * carry sign-in links, so they are never cached nor leaked through a referrer.
 */
export function devOutboxRoutes(deps: Pick<Deps, 'db'>) {
  return new Hono()
    .use('*', async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
      c.header('Referrer-Policy', 'no-referrer');
      c.header('X-Robots-Tag', 'noindex');
      if (!c.res.headers.has('Content-Security-Policy')) c.header('Content-Security-Policy', PAGE_CSP);
    })
    .get('/outbox', async (c) =>
      c.html(outboxListPage(await listOutboxEmails(deps.db), c.req.path.replace(/\/$/, ''), pageLanguage(c))),
    )
    .get('/outbox.json', async (c) => {
      const rows = await listOutboxEmails(deps.db, { to: c.req.query('to') });
      return c.json(
        await mapInOrder(rows, async (row) => ({
          id: row.id,
          to: row.toAddress,
          subject: row.subject,
          text: row.textBody,
          html: row.htmlBody,
          createdAt: row.createdAt.toISOString(),
          kind: row.kind,
          status: row.status,
          storeId: row.storeId,
          language: row.language,
          links: linksIn(row.textBody),
          attachments: (await outboxAttachments(deps.db, row.id)).map(({ id, name, contentType, size }) => ({
            id,
            name,
            contentType,
            size,
          })),
        })),
      );
    })
    .get('/outbox/:id', async (c) => {
      const row = await findOutboxEmail(deps.db, c.req.param('id'));
      const language = pageLanguage(c);
      if (!row) {
        const notFound = messages(language).pages.outbox.notFound;
        return c.html(`<!doctype html><html lang="${language}"><title>${notFound}</title><p>${notFound}</p>`, 404);
      }
      const basePath = c.req.path.slice(0, c.req.path.lastIndexOf('/'));
      return c.html(
        outboxEmailPage(row, basePath, `${c.req.path}/html`, await outboxAttachments(deps.db, row.id), language),
      );
    })
    .get('/outbox/:id/attachments/:attachmentId', async (c) => {
      const file = await findOutboxAttachment(deps.db, c.req.param('id'), c.req.param('attachmentId'));
      if (!file) return c.text('There is no such attachment (or its content was cleared after sending).', 404);
      // Shown by the browser's own viewer (PDF) or downloaded; never run as a page of this origin.
      c.header('Content-Security-Policy', BODY_CSP);
      c.header('Content-Disposition', `inline; filename="${file.name.replace(/["\\\r\n]/g, '_')}"`);
      c.header('X-Content-Type-Options', 'nosniff');
      return c.body(new Uint8Array(file.content), 200, { 'Content-Type': file.contentType });
    })
    .get('/outbox/:id/html', async (c) => {
      const row = await findOutboxEmail(deps.db, c.req.param('id'));
      if (!row?.htmlBody) return c.text('There is no HTML body for that id.', 404);
      c.header('Content-Security-Policy', BODY_CSP);
      return c.html(row.htmlBody);
    });
}

/** The outbox's own words follow `?lang=`, then the browser. */
const pageLanguage = (c: Context): Language => requestLanguage(c.req.query('lang'), c.req.header('accept-language'));

/** Why the outbox is not served, in the refusal and in the start-up log line. */
export const OUTBOX_REFUSED = errors.dev_outbox_not_served.message;

/**
 * Stands in for the outbox when other machines can reach the server (HOST is not a
 * loopback address): every `/dev` path answers 403 and says why.
 */
export function refusedOutboxRoutes() {
  return new Hono().all('*', () => {
    throw problem('dev_outbox_not_served');
  });
}
