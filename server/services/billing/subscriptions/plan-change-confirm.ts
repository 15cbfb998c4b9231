import { first } from '../../../db/query';
import { and, eq, inArray, isNull, ne } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { planChangeQuotes, subscriptionCharges } from '../../../db/schema';
import type { Deps } from '../../../deps';
import { notFound, problem } from '../../../lib/errors';
import type { ChargeResult } from '../../../payments/gateway';
import type { ChargeSummary } from '../../../schemas/subscription-actions';
import { getAccount } from '../../accounts';
import { getProduct } from '../../stores';
import { recordChargeOrder } from '../../orders';
import { type ChargeEffects, requesterOf, unsettledStatuses } from '../charge-once';
import { recordSubscriptionActivity } from '../subscription-activity';
import type { ActivityActor } from '../../../contract';
import {
  chargeLocked,
  chargeSummary,
  finishDeclinedCharge,
  finishPaidCharge,
  holdsForCustomer,
  type ChargeAttempt,
} from './charge-outcomes';
import { quoteAttempt, restartsPeriod } from './plan-change-quotes';
import { periodAmount } from './subscriptions';
import type { ChargeRow, PaymentMethodRow, ProductRow, QuoteRow, SubscriptionRow } from '../../../db/schema';
import {
  assertChangeable,
  assertNotEnded,
  findOwnSubscription,
  updateSubscription,
  type Actor,
  getSubscription,
  isMerchant,
  actorName,
  isPendingCancellation,
} from '../subscription-record';
import { takeLockOrBusy, withSubscriptionLock } from '../subscription-lock';
import { announce, planLine } from './notices';
import { chargeableMethod } from '../payment-methods/payment-methods';
import { restartPeriod } from '../periods';

/** What confirming a quote did. */
export interface PlanChangeOutcome {
  kind: 'upgrade' | 'downgrade';
  subscriptionId: string;
  charge: ChargeSummary;
  /** The upgrade's charge waits for the customer's authentication: nothing is applied yet. */
  held?: ChargeAttempt;
}

/** An upgrade ready to be charged: the subscription is locked until `lockedUntil`. */
interface PendingUpgrade {
  quote: QuoteRow;
  sub: SubscriptionRow;
  plan: ProductRow;
  target: ProductRow;
  method: PaymentMethodRow;
  lockedUntil: Date;
}

/**
 * Applies exactly what a quote said. A downgrade is scheduled for the period's
 * end; an upgrade is charged (through `chargeOnce`, one charge per quote) and
 * applied in the transaction that records the gateway's answer; a free upgrade is
 * applied at once. A declined charge changes nothing and answers 402. A charge
 * the customer's bank holds for authentication changes nothing yet (`held`); the
 * processor's later `answer` (their confirmation, a webhook) applies it through
 * this same path, once.
 */
export async function applyPlanChange(
  deps: Deps,
  actor: Actor,
  subscriptionId: string,
  quoteId: string,
  answer?: ChargeResult,
): Promise<PlanChangeOutcome> {
  const prepared = await deps.db.transaction(
    async (tx) => await confirmQuote(tx, deps, actor, subscriptionId, quoteId),
  );
  if ('outcome' in prepared) return prepared.outcome;
  const { sub, quote, target } = prepared;
  const attempt = await chargeLocked(
    deps,
    {
      storeId: sub.storeId,
      subscriptionId,
      kind: 'plan_change',
      periodIndex: sub.periodIndex,
      attempt: quoteAttempt(quote.id),
      paymentMethod: prepared.method,
      currency: quote.currency,
      amount: quote.chargeAmount,
      tax: quote.chargeTax,
      description: `${target.name}: upgrade, prorated`,
      customerPresent: !isMerchant(actor),
      requestedBy: actorName(actor),
    },
    { ...upgradeEffects(deps, prepared), ...holdsForCustomer(actor) },
    prepared.lockedUntil,
    answer,
  );
  const charge = await chargeSummary(deps, attempt.charge);
  if (attempt.charge.status === 'requires_action') return { kind: 'upgrade', subscriptionId, charge, held: attempt };
  return { kind: 'upgrade', subscriptionId, charge };
}

/** Checks the quote and the subscription, then applies what needs no charge or locks the subscription for the charge. */
async function confirmQuote(
  tx: Tx,
  deps: Deps,
  actor: Actor,
  subscriptionId: string,
  quoteId: string,
): Promise<PendingUpgrade | { outcome: PlanChangeOutcome }> {
  const now = deps.clock.now();
  const quote = await loadQuote(tx, actor, subscriptionId, quoteId, now);
  const { subscription: sub, plan } = await findOwnSubscription(tx, actor, subscriptionId);
  if (sub.version !== quote.subscriptionVersion) {
    throw problem('quote_stale', { quoteId });
  }
  assertChangeable(sub);
  const target = await getProduct(tx, sub.storeId, quote.productId);
  if (quote.kind === 'downgrade' || quote.chargeTotal === 0) {
    const by = actorName(actor);
    const outcome = await withSubscriptionLock(tx, sub.id, now, async () =>
      quote.kind === 'downgrade'
        ? await scheduleDowngrade(tx, deps, { sub, target, quote, by }, now)
        : await applyFreeUpgrade(tx, deps, { sub, plan, target, quote, by }, now),
    );
    return { outcome };
  }
  const method = await chargeableMethod(tx, sub);
  const lockedUntil = await takeLockOrBusy(tx, sub.id, now);
  // After the lock: a charge in flight is `subscription_busy`; one whose request was cut off is `payment_pending`.
  // Throwing rolls the lock back with the transaction.
  await assertNoOtherUpgradePending(tx, sub.id, quote);
  return { quote, sub, plan, target, method, lockedUntil };
}

/** The actor's quote for this subscription: 404 if unknown, 409 once used, 410 once expired. */
async function loadQuote(tx: Tx, actor: Actor, subscriptionId: string, quoteId: string, now: Date): Promise<QuoteRow> {
  const quote = first(
    await tx
      .select()
      .from(planChangeQuotes)
      .where(
        and(
          eq(planChangeQuotes.id, quoteId),
          eq(planChangeQuotes.storeId, actor.storeId),
          eq(planChangeQuotes.subscriptionId, subscriptionId),
          actor.accountId === undefined ? undefined : eq(planChangeQuotes.accountId, actor.accountId),
        ),
      ),
  );
  if (!quote) throw notFound('Quote', { quoteId });
  if (quote.usedAt) {
    throw problem('quote_used', { quoteId });
  }
  // A charge left pending by an unreachable gateway, or held for the customer's authentication, is finished
  // with its own quote, however late.
  const pending = first(
    await tx
      .select({ id: subscriptionCharges.id })
      .from(subscriptionCharges)
      .where(
        and(
          eq(subscriptionCharges.subscriptionId, subscriptionId),
          eq(subscriptionCharges.kind, 'plan_change'),
          eq(subscriptionCharges.attempt, quoteAttempt(quote.id)),
          inArray(subscriptionCharges.status, unsettledStatuses),
        ),
      ),
  );
  if (!pending && now.getTime() >= quote.expiresAt.getTime()) {
    throw problem('quote_expired', { quoteId, expiredAt: quote.expiresAt.toISOString() });
  }
  return quote;
}

/**
 * While an earlier upgrade's charge is unfinished (its request stopped mid-call, or the customer left
 * their bank's challenge open), another upgrade could charge the customer a second time for the same
 * period: it waits until the earlier one is finished by retrying its quote, or settled by the renewal
 * scheduler (charge-recovery.ts, charge-settlement.ts).
 */
async function assertNoOtherUpgradePending(tx: Tx, subscriptionId: string, quote: QuoteRow): Promise<void> {
  const other = first(
    await tx
      .select({ id: subscriptionCharges.id })
      .from(subscriptionCharges)
      .where(
        and(
          eq(subscriptionCharges.subscriptionId, subscriptionId),
          eq(subscriptionCharges.kind, 'plan_change'),
          inArray(subscriptionCharges.status, unsettledStatuses),
          ne(subscriptionCharges.attempt, quoteAttempt(quote.id)),
        ),
      ),
  );
  if (other) throw problem('payment_pending', { chargeId: other.id }, { 'Retry-After': '60' });
}

async function markQuoteUsed(tx: Tx, quoteId: string, now: Date): Promise<void> {
  await tx
    .update(planChangeQuotes)
    .set({ usedAt: now })
    .where(and(eq(planChangeQuotes.id, quoteId), isNull(planChangeQuotes.usedAt)));
}

/** Puts the new plan, quantity and price in place now (and a new period for a longer interval). */
async function applyUpgrade(
  tx: Tx,
  sub: SubscriptionRow,
  plan: ProductRow,
  target: ProductRow,
  quote: QuoteRow,
  now: Date,
): Promise<SubscriptionRow> {
  const changes: Partial<SubscriptionRow> = {
    productId: target.id,
    quantity: quote.quantity,
    unitPrice: quote.newUnitPrice,
    nextChargeAmount: quote.newRecurringTotal,
    scheduledProductId: null,
    scheduledQuantity: null,
    scheduledUnitPrice: null,
  };
  if (restartsPeriod(sub, plan, target)) Object.assign(changes, restartPeriod(sub, target, now));
  await markQuoteUsed(tx, quote.id, now);
  return await updateSubscription(tx, sub, changes, now);
}

/** A plan change, who asks for it, and the quote that says what it does. */
interface QuotedChange {
  sub: SubscriptionRow;
  plan: ProductRow;
  target: ProductRow;
  quote: QuoteRow;
  by: ActivityActor;
}

/** Puts an applied plan change in the activity log (`charge`: what it cost, for a paid upgrade). */
async function recordPlanChanged(
  tx: Tx,
  next: SubscriptionRow,
  change: Omit<QuotedChange, 'sub' | 'quote'>,
  now: Date,
  charge?: ChargeRow,
): Promise<void> {
  const details = {
    plan: change.target.name,
    previousPlan: change.plan.name,
    quantity: next.quantity,
    ...(charge && { amount: charge.total, currency: charge.currency }),
  };
  await recordSubscriptionActivity(tx, next, 'subscription_plan_changed', change.by, details, now);
}

async function applyFreeUpgrade(tx: Tx, deps: Deps, change: QuotedChange, now: Date): Promise<PlanChangeOutcome> {
  const { sub, plan, target, quote } = change;
  const next = await applyUpgrade(tx, sub, plan, target, quote, now);
  await recordPlanChanged(tx, next, change, now);
  await announce(
    tx,
    deps,
    next,
    ['subscription.updated'],
    {
      kind: 'changed',
      plan: planLine(target, next.quantity),
      charged: null,
      recurring: { amount: quote.newRecurringTotal, currency: next.currency },
      nextChargeAt: next.nextChargeAt,
    },
    now,
  );
  return { kind: 'upgrade', subscriptionId: sub.id, charge: null };
}

async function scheduleDowngrade(
  tx: Tx,
  deps: Deps,
  { sub, target, quote, by }: Omit<QuotedChange, 'plan'>,
  now: Date,
): Promise<PlanChangeOutcome> {
  await markQuoteUsed(tx, quote.id, now);
  const next = await updateSubscription(
    tx,
    sub,
    {
      scheduledProductId: target.id,
      scheduledQuantity: quote.quantity,
      scheduledUnitPrice: quote.newUnitPrice,
      nextChargeAmount: quote.newRecurringTotal,
    },
    now,
  );
  await announce(
    tx,
    deps,
    next,
    ['subscription.updated'],
    {
      kind: 'changeScheduled',
      plan: planLine(target, quote.quantity),
      recurring: { amount: quote.newRecurringTotal, currency: sub.currency },
      effectiveAt: sub.currentPeriodEnd,
    },
    now,
  );
  const details = { plan: target.name, quantity: quote.quantity, effectiveAt: sub.currentPeriodEnd.toISOString() };
  await recordSubscriptionActivity(tx, next, 'subscription_change_scheduled', by, details, now);
  return { kind: 'downgrade', subscriptionId: sub.id, charge: null };
}

/** What happens in the transaction that records the gateway's answer to an upgrade's charge. */
function upgradeEffects(deps: Deps, p: PendingUpgrade): ChargeEffects {
  return {
    async succeeded(tx, charge) {
      const now = deps.clock.now();
      const { subscription } = await getSubscription(tx, p.sub.storeId, p.sub.id);
      const next = await applyUpgrade(tx, subscription, p.plan, p.target, p.quote, now);
      await recordPlanChanged(tx, next, { plan: p.plan, target: p.target, by: requesterOf(charge) }, now, charge);
      const orderId = await recordChargeOrder(
        tx,
        {
          storeId: next.storeId,
          account: await getAccount(tx, next.storeId, next.accountId),
          kind: 'plan_change',
          currency: charge.currency,
          paymentMethod: p.method,
          lines: [
            {
              productId: p.target.id,
              productKey: p.target.key,
              quantity: 1,
              unitPrice: charge.amount,
              tax: charge.tax,
              taxRatePpm: next.taxRatePpm,
              period: { start: now, end: next.currentPeriodEnd },
              displayName: `${p.target.name}${next.quantity > 1 ? ` × ${next.quantity}` : ''} (upgrade, prorated)`,
              subscriptionId: next.id,
            },
          ],
        },
        now,
      );
      return await finishPaidCharge(
        tx,
        deps,
        { sub: next, charge, orderId, lockedUntil: p.lockedUntil },
        ['subscription.updated'],
        {
          kind: 'changed',
          plan: planLine(p.target, next.quantity),
          charged: { amount: charge.total, currency: charge.currency },
          recurring: { amount: p.quote.newRecurringTotal, currency: next.currency },
          nextChargeAt: next.nextChargeAt,
        },
        now,
      );
    },
    async declined(tx, charge) {
      const now = deps.clock.now();
      await markQuoteUsed(tx, p.quote.id, now);
      await finishDeclinedCharge(tx, deps, p.sub, charge, p.lockedUntil, now);
    },
  };
}

/** Withdraws a scheduled downgrade: the subscription renews on its current plan. */
export async function undoScheduledChange(deps: Deps, actor: Actor, subscriptionId: string): Promise<SubscriptionRow> {
  return await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const { subscription: sub, plan } = await findOwnSubscription(tx, actor, subscriptionId);
    assertNotEnded(sub);
    if (!sub.scheduledProductId) {
      throw problem('no_scheduled_change', { subscriptionId });
    }
    const next = await withSubscriptionLock(
      tx,
      sub.id,
      now,
      async () =>
        await updateSubscription(
          tx,
          sub,
          {
            scheduledProductId: null,
            scheduledQuantity: null,
            scheduledUnitPrice: null,
            nextChargeAmount: isPendingCancellation(sub) ? null : periodAmount(sub),
          },
          now,
        ),
    );
    await announce(
      tx,
      deps,
      next,
      ['subscription.updated'],
      {
        kind: 'changeWithdrawn',
        plan: planLine(plan, sub.quantity),
        recurring: { amount: periodAmount(sub), currency: sub.currency },
        nextChargeAt: next.nextChargeAt,
      },
      now,
    );
    await recordSubscriptionActivity(
      tx,
      next,
      'subscription_change_withdrawn',
      actorName(actor),
      { plan: plan.name },
      now,
    );
    return next;
  });
}
