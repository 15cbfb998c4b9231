import { minorUnitDigits } from '../lib/money';

/** Formatting of amounts, rates and dates in one language, with `Intl` (dates in UTC, as they are stored). */
export interface Formats {
  money(minor: number): string;
  rate(ppm: number): string;
  date(at: Date): string;
  country(code: string): string;
}

const cache = new Map<string, Formats>();

/** The formats of a language and currency; built once per pair, since `Intl` objects are costly to create. */
export function formatsFor(language: string, currency: string): Formats {
  const key = `${language}:${currency}`;
  let formats = cache.get(key);
  if (!formats) {
    const digits = minorUnitDigits(currency);
    const money = new Intl.NumberFormat(language, { style: 'currency', currency });
    const rate = new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 3 });
    const date = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' });
    const regions = new Intl.DisplayNames(language, { type: 'region' });
    formats = {
      money: (minor) => money.format(minor / 10 ** digits),
      rate: (ppm) => rate.format(ppm / 1_000_000),
      date: (at) => date.format(at),
      country: (code) => regions.of(code) ?? code,
    };
    cache.set(key, formats);
  }
  return formats;
}
