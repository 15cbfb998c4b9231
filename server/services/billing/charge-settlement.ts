import { and, asc, eq, inArray, isNull, lte, or } from 'drizzle-orm';
import { subscriptionCharges, subscriptions, type ChargeRow } from '../../db/schema';
import type { Deps } from '../../deps';
import { GatewayUnavailableError, type ChargeResult } from '../../payments/gateway';
import { cancelHeldCharge, isUnsettled, settleWithAnswer } from './charge-once';
import { manualRenewalEffects, readMethod, renewalEffects } from './renewals/charges';
import { loadRenewalContext } from './renewals/steps';
import { releaseLock, subscriptionBusy, takeLock } from './subscription-lock';
import { endedStatuses } from './subscription-record';
import { settle, STALE_CHARGE_MS } from './subscriptions/charge-recovery';

/**
 * Settles a charge the portal left unsettled — pending (the processor was still
 * working on it, or the portal's request died) or held for the customer's
 * authentication — with the processor's answer, through the charge's own path:
 * a renewal pays its period, counts a failed attempt or waits for the customer;
 * an upgrade, early resume or manual renewal is finished (or, no longer applying,
 * recorded). Stripe's webhooks, the customer's confirmation in the portal and the
 * scheduler all come here, so whichever is first settles the charge, once, and
 * the others find it settled (false). A subscription busy right now is a 409.
 */
export async function settleChargeWithAnswer(deps: Deps, charge: ChargeRow, answer: ChargeResult): Promise<boolean> {
  if (!isUnsettled(charge)) return false;
  if (charge.kind === 'plan_change' || charge.kind === 'resume') {
    const outcome = await settle(deps, charge, answer);
    if (outcome === 'deferred') throw subscriptionBusy(charge.subscriptionId);
    return true;
  }
  return await settleRenewalCharge(deps, charge, answer);
}

async function settleRenewalCharge(deps: Deps, charge: ChargeRow, answer: ChargeResult): Promise<boolean> {
  const lock = await deps.db.transaction(async (tx) => await takeLock(tx, charge.subscriptionId, deps.clock.now()));
  if (!lock) throw subscriptionBusy(charge.subscriptionId);
  try {
    const ctx = await loadRenewalContext(deps, charge.subscriptionId, new Map());
    const method = await readMethod(deps.db, charge.paymentMethodId);
    if (!method) return false;
    if (endedStatuses.includes(ctx.sub.status)) return await settleWithoutPeriod(deps, charge, answer);
    const effects =
      charge.kind === 'manual_renewal' ? manualRenewalEffects(deps, ctx, method) : renewalEffects(deps, ctx, method);
    await settleWithAnswer(deps, charge.id, answer, effects);
    return true;
  } finally {
    await releaseLock(deps.db, charge.subscriptionId, lock);
  }
}

/**
 * A renewal payment answered after its subscription ended (canceled while it
 * waited for the customer): the answer is recorded, nothing is renewed, and money
 * taken is given back in full through the gateway by the scheduler's next run, as
 * charge recovery gives back a charge whose change no longer applies
 * (`refund_status` pending, key `recovery-refund:{chargeId}`).
 */
async function settleWithoutPeriod(deps: Deps, charge: ChargeRow, answer: ChargeResult): Promise<boolean> {
  const settled = await settleWithAnswer(deps, charge.id, answer, {
    succeeded: async () => null,
    declined: async () => {},
    actionRequired: async () => {},
  });
  if (settled.status === 'succeeded') {
    await deps.db
      .update(subscriptionCharges)
      .set({ refundStatus: 'pending' })
      .where(and(eq(subscriptionCharges.id, charge.id), isNull(subscriptionCharges.refundStatus)));
    deps.logger.warn('a renewal was paid after its subscription ended: it is refunded at the next run', {
      chargeId: charge.id,
      processorChargeId: settled.gatewayChargeId,
      subscriptionId: charge.subscriptionId,
      total: charge.total,
      currency: charge.currency,
    });
  }
  return true;
}

/** The charges a customer starts in the portal, which their bank may hold for a challenge they then leave open. */
const presentKinds = ['plan_change', 'resume', 'manual_renewal'] as const;

export interface AbandonedAuthentications {
  /** Canceled at the processor: the customer never completed their bank's challenge; nothing was charged. */
  canceled: number;
  /** Completed after all (the processor had a final answer): settled through their own path. */
  settled: number;
  /** Left for the next run (processor unreachable, or the subscription busy). */
  deferred: number;
}

/**
 * Gives up the customer's payments their bank held for a challenge they never
 * completed (the page was closed mid-challenge), 15 minutes on: each is canceled
 * at the processor, so it can never be completed later, and records nothing
 * changed; one completed after all is settled with its answer instead. Renewals
 * waiting for the customer's confirmation keep their own deadline (confirmations.ts),
 * unless their subscription ended meanwhile.
 */
export async function abandonStaleAuthentications(
  deps: Deps,
  now: Date,
  limit = 100,
): Promise<AbandonedAuthentications> {
  const summary: AbandonedAuthentications = { canceled: 0, settled: 0, deferred: 0 };
  const stale = (
    await deps.db
      .select({ charge: subscriptionCharges })
      .from(subscriptionCharges)
      .innerJoin(subscriptions, eq(subscriptions.id, subscriptionCharges.subscriptionId))
      .where(
        and(
          eq(subscriptionCharges.status, 'requires_action'),
          lte(subscriptionCharges.createdAt, new Date(now.getTime() - STALE_CHARGE_MS)),
          or(
            inArray(subscriptionCharges.kind, [...presentKinds]),
            // A renewal that waited for the customer, of a subscription that ended meanwhile (canceled).
            inArray(subscriptions.status, [...endedStatuses]),
          ),
        ),
      )
      .orderBy(asc(subscriptionCharges.createdAt))
      .limit(limit)
  ).map((row) => row.charge);
  for (const charge of stale) {
    try {
      const answer = await deps.gateway.cancelCharge(charge.gatewayChargeId!);
      if (!answer) {
        await cancelHeldCharge(deps.db, charge, deps.clock.now());
        summary.canceled += 1;
      } else {
        await settleChargeWithAnswer(deps, charge, answer);
        summary.settled += 1;
      }
    } catch (error) {
      summary.deferred += 1;
      if (error instanceof GatewayUnavailableError) break;
      deps.logger.warn('giving up an abandoned authentication failed', { chargeId: charge.id, error });
    }
  }
  return summary;
}
