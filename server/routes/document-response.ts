import type { Context } from 'hono';
import type { EmailAttachment } from '../email/mailer';

/** A document download: inline (the browser's viewer), named, never sniffed as anything else. */
export function documentResponse(c: Context, file: EmailAttachment) {
  c.header('Content-Disposition', `inline; filename="${file.name.replace(/[^\w.-]/g, '_')}"`);
  c.header('X-Content-Type-Options', 'nosniff');
  return c.body(new Uint8Array(file.content), 200, { 'Content-Type': file.contentType });
}
