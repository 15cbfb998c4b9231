import { randomFillSync } from 'node:crypto';
import type { IdPrefix } from '../../server/lib/ids';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
const pool = Buffer.alloc(64 * 1024);
let poolAt = pool.length;

function randomByte(): number {
  if (poolAt === pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  return pool[poolAt++];
}

/**
 * An id in exactly the server's format (`ord_` + 20 unbiased base-36 characters),
 * drawn from a pooled random buffer because seeding needs millions of them.
 */
export function fastId(prefix: IdPrefix, length = 20): string {
  let out = `${prefix}_`;
  for (let n = 0; n < length;) {
    const byte = randomByte();
    // Same rejection rule as server/lib/ids: 252 is the largest multiple of 36 below 256.
    if (byte < 252) {
      out += ALPHABET[byte % 36];
      n++;
    }
  }
  return out;
}

/** A small seeded PRNG (mulberry32), so seeded data has the same shape on every run. */
export class Rng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** `count` distinct random elements of `items` (or all of them when there are fewer). */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = items.slice();
    const n = Math.min(count, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.next() * (copy.length - i));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy.slice(0, n);
  }
}

/** A function that picks from `[item, weight]` pairs by weight, with the sums worked out once. */
export function weightedPicker<T>(items: readonly (readonly [T, number])[]): (rng: Rng) => T {
  const cumulative: number[] = [];
  let total = 0;
  for (const [, weight] of items) cumulative.push((total += weight));
  return (rng) => {
    const roll = rng.next() * total;
    for (let i = 0; i < cumulative.length; i++) if (roll < cumulative[i]) return items[i][0];
    return items[items.length - 1][0];
  };
}
