import { first } from '../../../db/query';
import { and, asc, desc, eq, inArray, lte } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../../db/client';
import { orderItems, orders, refundLines, refunds, subscriptionCharges } from '../../../db/schema';
import type { OrderRow, RefundRow } from '../../../db/schema';
import type { Deps } from '../../../deps';
import { MINUTE } from '../../../lib/clock';
import { hashJson } from '../../../lib/crypto';
import { DomainError, invalid, notFound, problem, problemSaying } from '../../../lib/errors';
import { newId } from '../../../lib/ids';
import { splitRefund, type RefundableLine, type RefundRequest, type RefundShare } from '../../../lib/refund-split';
import { GatewayUnavailableError, type RefundResult } from '../../../payments/gateway';
import type { RefundCreateInput, RefundView } from '../../../schemas/refunds';
import { completeRefund, failRefund, toRefundView, toRefundViews } from './completion';

/** How old a pending refund must be before the renewal run settles it with the gateway (a request cut off mid-call). */
export const STALE_REFUND_MS = 15 * MINUTE;

/**
 * Refunds an order, fully (neither `amount` nor `items`) or partly, never more than
 * was paid and not yet refunded (see lib/refund-split.ts for the arithmetic).
 *
 * The refund is written `pending` first, which reserves its amount, then given to
 * the payment gateway with the key `refund:{refundId}`, then finished with the
 * gateway's answer (see completion.ts). An order the merchant took payment for in its
 * own checkout has no charge at our gateway: it is refunded in our records only,
 * flagged `external`. With an Idempotency-Key (`requestKey`), asking again returns
 * the same refund, finishing it first if the gateway was unreachable the first time.
 */
export async function refundOrder(
  deps: Deps,
  storeId: string,
  orderId: string,
  input: RefundCreateInput,
  requestKey?: string,
): Promise<RefundView> {
  const refund = await deps.db.transaction(
    async (tx) => await findOrReserve(tx, deps, storeId, orderId, input, requestKey),
  );
  if (refund.status === 'succeeded') return await toRefundView(deps.db, refund);
  if (refund.status === 'failed') throw refundFailed(refund);
  return finish(deps, refund);
}

/** Asks the gateway (unless external) and records the answer; the refund's effects follow in that transaction. */
async function finish(deps: Deps, refund: RefundRow): Promise<RefundView> {
  let answer: RefundResult;
  if (refund.external) {
    answer = { status: 'succeeded', refundId: `external:${refund.id}` };
  } else {
    try {
      answer = await deps.gateway.refund({
        idempotencyKey: refund.gatewayKey,
        chargeId: refund.gatewayChargeId!,
        amount: refund.total,
        currency: refund.currency,
      });
    } catch (error) {
      if (!(error instanceof GatewayUnavailableError)) throw error;
      throw problemSaying(
        'gateway_unavailable',
        'The payment processor could not be reached. Nothing was refunded twice: retry with the same Idempotency-Key.',
        { refundId: refund.id },
        { 'Retry-After': '60' },
      );
    }
  }
  // A refund the processor took on but has not finished (`pending`: a bank still moves the money) is given back.
  const done =
    answer.status === 'failed'
      ? await failRefund(deps, refund.id, answer.code, answer.message)
      : await completeRefund(deps, refund.id, answer.refundId);
  if (done.status === 'failed') throw refundFailed(done);
  return await toRefundView(deps.db, done);
}

function refundFailed(refund: RefundRow): DomainError {
  return problemSaying('refund_failed', refund.failureMessage, {
    refundId: refund.id,
    gatewayCode: refund.failureCode,
  });
}

async function findOrReserve(
  tx: Tx,
  deps: Deps,
  storeId: string,
  orderId: string,
  input: RefundCreateInput,
  requestKey: string | undefined,
): Promise<RefundRow> {
  const order = first(
    await tx
      .select()
      .from(orders)
      .where(and(eq(orders.storeId, storeId), eq(orders.id, orderId))),
  );
  if (!order) throw notFound('Order', { orderId });
  const requestHash = requestKey === undefined ? null : hashJson(input);
  if (requestKey !== undefined) {
    const earlier = first(
      await tx
        .select()
        .from(refunds)
        .where(and(eq(refunds.storeId, storeId), eq(refunds.orderId, orderId), eq(refunds.requestKey, requestKey))),
    );
    if (earlier && earlier.requestHash !== requestHash) {
      throw problemSaying(
        'idempotency_key_reused',
        'This Idempotency-Key was used for a different refund of this order.',
      );
    }
    if (earlier) return earlier;
  }
  const split = splitRefund(await refundableLines(tx, order.id), requestOf(input));
  if (!split.ok) throw refusal(split, order);
  const id = newId('re');
  const row: RefundRow = {
    id,
    storeId,
    orderId,
    accountId: order.accountId,
    currency: order.currency,
    total: split.total,
    tax: split.tax,
    reason: input.reason ?? null,
    external: false,
    origin: 'api',
    status: 'pending',
    gatewayChargeId: await gatewayChargeOf(tx, order),
    gatewayKey: `refund:${id}`,
    gatewayRefundId: null,
    failureCode: null,
    failureMessage: null,
    requestKey: requestKey ?? null,
    requestHash,
    revokeFulfilment: input.revokeFulfilment,
    endSubscription: input.endSubscription,
    createdAt: deps.clock.now(),
    completedAt: null,
  };
  row.external = row.gatewayChargeId === null;
  await writeRefund(tx, row, split.lines);
  return row;
}

/** Inserts a refund with its share of each line. */
export async function writeRefund(tx: Tx, row: RefundRow, lines: RefundShare[]): Promise<void> {
  await tx.insert(refunds).values(row);
  for (const line of lines) {
    await tx.insert(refundLines).values({
      id: newId('rfl'),
      storeId: row.storeId,
      refundId: row.id,
      orderItemId: line.itemId,
      quantity: line.quantity,
      total: line.total,
      tax: line.tax,
    });
  }
}

function requestOf(input: RefundCreateInput): RefundRequest {
  if (input.amount !== undefined) return { kind: 'amount', amount: input.amount };
  if (input.items) return { kind: 'items', items: input.items };
  return { kind: 'full' };
}

function refusal(split: Extract<ReturnType<typeof splitRefund>, { ok: false }>, order: OrderRow): DomainError {
  const details = {
    refundable: split.refundable,
    currency: order.currency,
    ...(split.itemId && { itemId: split.itemId }),
  };
  switch (split.reason) {
    case 'nothing_to_refund':
      return problem('nothing_to_refund', details);
    case 'exceeds_refundable':
      return problemSaying(
        'refund_exceeds_paid',
        `At most ${split.refundable} (minor units, tax included) is left to refund.`,
        details,
      );
    case 'unknown_item':
      return invalid('No such item in this order.', [
        { field: 'items', code: 'unknown_item', message: `Unknown item ${split.itemId}.` },
      ]);
    case 'duplicate_item':
      return invalid('An item is named twice.', [
        { field: 'items', code: 'duplicate_item', message: `Item ${split.itemId} is named twice.` },
      ]);
    case 'exceeds_quantity':
      return problemSaying('refund_exceeds_paid', 'More units than were bought and not yet refunded.', details);
  }
}

/** The order's lines with what refunds (succeeded, or pending and so reserved) already took of each. */
export async function refundableLines(db: DbOrTx, orderId: string): Promise<RefundableLine[]> {
  const items = await db
    .select()
    .from(orderItems)
    .where(eq(orderItems.orderId, orderId))
    .orderBy(asc(orderItems.position));
  const taken = await db
    .select({ line: refundLines })
    .from(refundLines)
    .innerJoin(refunds, eq(refunds.id, refundLines.refundId))
    .where(and(eq(refunds.orderId, orderId), inArray(refunds.status, ['pending', 'succeeded'])));
  return items.map((item) => {
    const mine = taken.filter(({ line }) => line.orderItemId === item.id).map(({ line }) => line);
    return {
      itemId: item.id,
      quantity: item.quantity,
      total: item.total,
      tax: item.tax,
      refundedQuantity: mine.reduce((s, l) => s + l.quantity, 0),
      refundedTotal: mine.reduce((s, l) => s + l.total, 0),
      refundedTax: mine.reduce((s, l) => s + l.tax, 0),
    };
  });
}

/** The gateway's charge that paid an order the portal charged itself (renewals, upgrades); null for merchant orders. */
async function gatewayChargeOf(db: DbOrTx, order: OrderRow): Promise<string | null> {
  if (order.kind === 'purchase') return null;
  const charge = first(
    await db
      .select({ id: subscriptionCharges.gatewayChargeId })
      .from(subscriptionCharges)
      .where(and(eq(subscriptionCharges.orderId, order.id), eq(subscriptionCharges.status, 'succeeded'))),
  );
  return charge?.id ?? null;
}

/** The refunds of an order, newest first (pending and failed ones included). */
export async function listRefunds(db: DbOrTx, storeId: string, orderId: string): Promise<{ data: RefundView[] }> {
  const order = first(
    await db
      .select({ id: orders.id })
      .from(orders)
      .where(and(eq(orders.storeId, storeId), eq(orders.id, orderId))),
  );
  if (!order) throw notFound('Order', { orderId });
  const rows = await db
    .select()
    .from(refunds)
    .where(eq(refunds.orderId, orderId))
    .orderBy(desc(refunds.createdAt), desc(refunds.id));
  return { data: await toRefundViews(db, rows) };
}

/**
 * Finishes refunds whose request was cut off while the gateway was asked (process
 * stopped, gateway unreachable) and that nobody retried: asking again with the same
 * key returns the gateway's first answer, or makes the refund the merchant asked for.
 */
export async function settlePendingRefunds(
  deps: Deps,
  now: Date,
  limit = 100,
): Promise<{ settled: number; deferred: number }> {
  const stale = await deps.db
    .select()
    .from(refunds)
    .where(and(eq(refunds.status, 'pending'), lte(refunds.createdAt, new Date(now.getTime() - STALE_REFUND_MS))))
    .orderBy(asc(refunds.createdAt))
    .limit(limit);
  const summary = { settled: 0, deferred: 0 };
  for (const refund of stale) {
    try {
      await finish(deps, refund);
      summary.settled += 1;
    } catch (error) {
      if (error instanceof DomainError && error.code === 'refund_failed') summary.settled += 1;
      else if (error instanceof DomainError && error.code === 'gateway_unavailable') summary.deferred += 1;
      else throw error;
    }
  }
  return summary;
}
