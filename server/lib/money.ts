const supported = new Set(Intl.supportedValuesOf('currency'));
const digitsCache = new Map<string, number>();

/** Whether `code` is an ISO 4217 currency code this runtime knows. */
export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && supported.has(code);
}

/** The number of minor-unit digits of a currency (JPY 0, USD 2, KWD 3). */
export function minorUnitDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(currency, digits);
  }
  return digits;
}

/** Rate in parts per million (19% = 190000), the unit tax rates are stored in. */
export const PPM = 1_000_000;

/** Tax on `net` minor units at `ratePpm`, rounded half away from zero to a whole minor unit. */
export function taxOn(net: number, ratePpm: number): number {
  return roundHalfAwayFromZero((net * ratePpm) / PPM);
}

/** Rounds half away from zero (2.5 → 3, -2.5 → -3), the commercial rounding rule. */
export function roundHalfAwayFromZero(value: number): number {
  return Math.sign(value) * Math.round(Math.abs(value));
}
