import type { PdfDocument, PdfLine } from '../server/pdf';

const line = (description: string, quantity: number, unitPrice: number, ratePpm: number, discount = 0): PdfLine => {
  const net = quantity * unitPrice - discount;
  const tax = Math.round((net * ratePpm) / 1_000_000);
  return { description, period: null, quantity, unitPrice, discount, taxRatePpm: ratePpm, tax, total: net + tax };
};

function totals(lines: PdfLine[]) {
  return lines.reduce(
    (t, l) => ({
      subtotal: t.subtotal + (l.quantity ?? 0) * (l.unitPrice ?? 0),
      discount: t.discount + l.discount,
      tax: t.tax + l.tax,
      total: t.total + l.total,
    }),
    { subtotal: 0, discount: 0, tax: 0, total: 0 },
  );
}

/** A typical invoice: a German seller, a few lines, paid by card. Texts in English; pass `language` to relabel. */
export function sampleInvoice(overrides: Partial<PdfDocument> = {}): PdfDocument {
  const lines = overrides.lines ?? [
    line('Photo Toolkit 3', 2, 4900, 190_000, 800),
    {
      ...line('Studio Pro (monthly)', 1, 1900, 190_000),
      period: { start: new Date('2026-01-15T12:00:00Z'), end: new Date('2026-02-15T12:00:00Z') },
    },
    line('Font Pack Pro — printed guide', 1, 1500, 70_000),
  ];
  return {
    kind: 'invoice',
    language: 'en',
    paper: 'a4',
    number: 'NW-2026-000123',
    revision: 1,
    issuedAt: new Date('2026-01-15T12:00:00Z'),
    supply: { date: new Date('2026-01-15T12:00:00Z') },
    references: [{ label: 'Order', value: 'NOR260115-4821-20573' }],
    seller: {
      name: 'Northwind Software GmbH',
      addressLines: ['Friedrichstraße 68', '10117 Berlin', 'Germany'],
      email: 'billing@northwind.example',
      vatId: 'DE123456789',
      registrationNumber: 'HRB 123456 B',
      footer: 'IBAN DE89 3704 0044 0532 0130 00 · BIC COBADEFFXXX\nThank you for your order!',
      logo: null,
    },
    buyer: {
      name: 'Ada Lovelace',
      businessName: 'Analytical Engines Ltd',
      addressLines: ['12 St James’s Square', 'SW1Y 4JH London', 'United Kingdom'],
      email: 'ada@example.com',
      taxId: 'GB123456789',
      isBusiness: true,
    },
    currency: 'EUR',
    lines,
    totals: totals(lines),
    payment: 'Paid on January 15, 2026 with Visa •••• 4242.',
    notes: [],
    link: {
      label: 'View this order in your account',
      url: 'https://shop.northwind.example/account#/orders/ord_4k9x2m7q1w8e5r3t6y0u',
    },
    ...overrides,
  };
}

/** An invoice with `count` lines, to see the table break onto more pages. */
export function longInvoice(count = 45, overrides: Partial<PdfDocument> = {}): PdfDocument {
  const lines = Array.from({ length: count }, (_, i) =>
    line(`Font Pack ${i + 1} — Regular, Italic, Bold and Bold Italic`, 1 + (i % 3), 1000 + i * 10, 190_000),
  );
  return sampleInvoice({ lines, totals: totals(lines), ...overrides });
}

/**
 * A credit note of the sample invoice: two units of the toolkit given back, and a
 * share of the subscription's line refunded by amount.
 */
export function sampleCreditNote(overrides: Partial<PdfDocument> = {}): PdfDocument {
  const lines: PdfLine[] = [
    line('Photo Toolkit 3', 2, 4900, 190_000),
    { ...line('Studio Pro (monthly) (partial refund)', 1, 1000, 190_000), quantity: null, unitPrice: null },
  ];
  const tax = lines.reduce((sum, l) => sum + l.tax, 0);
  const total = lines.reduce((sum, l) => sum + l.total, 0);
  return sampleInvoice({
    kind: 'credit_note',
    number: 'NW-CN-2026-000007',
    issuedAt: new Date('2026-02-02T12:00:00Z'),
    supply: null,
    references: [
      { label: 'Corrects invoice', value: 'NW-2026-000123' },
      { label: 'Order', value: 'NOR260115-4821-20573' },
    ],
    lines,
    totals: { subtotal: total - tax, discount: 0, tax, total },
    payment: 'Refunded on February 2, 2026 to Visa •••• 4242.',
    notes: ['This credit note corrects invoice NW-2026-000123 of January 15, 2026.', 'Reason: Bought twice.'],
    ...overrides,
  });
}
