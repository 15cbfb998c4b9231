import { jsPDF } from 'jspdf';

/**
 * A business document (invoice or credit note) as plain, already translated and
 * formatted text: the PDF renderer only lays it out. Built by the domain code, so
 * this module needs nothing from the services.
 */
export interface DocumentModel {
  language: string;
  /** "Credit note", "Rechnung" … */
  title: string;
  /** Label/value pairs under the title: number, date, the invoice corrected, the order. */
  facts: [string, string][];
  seller: string[];
  buyer: string[];
  columns: { description: string; quantity: string; amount: string };
  lines: { description: string; quantity: string; amount: string }[];
  /** Label/value pairs under the lines; the last one is printed bold (the total). */
  totals: [string, string][];
  notes: string[];
}

/**
 * Lays a document out on A4 with the standard PDF font (Latin scripts only).
 * Interim: the invoices work brings the shared renderer (Noto Sans, right-to-left
 * scripts), which replaces this function behind the same model.
 */
export function renderDocumentPdf(model: DocumentModel): Buffer {
  const doc = new jsPDF({ unit: 'mm', format: 'a4' });
  doc.setProperties({ title: `${model.title} ${model.facts[0]?.[1] ?? ''}`.trim(), creator: 'Account Portal' });
  doc.setLanguage(model.language as Parameters<jsPDF['setLanguage']>[0]);
  let y = 20;
  const line = (text: string, x: number, options: { bold?: boolean; size?: number; align?: 'left' | 'right' } = {}) => {
    doc.setFont('helvetica', options.bold ? 'bold' : 'normal');
    doc.setFontSize(options.size ?? 10);
    doc.text(text, x, y, { align: options.align ?? 'left' });
  };
  model.seller.forEach((text, i) => {
    line(text, 20, { bold: i === 0 });
    y += 5;
  });
  y += 6;
  line(model.title, 20, { bold: true, size: 18 });
  y += 9;
  for (const [label, value] of model.facts) {
    line(label, 20);
    line(value, 75);
    y += 5;
  }
  y += 4;
  model.buyer.forEach((text) => {
    line(text, 20);
    y += 5;
  });
  y += 6;
  line(model.columns.description, 20, { bold: true });
  line(model.columns.quantity, 140, { bold: true, align: 'right' });
  line(model.columns.amount, 190, { bold: true, align: 'right' });
  y += 2;
  doc.line(20, y, 190, y);
  y += 5;
  for (const row of model.lines) {
    const wrapped = doc.splitTextToSize(row.description, 100) as string[];
    wrapped.forEach((text, i) => {
      line(text, 20);
      if (i === 0) {
        line(row.quantity, 140, { align: 'right' });
        line(row.amount, 190, { align: 'right' });
      }
      y += 5;
    });
  }
  doc.line(20, y - 2, 190, y - 2);
  y += 3;
  model.totals.forEach(([label, value], i) => {
    const bold = i === model.totals.length - 1;
    line(label, 140, { bold, align: 'right' });
    line(value, 190, { bold, align: 'right' });
    y += 5;
  });
  y += 6;
  for (const note of model.notes) {
    for (const text of doc.splitTextToSize(note, 170) as string[]) {
      line(text, 20, { size: 9 });
      y += 4.5;
    }
  }
  return Buffer.from(doc.output('arraybuffer'));
}
