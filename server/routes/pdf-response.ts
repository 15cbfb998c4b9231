import { z } from '@hono/zod-openapi';
import type { DocumentPdf } from '../services/orders';

/** The OpenAPI description of a PDF answer. */
export const pdfResponse = (description: string) => ({
  description,
  headers: z.object({
    'Content-Disposition': z.string().openapi({ example: 'attachment; filename="Invoice-INV-2026-000042.pdf"' }),
  }),
  content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } },
});

/** A PDF as a download, its file name in both plain and RFC 5987 form, never cached. */
export function pdfBody(pdf: DocumentPdf): Response {
  const ascii = pdf.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return new Response(pdf.bytes, {
    status: 200,
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(pdf.fileName)}`,
      'Content-Length': String(pdf.bytes.byteLength),
      'Cache-Control': 'private, no-store',
    },
  });
}
