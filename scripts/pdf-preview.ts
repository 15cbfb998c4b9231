/**
 * Renders sample documents through server/pdf and turns every page into a PNG
 * (`pdftoppm -png -r 60`), to look at layouts: `npx tsx scripts/pdf-preview.ts [dir]`
 * — the layouts (A4, Letter, a long order) and one invoice per script (`script-*`).
 * Needs poppler-utils. Add your own documents to `samples` to preview them.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderPdf, type PdfDocument } from '../server/pdf';
import { longInvoice, sampleCreditNote, sampleInvoice, scriptInvoice, scripts } from './pdf-samples';

const samples: Record<string, PdfDocument> = {
  'en-a4': sampleInvoice(),
  'de-a4': sampleInvoice({
    language: 'de',
    revision: 2,
    payment: 'Bezahlt am 15. Januar 2026 mit Visa •••• 4242.',
    link: {
      label: 'Diese Bestellung in Ihrem Konto ansehen',
      url: 'https://shop.northwind.example/account#/orders/ord_1',
    },
  }),
  'cyrillic-greek-letter': sampleInvoice({
    paper: 'letter',
    currency: 'USD',
    buyer: {
      name: 'Анна Каренина',
      businessName: 'Οδυσσέας Ελύτης Α.Ε.',
      addressLines: ['Λεωφόρος Αμαλίας 10', '105 57 Αθήνα', 'Greece'],
      email: 'anna@example.gr',
      taxId: 'EL123456789',
      isBusiness: true,
    },
    notes: ['Reverse charge: no VAT is charged on this invoice; the recipient is liable for the tax.'],
  }),
  'long-a4': longInvoice(),
  'credit-note-en-a4': sampleCreditNote(),
  'credit-note-de-a4': sampleCreditNote({ language: 'de' }),
  ...Object.fromEntries(scripts.map((script) => [`script-${script}`, scriptInvoice(script)])),
};

const dir = resolve(process.argv[2] ?? 'tmp/pdf-preview');
mkdirSync(dir, { recursive: true });
for (const [name, document] of Object.entries(samples)) {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, await renderPdf(document));
  execFileSync('pdftoppm', ['-png', '-r', '60', file, join(dir, name)]);
  console.log(file);
}
