import type { Language } from '../contract/languages';

/** A logo image, already fetched and checked (PNG or JPEG). */
export interface PdfImage {
  data: Uint8Array;
  format: 'PNG' | 'JPEG';
  width: number;
  height: number;
}

/** The issuer of a document. */
export interface PdfSeller {
  name: string;
  /** Street, town, country …, one line each, already in the document's language. */
  addressLines: string[];
  email: string | null;
  vatId: string | null;
  registrationNumber: string | null;
  /** Free text printed at the foot of every page (bank details, a thank-you). */
  footer: string | null;
  logo: PdfImage | null;
}

/** The customer a document is addressed to. */
export interface PdfBuyer {
  name: string | null;
  businessName: string | null;
  addressLines: string[];
  email: string | null;
  taxId: string | null;
  isBusiness: boolean;
}

/** One line of a document. Amounts are minor units of the document's currency, for the whole line. */
export interface PdfLine {
  description: string;
  /** The period the line pays for, printed under the description. */
  period: { start: Date; end: Date } | null;
  /** Null (printed as a dash) on a credit note's line refunded by amount rather than by units. */
  quantity: number | null;
  unitPrice: number | null;
  discount: number;
  /** Parts per million (190000 = 19 %); null when unknown. */
  taxRatePpm: number | null;
  tax: number;
  /** Net after discount plus tax. */
  total: number;
}

/**
 * The kinds of document, laid out alike: an invoice, and a credit note, which
 * gives back (part of) an invoice. The kind sets the title and labels, and a
 * credit note's amounts are printed as negative, what the customer is credited.
 */
export type PdfDocumentKind = 'invoice' | 'credit_note';

/**
 * What a commercial document says, independent of how it is drawn. The renderer
 * lays it out and formats amounts and dates in `language`; the texts given here
 * (descriptions, payment, notes) are printed as they are, so the caller translates them.
 */
export interface PdfDocument {
  kind: PdfDocumentKind;
  language: Language;
  paper: 'a4' | 'letter';
  number: string;
  /** Printed as "Revision N" when above 1. */
  revision: number;
  issuedAt: Date;
  /** The supply date, or the period a renewal covers; null to leave it out. */
  supply: { date: Date } | { start: Date; end: Date } | null;
  /** Further labelled facts under the number, such as the order reference or the invoice a credit note corrects. */
  references: { label: string; value: string }[];
  seller: PdfSeller;
  buyer: PdfBuyer;
  currency: string;
  lines: PdfLine[];
  totals: { subtotal: number; discount: number; tax: number; total: number };
  /** How and when it was paid, or (a credit note) paid back ("Paid on … with Visa •••• 4242"), already worded. */
  payment: string | null;
  /** Paragraphs under the totals: a reverse-charge note, a reason for a credit note. */
  notes: string[];
  /** A link back to the order in the customer's account. */
  link: { label: string; url: string } | null;
}

/** The tax of a document's lines grouped by rate, highest rate first: `[{ ratePpm, net, tax }]`. */
export function taxBreakdown(lines: PdfLine[]): { ratePpm: number | null; net: number; tax: number }[] {
  const byRate = new Map<number | null, { ratePpm: number | null; net: number; tax: number }>();
  for (const line of lines) {
    const group = byRate.get(line.taxRatePpm) ?? { ratePpm: line.taxRatePpm, net: 0, tax: 0 };
    group.net += line.total - line.tax;
    group.tax += line.tax;
    byRate.set(line.taxRatePpm, group);
  }
  return [...byRate.values()].sort((a, b) => (b.ratePpm ?? -1) - (a.ratePpm ?? -1));
}
