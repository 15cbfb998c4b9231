/**
 * `npm run bench:pdf`: renders invoices through server/pdf in this process, warm
 * (the fonts a document needs read and parsed once beforehand), and prints
 * invoices per second, milliseconds per invoice (wall clock and CPU) and bytes per
 * invoice, beside a baseline measured in the same run: an empty jspdf document.
 * First the layouts (three lines in English and German, forty lines on two pages),
 * then one invoice per script, its data written in that script (scripts/pdf-samples.ts):
 * Latin, Cyrillic, Greek and Vietnamese (Noto Sans), Japanese, Simplified and
 * Traditional Chinese, Korean (Noto Sans JP/SC/TC/KR), Arabic and Hebrew. "first ms"
 * is the first invoice of a script in this process, when its fonts are read. CPU time
 * is the fairer figure on a shared machine. Exits 0 whenever it could measure.
 *
 * Environment:
 *   BENCH_INVOICES   invoices per measurement (300; a third of that per script)
 */
import { loadavg } from 'node:os';
import { jsPDF } from 'jspdf';
import type { PdfDocument } from '../server/pdf';
import { renderPdf } from '../server/pdf/render';
import { longInvoice, sampleInvoice, scriptInvoice, scripts, type Script } from '../scripts/pdf-samples';
import { envNumber } from './lib/env';
import { fmt, table, targetTable, type TargetCheck } from './lib/report';

interface Figures {
  name: string;
  perSecond: number;
  wallMs: number;
  cpuMs: number;
  bytes: number;
  /** The first render in this process, with its fonts read (scripts only). */
  firstMs?: number;
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

function measureScript(script: Script, count: number): Figures {
  const document: PdfDocument = scriptInvoice(script);
  const started = performance.now();
  renderPdf(document);
  const firstMs = performance.now() - started;
  return { ...measure(`invoice, ${script} (${document.language})`, count, () => renderPdf(document)), firstMs };
}

const count = envNumber('BENCH_INVOICES', 300);
const perScript = Math.ceil(count / 3);
const typical: PdfDocument = sampleInvoice({ currency: 'USD' });
const german: PdfDocument = sampleInvoice({ language: 'de' });
const twoPages: PdfDocument = longInvoice(40);

console.log(
  `bench:pdf — ${count} documents per row (${perScript} per script), load average ${loadavg()[0].toFixed(1)}`,
);
const baseline = measure('empty jspdf document (baseline)', count, () =>
  new jsPDF({ unit: 'mm', format: 'a4', compress: true }).output('arraybuffer'),
);
const rows = [
  baseline,
  measure('invoice, 3 lines, en', count, () => renderPdf(typical)),
  measure('invoice, 3 lines, de', count, () => renderPdf(german)),
  measure('invoice, 40 lines, 2 pages', Math.ceil(count / 3), () => renderPdf(twoPages)),
];
const byScript = new Map(scripts.map((script) => [script, measureScript(script, perScript)]));
rows.push(...byScript.values());
console.log(
  table(
    ['document', 'per s', 'ms (wall)', 'ms (CPU)', 'bytes', '× baseline CPU', 'first ms'],
    rows.map((r) => [
      r.name,
      fmt.int(r.perSecond),
      fmt.ms(r.wallMs),
      fmt.ms(r.cpuMs),
      fmt.int(r.bytes),
      fmt.ratio(r.cpuMs / baseline.cpuMs),
      r.firstMs === undefined ? '' : fmt.int(r.firstMs),
    ]),
    [false, true, true, true, true, true, true],
  ),
);

/** A time and a size target for a group of scripts: every script in it must meet them. */
function targets(label: string, group: Script[], maxMs: number, maxBytes?: number): TargetCheck[] {
  const figures = group.map((s) => byScript.get(s)!);
  const slowest = figures.reduce((a, b) => (b.cpuMs > a.cpuMs ? b : a));
  const largest = figures.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const checks: TargetCheck[] = [
    {
      target: `≤ ${maxMs} ms CPU per invoice (warm, ${label})`,
      measured: `${fmt.ms(slowest.cpuMs)} ms (${slowest.name})`,
      pass: slowest.cpuMs <= maxMs,
    },
  ];
  if (maxBytes !== undefined) {
    checks.push({
      target: `≤ ${maxBytes / 1000} kB per invoice (${label})`,
      measured: `${fmt.int(largest.bytes / 1000)} kB (${largest.name})`,
      pass: largest.bytes <= maxBytes,
    });
  }
  return checks;
}

const invoice = rows[1];
console.log();
console.log(
  targetTable([
    {
      target: '≤ 15 ms CPU per invoice (warm, Latin, 3 lines, en)',
      measured: `${fmt.ms(invoice.cpuMs)} ms`,
      pass: invoice.cpuMs <= 15,
    },
    { target: '≤ 100 kB per invoice', measured: `${fmt.int(invoice.bytes / 1000)} kB`, pass: invoice.bytes <= 100_000 },
    ...targets(
      'Noto Sans: Latin, Cyrillic, Greek, Vietnamese',
      ['latin', 'cyrillic', 'greek', 'vietnamese'],
      15,
      100_000,
    ),
    ...targets(
      'CJK: ja, zh-CN, zh-TW, ko',
      ['japanese', 'chinese-simplified', 'chinese-traditional', 'korean'],
      60,
      250_000,
    ),
    ...targets('Arabic, Hebrew', ['arabic', 'hebrew'], 30),
  ]),
);
