import { jsPDF } from 'jspdf';
import { translator } from '../i18n';
import { taxBreakdown, type PdfDocument, type PdfDocumentKind, type PdfLine } from './document';
import { FONT_FAMILY, useNotoSans } from './fonts';
import { formatsFor, type Formats } from './format';

/** Page geometry in millimetres. */
const MARGIN = 18;
const FOOTER_SPACE = 22;
const GREY = 110;

interface Page {
  doc: jsPDF;
  width: number;
  height: number;
  /** The usable width between the margins. */
  inner: number;
}

/** A table column: its width (mm) and whether it is right-aligned. */
interface Column {
  key: string;
  width: number;
  right: boolean;
}

/** What differs between the kinds of document: their strings, and the sign of their amounts. */
const kinds: Record<PdfDocumentKind, { title: string; number: string; issueDate: string; sign: '' | '−' }> = {
  invoice: { title: 'pdf.invoice', number: 'pdf.number', issueDate: 'pdf.issueDate', sign: '' },
  credit_note: { title: 'pdf.creditNote', number: 'pdf.creditNoteNumber', issueDate: 'pdf.creditNoteDate', sign: '−' },
};

/**
 * Renders a document — an invoice or a credit note, one layout for both — to PDF
 * bytes: seller and logo, title, number and dates, the buyer, the lines (breaking
 * onto more pages, with the table header repeated), totals with tax per rate,
 * payment, notes, a link, and the seller's footer with page numbers on every page.
 * Labels come from the `pdf.*` strings of the document's language and kind;
 * amounts and dates are formatted with `Intl` in it, a credit note's amounts as
 * negative. Fonts: Noto Sans, embedded and subset.
 */
export function renderPdf(input: PdfDocument): Uint8Array<ArrayBuffer> {
  const doc = new jsPDF({ unit: 'mm', format: input.paper, compress: true });
  useNotoSans(doc);
  const { t } = translator(input.language);
  const kind = kinds[input.kind];
  const title = t(kind.title);
  doc.setProperties({ title: `${title} ${input.number}`, author: input.seller.name, creator: 'Account Portal' });
  doc.setLanguage(input.language === 'de' ? 'de-DE' : 'en-US');
  const page: Page = {
    doc,
    width: doc.internal.pageSize.getWidth(),
    height: doc.internal.pageSize.getHeight(),
    inner: 0,
  };
  page.inner = page.width - 2 * MARGIN;
  const formats = formatsFor(input.language, input.currency);
  // A credit note's amounts are what the customer is credited: printed as negative.
  const f: Formats = { ...formats, money: (minor) => (minor > 0 ? kind.sign : '') + formats.money(minor) };

  let y = drawHeader(page, input);
  y = drawFacts(page, { ...input, title }, f, t, y);
  y = drawLines(page, { ...input, title }, f, t, y + 8);
  y = drawTotals(page, input, f, t, y + 2);
  drawClosing(page, input, y + 6);
  drawFooters(page, input, t);
  return new Uint8Array(doc.output('arraybuffer'));
}

type T = (key: string, options?: Record<string, unknown>) => string;

function text(doc: jsPDF, size: number, style: 'normal' | 'bold' = 'normal', grey = false) {
  doc.setFont(FONT_FAMILY, style);
  doc.setFontSize(size);
  doc.setTextColor(grey ? GREY : 20);
}

/** Logo on the left, the seller on the right; returns the y below both. */
function drawHeader(page: Page, input: PdfDocument): number {
  const { doc } = page;
  let logoBottom = MARGIN;
  const logo = input.seller.logo;
  if (logo) {
    const scale = Math.min(50 / logo.width, 18 / logo.height);
    const w = logo.width * scale;
    const h = logo.height * scale;
    try {
      doc.addImage(logo.data, logo.format, MARGIN, MARGIN, w, h);
      logoBottom = MARGIN + h;
    } catch {
      // A logo jspdf cannot decode is left out rather than failing the document.
    }
  }
  const right = page.width - MARGIN;
  let y = MARGIN + 4;
  text(doc, 11, 'bold');
  doc.text(input.seller.name, right, y, { align: 'right' });
  text(doc, 8.5, 'normal', true);
  const details = [...input.seller.addressLines, input.seller.email].filter((l): l is string => Boolean(l));
  for (const line of details) {
    y += 4;
    doc.text(line, right, y, { align: 'right' });
  }
  return Math.max(logoBottom, y) + 10;
}

/** A document with its title in its language. */
type Titled = PdfDocument & { title: string };

/** Title, number, dates and references on the right; the buyer on the left. */
function drawFacts(page: Page, input: Titled, f: Formats, t: T, top: number): number {
  const { doc } = page;
  text(doc, 20, 'bold');
  doc.text(input.title, MARGIN, top + 4);
  let left = top + 4;
  if (input.revision > 1) {
    text(doc, 10, 'bold', true);
    doc.text(t('pdf.revision', { revision: input.revision }), MARGIN, left + 6);
    left += 6;
  }

  const facts: [string, string][] = [
    [t(kinds[input.kind].number), input.number],
    [t(kinds[input.kind].issueDate), f.date(input.issuedAt)],
  ];
  if (input.supply && 'date' in input.supply) facts.push([t('pdf.supplyDate'), f.date(input.supply.date)]);
  if (input.supply && 'start' in input.supply) {
    facts.push([t('pdf.servicePeriod'), `${f.date(input.supply.start)} – ${f.date(input.supply.end)}`]);
  }
  for (const reference of input.references) facts.push([reference.label, reference.value]);
  const labelX = page.width - MARGIN - 78;
  let right = top;
  for (const [label, value] of facts) {
    right += 5;
    text(doc, 8.5, 'normal', true);
    doc.text(label, labelX, right);
    text(doc, 8.5, 'bold');
    doc.text(value, page.width - MARGIN, right, { align: 'right' });
  }

  let y = left + 10;
  text(doc, 8, 'bold', true);
  doc.text(t('pdf.billTo').toUpperCase(), MARGIN, y);
  const { buyer } = input;
  const lines = [buyer.businessName, buyer.name, ...buyer.addressLines, buyer.email].filter((l): l is string =>
    Boolean(l),
  );
  lines.forEach((line, index) => {
    y += 4.6;
    text(doc, 9.5, index === 0 ? 'bold' : 'normal');
    doc.text(doc.splitTextToSize(line, 90)[0] as string, MARGIN, y);
  });
  text(doc, 8.5, 'normal', true);
  if (buyer.taxId) {
    y += 4.6;
    doc.text(`${t('pdf.taxId')}: ${buyer.taxId}`, MARGIN, y);
  }
  y += 4.6;
  doc.text(buyer.isBusiness ? t('pdf.businessPurchase') : t('pdf.privatePurchase'), MARGIN, y);
  return Math.max(y, right) + 2;
}

function columns(page: Page): Column[] {
  const fixed: Column[] = [
    { key: 'quantity', width: 13, right: true },
    { key: 'unitPrice', width: 23, right: true },
    { key: 'discount', width: 20, right: true },
    { key: 'taxRate', width: 20, right: true },
    { key: 'tax', width: 20, right: true },
    { key: 'total', width: 25, right: true },
  ];
  const used = fixed.reduce((sum, c) => sum + c.width, 0);
  return [{ key: 'description', width: page.inner - used, right: false }, ...fixed];
}

function drawTableHeader(page: Page, cols: Column[], t: T, y: number): number {
  const { doc } = page;
  doc.setFillColor(243, 244, 246);
  doc.rect(MARGIN, y - 4.5, page.inner, 7, 'F');
  text(doc, 8, 'bold');
  let x = MARGIN;
  for (const col of cols) {
    const label = t(`pdf.columns.${col.key}`);
    doc.text(label, col.right ? x + col.width - 1.5 : x + 1.5, y, { align: col.right ? 'right' : 'left' });
    x += col.width;
  }
  return y + 7;
}

function cells(line: PdfLine, f: Formats): Record<string, string> {
  return {
    quantity: line.quantity === null ? '–' : String(line.quantity),
    unitPrice: line.unitPrice === null ? '–' : f.money(line.unitPrice),
    discount: line.discount ? `−${f.money(line.discount)}` : '–',
    taxRate: line.taxRatePpm === null ? '–' : f.rate(line.taxRatePpm),
    tax: f.money(line.tax),
    total: f.money(line.total),
  };
}

/** The lines table; a line that does not fit starts a new page with the header again. */
function drawLines(page: Page, input: Titled, f: Formats, t: T, top: number): number {
  const { doc } = page;
  const cols = columns(page);
  let y = drawTableHeader(page, cols, t, top);
  for (const line of input.lines) {
    text(doc, 9);
    const description = doc.splitTextToSize(line.description, cols[0].width - 3) as string[];
    const period = line.period ? `${f.date(line.period.start)} – ${f.date(line.period.end)}` : null;
    const height = description.length * 4.2 + (period ? 3.8 : 0) + 3;
    if (y + height > page.height - FOOTER_SPACE - 4) {
      doc.addPage(input.paper);
      text(doc, 8.5, 'normal', true);
      doc.text(`${input.title} ${input.number}`, MARGIN, MARGIN);
      y = drawTableHeader(page, cols, t, MARGIN + 8);
    }
    text(doc, 9);
    doc.text(description, MARGIN + 1.5, y);
    if (period) {
      text(doc, 7.5, 'normal', true);
      doc.text(period, MARGIN + 1.5, y + description.length * 4.2 - 0.6);
    }
    text(doc, 9);
    const values = cells(line, f);
    let x = MARGIN + cols[0].width;
    for (const col of cols.slice(1)) {
      doc.text(values[col.key], x + col.width - 1.5, y, { align: 'right' });
      x += col.width;
    }
    y += height;
    doc.setDrawColor(229, 231, 235);
    doc.line(MARGIN, y - 3.2, page.width - MARGIN, y - 3.2);
  }
  return y;
}

/** Subtotal, discounts, tax per rate and the total, right-aligned. */
function drawTotals(page: Page, input: PdfDocument, f: Formats, t: T, top: number): number {
  const { doc } = page;
  const rows: [string, string, boolean][] = [[t('pdf.subtotal'), f.money(input.totals.subtotal), false]];
  if (input.totals.discount) rows.push([t('pdf.discounts'), `−${f.money(input.totals.discount)}`, false]);
  for (const group of taxBreakdown(input.lines)) {
    const label =
      group.ratePpm === null
        ? t('pdf.tax')
        : t('pdf.taxAtRate', { rate: f.rate(group.ratePpm), net: f.money(group.net) });
    rows.push([label, f.money(group.tax), false]);
  }
  rows.push([t('pdf.total', { currency: input.currency }), f.money(input.totals.total), true]);
  const needed = rows.length * 5.5 + 6;
  let y = top;
  if (y + needed > page.height - FOOTER_SPACE) {
    doc.addPage(input.paper);
    y = MARGIN + 4;
  }
  const right = page.width - MARGIN;
  const labelX = right - 85;
  for (const [label, value, strong] of rows) {
    y += strong ? 7 : 5.5;
    if (strong) {
      doc.setDrawColor(31, 41, 55);
      doc.line(labelX, y - 4.8, right, y - 4.8);
    }
    text(doc, strong ? 10.5 : 9, strong ? 'bold' : 'normal');
    doc.text(label, labelX, y);
    doc.text(value, right, y, { align: 'right' });
  }
  return y;
}

/** Payment, notes and the link to the order. */
function drawClosing(page: Page, input: PdfDocument, top: number): void {
  const { doc } = page;
  const paragraphs = [input.payment, ...input.notes].filter((p): p is string => Boolean(p));
  let y = top;
  const ensure = (height: number) => {
    if (y + height > page.height - FOOTER_SPACE) {
      doc.addPage(input.paper);
      y = MARGIN + 4;
    }
  };
  for (const paragraph of paragraphs) {
    text(doc, 9);
    const lines = doc.splitTextToSize(paragraph, page.inner) as string[];
    ensure(lines.length * 4.4 + 2);
    y += 5;
    doc.text(lines, MARGIN, y);
    y += (lines.length - 1) * 4.4;
  }
  if (input.link) {
    ensure(10);
    y += 7;
    text(doc, 9);
    doc.text(`${input.link.label}:`, MARGIN, y);
    y += 4.6;
    doc.setTextColor(37, 99, 235);
    doc.textWithLink(doc.splitTextToSize(input.link.url, page.inner)[0] as string, MARGIN, y, { url: input.link.url });
  }
}

/** The seller's legal line and footer text, and "Page n of m", at the foot of every page. */
function drawFooters(page: Page, input: PdfDocument, t: T): void {
  const { doc } = page;
  const { seller } = input;
  const legal = [
    seller.name,
    seller.vatId && `${t('pdf.vatId')}: ${seller.vatId}`,
    seller.registrationNumber && `${t('pdf.registrationNumber')}: ${seller.registrationNumber}`,
  ]
    .filter(Boolean)
    .join(' · ');
  const pages = doc.getNumberOfPages();
  for (let number = 1; number <= pages; number++) {
    doc.setPage(number);
    const base = page.height - FOOTER_SPACE + 6;
    doc.setDrawColor(229, 231, 235);
    doc.line(MARGIN, base - 4, page.width - MARGIN, base - 4);
    text(doc, 7.5, 'normal', true);
    doc.text(legal, MARGIN, base);
    doc.text(t('pdf.page', { page: number, pages }), page.width - MARGIN, base, { align: 'right' });
    if (seller.footer) {
      const lines = (doc.splitTextToSize(seller.footer.replace(/\s*\n\s*/g, ' · '), page.inner) as string[]).slice(
        0,
        3,
      );
      doc.text(lines, MARGIN, base + 4);
    }
  }
}
