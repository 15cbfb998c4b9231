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
function poppler(tool: 'pdftotext' | 'pdfinfo', bytes: Uint8Array, args: string[] = []): string {
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

/** `pdfinfo`'s facts: pages and page size in points. */
export function pdfInfo(bytes: Uint8Array): { pages: number; size: string } {
  const info = poppler('pdfinfo', bytes);
  return {
    pages: Number(/Pages:\s+(\d+)/.exec(info)?.[1]),
    size: /Page size:\s+([\d.]+ x [\d.]+)/.exec(info)?.[1] ?? '',
  };
}
