/**
 * `npm run bench:pdf`: renders invoices through server/pdf in this process, warm
 * (fonts read, cut down and parsed once beforehand), and prints invoices per
 * second, milliseconds per invoice (wall clock and CPU) and bytes per invoice,
 * beside a baseline measured in the same run: an empty jspdf document. Latin
 * text, three lines (a typical invoice) and forty lines (two pages). CPU time is
 * the fairer figure on a shared machine. Exits 0 whenever it could measure.
 *
 * Environment:
 *   BENCH_INVOICES   invoices per measurement (300)
 */
import { loadavg } from 'node:os';
import { jsPDF } from 'jspdf';
import { renderPdf, type PdfDocument } from '../server/pdf';
import { longInvoice, sampleInvoice } from '../scripts/pdf-samples';
import { envNumber } from './lib/env';
import { fmt, table, targetTable } from './lib/report';

interface Figures {
  name: string;
  perSecond: number;
  wallMs: number;
  cpuMs: number;
  bytes: number;
}

function measure(name: string, count: number, render: () => Uint8Array | ArrayBuffer): Figures {
  for (let i = 0; i < Math.min(30, count); i++) render();
  const cpu = process.cpuUsage();
  const started = performance.now();
  let bytes = 0;
  for (let i = 0; i < count; i++) bytes = render().byteLength;
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return {
    name,
    perSecond: (count / wall) * 1000,
    wallMs: wall / count,
    cpuMs: (used.user + used.system) / 1000 / count,
    bytes,
  };
}

const count = envNumber('BENCH_INVOICES', 300);
const typical: PdfDocument = sampleInvoice({ currency: 'USD' });
const german: PdfDocument = sampleInvoice({ language: 'de' });
const twoPages: PdfDocument = longInvoice(40);

console.log(`bench:pdf — ${count} documents per row, load average ${loadavg()[0].toFixed(1)}`);
const baseline = measure('empty jspdf document (baseline)', count, () =>
  new jsPDF({ unit: 'mm', format: 'a4', compress: true }).output('arraybuffer'),
);
const rows = [
  baseline,
  measure('invoice, 3 lines, en', count, () => renderPdf(typical)),
  measure('invoice, 3 lines, de', count, () => renderPdf(german)),
  measure('invoice, 40 lines, 2 pages', Math.ceil(count / 3), () => renderPdf(twoPages)),
];
console.log(
  table(
    ['document', 'per s', 'ms (wall)', 'ms (CPU)', 'bytes', '× baseline CPU'],
    rows.map((r) => [
      r.name,
      fmt.int(r.perSecond),
      fmt.ms(r.wallMs),
      fmt.ms(r.cpuMs),
      fmt.int(r.bytes),
      fmt.ratio(r.cpuMs / baseline.cpuMs),
    ]),
    [false, true, true, true, true, true],
  ),
);
const invoice = rows[1];
console.log();
console.log(
  targetTable([
    {
      target: '≤ 15 ms CPU per invoice (warm, Latin)',
      measured: `${fmt.ms(invoice.cpuMs)} ms`,
      pass: invoice.cpuMs <= 15,
    },
    { target: '≤ 100 kB per invoice', measured: `${fmt.int(invoice.bytes / 1000)} kB`, pass: invoice.bytes <= 100_000 },
  ]),
);
