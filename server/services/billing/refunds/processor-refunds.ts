import { first } from '../../../db/query';
import { and, eq, or } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { orders, refunds, subscriptionCharges, type RefundRow } from '../../../db/schema';
import type { Deps } from '../../../deps';
import { newId } from '../../../lib/ids';
import { refundableTotal, splitRefund } from '../../../lib/refund-split';
import { GatewayUnavailableError, type GatewayRefund } from '../../../payments/gateway';
import { problemSaying } from '../../../lib/errors';
import { applyRefund } from './completion';
import { refundableLines, writeRefund } from './refunds';

/**
 * Records the refunds the payment processor made of one of the portal's charges
 * without the portal (in Stripe's dashboard), when the processor says the charge
 * was refunded: each becomes a refund of the order the charge paid for, with its
 * credit note, the order's new status, `order.refunded` and the customer's email,
 * as if the merchant had asked the Server API (`origin: 'processor'`; a refund
 * that leaves nothing withdraws the fulfilments; subscriptions go on).
 *
 * The processor lists the charge's refunds. One is never recorded twice: a refund
 * whose processor id is recorded already is skipped, and so is one the portal
 * asked for itself (its idempotency key names a refund of the portal's, even one
 * still waiting for the processor's answer, which that refund's own request
 * finishes). Each is recorded in a transaction of its own, and the processor's
 * refund id is unique in `refunds`. Returns how many were recorded.
 */
export async function recordProcessorRefunds(deps: Deps, chargeId: string): Promise<number> {
  const charge = first(
    await deps.db
      .select({ orderId: subscriptionCharges.orderId })
      .from(subscriptionCharges)
      .where(and(eq(subscriptionCharges.gatewayChargeId, chargeId), eq(subscriptionCharges.status, 'succeeded'))),
  );
  // Not a charge of the portal's, or one that paid for no order (an orphaned charge the portal refunded itself).
  if (!charge?.orderId) return 0;
  const orderId = charge.orderId;
  let recorded = 0;
  let listed: GatewayRefund[];
  try {
    listed = await deps.gateway.listRefunds(chargeId);
  } catch (error) {
    if (!(error instanceof GatewayUnavailableError)) throw error;
    // Not recorded as seen: the processor sends the event again, and then the portal asks again.
    throw problemSaying(
      'gateway_unavailable',
      "The payment processor could not be asked for the charge's refunds; nothing was recorded.",
      { chargeId },
    );
  }
  for (const refund of listed) {
    if (refund.status === 'failed') continue;
    if (await deps.db.transaction(async (tx) => await recordOne(tx, deps, orderId, chargeId, refund))) recorded += 1;
  }
  return recorded;
}

async function recordOne(tx: Tx, deps: Deps, orderId: string, chargeId: string, made: GatewayRefund): Promise<boolean> {
  const known = first(
    await tx
      .select({ id: refunds.id })
      .from(refunds)
      .where(
        or(
          eq(refunds.gatewayRefundId, made.refundId),
          made.idempotencyKey ? eq(refunds.gatewayKey, made.idempotencyKey) : undefined,
        ),
      ),
  );
  if (known) return false;
  const order = first(await tx.select().from(orders).where(eq(orders.id, orderId)))!;
  const fields = { orderId, chargeId, processorRefundId: made.refundId };
  if (made.currency !== order.currency) {
    deps.logger.error('a refund at the payment processor is in another currency than its order: not recorded', {
      ...fields,
      currency: made.currency,
    });
    return false;
  }
  const lines = await refundableLines(tx, orderId);
  const left = refundableTotal(lines);
  if (left <= 0) {
    deps.logger.error('a refund at the payment processor finds nothing of its order left to refund: not recorded', {
      ...fields,
      amount: made.amount,
    });
    return false;
  }
  if (made.amount > left) {
    deps.logger.warn('a refund at the payment processor is more than its order has left: recorded as what is left', {
      ...fields,
      amount: made.amount,
      left,
    });
  }
  const split = splitRefund(lines, made.amount >= left ? { kind: 'full' } : { kind: 'amount', amount: made.amount });
  if (!split.ok) return false;
  const now = deps.clock.now();
  const row: RefundRow = {
    id: newId('re'),
    storeId: order.storeId,
    orderId,
    accountId: order.accountId,
    currency: order.currency,
    total: split.total,
    tax: split.tax,
    reason: null,
    external: false,
    origin: 'processor',
    status: 'succeeded',
    gatewayChargeId: chargeId,
    gatewayKey: `processor:${made.refundId}`,
    gatewayRefundId: made.refundId,
    failureCode: null,
    failureMessage: null,
    requestKey: null,
    requestHash: null,
    revokeFulfilment: true,
    endSubscription: false,
    createdAt: now,
    completedAt: now,
  };
  await writeRefund(tx, row, split.lines);
  await applyRefund(tx, deps, row, now);
  return true;
}
