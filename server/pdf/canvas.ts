import { jsPDF } from 'jspdf';
import type { PdfImage } from './document';
import { fontOf, type Face, type FontStyle } from './fonts';
import { copyableArabic, embedAsItIs, useNativeFlate, withoutTextRewriting } from './jspdf-hooks';
import { measure, setLine, type Direction, type FaceChoice, type Run } from './text';

/** Millimetres per point: font sizes are in points, the page in millimetres. */
const MM_PER_PT = 25.4 / 72;
/** Page sizes in points, as jspdf has them. */
const PAPER = { a4: [595.28, 841.89], letter: [612, 792] } as const;

type Rgb = readonly [number, number, number];
/** A grey level (0–255) or a colour. */
export type Colour = number | Rgb;
const rgb = (c: Colour): Rgb => (typeof c === 'number' ? [c, c, c] : c);

type Op =
  | { kind: 'text'; page: number; x: number; y: number; size: number; style: FontStyle; colour: Rgb; runs: Run[] }
  | { kind: 'line'; page: number; x1: number; y1: number; x2: number; y2: number; colour: Rgb }
  | { kind: 'rect'; page: number; x: number; y: number; w: number; h: number; colour: Rgb }
  | { kind: 'image'; page: number; image: PdfImage; x: number; y: number; w: number; h: number }
  | { kind: 'link'; page: number; x: number; y: number; w: number; h: number; url: string };

export interface TextOptions {
  /** Which edge of the text `x` is: its start (left in left-to-right documents, right in right-to-left ones) or end. */
  align?: 'start' | 'end';
  /** The paragraph direction: the document's by default; `auto` for data (names, descriptions) that carry their own. */
  direction?: Direction;
  /** Makes the text a link. */
  url?: string;
}

/**
 * A page-by-page drawing of a document in logical coordinates — x runs from the
 * start edge (the left in left-to-right documents, the right in right-to-left ones),
 * so one layout serves both directions and comes out mirrored for Arabic and Hebrew.
 * Drawing is recorded, and `toPdf()` writes it with jspdf once every character is
 * known: each face then embeds a subset of exactly the glyphs the document uses.
 */
export class Canvas {
  readonly width: number;
  readonly height: number;
  private readonly ops: Op[] = [];
  private readonly rtl: boolean;
  private page = 1;
  private pages = 1;
  private size = 10;
  private colour: Rgb = [20, 20, 20];
  private choice: FaceChoice;

  constructor(
    private readonly setup: {
      paper: 'a4' | 'letter';
      direction: 'ltr' | 'rtl';
      han: Face;
      fallback: Face | undefined;
    },
  ) {
    [this.width, this.height] = PAPER[setup.paper].map((pt) => pt * MM_PER_PT);
    this.rtl = setup.direction === 'rtl';
    this.choice = { style: 'normal', han: setup.han, fallback: setup.fallback };
  }

  /** The number of pages so far. */
  get pageCount(): number {
    return this.pages;
  }

  /** Sets the size (points), weight and colour of the text drawn next. */
  font(size: number, style: FontStyle = 'normal', colour: Colour = 20): void {
    this.size = size;
    this.colour = rgb(colour);
    if (style !== this.choice.style) this.choice = { ...this.choice, style };
  }

  /** The width of a text in the current font, in millimetres. */
  measure(text: string): number {
    return measure(text, this.choice) * this.size * MM_PER_PT;
  }

  /**
   * Breaks a text into lines no wider than `maxWidth`: at spaces, between CJK
   * characters (not before closing punctuation), at newlines, and inside a word
   * that is wider than a line on its own. Lines are in logical order.
   */
  wrap(text: string, maxWidth: number): string[] {
    const lines: string[] = [];
    for (const paragraph of text.split('\n')) {
      let line = '';
      let width = 0;
      for (let piece of paragraph.match(BREAKS) ?? ['']) {
        const inked = this.measure(piece.trimEnd());
        if (line.trim() && width + inked > maxWidth) {
          lines.push(line.trimEnd());
          [line, width, piece] = ['', 0, piece.trimStart()];
        }
        if (!line && inked > maxWidth) {
          for (const char of piece) {
            const w = this.measure(char);
            if (line && width + w > maxWidth) {
              lines.push(line);
              [line, width] = ['', 0];
            }
            [line, width] = [line + char, width + w];
          }
          continue;
        }
        [line, width] = [line + piece, width + this.measure(piece)];
      }
      lines.push(line.trimEnd());
    }
    return lines;
  }

  /** Draws one line of text with its baseline at `y`; returns its width. */
  text(text: string, x: number, y: number, options: TextOptions = {}): number {
    const set = setLine(text, options.direction ?? this.setup.direction, this.choice);
    const width = set.width * this.size * MM_PER_PT;
    const anchor = this.x(x);
    const left = (options.align === 'end') !== this.rtl ? anchor - width : anchor;
    const { page, size, colour } = this;
    this.ops.push({ kind: 'text', page, x: left, y, size, style: this.choice.style, colour, runs: set.runs });
    if (options.url) {
      const h = size * MM_PER_PT;
      this.ops.push({ kind: 'link', page, x: left, y: y - h * 0.8, w: width, h, url: options.url });
    }
    return width;
  }

  /** A hairline from (x1, y1) to (x2, y2). */
  line(x1: number, y1: number, x2: number, y2: number, colour: Colour): void {
    this.ops.push({ kind: 'line', page: this.page, x1: this.x(x1), y1, x2: this.x(x2), y2, colour: rgb(colour) });
  }

  /** A filled rectangle whose start edge is at `x`. */
  rect(x: number, y: number, w: number, h: number, colour: Colour): void {
    this.ops.push({ kind: 'rect', page: this.page, x: this.left(x, w), y, w, h, colour: rgb(colour) });
  }

  /** An image whose start edge is at `x`. */
  image(image: PdfImage, x: number, y: number, w: number, h: number): void {
    this.ops.push({ kind: 'image', page: this.page, image, x: this.left(x, w), y, w, h });
  }

  /** Starts a new page and draws on it. */
  addPage(): void {
    this.page = ++this.pages;
  }

  /** Draws on an earlier page. */
  setPage(page: number): void {
    this.page = page;
  }

  /** Writes the drawing as a PDF, with a subset of each face it uses embedded. */
  toPdf(meta: { title: string; author: string; language: string }): Uint8Array<ArrayBuffer> {
    useNativeFlate();
    const doc = new jsPDF({ unit: 'mm', format: this.setup.paper, compress: true });
    withoutTextRewriting(doc);
    doc.setProperties({ title: meta.title, author: meta.author, creator: 'Account Portal' });
    doc.setLanguage(meta.language as Parameters<jsPDF['setLanguage']>[0]);
    const fonts = this.embedFonts(doc);
    for (let page = 2; page <= this.pages; page++) doc.addPage(this.setup.paper);
    let page = this.pages;
    for (const op of this.ops) {
      if (op.page !== page) doc.setPage((page = op.page));
      draw(doc, op, fonts);
    }
    for (const [key, name] of fonts) {
      const [face, style] = key.split(':');
      if (face === 'NotoSansArabic') copyableArabic(doc, name, style);
    }
    return new Uint8Array(doc.output('arraybuffer'));
  }

  /**
   * Embeds a subset of each face and style the drawing uses, named as PDF wants a
   * subset named: a tag of six capitals derived from its characters, `+`, the font's
   * name (`KQWJMB+NotoSansJP-Bold`). Returns the names by `face:style`.
   */
  private embedFonts(doc: jsPDF): Map<string, string> {
    const used = new Map<string, Set<number>>();
    for (const op of this.ops) {
      if (op.kind !== 'text') continue;
      for (const run of op.runs) {
        const key = `${run.face}:${op.style}`;
        let codes = used.get(key);
        if (!codes) used.set(key, (codes = new Set()));
        for (let i = 0; i < run.text.length; i++) codes.add(run.text.charCodeAt(i));
      }
    }
    const names = new Map<string, string>();
    for (const [key, codes] of used) {
      const [face, style] = key.split(':') as [Face, FontStyle];
      const name = `${subsetTag(key, codes)}+${face}${style === 'bold' ? '-Bold' : ''}`;
      const subset = fontOf(face, style).subset(codes);
      doc.addFileToVFS(`${name}.ttf`, Buffer.from(subset).toString('latin1'));
      doc.addFont(`${name}.ttf`, name, style, 'Identity-H');
      embedAsItIs(doc, name, style, subset);
      names.set(key, name);
    }
    return names;
  }

  /** The physical x of a logical one. */
  private x(x: number): number {
    return this.rtl ? this.width - x : x;
  }

  /** The physical left edge of a box whose start edge is at logical `x`. */
  private left(x: number, w: number): number {
    return this.rtl ? this.width - x - w : x;
  }
}

const CJK = '\\u2e80-\\u9fff\\uac00-\\ud7af\\uf900-\\ufaff\\uff00-\\uffef';
const CLOSING = '\\u3001\\u3002\\u300d\\u300f\\u3011\\uff09\\uff01\\uff0c\\uff0e\\uff1a\\uff1b\\uff1f';
/** Pieces of a paragraph between the places a line may break, each with the spaces after it. */
const BREAKS = new RegExp(`[${CJK}][${CLOSING}]*\\s*|[^\\s${CJK}]+\\s*|\\s+`, 'g');

/** Six capitals from a hash (FNV-1a) of a subset's face and characters. */
function subsetTag(key: string, codes: Set<number>): string {
  let hash = 0x811c9dc5;
  for (const code of [...key].map((c) => c.charCodeAt(0)).concat([...codes].sort((a, b) => a - b))) {
    hash = Math.imul(hash ^ code, 0x01000193) >>> 0;
  }
  let tag = '';
  for (let i = 0; i < 6; i++, hash = Math.floor(hash / 26)) tag += String.fromCharCode(65 + (hash % 26));
  return tag;
}

function draw(doc: jsPDF, op: Op, fonts: Map<string, string>): void {
  switch (op.kind) {
    case 'text': {
      doc.setFontSize(op.size);
      doc.setTextColor(...op.colour);
      let x = op.x;
      for (const run of op.runs) {
        if (run.text.trim()) {
          doc.setFont(fonts.get(`${run.face}:${op.style}`)!, op.style);
          doc.text(run.text, x, op.y);
        }
        x += run.width * op.size * MM_PER_PT;
      }
      return;
    }
    case 'line':
      doc.setDrawColor(...op.colour);
      doc.line(op.x1, op.y1, op.x2, op.y2);
      return;
    case 'rect':
      doc.setFillColor(...op.colour);
      doc.rect(op.x, op.y, op.w, op.h, 'F');
      return;
    case 'image':
      try {
        doc.addImage(op.image.data, op.image.format, op.x, op.y, op.w, op.h);
      } catch {
        // A logo jspdf cannot decode is left out rather than failing the document.
      }
      return;
    case 'link':
      doc.link(op.x, op.y, op.w, op.h, { url: op.url });
      return;
  }
}
