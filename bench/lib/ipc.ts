/** Messages between a benchmark and the server child process it started. */
export type ToChild = { type: 'stats' } | { type: 'stop' };

export type FromChild =
  { type: 'listening'; port: number } | { type: 'stats'; stats: ProcessStats } | { type: 'failed'; message: string };

export interface ProcessStats {
  /** Resident set size now, bytes. */
  rss: number;
  /** Highest resident set size since the process started, bytes. */
  peakRss: number;
  heapUsed: number;
  /** Memory V8 has reserved for the JS heap (the part of RSS that garbage can inflate). */
  heapTotal: number;
  /** CPU time used since start, microseconds. */
  cpuUser: number;
  cpuSystem: number;
}
