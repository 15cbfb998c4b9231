import { createHash } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client';
import { planChangeQuotes, products } from '../../../db/schema';
import type { Deps } from '../../../deps';
import { MINUTE } from '../../../lib/clock';
import { problem, problemSaying } from '../../../lib/errors';
import { newId } from '../../../lib/ids';
import { taxOn } from '../../../lib/money';
import { addIntervals } from '../../../lib/periods';
import { periodSeconds, prorate, secondsRemaining, upgradeCharge } from '../../../lib/proration';
import type {
  PlanChangePreviewInput,
  PlanChangeQuoteView,
  PlanOptionView,
} from '../../../schemas/subscription-actions';
import type { ProductRow, QuoteRow, SubscriptionRow } from '../../../db/schema';
import { assertChangeable, findOwnSubscription, isMerchant, type Actor } from '../subscription-record';

/** How long a quote can be confirmed. */
export const QUOTE_TTL_MS = 10 * MINUTE;

/** Nominal days per interval unit, only to compare interval lengths (12 months = 1 year). */
const NOMINAL_DAYS = { day: 1, week: 7, month: 365.25 / 12, year: 365.25 } as const;

/** Compares the period lengths of two plans: negative when `a` is shorter, 0 when equal, positive when longer. */
export function compareIntervals(a: ProductRow, b: ProductRow): number {
  const days = (p: ProductRow) => NOMINAL_DAYS[p.interval ?? 'month'] * p.intervalCount;
  const difference = days(a) - days(b);
  return Math.abs(difference) < 1e-9 ? 0 : difference;
}

/** A switch to a longer interval starts a new period when applied (never during a trial, which keeps its end). */
export function restartsPeriod(sub: SubscriptionRow, plan: ProductRow, target: ProductRow): boolean {
  return sub.status !== 'trial' && compareIntervals(target, plan) > 0;
}

/** What a change costs and when it applies. */
export interface PricedChange {
  kind: 'upgrade' | 'downgrade';
  unitPrice: number;
  amount: number;
  tax: number;
  newNet: number;
  recurringTotal: number;
  effectiveAt: Date;
  restartsPeriod: boolean;
}

/** The price per unit the subscription would pay on `target`: its own price on its own plan, else the catalog price. */
export function unitPriceOn(sub: SubscriptionRow, plan: ProductRow, target: ProductRow): number | undefined {
  return target.id === plan.id ? sub.unitPrice : target.prices[sub.currency];
}

/**
 * Prices a plan or quantity change at `now`. An upgrade (a higher net price per
 * period with the same interval length, or a longer interval) is charged now: the
 * difference prorated over the seconds left in the period, or — for a longer
 * interval — the new plan's full price less the unused value of the current
 * period (never below 0). A downgrade (lower or equal, or a shorter interval) costs
 * nothing now and applies at the end of the period. A trial has paid for nothing,
 * so an upgrade during it is free.
 */
export function priceChange(
  sub: SubscriptionRow,
  plan: ProductRow,
  target: ProductRow,
  quantity: number,
  now: Date,
): PricedChange {
  const unitPrice = unitPriceOn(sub, plan, target) ?? 0;
  const currentNet = sub.unitPrice * sub.quantity;
  const newNet = unitPrice * quantity;
  const longer = compareIntervals(target, plan);
  const recurringTotal = newNet + taxOn(newNet, sub.taxRatePpm);
  const base = { unitPrice, newNet, recurringTotal };
  if (!(longer > 0 || (longer === 0 && newNet > currentNet))) {
    return { ...base, kind: 'downgrade', amount: 0, tax: 0, effectiveAt: sub.currentPeriodEnd, restartsPeriod: false };
  }
  const period = { periodStart: sub.currentPeriodStart, periodEnd: sub.currentPeriodEnd, now };
  let amount = 0;
  if (sub.status !== 'trial' && longer > 0) {
    const unused = prorate(
      currentNet,
      secondsRemaining(period.periodEnd, now),
      periodSeconds(period.periodStart, period.periodEnd),
    );
    amount = Math.max(0, newNet - unused);
  } else if (sub.status !== 'trial') {
    amount = upgradeCharge({ currentNet, newNet, taxRatePpm: sub.taxRatePpm, ...period }).amount;
  }
  return {
    ...base,
    kind: 'upgrade',
    amount,
    tax: taxOn(amount, sub.taxRatePpm),
    effectiveAt: now,
    restartsPeriod: restartsPeriod(sub, plan, target),
  };
}

/**
 * The plans the subscription may switch to, by sort order, the current one
 * included. Customers get the visible plans of the same family (narrowed by the
 * current plan's `switchableTo`); the merchant any plan. Either way only plans
 * with a price in the subscription's currency.
 */
export async function switchTargets(
  db: DbOrTx,
  sub: SubscriptionRow,
  plan: ProductRow,
  merchant: boolean,
): Promise<ProductRow[]> {
  const plans = await db
    .select()
    .from(products)
    .where(and(eq(products.storeId, sub.storeId), eq(products.kind, 'subscription')))
    .orderBy(asc(products.sortOrder), asc(products.key));
  const offered = (p: ProductRow) =>
    merchant ||
    (p.family !== null &&
      p.family === plan.family &&
      !p.hidden &&
      (plan.switchableTo === null || plan.switchableTo.includes(p.key)));
  return plans.filter((p) => p.id === plan.id || (p.prices[sub.currency] !== undefined && offered(p)));
}

/**
 * The plans the customer may switch to, each priced per period at `quantity` (the
 * current quantity when not given): net, tax at the subscription's rate and total,
 * so that clients show the server's figures instead of working out tax themselves.
 */
export async function listPlanOptions(
  db: DbOrTx,
  actor: Actor,
  subscriptionId: string,
  now: Date,
  quantity?: number,
): Promise<{ data: PlanOptionView[]; quantity: number }> {
  const { subscription: sub, plan } = await findOwnSubscription(db, actor, subscriptionId);
  const at = quantity ?? sub.quantity;
  const data = (await switchTargets(db, sub, plan, isMerchant(actor))).map((target) => {
    const current = target.id === plan.id;
    const priced = priceChange(sub, plan, target, at, now);
    return {
      id: target.id,
      key: target.key,
      name: target.name,
      description: target.description,
      interval: target.interval ?? null,
      intervalCount: target.intervalCount,
      currency: sub.currency,
      unitPrice: priced.unitPrice,
      recurringTotal: priced.recurringTotal,
      recurring: { amount: priced.newNet, tax: priced.recurringTotal - priced.newNet, total: priced.recurringTotal },
      current,
      change: current && at === sub.quantity ? null : priced.kind,
    };
  });
  return { data, quantity: at };
}

async function resolveTarget(
  db: DbOrTx,
  actor: Actor,
  sub: SubscriptionRow,
  plan: ProductRow,
  planId: string,
): Promise<ProductRow> {
  const target = (await switchTargets(db, sub, plan, isMerchant(actor))).find(
    (p) => p.id === planId || p.key === planId,
  );
  if (!target) {
    throw problemSaying(
      'plan_not_available',
      `This subscription cannot be switched to "${planId}": it is not one of the plans offered for it in ${sub.currency}.`,
      { planId },
    );
  }
  return target;
}

/**
 * Quotes a plan or quantity change (valid for 10 minutes): what confirming it
 * charges now, the new recurring price and when it takes effect.
 */
export async function previewPlanChange(
  deps: Deps,
  actor: Actor,
  subscriptionId: string,
  input: PlanChangePreviewInput,
): Promise<PlanChangeQuoteView> {
  return await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const { subscription: sub, plan } = await findOwnSubscription(tx, actor, subscriptionId);
    assertChangeable(sub);
    const target = input.planId ? await resolveTarget(tx, actor, sub, plan, input.planId) : plan;
    const quantity = input.quantity ?? sub.quantity;
    if (target.id === plan.id && quantity === sub.quantity) {
      throw problem('no_change');
    }
    const priced = priceChange(sub, plan, target, quantity, now);
    const row: QuoteRow = {
      id: newId('quo'),
      storeId: sub.storeId,
      accountId: sub.accountId,
      subscriptionId: sub.id,
      subscriptionVersion: sub.version,
      productId: target.id,
      quantity,
      kind: priced.kind,
      currency: sub.currency,
      chargeAmount: priced.amount,
      chargeTax: priced.tax,
      chargeTotal: priced.amount + priced.tax,
      newUnitPrice: priced.unitPrice,
      newRecurringTotal: priced.recurringTotal,
      effectiveAt: priced.effectiveAt,
      createdAt: now,
      expiresAt: new Date(now.getTime() + QUOTE_TTL_MS),
      usedAt: null,
    };
    await tx.insert(planChangeQuotes).values(row);
    const nextChargeAt = priced.restartsPeriod
      ? addIntervals(now, target.interval!, target.intervalCount)
      : sub.currentPeriodEnd;
    return toQuoteView(row, target, priced, nextChargeAt);
  });
}

function toQuoteView(row: QuoteRow, target: ProductRow, priced: PricedChange, nextChargeAt: Date): PlanChangeQuoteView {
  return {
    id: row.id,
    subscriptionId: row.subscriptionId,
    kind: row.kind,
    product: {
      id: target.id,
      key: target.key,
      name: target.name,
      interval: target.interval ?? null,
      intervalCount: target.intervalCount,
    },
    quantity: row.quantity,
    currency: row.currency,
    unitPrice: row.newUnitPrice,
    charge: { amount: row.chargeAmount, tax: row.chargeTax, total: row.chargeTotal },
    recurring: { amount: priced.newNet, tax: row.newRecurringTotal - priced.newNet, total: row.newRecurringTotal },
    effectiveAt: row.effectiveAt.toISOString(),
    restartsPeriod: priced.restartsPeriod,
    nextChargeAt: nextChargeAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
  };
}

/**
 * The charge attempt number of a quote: derived from its id, so one quote can
 * only ever make one charge (the idempotency key includes it), and two quotes
 * share one with a chance of 2⁻⁴⁸.
 */
export function quoteAttempt(quoteId: string): number {
  return Number.parseInt(createHash('sha256').update(quoteId).digest('hex').slice(0, 12), 16);
}
