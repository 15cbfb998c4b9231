import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Prefixes of every kind of id the portal issues. */
export type IdPrefix =
  | 'acc'
  | 'ord'
  | 'oit'
  | 'ful'
  | 'sub'
  | 'pm'
  | 'prod'
  | 'we'
  | 'evt'
  | 'whd'
  | 'ses'
  | 'tok'
  | 'eml'
  | 'dev'
  | 'quo'
  | 'inv'
  | 'chg'
  | 'setup'
  | 'llr'
  | 're'
  | 'rfl'
  | 'cn'
  | 'att'
  | 'rem'
  | 'act';

/**
 * Returns a random, URL-safe id such as `acc_4k9x…` (20 base-36 characters,
 * about 103 bits of randomness), drawn by rejection sampling so every
 * character is equally likely.
 */
export function newId(prefix: IdPrefix, length = 20): string {
  let out = '';
  while (out.length < length) {
    const byte = randomByte();
    // 252 is the largest multiple of 36 below 256: bytes above it would bias the draw.
    if (byte < 252) out += ALPHABET[byte % 36];
  }
  return `${prefix}_${out}`;
}

/**
 * Random bytes are drawn from the system's generator a block at a time and handed
 * out once each: a renewal issues about ten ids, and asking the generator for each
 * cost more than the rest of making it.
 */
const POOL_SIZE = 4096;
let pool = randomBytes(POOL_SIZE);
let poolOffset = 0;

function randomByte(): number {
  if (poolOffset === POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  return pool[poolOffset++];
}

/** Whether `value` has the shape of an id with the given prefix. */
export function isId(prefix: IdPrefix, value: string): boolean {
  return value.startsWith(`${prefix}_`) && /^[a-z]+_[0-9a-z]{8,40}$/.test(value);
}
