const PPM = 1_000_000;

/**
 * A line's tax rate in parts per million: the explicit fraction when given (0.19 →
 * 190000), otherwise derived from the tax charged on the net amount — the
 * coarsest rate (a whole percent, then 0.1 %, 0.01 %, …) that reproduces the tax
 * when rounded to the minor unit, so 190 on 999 reads as 19 % rather than 19.019 %.
 */
export function lineTaxRatePpm(explicit: number | undefined, tax: number, net: number): number {
  if (explicit !== undefined) return Math.round(explicit * PPM);
  if (net <= 0 || tax === 0) return 0;
  const exact = (tax * PPM) / net;
  for (const step of [10_000, 1000, 100, 10, 1]) {
    const rate = Math.round(exact / step) * step;
    if (Math.round((net * rate) / PPM) === tax) return rate;
  }
  return Math.round(exact);
}
