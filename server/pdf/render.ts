import { directionOf } from '../contract/languages';
import { translator } from '../i18n';
import { Canvas, type Colour } from './canvas';
import { taxBreakdown, type PdfDocument, type PdfDocumentKind, type PdfLine } from './document';
import { hanFace, languageFace, type FontStyle } from './fonts';
import { formatsFor, type Formats } from './format';

/** Page geometry in millimetres; x is measured from the start edge (the right one in Arabic and Hebrew). */
const MARGIN = 18;
const FOOTER_SPACE = 22;
const GREY = 110;
const INK = 20;

interface Page {
  canvas: Canvas;
  width: number;
  height: number;
  /** The usable width between the margins. */
  inner: number;
  /** The edge opposite the start margin: where end-aligned text ends. */
  end: number;
}

/** A table column: its width (mm) and whether its cells align to its end edge (numbers). */
interface Column {
  key: string;
  width: number;
  end: boolean;
}

/** What differs between the kinds of document: their strings, and the sign of their amounts. */
const kinds: Record<PdfDocumentKind, { title: string; number: string; issueDate: string; negative: boolean }> = {
  invoice: { title: 'pdf.invoice', number: 'pdf.number', issueDate: 'pdf.issueDate', negative: false },
  credit_note: {
    title: 'pdf.creditNote',
    number: 'pdf.creditNoteNumber',
    issueDate: 'pdf.creditNoteDate',
    negative: true,
  },
};

/** A document with its title in its language. */
type Titled = PdfDocument & { title: string };

/**
 * Renders a document — an invoice or a credit note, one layout for both — to PDF
 * bytes: seller and logo, title, number and dates, the buyer, the lines (breaking
 * onto more pages, with the table header repeated), totals with tax per rate,
 * payment, notes, a link, and the seller's footer with page numbers on every page.
 * Labels come from the `pdf.*` strings of the document's language and kind;
 * amounts and dates are formatted with `Intl` in it, a credit note's amounts as
 * negative. Arabic and Hebrew documents are laid out mirrored. Fonts: the Noto
 * Sans faces the document's characters need, each embedded as a subset.
 */
export function renderPdf(document: PdfDocument): Uint8Array<ArrayBuffer> {
  const { t } = translator(document.language);
  const kind = kinds[document.kind];
  const input: Titled = { ...document, title: t(kind.title) };
  const canvas = new Canvas({
    paper: input.paper,
    direction: directionOf(input.language),
    han: hanFace(input.language, dataOf(input)),
    fallback: languageFace(input.language),
  });
  const page: Page = {
    canvas,
    width: canvas.width,
    height: canvas.height,
    inner: canvas.width - 2 * MARGIN,
    end: canvas.width - MARGIN,
  };
  const formats = formatsFor(input.language, input.currency);
  // A credit note's amounts are what the customer is credited: negative, as Intl writes them in the language.
  const f: Formats = { ...formats, money: (minor) => formats.money(kind.negative && minor !== 0 ? -minor : minor) };

  let y = drawHeader(page, input);
  y = drawFacts(page, input, f, t, y);
  y = drawLines(page, input, f, t, y + 8);
  y = drawTotals(page, input, f, t, y + 2);
  drawClosing(page, input, y + 6);
  drawFooters(page, input, t);
  return canvas.toPdf({
    title: `${input.title} ${input.number}`,
    author: input.seller.name,
    language: input.language,
  });
}

type T = (key: string, options?: Record<string, unknown>) => string;

/** The texts a document's data brings (names, addresses, descriptions), to pick the CJK face by. */
function dataOf(input: PdfDocument): string {
  const { seller, buyer } = input;
  return [
    seller.name,
    ...seller.addressLines,
    seller.footer,
    buyer.name,
    buyer.businessName,
    ...buyer.addressLines,
    ...input.lines.map((l) => l.description),
    ...input.notes,
  ].join(' ');
}

function font(page: Page, size: number, style: FontStyle = 'normal', grey = false, colour?: Colour) {
  page.canvas.font(size, style, colour ?? (grey ? GREY : INK));
}

/** Logo at the start, the seller at the end; returns the y below both. */
function drawHeader(page: Page, input: PdfDocument): number {
  const { canvas } = page;
  let logoBottom = MARGIN;
  const logo = input.seller.logo;
  if (logo) {
    const scale = Math.min(50 / logo.width, 18 / logo.height);
    canvas.image(logo, MARGIN, MARGIN, logo.width * scale, logo.height * scale);
    logoBottom = MARGIN + logo.height * scale;
  }
  let y = MARGIN + 4;
  font(page, 11, 'bold');
  canvas.text(input.seller.name, page.end, y, { align: 'end', direction: 'auto' });
  font(page, 8.5, 'normal', true);
  const details = [...input.seller.addressLines, input.seller.email].filter((l): l is string => Boolean(l));
  for (const line of details) {
    y += 4;
    canvas.text(line, page.end, y, { align: 'end', direction: 'auto' });
  }
  return Math.max(logoBottom, y) + 10;
}

/** Title and the buyer at the start; number, dates and references at the end. */
function drawFacts(page: Page, input: Titled, f: Formats, t: T, top: number): number {
  const { canvas } = page;
  font(page, 20, 'bold');
  canvas.text(input.title, MARGIN, top + 4);
  let left = top + 4;
  if (input.revision > 1) {
    font(page, 10, 'bold', true);
    canvas.text(t('pdf.revision', { revision: input.revision }), MARGIN, left + 6);
    left += 6;
  }

  // [label, value, whether the value is data that carries its own direction]
  const facts: [string, string, boolean][] = [
    [t(kinds[input.kind].number), input.number, true],
    [t(kinds[input.kind].issueDate), f.date(input.issuedAt), false],
  ];
  if (input.supply && 'date' in input.supply) facts.push([t('pdf.supplyDate'), f.date(input.supply.date), false]);
  if (input.supply && 'start' in input.supply) {
    facts.push([t('pdf.servicePeriod'), `${f.date(input.supply.start)} – ${f.date(input.supply.end)}`, false]);
  }
  for (const reference of input.references) facts.push([reference.label, reference.value, true]);
  const labelX = page.end - 78;
  let right = top;
  for (const [label, value, data] of facts) {
    right += 5;
    font(page, 8.5, 'normal', true);
    const labelWidth = canvas.text(label, labelX, right);
    font(page, 8.5, 'bold');
    // A value that would run into its label (a service period under a long label) goes on the next line.
    if (labelWidth + 3 + canvas.measure(value) > 78) right += 4;
    canvas.text(value, page.end, right, { align: 'end', direction: data ? 'auto' : undefined });
  }

  let y = left + 10;
  font(page, 8, 'bold', true);
  canvas.text(t('pdf.billTo').toLocaleUpperCase(input.language), MARGIN, y);
  const { buyer } = input;
  const lines = [buyer.businessName, buyer.name, ...buyer.addressLines, buyer.email].filter((l): l is string =>
    Boolean(l),
  );
  lines.forEach((line, index) => {
    y += 4.6;
    font(page, 9.5, index === 0 ? 'bold' : 'normal');
    canvas.text(canvas.wrap(line, 90)[0], MARGIN, y, { direction: 'auto' });
  });
  font(page, 8.5, 'normal', true);
  if (buyer.taxId) {
    y += 4.6;
    canvas.text(`${t('pdf.taxId')}: ${buyer.taxId}`, MARGIN, y);
  }
  y += 4.6;
  canvas.text(buyer.isBusiness ? t('pdf.businessPurchase') : t('pdf.privatePurchase'), MARGIN, y);
  return Math.max(y, right) + 2;
}

function columns(page: Page): Column[] {
  const fixed: Column[] = [
    { key: 'quantity', width: 13, end: true },
    { key: 'unitPrice', width: 23, end: true },
    { key: 'discount', width: 20, end: true },
    { key: 'taxRate', width: 20, end: true },
    { key: 'tax', width: 20, end: true },
    { key: 'total', width: 25, end: true },
  ];
  const used = fixed.reduce((sum, c) => sum + c.width, 0);
  return [{ key: 'description', width: page.inner - used, end: false }, ...fixed];
}

/**
 * The table header: each label in its column, on more lines when it is wider (at
 * spaces, or between CJK characters), in a smaller size when one word is wider.
 */
function drawTableHeader(page: Page, cols: Column[], t: T, y: number): number {
  const { canvas } = page;
  const labels = cols.map((col) => fitted(page, t(`pdf.columns.${col.key}`), col.width - 3, 8));
  const lines = Math.max(...labels.map((label) => label.lines.length));
  const height = 7 + (lines - 1) * HEADER_LINE;
  canvas.rect(MARGIN, y - 4.5, page.inner, height, [243, 244, 246]);
  let x = MARGIN;
  cols.forEach((col, i) => {
    font(page, labels[i].size, 'bold');
    labels[i].lines.forEach((line, j) =>
      canvas.text(line, col.end ? x + col.width - 1.5 : x + 1.5, y + j * HEADER_LINE, {
        align: col.end ? 'end' : 'start',
      }),
    );
    x += col.width;
  });
  return y + height;
}

const HEADER_LINE = 3.3;

/** A bold label broken into lines of at most `width`, its size lowered (to 6 pt at least) until its widest word fits. */
function fitted(page: Page, label: string, width: number, size: number): { lines: string[]; size: number } {
  const words = label.split(/\s+/);
  for (; size > 6; size -= 0.5) {
    font(page, size, 'bold');
    if (words.every((word) => page.canvas.measure(word) <= width)) break;
  }
  font(page, size, 'bold');
  return { lines: page.canvas.wrap(label, width), size };
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
  const { canvas } = page;
  const cols = columns(page);
  let y = drawTableHeader(page, cols, t, top);
  for (const line of input.lines) {
    font(page, 9);
    const description = canvas.wrap(line.description, cols[0].width - 3);
    const period = line.period ? `${f.date(line.period.start)} – ${f.date(line.period.end)}` : null;
    const height = description.length * 4.2 + (period ? 3.8 : 0) + 3;
    if (y + height > page.height - FOOTER_SPACE - 4) {
      canvas.addPage();
      font(page, 8.5, 'normal', true);
      canvas.text(`${input.title} ${input.number}`, MARGIN, MARGIN);
      y = drawTableHeader(page, cols, t, MARGIN + 8);
    }
    font(page, 9);
    description.forEach((text, i) => canvas.text(text, MARGIN + 1.5, y + i * 4.2, { direction: 'auto' }));
    if (period) {
      font(page, 7.5, 'normal', true);
      canvas.text(period, MARGIN + 1.5, y + description.length * 4.2 - 0.6);
    }
    font(page, 9);
    const values = cells(line, f);
    let x = MARGIN + cols[0].width;
    for (const col of cols.slice(1)) {
      canvas.text(values[col.key], x + col.width - 1.5, y, { align: 'end' });
      x += col.width;
    }
    y += height;
    canvas.line(MARGIN, y - 3.2, page.end, y - 3.2, [229, 231, 235]);
  }
  return y;
}

/** Subtotal, discounts, tax per rate and the total, at the end edge. */
function drawTotals(page: Page, input: PdfDocument, f: Formats, t: T, top: number): number {
  const { canvas } = page;
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
    canvas.addPage();
    y = MARGIN + 4;
  }
  const labelX = page.end - 85;
  for (const [label, value, strong] of rows) {
    y += strong ? 7 : 5.5;
    if (strong) canvas.line(labelX, y - 4.8, page.end, y - 4.8, [31, 41, 55]);
    font(page, strong ? 10.5 : 9, strong ? 'bold' : 'normal');
    canvas.text(label, labelX, y);
    canvas.text(value, page.end, y, { align: 'end' });
  }
  return y;
}

/** Payment, notes and the link to the order. */
function drawClosing(page: Page, input: PdfDocument, top: number): void {
  const { canvas } = page;
  const paragraphs = [input.payment, ...input.notes].filter((p): p is string => Boolean(p));
  let y = top;
  const ensure = (height: number) => {
    if (y + height > page.height - FOOTER_SPACE) {
      canvas.addPage();
      y = MARGIN + 4;
    }
  };
  for (const paragraph of paragraphs) {
    font(page, 9);
    const lines = canvas.wrap(paragraph, page.inner);
    ensure(lines.length * 4.4 + 2);
    y += 5;
    lines.forEach((line, i) => canvas.text(line, MARGIN, y + i * 4.4));
    y += (lines.length - 1) * 4.4;
  }
  if (input.link) {
    ensure(10);
    y += 7;
    font(page, 9);
    canvas.text(`${input.link.label}:`, MARGIN, y);
    y += 4.6;
    font(page, 9, 'normal', false, [37, 99, 235]);
    const url = canvas.wrap(input.link.url, page.inner)[0];
    canvas.text(url, MARGIN, y, { direction: 'ltr', url: input.link.url });
  }
}

/** The seller's legal line and footer text, and "Page n of m", at the foot of every page. */
function drawFooters(page: Page, input: PdfDocument, t: T): void {
  const { canvas } = page;
  const { seller } = input;
  const legal = [
    seller.name,
    seller.vatId && `${t('pdf.vatId')}: ${seller.vatId}`,
    seller.registrationNumber && `${t('pdf.registrationNumber')}: ${seller.registrationNumber}`,
  ]
    .filter(Boolean)
    .join(' · ');
  const pages = canvas.pageCount;
  for (let number = 1; number <= pages; number++) {
    canvas.setPage(number);
    const base = page.height - FOOTER_SPACE + 6;
    canvas.line(MARGIN, base - 4, page.end, base - 4, [229, 231, 235]);
    font(page, 7.5, 'normal', true);
    canvas.text(legal, MARGIN, base);
    canvas.text(t('pdf.page', { page: number, pages }), page.end, base, { align: 'end' });
    if (seller.footer) {
      const lines = canvas.wrap(seller.footer.replace(/\s*\n\s*/g, ' · '), page.inner).slice(0, 3);
      lines.forEach((line, i) => canvas.text(line, MARGIN, base + 4 + i * 3.3, { direction: 'auto' }));
    }
  }
}
