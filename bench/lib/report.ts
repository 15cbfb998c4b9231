import type { Measurement } from './measure';

/** One row of the targets list: what was promised, what was measured, and the verdict. */
export interface TargetCheck {
  target: string;
  measured: string;
  /** `undefined` when the figure cannot be judged (for example, the run had errors). */
  pass: boolean | undefined;
}

/** A plain-text table with right-aligned numeric columns. */
export function table(header: string[], rows: string[][], alignRight: boolean[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (alignRight[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export const fmt = {
  int: (n: number) => Math.round(n).toLocaleString('en'),
  ms: (n: number) => n.toFixed(2),
  ratio: (n: number) => `${n.toFixed(2)}×`,
  mb: (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`,
  gb: (bytes: number) =>
    bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(2)} GB` : `${(bytes / 1024 ** 2).toFixed(0)} MB`,
  seconds: (s: number) => `${s.toFixed(1)} s`,
  percent: (n: number | undefined) => (n === undefined ? '–' : `${n.toFixed(0)}%`),
};

/** The measurements as a table, each compared with the baseline's throughput. */
export function measurementTable(rows: Measurement[], baseline: Measurement): string {
  return table(
    [
      'endpoint',
      'req/s',
      'p50 ms',
      'p99 ms',
      'max ms',
      '× hello',
      'non-2xx',
      'errors',
      'server CPU',
      'loadgen CPU',
      'other CPU',
    ],
    rows.map((m) => [
      m.name,
      fmt.int(m.requestsPerSecond),
      fmt.ms(m.p50Ms),
      fmt.ms(m.p99Ms),
      fmt.ms(m.maxMs),
      fmt.ratio(m.requestsPerSecond / baseline.requestsPerSecond),
      fmt.int(m.non2xxTotal),
      fmt.int(m.errors + m.timeouts),
      fmt.percent(m.serverCpuPercent),
      fmt.percent(m.loadCpuPercent),
      fmt.percent(m.otherCpuPercent),
    ]),
    [false, true, true, true, true, true, true, true, true, true, true],
  );
}

export function targetTable(checks: TargetCheck[]): string {
  const verdict = (pass: boolean | undefined) => (pass === undefined ? 'N/A' : pass ? 'PASS' : 'FAIL');
  return table(
    ['target', 'measured', ''],
    checks.map((c) => [c.target, c.measured, verdict(c.pass)]),
  );
}

/** A measurement with non-2xx answers or connection errors measured something other than the endpoint. */
export function isClean(m: Measurement): boolean {
  return m.non2xxTotal === 0 && m.errors === 0 && m.timeouts === 0;
}
