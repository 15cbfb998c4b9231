import { first } from '../../../db/query';
import { eq } from 'drizzle-orm';
import { subscriptionCharges } from '../../../db/schema';
import type { Tx } from '../../../db/client';
import type { Deps } from '../../../deps';
import { declineMessages, type ChargeResult } from '../../../payments/gateway';
import { settleWithAnswer } from '../charge-once';
import { readSubscription, updateSubscription } from '../subscription-record';
import { readMethod, recordFailedRenewal, renewalEffects, usableMethod } from './charges';
import type { RenewalContext } from './steps';

/** What became of a renewal that waited for the customer's confirmation, once its date came. */
export type UnconfirmedOutcome = 'renewed' | 'deactivated' | 'replaced';

const unconfirmed: ChargeResult = {
  status: 'declined',
  code: 'authentication_required',
  message: declineMessages.authentication_required,
};

/**
 * A renewal waiting for the customer's confirmation whose date has come: its
 * deadline (confirmation-notice.ts), or sooner because the customer chose another
 * payment method for the subscription meanwhile. The held charge is canceled at
 * the processor first, so that it can never be completed as well; if the customer
 * did complete it (its webhook not in yet), the period is paid with it (`renewed`).
 * Otherwise, with another method on the subscription now, the unconfirmed attempt
 * counts as a failed one and the renewal goes on with that method at once, as
 * dunning does (`replaced`: the caller charges next). Without, the subscription
 * ends as after the last failed attempt of the retry schedule (`deactivated`).
 */
export async function settleUnconfirmedRenewal(deps: Deps, ctx: RenewalContext): Promise<UnconfirmedOutcome> {
  const charge = first(
    await deps.db.select().from(subscriptionCharges).where(eq(subscriptionCharges.id, ctx.sub.confirmationChargeId!)),
  );
  if (charge?.status !== 'requires_action') return await moveOn(deps, ctx.sub.id, false);
  const method = (await readMethod(deps.db, charge.paymentMethodId))!;
  const answer = await deps.gateway.cancelCharge(charge.gatewayChargeId!);
  if (answer?.status === 'succeeded') {
    await settleWithAnswer(deps, charge.id, answer, renewalEffects(deps, ctx, method));
    return 'renewed';
  }
  const other = await usableMethod(deps.db, ctx.sub);
  if (other && other.id !== charge.paymentMethodId) {
    await settleWithAnswer(deps, charge.id, unconfirmed, {
      ...renewalEffects(deps, ctx, method),
      declined: async (tx) => {
        await stopWaiting(tx, ctx.sub.id, true, deps.clock.now());
      },
    });
    return 'replaced';
  }
  await settleWithAnswer(deps, charge.id, unconfirmed, {
    ...renewalEffects(deps, ctx, method),
    declined: async (tx, row) => await recordFailedRenewal(deps, ctx, method, tx, row, true),
  });
  return 'deactivated';
}

/** The subscription stops waiting and is charged now (the wait counting as a failed attempt when it was one). */
async function moveOn(deps: Deps, subscriptionId: string, failed: boolean): Promise<'replaced'> {
  await deps.db.transaction((tx) => stopWaiting(tx, subscriptionId, failed, deps.clock.now()));
  return 'replaced';
}

/** {@link moveOn} inside the caller's transaction. */
async function stopWaiting(tx: Tx, subscriptionId: string, failed: boolean, now: Date): Promise<void> {
  const fresh = await readSubscription(tx, subscriptionId);
  await updateSubscription(
    tx,
    fresh,
    { confirmationChargeId: null, failedAttempts: fresh.failedAttempts + (failed ? 1 : 0), nextChargeAt: now },
    now,
  );
}
