import { taxOn } from './money';

/**
 * The share of `amount` (minor units) that `remainingSeconds` of a
 * `periodSeconds`-long period is worth: amount × remaining ÷ period, rounded half
 * up to a whole minor unit. Computed with integers (BigInt), so there is no
 * floating-point error at any size. Never negative, never more than `amount`.
 */
export function prorate(amount: number, remainingSeconds: number, periodSeconds: number): number {
  if (amount <= 0 || remainingSeconds <= 0 || periodSeconds <= 0) return 0;
  const remaining = BigInt(Math.min(Math.floor(remainingSeconds), Math.floor(periodSeconds)));
  const period = BigInt(Math.floor(periodSeconds));
  return Number((BigInt(amount) * remaining * 2n + period) / (2n * period));
}

/**
 * Whole seconds left in a period at `now`, not counting the second `now` is in: so
 * the period's last second leaves 0, and its first second leaves all but one.
 */
export function secondsRemaining(periodEnd: Date, now: Date): number {
  return Math.max(0, Math.ceil((periodEnd.getTime() - now.getTime()) / 1000) - 1);
}

export function periodSeconds(periodStart: Date, periodEnd: Date): number {
  return Math.max(1, Math.floor((periodEnd.getTime() - periodStart.getTime()) / 1000));
}

export interface UpgradeCharge {
  /** Prorated net difference, minor units. */
  amount: number;
  tax: number;
  total: number;
}

/**
 * What an upgrade in the middle of a period costs now: the difference between the
 * new and the current recurring net price (per period, all units), prorated by the
 * seconds left in the period, plus tax at the subscription's rate on that amount.
 * Rounding: the prorated net is rounded half up to the minor unit, then the tax on
 * it is rounded half away from zero (see `taxOn`).
 */
export function upgradeCharge(input: {
  currentNet: number;
  newNet: number;
  taxRatePpm: number;
  periodStart: Date;
  periodEnd: Date;
  now: Date;
}): UpgradeCharge {
  const amount = prorate(
    input.newNet - input.currentNet,
    secondsRemaining(input.periodEnd, input.now),
    periodSeconds(input.periodStart, input.periodEnd),
  );
  const tax = taxOn(amount, input.taxRatePpm);
  return { amount, tax, total: amount + tax };
}
