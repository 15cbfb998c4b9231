/** Documents as PDF: a generic document model, its renderer, the fonts and the logo loader. */
import type { PdfDocument } from './document';

export {
  taxBreakdown,
  type PdfBuyer,
  type PdfDocument,
  type PdfDocumentKind,
  type PdfImage,
  type PdfLine,
  type PdfSeller,
} from './document';
export { formatsFor, type Formats } from './format';
export { clearLogoCache, imageOf, loadLogo } from './logo';

/**
 * Renders a document to PDF bytes (render.ts). The renderer — jsPDF with its image
 * codecs, the bidi algorithm, the font subsetter — loads the first time a document is
 * rendered (about 7 MB of heap), so a server that never renders a PDF (or not yet)
 * does not hold it.
 */
export async function renderPdf(document: PdfDocument): Promise<Uint8Array<ArrayBuffer>> {
  return (await import('./render')).renderPdf(document);
}
