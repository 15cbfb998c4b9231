import { first } from '../../../db/query';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client';
import { paymentMethods, subscriptionCharges } from '../../../db/schema';
import type { Deps } from '../../../deps';
import { problem } from '../../../lib/errors';
import { GatewayUnavailableError, type ChargeResult } from '../../../payments/gateway';
import { chargeOnce } from '../charge-once';
import { isExpired } from '../payment-methods/payment-methods';
import {
  finishPending,
  manualRenewalEffects,
  pendingCharges,
  periodChargeSpec,
  planNextPeriod,
  releaseHeldPayments,
} from '../renewals/charges';
import { renewWindowOpensAt } from '../periods';
import { loadRenewalContext, type RenewalContext } from '../renewals/steps';
import type { AccountRow, ChargeRow, PaymentMethodRow, StoreRow, SubscriptionRow } from '../../../db/schema';
import { releaseLock, takeLockOrBusy } from '../subscription-lock';
import { assertNotEnded, findOwnSubscription } from '../subscription-record';

/**
 * What renewing came to: the charge that paid the period, the declined one with
 * the gateway's reason, or one the customer's bank holds for their authentication
 * (nothing paid yet; with the gateway's answer, which may say how to authenticate).
 */
export type RenewNowResult =
  | { status: 'renewed'; charge: ChargeRow }
  | { status: 'declined'; code: string; message: string; charge: ChargeRow }
  | { status: 'requires_action'; charge: ChargeRow; result: ChargeResult | null };

/**
 * The customer pays the next period now with one of their saved methods (kind
 * `manual_renewal`): from 30 days before the period's end until the subscription
 * is deactivated, also while it is overdue. The period advances as with an
 * automatic renewal (a scheduled change takes effect with it); a manual-renewal
 * subscription stays manual. A decline changes nothing and is returned, not thrown.
 */
export async function renewNow(
  deps: Deps,
  store: StoreRow,
  account: AccountRow,
  subscriptionId: string,
  paymentMethodId: string,
): Promise<RenewNowResult> {
  const { subscription } = await findOwnSubscription(
    deps.db,
    { storeId: store.id, accountId: account.id },
    subscriptionId,
  );
  const method = await chosenMethod(deps.db, account, paymentMethodId, deps.clock.now());
  assertRenewable(subscription, deps.clock.now());
  const lock = await deps.db.transaction(async (tx) => await takeLockOrBusy(tx, subscriptionId, deps.clock.now()));
  try {
    const ctx = await loadRenewalContext(deps, subscriptionId, new Map([[store.id, store]]));
    assertRenewable(ctx.sub, deps.clock.now());
    return await chargeNextPeriod(deps, ctx, method);
  } catch (error) {
    if (!(error instanceof GatewayUnavailableError)) throw error;
    throw problem('gateway_unavailable', undefined, { 'Retry-After': '60' });
  } finally {
    await releaseLock(deps.db, subscriptionId, lock);
  }
}

/** One of the account's saved, unexpired methods. */
async function chosenMethod(
  db: DbOrTx,
  account: AccountRow,
  paymentMethodId: string,
  now: Date,
): Promise<PaymentMethodRow> {
  const method = first(
    await db
      .select()
      .from(paymentMethods)
      .where(
        and(
          eq(paymentMethods.id, paymentMethodId),
          eq(paymentMethods.storeId, account.storeId),
          eq(paymentMethods.accountId, account.id),
          isNull(paymentMethods.removedAt),
        ),
      ),
  );
  if (!method) {
    throw problem('payment_method_not_found', { paymentMethodId });
  }
  if (isExpired(method, now)) {
    throw problem('payment_method_expired', { paymentMethodId });
  }
  return method;
}

/** Refuses renewals the subscription's state does not allow, each with its own code. */
export function assertRenewable(sub: SubscriptionRow, now: Date): void {
  assertNotEnded(sub);
  if (sub.status === 'paused') throw problem('subscription_paused');
  if (sub.cancelAtPeriodEnd) throw problem('cancellation_pending');
  if (sub.pauseStartsAt) throw problem('pause_scheduled');
  const opensAt = renewWindowOpensAt(sub.currentPeriodEnd);
  if (now.getTime() < opensAt.getTime()) throw problem('renewal_not_open', { opensAt: opensAt.toISOString() });
}

/**
 * Charges the next period under the lock. Charges of the period left pending by a
 * crash — an automatic renewal attempt or an earlier "renew now" — are finished
 * first with the method they were made with, and an earlier "renew now" left at
 * the bank's challenge is canceled; if one of them paid the period, the customer
 * is not charged again.
 */
async function chargeNextPeriod(deps: Deps, ctx: RenewalContext, method: PaymentMethodRow): Promise<RenewNowResult> {
  const paid = await releaseHeldPayments(deps, ctx, await planNextPeriod(deps.db, ctx));
  if (paid) return outcome(paid, null);
  const pending = await pendingCharges(deps.db, ctx.sub.id, (await planNextPeriod(deps.db, ctx)).index);
  for (const charge of pending) {
    const settled = await finishPending(deps, ctx, await planNextPeriod(deps.db, ctx), charge);
    if (settled?.status === 'succeeded') return outcome(settled, null);
  }
  // A finished renewal attempt that was declined changed the subscription.
  const current =
    pending.length > 0 ? await loadRenewalContext(deps, ctx.sub.id, new Map([[ctx.store.id, ctx.store]])) : ctx;
  assertRenewable(current.sub, deps.clock.now());
  const period = await planNextPeriod(deps.db, current);
  const attempt = (await manualAttempts(deps.db, current.sub.id, period.index)).length + 1;
  const { charge, result } = await chargeOnce(
    deps,
    { ...periodChargeSpec(current, period, 'manual_renewal', attempt, method), customerPresent: true },
    manualRenewalEffects(deps, current, method),
  );
  return outcome(charge, result);
}

async function manualAttempts(db: DbOrTx, subscriptionId: string, periodIndex: number): Promise<ChargeRow[]> {
  return await db
    .select()
    .from(subscriptionCharges)
    .where(
      and(
        eq(subscriptionCharges.subscriptionId, subscriptionId),
        eq(subscriptionCharges.kind, 'manual_renewal'),
        eq(subscriptionCharges.periodIndex, periodIndex),
      ),
    )
    .orderBy(asc(subscriptionCharges.attempt));
}

function outcome(charge: ChargeRow, result: ChargeResult | null): RenewNowResult {
  if (charge.status === 'succeeded') return { status: 'renewed', charge };
  if (charge.status === 'requires_action') return { status: 'requires_action', charge, result };
  return {
    status: 'declined',
    code: charge.failureCode ?? 'card_declined',
    message: charge.failureMessage ?? 'The payment was declined.',
    charge,
  };
}
