import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext, TestStore } from './app';

/** Complete seller details for a store in Germany. */
export const northwindSeller = {
  legalName: 'Northwind Software GmbH',
  addressLine1: 'Friedrichstraße 68',
  city: 'Berlin',
  postalCode: '10117',
  country: 'DE',
  vatId: 'DE123456789',
  registrationNumber: 'HRB 123456 B',
  email: 'billing@northwind.example',
  footer: 'IBAN DE89 3704 0044 0532 0130 00 · BIC COBADEFFXXX\nThank you for your order!',
};

/** Sets a store's seller details through the Server API. */
export async function setSeller(t: TestContext, seller: Record<string, unknown> = northwindSeller, store?: TestStore) {
  const response = await t.api('PUT', '/api/store/seller', seller, { store });
  if (response.status !== 200) throw new Error(`seller: ${response.status} ${await response.text()}`);
  return response.json();
}

/** Runs a poppler tool over PDF bytes and returns its output. */
function poppler(tool: 'pdftotext' | 'pdfinfo' | 'pdffonts', bytes: Uint8Array, args: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'invoice-pdf-'));
  try {
    const file = join(dir, 'invoice.pdf');
    writeFileSync(file, bytes);
    return execFileSync(tool, tool === 'pdftotext' ? [...args, file, '-'] : [file], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text of a PDF, laid out as on the page (`pdftotext -layout`), with spaces collapsed. */
export const pdfText = (bytes: Uint8Array) => poppler('pdftotext', bytes, ['-layout']).replace(/[ \t]+/g, ' ');

/** A word on a PDF page and its box in points (`pdftotext -bbox`). */
export interface PdfWord {
  text: string;
  page: number;
  xMin: number;
  yMin: number;
  xMax: number;
}

/**
 * The words of a PDF as drawn, page by page, with their boxes: each word's text is
 * its glyphs from left to right (a right-to-left word comes out reversed), so this
 * shows the visual order that `pdftotext -layout` turns back into reading order.
 */
export function pdfWords(bytes: Uint8Array): PdfWord[] {
  const xml = poppler('pdftotext', bytes, ['-bbox']);
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  const words: PdfWord[] = [];
  let page = 0;
  for (const match of xml.matchAll(
    /<page |<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>([^<]*)<\/word>/g,
  )) {
    if (match[0] === '<page ') {
      page++;
      continue;
    }
    const text = match[4].replace(/&(\w+);/g, (_, name: string) => entities[name] ?? `&${name};`);
    words.push({ text, page, xMin: Number(match[1]), yMin: Number(match[2]), xMax: Number(match[3]) });
  }
  return words;
}

/** `pdfinfo`'s facts: pages and page size in points. */
export function pdfInfo(bytes: Uint8Array): { pages: number; size: string } {
  const info = poppler('pdfinfo', bytes);
  return {
    pages: Number(/Pages:\s+(\d+)/.exec(info)?.[1]),
    size: /Page size:\s+([\d.]+ x [\d.]+)/.exec(info)?.[1] ?? '',
  };
}

/** The fonts a PDF embeds (`pdffonts`): name, and whether it is embedded as a subset. */
export function pdfFonts(bytes: Uint8Array): { name: string; embedded: boolean; subset: boolean }[] {
  return poppler('pdffonts', bytes)
    .split('\n')
    .slice(2)
    .filter((line) => line.trim())
    .map((line) => {
      const [name, ...rest] = line.trim().split(/\s+/);
      const flags = rest.slice(-5, -2);
      return { name, embedded: flags[0] === 'yes', subset: flags[1] === 'yes' };
    });
}
