import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { subscriptionCharges } from '../../../db/schema';
import type { Deps } from '../../../deps';
import { problem, problemSaying } from '../../../lib/errors';
import { taxOn } from '../../../lib/money';
import { addIntervals } from '../../../lib/periods';
import type { ChargeSummary, PauseInput } from '../../../schemas/subscription-actions';
import { getAccount } from '../../accounts';
import { getProduct, getStore } from '../../stores';
import { recordChargeOrder } from '../../orders';
import { isUnsettled, requesterOf, type ChargeEffects } from '../charge-once';
import { recordSubscriptionActivity } from '../subscription-activity';
import {
  chargeLocked,
  chargeSummary,
  finishDeclinedCharge,
  finishPaidCharge,
  holdsForCustomer,
  type ChargeAttempt,
} from './charge-outcomes';
import type { ChargeResult } from '../../../payments/gateway';
import type { PaymentMethodRow, ProductRow, SubscriptionRow } from '../../../db/schema';
import { storeSettings } from '../../../lib/store-settings';
import {
  assertChangeable,
  assertNotEnded,
  findOwnSubscription,
  isMerchant,
  actorName,
  updateSubscription,
  type Actor,
  getSubscription,
} from '../subscription-record';
import { takeLockOrBusy, withSubscriptionLock } from '../subscription-lock';
import { announce, planLine } from './notices';
import { chargeableMethod } from '../payment-methods/payment-methods';
import { restartPeriod } from '../periods';

/** The longest pause the merchant may set through the Server API, in periods. */
export const MERCHANT_MAX_PAUSE_PERIODS = 12;

/**
 * Schedules a pause from the end of the paid period, for a number of periods or
 * until a date (at most the store's `maxPausePeriods` periods; customers only where
 * the store enables pauses). The renewal scheduler pauses billing when the period
 * ends and starts a new period at the resume date. Emits `subscription.paused`.
 */
export async function pauseSubscription(
  deps: Deps,
  actor: Actor,
  subscriptionId: string,
  input: PauseInput,
): Promise<SubscriptionRow> {
  return await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const settings = storeSettings(await getStore(tx, actor.storeId));
    if (!isMerchant(actor) && !settings.pauseEnabled) {
      throw problem('pause_not_allowed');
    }
    const { subscription: sub, plan } = await findOwnSubscription(tx, actor, subscriptionId);
    assertChangeable(sub);
    const startsAt = sub.currentPeriodEnd;
    const resumesAt = pauseEnd(
      plan,
      startsAt,
      input,
      isMerchant(actor) ? MERCHANT_MAX_PAUSE_PERIODS : settings.maxPausePeriods,
    );
    const next = await withSubscriptionLock(
      tx,
      sub.id,
      now,
      async () => await updateSubscription(tx, sub, { pauseStartsAt: startsAt, pauseResumesAt: resumesAt }, now),
    );
    await announce(
      tx,
      deps,
      next,
      ['subscription.paused'],
      {
        kind: 'paused',
        plan: planLine(plan, sub.quantity),
        startsAt,
        resumesAt,
        next: next.nextChargeAmount === null ? null : { amount: next.nextChargeAmount, currency: sub.currency },
      },
      now,
    );
    await recordSubscriptionActivity(
      tx,
      next,
      'subscription_pause_scheduled',
      actorName(actor),
      { plan: plan.name, startsAt: startsAt.toISOString(), resumesAt: resumesAt.toISOString() },
      now,
    );
    return next;
  });
}

/** When a pause starting at `startsAt` ends after `periods` billing periods. */
export function pauseResumeDate(plan: ProductRow, startsAt: Date, periods: number): Date {
  return addIntervals(startsAt, plan.interval!, plan.intervalCount * periods);
}

function pauseEnd(plan: ProductRow, startsAt: Date, input: PauseInput, maxPeriods: number): Date {
  const periodsLater = (n: number) => pauseResumeDate(plan, startsAt, n);
  const tooLong = () =>
    problemSaying(
      'pause_too_long',
      `A pause can last at most ${maxPeriods} billing period${maxPeriods === 1 ? '' : 's'}.`,
      { maxPeriods },
    );
  if (input.resumeAt === undefined) {
    const periods = input.periods ?? 1;
    if (periods > maxPeriods) throw tooLong();
    return periodsLater(periods);
  }
  const resumesAt = new Date(input.resumeAt);
  if (resumesAt.getTime() <= startsAt.getTime()) {
    throw problemSaying(
      'resume_date_too_early',
      `The current period is paid until ${startsAt.toISOString()}; choose a resume date after it.`,
      { pauseStartsAt: startsAt.toISOString() },
    );
  }
  if (resumesAt.getTime() > periodsLater(maxPeriods).getTime()) throw tooLong();
  return resumesAt;
}

/** A running pause about to end early by charging a new period: the subscription is locked until `lockedUntil`. */
interface PendingResume {
  sub: SubscriptionRow;
  plan: ProductRow;
  method: PaymentMethodRow;
  lockedUntil: Date;
  attempt: number;
  amount: number;
  tax: number;
  /** The new period, starting when the unpause was asked for. */
  period: ReturnType<typeof restartPeriod>;
}

/**
 * Ends a pause. One that has not started yet is simply withdrawn; a running one
 * ends now: a new period starting now is charged (anchored now), and the
 * subscription is active again. A declined charge changes nothing (402). Emits
 * `subscription.resumed`. A charge the customer's bank holds for authentication
 * changes nothing yet (`held`); the processor's later `answer` finishes it here, once.
 */
export async function unpauseSubscription(
  deps: Deps,
  actor: Actor,
  subscriptionId: string,
  answer?: ChargeResult,
): Promise<{ subscription: SubscriptionRow; charge: ChargeSummary; held?: ChargeAttempt }> {
  const prepared = await deps.db.transaction(async (tx) => await prepareUnpause(tx, deps, actor, subscriptionId));
  if ('subscription' in prepared) return { subscription: prepared.subscription, charge: null };
  const { sub, plan } = prepared;
  const attempt = await chargeLocked(
    deps,
    {
      storeId: sub.storeId,
      subscriptionId,
      kind: 'resume',
      periodIndex: prepared.period.periodIndex,
      attempt: prepared.attempt,
      paymentMethod: prepared.method,
      currency: sub.currency,
      amount: prepared.amount,
      tax: prepared.tax,
      description: `${plan.name}: resumed`,
      customerPresent: !isMerchant(actor),
      requestedBy: actorName(actor),
    },
    { ...resumeEffects(deps, prepared), ...holdsForCustomer(actor) },
    prepared.lockedUntil,
    answer,
  );
  return {
    subscription: (await getSubscription(deps.db, actor.storeId, subscriptionId)).subscription,
    charge: await chargeSummary(deps, attempt.charge),
    ...(attempt.charge.status === 'requires_action' && { held: attempt }),
  };
}

async function prepareUnpause(
  tx: Tx,
  deps: Deps,
  actor: Actor,
  subscriptionId: string,
): Promise<PendingResume | { subscription: SubscriptionRow }> {
  const now = deps.clock.now();
  const { subscription: sub, plan: current } = await findOwnSubscription(tx, actor, subscriptionId);
  assertNotEnded(sub);
  if (sub.status !== 'paused') {
    if (!sub.pauseStartsAt) throw problem('not_paused', { subscriptionId });
    const next = await withSubscriptionLock(
      tx,
      sub.id,
      now,
      async () => await updateSubscription(tx, sub, { pauseStartsAt: null, pauseResumesAt: null }, now),
    );
    await announce(
      tx,
      deps,
      next,
      ['subscription.resumed'],
      {
        kind: 'unpaused',
        plan: planLine(current, sub.quantity),
        charged: null,
        nextChargeAt: next.nextChargeAt,
        next: next.nextChargeAmount === null ? null : { amount: next.nextChargeAmount, currency: sub.currency },
      },
      now,
    );
    const withdrawn = { plan: current.name };
    await recordSubscriptionActivity(tx, next, 'subscription_pause_withdrawn', actorName(actor), withdrawn, now);
    return { subscription: next };
  }
  // A downgrade still scheduled when the pause began applies to the period that starts now.
  const plan = sub.scheduledProductId ? await getProduct(tx, sub.storeId, sub.scheduledProductId) : current;
  const amount = (sub.scheduledUnitPrice ?? sub.unitPrice) * (sub.scheduledQuantity ?? sub.quantity);
  const method = await chargeableMethod(tx, sub);
  const lockedUntil = await takeLockOrBusy(tx, sub.id, now);
  const period = restartPeriod(sub, plan, now);
  return {
    sub,
    plan,
    method,
    lockedUntil,
    period,
    attempt: await resumeAttempt(tx, sub.id, period.periodIndex, now),
    amount,
    tax: taxOn(amount, sub.taxRatePpm),
  };
}

/**
 * The attempt number of an early resume charge: a charge left pending (gateway
 * unreachable) or held for the customer's authentication is finished rather than made again; otherwise a new number (the
 * time in seconds, above any earlier one), so a retry after a decline is a new charge.
 */
async function resumeAttempt(tx: Tx, subscriptionId: string, periodIndex: number, now: Date): Promise<number> {
  const earlier = await tx
    .select()
    .from(subscriptionCharges)
    .where(
      and(
        eq(subscriptionCharges.subscriptionId, subscriptionId),
        eq(subscriptionCharges.kind, 'resume'),
        eq(subscriptionCharges.periodIndex, periodIndex),
      ),
    );
  const pending = earlier.find(isUnsettled);
  if (pending) return pending.attempt;
  return Math.max(Math.floor(now.getTime() / 1000), ...earlier.map((c) => c.attempt + 1));
}

function resumeEffects(deps: Deps, p: PendingResume): ChargeEffects {
  return {
    async succeeded(tx, charge) {
      const now = deps.clock.now();
      const { subscription } = await getSubscription(tx, p.sub.storeId, p.sub.id);
      const next = await startPeriod(tx, subscription, p.plan, p.period, now);
      const orderId = await recordChargeOrder(
        tx,
        {
          storeId: next.storeId,
          account: await getAccount(tx, next.storeId, next.accountId),
          kind: 'rebill',
          currency: charge.currency,
          paymentMethod: p.method,
          lines: [
            {
              productId: p.plan.id,
              productKey: p.plan.key,
              displayName: p.plan.name,
              quantity: next.quantity,
              unitPrice: next.unitPrice,
              tax: charge.tax,
              taxRatePpm: next.taxRatePpm,
              period: { start: next.currentPeriodStart, end: next.currentPeriodEnd },
              subscriptionId: next.id,
            },
          ],
        },
        now,
      );
      await finishPaidCharge(
        tx,
        deps,
        { sub: next, charge, orderId, lockedUntil: p.lockedUntil },
        ['subscription.resumed'],
        {
          kind: 'unpaused',
          plan: planLine(p.plan, next.quantity),
          charged: { amount: charge.total, currency: charge.currency },
          next: { amount: next.nextChargeAmount ?? 0, currency: next.currency },
          nextChargeAt: next.nextChargeAt,
        },
        now,
      );
      const resumed = { plan: p.plan.name, amount: charge.total, currency: charge.currency };
      await recordSubscriptionActivity(tx, next, 'subscription_resumed', requesterOf(charge), resumed, now);
      return orderId;
    },
    async declined(tx, charge) {
      await finishDeclinedCharge(tx, deps, p.sub, charge, p.lockedUntil, deps.clock.now());
    },
  };
}

/** Active again with the new period (the new billing anchor), any scheduled change applied. */
async function startPeriod(
  tx: Tx,
  sub: SubscriptionRow,
  plan: ProductRow,
  period: PendingResume['period'],
  now: Date,
): Promise<SubscriptionRow> {
  const unitPrice = sub.scheduledUnitPrice ?? sub.unitPrice;
  const quantity = sub.scheduledQuantity ?? sub.quantity;
  const net = unitPrice * quantity;
  return await updateSubscription(
    tx,
    sub,
    {
      ...period,
      status: 'active',
      productId: plan.id,
      unitPrice,
      quantity,
      scheduledProductId: null,
      scheduledQuantity: null,
      scheduledUnitPrice: null,
      nextChargeAmount: net + taxOn(net, sub.taxRatePpm),
      pauseStartsAt: null,
      pauseResumesAt: null,
      failedAttempts: 0,
    },
    now,
  );
}
