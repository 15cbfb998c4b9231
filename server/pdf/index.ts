/** Documents as PDF: a generic document model, its renderer, the fonts and the logo loader. */
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
export { renderPdf } from './render';
