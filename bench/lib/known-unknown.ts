import { performance } from 'node:perf_hooks';

/** The medians of login-link requests for known and for unknown addresses, and how far apart they are. */
export interface KnownUnknownTiming {
  pairs: number;
  knownMedianMs: number;
  unknownMedianMs: number;
  /** |known − unknown| / the smaller median, in percent. */
  differencePercent: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/**
 * What someone probing for customers sees: `pairs` × 2 login-link requests, one at a
 * time, alternating an address that has an account with one that has none, each from
 * an address and for an email of its own (so no limit answers instead). The round
 * trip is timed on the client, as a prober would time it.
 */
export async function timeKnownAndUnknown(
  url: string,
  knownEmails: readonly string[],
  options: { pairs?: number; warmup?: number } = {},
): Promise<KnownUnknownTiming> {
  const pairs = options.pairs ?? 100;
  const warmup = options.warmup ?? 10;
  if (knownEmails.length < pairs + warmup) throw new Error(`timeKnownAndUnknown needs ${pairs + warmup} known emails`);
  let n = 0;
  const ask = async (email: string) => {
    n += 1;
    const started = performance.now();
    const response = await fetch(`${url}/portal/bench/login-links`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `172.16.${(n >> 8) & 255}.${n & 255}` },
      body: JSON.stringify({ email }),
    });
    await response.arrayBuffer();
    const elapsed = performance.now() - started;
    if (response.status !== 202) throw new Error(`login-links for ${email} answered ${response.status}`);
    return elapsed;
  };
  for (let i = 0; i < warmup; i++) {
    await ask(knownEmails[pairs + i]);
    await ask(`warmup${i}@nobody.bench.example`);
  }
  const known: number[] = [];
  const unknown: number[] = [];
  for (let i = 0; i < pairs; i++) {
    known.push(await ask(knownEmails[i]));
    unknown.push(await ask(`probe${i}@nobody.bench.example`));
  }
  const knownMedianMs = median(known);
  const unknownMedianMs = median(unknown);
  return {
    pairs,
    knownMedianMs,
    unknownMedianMs,
    differencePercent: (Math.abs(knownMedianMs - unknownMedianMs) / Math.min(knownMedianMs, unknownMedianMs)) * 100,
  };
}
