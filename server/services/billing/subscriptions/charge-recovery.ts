import { affected, first } from '../../../db/query';
import { and, asc, eq, inArray, isNull, lte } from 'drizzle-orm';
import { planChangeQuotes, subscriptionCharges } from '../../../db/schema';
import type { Deps } from '../../../deps';
import { MINUTE } from '../../../lib/clock';
import { DomainError } from '../../../lib/errors';
import {
  declineMessages,
  GatewayUnavailableError,
  type ChargeResult,
  type RefundResult,
} from '../../../payments/gateway';
import { isUnsettled, unsettledStatuses } from '../charge-once';
import { getProduct } from '../../stores';
import { unpauseSubscription } from './pauses';
import { applyPlanChange } from './plan-change-confirm';
import { quoteAttempt } from './plan-change-quotes';
import type { ChargeRow } from '../../../db/schema';
import { getSubscription } from '../subscription-record';
import { restartPeriod } from '../periods';

/**
 * How old an unfinished upgrade or early-resume charge must be before the scheduler
 * settles it: longer than a quote lives (10 minutes), so a customer retrying the
 * same quote finishes it first, and far longer than the subscription lock.
 */
export const STALE_CHARGE_MS = 15 * MINUTE;

/** The charges a customer's (or the merchant's) request starts; renewals settle themselves when they fall due again. */
const requestKinds = ['plan_change', 'resume'] as const;

export interface ChargeRecoverySummary {
  /** Settled with the processor's first answer, and the change applied if it succeeded. */
  recovered: number;
  /** The processor never received them: nothing was charged, and they are now canceled. */
  abandoned: number;
  /** The processor took the money but the change no longer applies: refunded through the gateway. */
  orphaned: number;
  /** Left for the next run (processor unreachable, or the subscription busy). */
  deferred: number;
}

/**
 * Settles upgrade and early-resume charges that their request left pending: the
 * process stopped, or the processor was unreachable, during the call, and nobody
 * retried. The customer was told nothing changed, so nothing is charged anew:
 * the processor is asked what became of the charge's idempotency key.
 * - Never received: the charge is canceled.
 * - Answered: the change is finished through its own path (the same quote, the
 *   same key), so the processor answers as before, never charging twice, and the
 *   subscription, order, emails and webhooks follow as if the request had finished.
 * - Answered, but the subscription has changed so the change no longer applies: the
 *   charge is recorded with the processor's answer and, if it took money, refunded
 *   in full through the gateway (key `recovery-refund:{chargeId}`). A refund the
 *   gateway could not be asked for is tried again by the next run; one it refused is
 *   logged as an error for the merchant.
 */
export async function recoverStaleCharges(deps: Deps, now: Date, limit = 100): Promise<ChargeRecoverySummary> {
  const summary: ChargeRecoverySummary = { recovered: 0, abandoned: 0, orphaned: 0, deferred: 0 };
  await retryOrphanRefunds(deps, limit);
  const stale = await deps.db
    .select()
    .from(subscriptionCharges)
    .where(
      and(
        eq(subscriptionCharges.status, 'pending'),
        inArray(subscriptionCharges.kind, [...requestKinds]),
        lte(subscriptionCharges.createdAt, new Date(now.getTime() - STALE_CHARGE_MS)),
      ),
    )
    .orderBy(asc(subscriptionCharges.createdAt))
    .limit(limit);
  for (const [index, charge] of stale.entries()) {
    try {
      summary[await settle(deps, charge, await deps.gateway.findCharge(charge.idempotencyKey))] += 1;
    } catch (error) {
      if (error instanceof GatewayUnavailableError) {
        summary.deferred += stale.length - index;
        break;
      }
      // One charge that cannot be settled must not hold up the renewals after it; it is tried again next run.
      deps.logger.error('settling an unfinished charge failed', { chargeId: charge.id, kind: charge.kind, error });
      summary.deferred += 1;
    }
  }
  return summary;
}

/**
 * Settles one upgrade or early-resume charge with the processor's answer (null:
 * never received), as the scheduler does for stale ones; a processor's webhook
 * and the customer's confirmation of a charge their bank held use it too. The
 * change is finished through its own path with that answer (the processor is not
 * asked again). A charge someone settled meanwhile is left as it is.
 */
export async function settle(
  deps: Deps,
  charge: ChargeRow,
  answer: ChargeResult | null,
): Promise<keyof ChargeRecoverySummary> {
  if (!isUnsettled(await reread(deps, charge))) return 'recovered';
  if (!answer) {
    await record(deps, charge, {
      status: 'canceled',
      failureMessage: 'Never reached the payment processor; nothing was charged.',
    });
    return 'abandoned';
  }
  try {
    if (!(await finish(deps, charge, answer))) return await orphan(deps, charge, answer);
    return 'recovered';
  } catch (error) {
    if (error instanceof DomainError && error.code === 'payment_declined') return 'recovered';
    if (error instanceof DomainError && (error.code === 'subscription_busy' || error.code === 'gateway_unavailable'))
      return 'deferred';
    if (error instanceof DomainError) return await orphan(deps, charge, answer);
    throw error;
  }
}

const reread = async (deps: Deps, charge: ChargeRow) =>
  first(await deps.db.select().from(subscriptionCharges).where(eq(subscriptionCharges.id, charge.id))) ?? charge;

/** Finishes the change through its own path with the processor's answer, or returns false when it no longer applies. */
async function finish(deps: Deps, charge: ChargeRow, answer: ChargeResult): Promise<boolean> {
  const actor = { storeId: charge.storeId };
  if (charge.kind === 'plan_change') {
    const quote = (
      await deps.db
        .select({ id: planChangeQuotes.id })
        .from(planChangeQuotes)
        .where(and(eq(planChangeQuotes.subscriptionId, charge.subscriptionId), isNull(planChangeQuotes.usedAt)))
    ).find((q) => quoteAttempt(q.id) === charge.attempt);
    if (!quote) return false;
    await applyPlanChange(deps, actor, charge.subscriptionId, quote.id, answer);
    return true;
  }
  // An early resume is finished only while the pause still runs and the period it paid for is the one it would start now
  // (so the resume path finds this charge, with its key, instead of making another).
  const { subscription: sub, plan } = await getSubscription(deps.db, charge.storeId, charge.subscriptionId);
  const target = sub.scheduledProductId ? await getProduct(deps.db, sub.storeId, sub.scheduledProductId) : plan;
  if (sub.status !== 'paused' || restartPeriod(sub, target, deps.clock.now()).periodIndex !== charge.periodIndex)
    return false;
  await unpauseSubscription(deps, actor, charge.subscriptionId, answer);
  return true;
}

/**
 * Records the answer of a charge whose change no longer applies. One still held
 * for the customer's authentication is canceled at the processor first. Money
 * taken is refunded in full through the gateway (see {@link refundOrphan}).
 */
async function orphan(deps: Deps, charge: ChargeRow, answer: ChargeResult): Promise<keyof ChargeRecoverySummary> {
  const final = answer.status === 'requires_action' ? await deps.gateway.cancelCharge(answer.chargeId) : answer;
  if (!final) {
    await record(deps, charge, {
      status: 'canceled',
      failureMessage: 'The change no longer applies; canceled unpaid.',
    });
    return 'abandoned';
  }
  if (final.status !== 'succeeded') {
    const code = final.status === 'declined' ? final.code : 'authentication_required';
    await record(deps, charge, { status: 'declined', failureCode: code, failureMessage: declineMessages[code] });
    return 'recovered';
  }
  if (
    !(await record(deps, charge, { status: 'succeeded', gatewayChargeId: final.chargeId, refundStatus: 'pending' }))
  ) {
    return 'recovered';
  }
  await refundOrphan(deps, { ...charge, gatewayChargeId: final.chargeId });
  return 'orphaned';
}

/** Orphaned charges whose refund the gateway could not be asked for yet. */
async function retryOrphanRefunds(deps: Deps, limit: number): Promise<void> {
  const waiting = await deps.db
    .select()
    .from(subscriptionCharges)
    .where(eq(subscriptionCharges.refundStatus, 'pending'))
    .orderBy(asc(subscriptionCharges.createdAt))
    .limit(limit);
  for (const charge of waiting) if (!(await refundOrphan(deps, charge))) break;
}

/**
 * Gives an orphaned charge's money back in full. Returns false when the gateway
 * could not be reached (the refund stays pending for the next run).
 */
async function refundOrphan(deps: Deps, charge: ChargeRow): Promise<boolean> {
  const fields = {
    chargeId: charge.id,
    processorChargeId: charge.gatewayChargeId,
    kind: charge.kind,
    subscriptionId: charge.subscriptionId,
    total: charge.total,
    currency: charge.currency,
  };
  let result: RefundResult;
  try {
    result = await deps.gateway.refund({
      idempotencyKey: `recovery-refund:${charge.id}`,
      chargeId: charge.gatewayChargeId!,
      amount: charge.total,
      currency: charge.currency,
    });
  } catch (error) {
    if (!(error instanceof GatewayUnavailableError)) throw error;
    deps.logger.warn('refunding an orphaned charge: the gateway is unreachable; the next run tries again', fields);
    return false;
  }
  // `pending` at the processor (a bank still moving the money) is a refund made, as for an order's refund.
  const answer = result;
  await deps.db
    .update(subscriptionCharges)
    .set({
      refundStatus: answer.status === 'failed' ? 'failed' : 'succeeded',
      gatewayRefundId: answer.status === 'failed' ? null : answer.refundId,
    })
    .where(and(eq(subscriptionCharges.id, charge.id), eq(subscriptionCharges.refundStatus, 'pending')));
  if (answer.status !== 'failed') {
    deps.logger.warn(
      'charge succeeded at the payment processor, but the change it paid for no longer applies: refunded it',
      { ...fields, processorRefundId: answer.refundId },
    );
  } else {
    deps.logger.error(
      'charge succeeded at the payment processor, but the change it paid for no longer applies, ' +
        'and the processor refused to refund it: refund it yourself',
      { ...fields, refusal: answer.code },
    );
  }
  return true;
}

/** Settles an unsettled charge with `changes`; false when it was settled meanwhile. */
async function record(deps: Deps, charge: ChargeRow, changes: Partial<ChargeRow>): Promise<boolean> {
  return (
    affected(
      await deps.db
        .update(subscriptionCharges)
        .set({ ...changes, completedAt: deps.clock.now() })
        .where(and(eq(subscriptionCharges.id, charge.id), inArray(subscriptionCharges.status, unsettledStatuses))),
    ) === 1
  );
}
