import { affected, first } from '../../../db/query';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../../db/client';
import { prepared } from '../../../db/prepared';
import { paymentMethods, subscriptionCharges, type ChargeKind } from '../../../db/schema';
import type { Deps } from '../../../deps';
import {
  renewalFailedEmail,
  renewalReceiptEmail,
  renewalStoppedEmail,
  type NextPayment,
} from '../../../email/renewal-templates';
import { newId } from '../../../lib/ids';
import { recordChargeOrder, type ChargeLine } from '../../orders';
import {
  cancelHeldCharge,
  chargeKey,
  chargeOnce,
  isUnsettled,
  requesterOf,
  settleWithAnswer,
  type ChargeEffects,
  type ChargeSpec,
} from '../charge-once';
import { recordConfirmationNeeded } from './confirmation-notice';
import { recordSubscriptionActivity } from '../subscription-activity';
import { emitSubscriptionEvent, portalLinks, recipientOf, sendRenewalEmail } from './notices';
import { resumeAnchor, upcomingPeriod, type UpcomingPeriod } from '../periods';
import { RENEWAL_MAX_ATTEMPTS, renewalRetryAt } from './schedule';
import { readProduct, type RenewalContext } from './steps';
import type { ChargeRow, PaymentMethodRow, SubscriptionRow } from '../../../db/schema';
import { endsBilling, readSubscription, updateSubscription } from '../subscription-record';

/** The failure recorded for an automatic renewal that has no method to charge (no gateway call is made). */
export const NO_PAYMENT_METHOD = {
  code: 'no_payment_method',
  message: 'No usable payment method is saved for this subscription. Add one in the customer portal.',
} as const;

/**
 * What one automatic renewal charge came to. `skipped`: its attempt had been
 * settled already (nothing done); `rebased`: period numbering was moved past
 * earlier charges first (nothing charged yet; the caller plans again).
 */
export type RenewalChargeResult = 'renewed' | 'declined' | 'deactivated' | 'skipped' | 'rebased';

/** The subscription's saved method, or null when it has none or it was removed. */
export async function usableMethod(db: DbOrTx, sub: SubscriptionRow): Promise<PaymentMethodRow | null> {
  const method = await readMethod(db, sub.paymentMethodId);
  return method && method.accountId === sub.accountId && !method.removedAt ? method : null;
}

/** The period the subscription pays for next, on the scheduled plan when a change is scheduled. */
export async function planNextPeriod(db: DbOrTx, ctx: RenewalContext): Promise<UpcomingPeriod> {
  const scheduledPlan = ctx.sub.scheduledProductId ? await readProduct(db, ctx.sub.scheduledProductId) : null;
  return upcomingPeriod(ctx.sub, ctx.plan, scheduledPlan);
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The charge for a period: kind and attempt make its idempotency key. */
export function periodChargeSpec(
  ctx: RenewalContext,
  period: UpcomingPeriod,
  kind: ChargeKind,
  attempt: number,
  method: PaymentMethodRow,
): ChargeSpec {
  return {
    storeId: ctx.store.id,
    subscriptionId: ctx.sub.id,
    kind,
    periodIndex: period.index,
    attempt,
    paymentMethod: method,
    currency: ctx.sub.currency,
    amount: period.charge.amount,
    tax: period.charge.tax,
    description: `${ctx.store.name}: ${period.plan.name}, ${day(period.start)} to ${day(period.end)}`,
    // The customer pays a manual renewal in the portal; the renewal run charges the others.
    requestedBy: kind === 'manual_renewal' ? 'customer' : 'renewals',
  };
}

/** The charge recorded under an idempotency key, if any. */
export async function findCharge(db: DbOrTx, key: string): Promise<ChargeRow | undefined> {
  return await prepared(db, 'renewal:charge-by-key', (root) =>
    root
      .select()
      .from(subscriptionCharges)
      .where(eq(subscriptionCharges.idempotencyKey, sql.placeholder('key')))
      .prepare(),
  ).get({ key });
}

/** A saved method by id, removed or not (a pending charge is completed with the method it was made with). */
export async function readMethod(db: DbOrTx, id: string | null): Promise<PaymentMethodRow | null> {
  if (!id) return null;
  return (
    (await prepared(db, 'renewal:method', (root) =>
      root
        .select()
        .from(paymentMethods)
        .where(eq(paymentMethods.id, sql.placeholder('id')))
        .prepare(),
    ).get({ id })) ?? null
  );
}

/**
 * Charges the next period of an automatic-renewal subscription with its saved method,
 * attempt `failedAttempts + 1`. A charge of that attempt left pending (a crash after
 * the gateway was asked) is completed with the method it was made with; the gateway
 * answers it again by its idempotency key, so it is never charged twice. A charge
 * the customer's bank holds for their authentication makes the subscription wait
 * for their confirmation (confirmation-notice.ts) and counts as `declined` here.
 */
export async function chargeRenewal(deps: Deps, ctx: RenewalContext): Promise<RenewalChargeResult> {
  const period = await planNextPeriod(deps.db, ctx);
  if (await releaseHeldPayments(deps, ctx, period)) return 'renewed';
  // The customer's own payment for this period may be pending (its request died): it may have been charged.
  for (const pending of (await pendingCharges(deps.db, ctx.sub.id, period.index)).filter(
    (c) => c.kind === 'manual_renewal',
  )) {
    if ((await finishPending(deps, ctx, period, pending))?.status === 'succeeded') return 'renewed';
  }
  const attempt = ctx.sub.failedAttempts + 1;
  const existing = await findCharge(
    deps.db,
    chargeKey({ subscriptionId: ctx.sub.id, kind: 'renewal', periodIndex: period.index, attempt }),
  );
  if (existing && !isUnsettled(existing)) {
    const earlierEpoch = existing.createdAt.getTime() < ctx.sub.billingAnchorAt.getTime();
    return earlierEpoch && (await rebasePastCharges(deps, ctx)) ? 'rebased' : skipSettled(deps, existing);
  }
  const method = existing ? await readMethod(deps.db, existing.paymentMethodId) : await usableMethod(deps.db, ctx.sub);
  if (!method) return await declineWithoutMethod(deps, ctx, period, attempt);
  const { charge, result } = await chargeOnce(
    deps,
    periodChargeSpec(ctx, period, 'renewal', attempt, method),
    renewalEffects(deps, ctx, method),
  );
  if (!result) return skipSettled(deps, charge);
  if (charge.status === 'succeeded') return 'renewed';
  if (charge.status === 'requires_action') return 'declined';
  return attempt >= RENEWAL_MAX_ATTEMPTS ? 'deactivated' : 'declined';
}

/** An attempt that is settled while the subscription still waits for it: never charged again, only logged. */
function skipSettled(deps: Deps, charge: ChargeRow): RenewalChargeResult {
  deps.logger.warn('renewal attempt already settled; not charging it again', {
    subscriptionId: charge.subscriptionId,
    chargeId: charge.id,
    periodIndex: charge.periodIndex,
    attempt: charge.attempt,
  });
  return 'skipped';
}

/**
 * Moves the subscription's period numbering past every period charged before,
 * keeping its dates: for a subscription whose numbering was restarted (an early
 * end of a pause that re-anchored it at period 0), so that its charges' keys stay
 * unique. False when the subscription changed meanwhile.
 */
async function rebasePastCharges(deps: Deps, ctx: RenewalContext): Promise<boolean> {
  return await deps.db.transaction(async (tx) => {
    const fresh = await readSubscription(tx, ctx.sub.id);
    if (fresh.version !== ctx.sub.version) return false;
    const charged =
      first(
        await tx
          .select({ max: sql<number | null>`max(${subscriptionCharges.periodIndex})` })
          .from(subscriptionCharges)
          .where(eq(subscriptionCharges.subscriptionId, fresh.id)),
      )?.max ?? fresh.periodIndex;
    const shift = resumeAnchor(fresh.billingAnchorAt, ctx.plan, Math.max(1, charged - fresh.periodIndex));
    await updateSubscription(
      tx,
      fresh,
      { billingAnchorAt: shift.anchor, periodIndex: fresh.periodIndex + shift.periodIndex },
      deps.clock.now(),
    );
    deps.logger.warn('renewal period numbering moved past earlier charges', {
      subscriptionId: fresh.id,
      by: shift.periodIndex,
    });
    return true;
  });
}

/** No usable method: the attempt is recorded as declined without asking the gateway, and counts as a failure. */
async function declineWithoutMethod(
  deps: Deps,
  ctx: RenewalContext,
  period: UpcomingPeriod,
  attempt: number,
): Promise<RenewalChargeResult> {
  const now = deps.clock.now();
  const spec = { subscriptionId: ctx.sub.id, kind: 'renewal' as const, periodIndex: period.index, attempt };
  const row: ChargeRow = {
    ...spec,
    id: newId('chg'),
    storeId: ctx.store.id,
    idempotencyKey: chargeKey(spec),
    paymentMethodId: null,
    currency: ctx.sub.currency,
    amount: period.charge.amount,
    tax: period.charge.tax,
    total: period.charge.total,
    status: 'declined',
    gatewayChargeId: null,
    failureCode: NO_PAYMENT_METHOD.code,
    failureMessage: NO_PAYMENT_METHOD.message,
    orderId: null,
    createdAt: now,
    completedAt: now,
    refundStatus: null,
    gatewayRefundId: null,
    requestedBy: 'renewals',
  };
  const result = await deps.db.transaction(async (tx): Promise<RenewalChargeResult> => {
    if (affected(await tx.insert(subscriptionCharges).values(row).onConflictDoNothing()) === 0) return 'skipped';
    await recordFailedRenewal(deps, ctx, null, tx, row);
    return attempt >= RENEWAL_MAX_ATTEMPTS ? 'deactivated' : 'declined';
  });
  if (result !== 'skipped') deps.metrics.chargeAnswered('renewal', 'no_payment_method');
  return result;
}

/** The order line of a paid period (one line for the whole amount when the price no longer divides evenly). */
function orderLine(sub: SubscriptionRow, period: UpcomingPeriod, charge: ChargeRow): ChargeLine {
  const exact = period.unitPrice * period.quantity === charge.amount;
  return {
    productId: period.plan.id,
    productKey: period.plan.key,
    displayName: period.plan.name,
    quantity: exact ? period.quantity : 1,
    unitPrice: exact ? period.unitPrice : charge.amount,
    tax: charge.tax,
    taxRatePpm: sub.taxRatePpm,
    period: { start: period.start, end: period.end },
    subscriptionId: sub.id,
  };
}

/**
 * The effect of a paid period, in the transaction that records the charge: the
 * period advances (counted from the anchor, so a period paid late still starts on
 * its due date), a scheduled change takes effect, failures reset, a rebill order
 * with its invoice number is recorded, and the event and receipt go out.
 */
export async function recordPaidPeriod(
  deps: Deps,
  ctx: RenewalContext,
  method: PaymentMethodRow,
  tx: Tx,
  charge: ChargeRow,
): Promise<string> {
  const now = deps.clock.now();
  const fresh = await readSubscription(tx, ctx.sub.id);
  const plan = fresh.productId === ctx.plan.id ? ctx.plan : await readProduct(tx, fresh.productId);
  const next = upcomingPeriod(
    fresh,
    plan,
    fresh.scheduledProductId ? await readProduct(tx, fresh.scheduledProductId) : null,
  );
  if (next.index !== charge.periodIndex) {
    deps.logger.warn('paid period differs from the charged one', { subscriptionId: fresh.id, chargeId: charge.id });
  }
  const orderId = await recordChargeOrder(
    tx,
    {
      storeId: ctx.store.id,
      account: ctx.account,
      kind: 'rebill',
      currency: charge.currency,
      lines: [orderLine(fresh, next, charge)],
      paymentMethod: method,
    },
    now,
  );
  const ends = fresh.cancelAtPeriodEnd;
  const row = await updateSubscription(
    tx,
    fresh,
    {
      productId: next.plan.id,
      quantity: next.quantity,
      unitPrice: next.unitPrice,
      scheduledProductId: null,
      scheduledQuantity: null,
      scheduledUnitPrice: null,
      billingAnchorAt: next.anchor,
      periodIndex: next.index,
      currentPeriodStart: next.start,
      currentPeriodEnd: next.end,
      status: 'active',
      failedAttempts: 0,
      confirmationChargeId: null,
      nextChargeAt: ends ? null : next.end,
      nextChargeAmount: ends ? null : next.charge.total,
    },
    now,
  );
  const settled = { ...charge, orderId };
  await emitSubscriptionEvent(tx, ctx, row, next.plan, 'subscription.charge.completed', now, settled);
  if (fresh.status === 'paused') await emitSubscriptionEvent(tx, ctx, row, next.plan, 'subscription.resumed', now);
  const paid = {
    plan: next.plan.name,
    amount: charge.total,
    currency: charge.currency,
    endsAt: next.end.toISOString(),
  };
  await recordSubscriptionActivity(tx, row, 'subscription_renewed', requesterOf(charge), paid, now);
  if (fresh.status === 'paused') {
    await recordSubscriptionActivity(tx, row, 'subscription_resumed', 'renewals', { plan: next.plan.name }, now);
  }
  await sendReceipt(tx, ctx, { fresh, next, method, charge: settled }, now);
  return orderId;
}

async function sendReceipt(
  tx: Tx,
  ctx: RenewalContext,
  paid: { fresh: SubscriptionRow; next: UpcomingPeriod; method: PaymentMethodRow; charge: ChargeRow },
  now: Date,
): Promise<void> {
  const { fresh, next, method, charge } = paid;
  const upcoming: NextPayment = fresh.cancelAtPeriodEnd
    ? { kind: 'none', at: next.end }
    : { kind: fresh.autoRenew ? 'automatic' : 'manual', at: next.end, total: next.charge.total };
  await sendRenewalEmail(
    tx,
    ctx,
    'renewal_receipt',
    renewalReceiptEmail(ctx.store, recipientOf(ctx.account), {
      planName: next.plan.name,
      currency: charge.currency,
      total: charge.total,
      url: portalLinks(ctx).order(charge.orderId!),
      method,
      periodStart: next.start,
      periodEnd: next.end,
      next: upcoming,
    }),
    now,
    charge.orderId!,
  );
}

/**
 * The effect of a declined renewal: overdue with the next retry date, or — after
 * the last attempt, or when `final` (a payment never confirmed by its deadline) —
 * deactivated. The customer is told why and what to do.
 */
export async function recordFailedRenewal(
  deps: Deps,
  ctx: RenewalContext,
  method: PaymentMethodRow | null,
  tx: Tx,
  charge: ChargeRow,
  final = false,
): Promise<void> {
  const now = deps.clock.now();
  const fresh = await readSubscription(tx, ctx.sub.id);
  const failedAttempts = fresh.failedAttempts + 1;
  const retry = final ? null : renewalRetryAt(fresh.currentPeriodEnd, failedAttempts, now);
  const links = portalLinks(ctx);
  const facts = {
    planName: ctx.plan.name,
    currency: charge.currency,
    total: charge.total,
    failureCode: charge.failureCode,
  };
  const to = recipientOf(ctx.account);
  if (retry) {
    const row = await updateSubscription(tx, fresh, { status: 'overdue', failedAttempts, nextChargeAt: retry }, now);
    await emitSubscriptionEvent(tx, ctx, row, ctx.plan, 'subscription.charge.failed', now, charge);
    const failed = {
      plan: ctx.plan.name,
      amount: charge.total,
      currency: charge.currency,
      retryAt: retry.toISOString(),
    };
    await recordSubscriptionActivity(tx, row, 'subscription_renewal_failed', 'renewals', failed, now);
    await sendRenewalEmail(
      tx,
      ctx,
      'renewal_failed',
      renewalFailedEmail(ctx.store, to, { ...facts, method, retryAt: retry, url: links.paymentMethods() }),
      now,
    );
    return;
  }
  const row = await updateSubscription(
    tx,
    fresh,
    { ...endsBilling, status: 'deactivated', failedAttempts, endedAt: fresh.nextChargeAt ?? now },
    now,
  );
  await emitSubscriptionEvent(tx, ctx, row, ctx.plan, 'subscription.charge.failed', now, charge);
  await emitSubscriptionEvent(tx, ctx, row, ctx.plan, 'subscription.deactivated', now);
  const ended = { plan: ctx.plan.name, reason: 'payment_failed' } as const;
  await recordSubscriptionActivity(tx, row, 'subscription_ended', 'renewals', ended, now);
  await sendRenewalEmail(
    tx,
    ctx,
    'renewal_stopped',
    renewalStoppedEmail(ctx.store, to, { ...facts, url: links.home() }),
    now,
  );
}

/**
 * Effects of an automatic renewal charge: the paid period, a failed attempt with
 * its retry, or — the bank asks for the customer's authentication — the wait for
 * their confirmation, which a failed challenge does not end (they may try again).
 */
export function renewalEffects(deps: Deps, ctx: RenewalContext, method: PaymentMethodRow): ChargeEffects {
  return {
    succeeded: async (tx, row) => await recordPaidPeriod(deps, ctx, method, tx, row),
    declined: async (tx, row) => await recordFailedRenewal(deps, ctx, method, tx, row),
    actionRequired: async (tx, row) => await recordConfirmationNeeded(deps, ctx, method, tx, row),
    retriesAuthentication: true,
  };
}

/** Charges of a period left pending (renewal or the customer's own), oldest first: the gateway may have charged them. */
export async function pendingCharges(db: DbOrTx, subscriptionId: string, periodIndex: number): Promise<ChargeRow[]> {
  return await prepared(db, 'renewal:pending-charges', (root) =>
    root
      .select()
      .from(subscriptionCharges)
      .where(
        and(
          eq(subscriptionCharges.subscriptionId, sql.placeholder('subscriptionId')),
          eq(subscriptionCharges.periodIndex, sql.placeholder('periodIndex')),
          eq(subscriptionCharges.status, 'pending'),
          inArray(subscriptionCharges.kind, ['renewal', 'manual_renewal']),
        ),
      )
      .orderBy(asc(subscriptionCharges.createdAt))
      .prepare(),
  ).all({ subscriptionId, periodIndex });
}

/**
 * Finishes a pending charge with the method and the effects it was made with: the
 * gateway answers it by its idempotency key, so it is never charged twice.
 */
export async function finishPending(
  deps: Deps,
  ctx: RenewalContext,
  period: UpcomingPeriod,
  pending: ChargeRow,
): Promise<ChargeRow | null> {
  const method = await readMethod(deps.db, pending.paymentMethodId);
  if (!method) return null;
  const effects =
    pending.kind === 'manual_renewal' ? manualRenewalEffects(deps, ctx, method) : renewalEffects(deps, ctx, method);
  return (await chargeOnce(deps, periodChargeSpec(ctx, period, pending.kind, pending.attempt, method), effects)).charge;
}

/**
 * Effects of a charge the customer asked for: a decline changes nothing but is
 * reported to the merchant; one their bank holds for authentication waits for them
 * (they are in the portal), changing nothing yet.
 */
export function manualRenewalEffects(deps: Deps, ctx: RenewalContext, method: PaymentMethodRow): ChargeEffects {
  return {
    succeeded: async (tx, row) => await recordPaidPeriod(deps, ctx, method, tx, row),
    actionRequired: async () => {},
    declined: async (tx, row) =>
      await emitSubscriptionEvent(
        tx,
        ctx,
        await readSubscription(tx, ctx.sub.id),
        ctx.plan,
        'subscription.charge.failed',
        deps.clock.now(),
        row,
      ),
  };
}

/**
 * Payments of the period the customer started in the portal and left at their
 * bank's challenge (held for authentication). Before the period is paid another
 * way, each is canceled at the processor, so that it can never be completed too;
 * one the customer completed meanwhile is settled as the period's payment and
 * returned (nothing else is charged then).
 */
export async function releaseHeldPayments(
  deps: Deps,
  ctx: RenewalContext,
  period: UpcomingPeriod,
): Promise<ChargeRow | null> {
  const held = await prepared(deps.db, 'renewal:held-payments', (root) =>
    root
      .select()
      .from(subscriptionCharges)
      .where(
        and(
          eq(subscriptionCharges.subscriptionId, sql.placeholder('subscriptionId')),
          eq(subscriptionCharges.periodIndex, sql.placeholder('periodIndex')),
          eq(subscriptionCharges.kind, 'manual_renewal'),
          eq(subscriptionCharges.status, 'requires_action'),
        ),
      )
      .prepare(),
  ).all({ subscriptionId: ctx.sub.id, periodIndex: period.index });
  for (const charge of held) {
    const answer = await deps.gateway.cancelCharge(charge.gatewayChargeId!);
    const method = (await readMethod(deps.db, charge.paymentMethodId))!;
    const settled = answer
      ? await settleWithAnswer(deps, charge.id, answer, manualRenewalEffects(deps, ctx, method))
      : await cancelHeldCharge(deps.db, charge, deps.clock.now());
    if (settled.status === 'succeeded') return settled;
  }
  return null;
}
