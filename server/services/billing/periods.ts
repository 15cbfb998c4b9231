import { RENEW_WINDOW_MS } from '../../contract';
import { DAY } from '../../lib/clock';
import { taxOn } from '../../lib/money';
import { addIntervals, type Interval } from '../../lib/periods';
import type { ProductRow, SubscriptionRow } from '../../db/schema';

type Plan = Pick<ProductRow, 'interval' | 'intervalCount'>;
type Priced = Pick<SubscriptionRow, 'unitPrice' | 'quantity' | 'taxRatePpm'>;

/** Net amount, tax and total of one period at a price and quantity. */
export interface PeriodCharge {
  amount: number;
  tax: number;
  total: number;
}

/** The plan's interval; a plan without one (never a subscription's) is treated as monthly. */
const intervalOf = (plan: Plan): Interval => plan.interval ?? 'month';

/** The start of period `index` of a subscription anchored at `anchor`. */
export function periodStart(anchor: Date, plan: Plan, index: number): Date {
  return addIntervals(anchor, intervalOf(plan), plan.intervalCount * index);
}

/** Period `index`'s start and end, computed from the anchor so month-end dates never drift. */
export function periodBounds(anchor: Date, plan: Plan, index: number): { start: Date; end: Date } {
  return { start: periodStart(anchor, plan, index), end: periodStart(anchor, plan, index + 1) };
}

/** What one period costs at the given price and quantity, tax at the subscription's rate. */
export function periodCharge(priced: Priced): PeriodCharge {
  const amount = priced.unitPrice * priced.quantity;
  const tax = taxOn(amount, priced.taxRatePpm);
  return { amount, tax, total: amount + tax };
}

/** The next period's charge: at the scheduled plan's price and quantity when a change is scheduled. */
export function nextPeriodCharge(sub: SubscriptionRow): PeriodCharge {
  if (sub.scheduledProductId && sub.scheduledUnitPrice !== null && sub.scheduledQuantity !== null) {
    return periodCharge({
      unitPrice: sub.scheduledUnitPrice,
      quantity: sub.scheduledQuantity,
      taxRatePpm: sub.taxRatePpm,
    });
  }
  return periodCharge(sub);
}

/** When the customer may first renew a period ending at `periodEnd` themselves (the contract's renew window before it). */
export function renewWindowOpensAt(periodEnd: Date): Date {
  return new Date(periodEnd.getTime() - RENEW_WINDOW_MS);
}

/**
 * The anchor and period index of the period that starts at `startsAt` after a pause.
 * Charges are keyed by period index, so the index must never repeat one already
 * charged: it is at least `minIndex` (one past the last paid period). The anchor is
 * chosen so that `periodStart(anchor, plan, index)` is exactly `startsAt` and later
 * periods fall on the same day of the month as `startsAt` — as if anchored there —
 * which for a day of the month past the 28th may take an index a little above `minIndex`.
 */
export function resumeAnchor(startsAt: Date, plan: Plan, minIndex: number): { anchor: Date; periodIndex: number } {
  const first = Math.max(0, minIndex);
  for (let index = first; index < first + 60; index++) {
    const anchor = backwards(startsAt, plan, index);
    if (anchor && periodStart(anchor, plan, index).getTime() === startsAt.getTime())
      return { anchor, periodIndex: index };
  }
  throw new Error(`No anchor puts period ${first} or later at ${startsAt.toISOString()}.`);
}

/** `at` moved back by `index` periods keeping its day of the month, or null when that month lacks the day. */
function backwards(at: Date, plan: Plan, index: number): Date | null {
  const interval = intervalOf(plan);
  if (interval === 'day' || interval === 'week') {
    const days = (interval === 'week' ? 7 : 1) * plan.intervalCount * index;
    return new Date(at.getTime() - days * DAY);
  }
  const months = (interval === 'year' ? 12 : 1) * plan.intervalCount * index;
  const candidate = new Date(
    Date.UTC(
      at.getUTCFullYear(),
      at.getUTCMonth() - months,
      at.getUTCDate(),
      at.getUTCHours(),
      at.getUTCMinutes(),
      at.getUTCSeconds(),
      at.getUTCMilliseconds(),
    ),
  );
  return candidate.getUTCDate() === at.getUTCDate() ? candidate : null;
}

/** The period a renewal pays for next: its index, anchor, dates, plan and price. */
export interface UpcomingPeriod {
  index: number;
  /** The billing anchor from which this period (and those after it) are counted. */
  anchor: Date;
  start: Date;
  end: Date;
  plan: ProductRow;
  unitPrice: number;
  quantity: number;
  charge: PeriodCharge;
  /** True when it starts the scheduled change (the new plan, quantity and price). */
  appliesScheduledChange: boolean;
}

const sameInterval = (a: Plan, b: Plan) => intervalOf(a) === intervalOf(b) && a.intervalCount === b.intervalCount;

/**
 * The period that follows the subscription's current one, on the scheduled plan
 * when a change is scheduled (`scheduledPlan` is that plan's row). A change to a
 * plan with another interval re-anchors billing at the current period's end.
 */
export function upcomingPeriod(
  sub: SubscriptionRow,
  plan: ProductRow,
  scheduledPlan: ProductRow | null,
): UpcomingPeriod {
  const scheduled = Boolean(
    sub.scheduledProductId && scheduledPlan && sub.scheduledQuantity !== null && sub.scheduledUnitPrice !== null,
  );
  const target = scheduled ? scheduledPlan! : plan;
  const unitPrice = scheduled ? sub.scheduledUnitPrice! : sub.unitPrice;
  const quantity = scheduled ? sub.scheduledQuantity! : sub.quantity;
  const rebased = sameInterval(plan, target)
    ? { anchor: sub.billingAnchorAt, periodIndex: sub.periodIndex + 1 }
    : resumeAnchor(sub.currentPeriodEnd, target, sub.periodIndex + 1);
  const { start, end } = periodBounds(rebased.anchor, target, rebased.periodIndex);
  return {
    index: rebased.periodIndex,
    anchor: rebased.anchor,
    start,
    end,
    plan: target,
    unitPrice,
    quantity,
    charge: periodCharge({ unitPrice, quantity, taxRatePpm: sub.taxRatePpm }),
    appliesScheduledChange: scheduled,
  };
}

/**
 * The fields of a new period starting at `at` on `plan` (an upgrade to a longer
 * interval, or a pause ended early). Billing is re-anchored so that period
 * `periodIndex` starts exactly at `at` and later ones fall on the same day of the
 * month; the index continues above every period charged before, because charges
 * are keyed by period index and must never repeat one.
 */
export function restartPeriod(sub: SubscriptionRow, plan: ProductRow, at: Date) {
  const { anchor, periodIndex } = resumeAnchor(at, plan, sub.periodIndex + 1);
  const { end } = periodBounds(anchor, plan, periodIndex);
  return { billingAnchorAt: anchor, periodIndex, currentPeriodStart: at, currentPeriodEnd: end, nextChargeAt: end };
}
