import { invoiceNumberOf } from '../../orders';
import type { Tx } from '../../../db/client';
import type { Deps } from '../../../deps';
import { problem, problemSaying } from '../../../lib/errors';
import { GatewayUnavailableError, type ChargeResult } from '../../../payments/gateway';
import type { ChargeSummary } from '../../../schemas/subscription-actions';
import { chargeOnce, type ChargeEffects, type ChargeSpec } from '../charge-once';
import { emitEvent, type EventType } from '../../../webhooks/emit';
import type { SubscriptionNotice } from '../../../email/subscription-templates';
import type { ChargeRow, SubscriptionRow } from '../../../db/schema';
import { releaseLock } from '../subscription-lock';
import { isMerchant, type Actor } from '../subscription-record';
import { announce } from './notices';

/** A charge with the processor's answer to it (null when it was settled before). */
export interface ChargeAttempt {
  charge: ChargeRow;
  result: ChargeResult | null;
}

/**
 * Charges a subscription the caller has locked (until `lockedUntil`) through
 * `chargeOnce`, whose effects apply the change, and always gives the lock back.
 * A decline is a 402 `payment_declined` with the gateway's code; an unreachable
 * gateway a 503 (the charge stays pending and the same request finishes it later).
 * A charge the customer's bank holds for authentication is returned as it is
 * (`requires_action`), nothing changed yet; `answer` settles such a charge.
 */
export async function chargeLocked(
  deps: Deps,
  spec: ChargeSpec,
  effects: ChargeEffects,
  lockedUntil: Date,
  answer?: ChargeResult,
): Promise<ChargeAttempt> {
  try {
    const attempt = await chargeOnce(deps, spec, effects, answer);
    const { charge } = attempt;
    if (charge.status === 'declined') {
      throw problemSaying('payment_declined', charge.failureMessage, {
        declineCode: charge.failureCode,
        chargeId: charge.id,
      });
    }
    return attempt;
  } catch (error) {
    if (error instanceof GatewayUnavailableError) {
      throw problem('gateway_unavailable');
    }
    throw error;
  } finally {
    await deps.db.transaction(async (tx) => await releaseLock(tx, spec.subscriptionId, lockedUntil));
  }
}

/**
 * The effect of a charge the customer's bank holds for authentication, for the
 * requests a customer makes in the portal: nothing changes until it is settled
 * (chargeLocked gives the lock back). The merchant's own requests have none, so
 * such an answer declines them (nobody is there to authenticate).
 */
export function holdsForCustomer(actor: Actor): Pick<ChargeEffects, 'actionRequired'> {
  return isMerchant(actor) ? {} : { actionRequired: async () => {} };
}

/** The `charge` of `subscription.charge.completed` / `subscription.charge.failed` webhooks. */
export function chargePayload(charge: ChargeRow, orderId: string | null) {
  return {
    id: charge.id,
    kind: charge.kind,
    amount: charge.amount,
    tax: charge.tax,
    total: charge.total,
    currency: charge.currency,
    orderId,
    failureCode: charge.failureCode,
  };
}

/** The charge as API responses show it, with the invoice number of its order. */
export async function chargeSummary(deps: Deps, charge: ChargeRow): Promise<ChargeSummary> {
  return {
    id: charge.id,
    amount: charge.amount,
    tax: charge.tax,
    total: charge.total,
    currency: charge.currency,
    orderId: charge.orderId,
    invoiceNumber: charge.orderId ? await invoiceNumberOf(deps.db, charge.orderId) : null,
  };
}

/**
 * The end of a requested charge that was paid, in its transaction: the change is in
 * place, so the subscription is announced (its events, the customer's email), then
 * `subscription.charge.completed`, and the lock goes back. Returns the order id.
 */
export async function finishPaidCharge(
  tx: Tx,
  deps: Deps,
  paid: { sub: SubscriptionRow; charge: ChargeRow; orderId: string; lockedUntil: Date },
  events: EventType[],
  notice: SubscriptionNotice,
  now: Date,
): Promise<string> {
  const view = await announce(tx, deps, paid.sub, events, notice, now, paid.orderId);
  await emitEvent(
    tx,
    paid.sub.storeId,
    'subscription.charge.completed',
    { subscription: view, charge: chargePayload(paid.charge, paid.orderId) },
    now,
  );
  await releaseLock(tx, paid.sub.id, paid.lockedUntil);
  return paid.orderId;
}

/** The end of a requested charge that was declined: nothing changed; `subscription.charge.failed`, and the lock goes back. */
export async function finishDeclinedCharge(
  tx: Tx,
  deps: Deps,
  sub: SubscriptionRow,
  charge: ChargeRow,
  lockedUntil: Date,
  now: Date,
): Promise<void> {
  const view = await announce(tx, deps, sub, [], null, now);
  await emitEvent(
    tx,
    sub.storeId,
    'subscription.charge.failed',
    { subscription: view, charge: chargePayload(charge, null) },
    now,
  );
  await releaseLock(tx, sub.id, lockedUntil);
}
