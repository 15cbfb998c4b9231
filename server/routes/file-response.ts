import { z } from '@hono/zod-openapi';

/** A document to download: its bytes and the file name to offer it under. */
export interface DownloadFile {
  bytes: Uint8Array<ArrayBuffer>;
  fileName: string;
}

/** The OpenAPI description of a PDF answer. */
export const pdfResponse = (description: string) => ({
  description,
  headers: z.object({
    'Content-Disposition': z.string().openapi({ example: 'attachment; filename="Invoice-INV-2026-000042.pdf"' }),
  }),
  content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } },
});

/** The OpenAPI description of an XML answer. */
export const xmlResponse = (description: string) => ({
  description,
  headers: z.object({
    'Content-Disposition': z.string().openapi({ example: 'attachment; filename="Invoice-INV-2026-000042.xml"' }),
  }),
  content: { 'application/xml': { schema: z.string().openapi({ format: 'binary' }) } },
});

/** The OpenAPI description of an answer that is a PDF or an XML document, as the path asks. */
export const pdfOrXmlResponse = (description: string) => ({
  ...pdfResponse(description),
  content: { ...pdfResponse(description).content, ...xmlResponse(description).content },
});

/** The OpenAPI description of a JSON document answered as a download (a file to save, not to render). */
export const jsonFileResponse = (schema: z.ZodType, description: string, example: string) => ({
  description,
  headers: z.object({ 'Content-Disposition': z.string().openapi({ example: `attachment; filename="${example}"` }) }),
  content: { 'application/json': { schema } },
});

/** A file as a download of a type, its name in both plain and RFC 5987 form, never cached. */
export function downloadBody(
  file: DownloadFile,
  contentType: 'application/pdf' | 'application/xml' | 'application/json',
): Response {
  const ascii = file.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return new Response(file.bytes, {
    status: 200,
    headers: {
      'Content-Type': contentType,
      'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      'Content-Length': String(file.bytes.byteLength),
      'Cache-Control': 'private, no-store',
    },
  });
}

/** A PDF as a download. */
export const pdfBody = (pdf: DownloadFile) => downloadBody(pdf, 'application/pdf');

/** An XML document as a download. */
export const xmlBody = (xml: DownloadFile) => downloadBody(xml, 'application/xml');

/** A JSON document as a download. */
export const jsonFileBody = (json: DownloadFile) => downloadBody(json, 'application/json');
