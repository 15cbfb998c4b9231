import { first } from '../../../db/query';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../../db/client';
import { creditNotes, orderItems, orders, refundLines, refunds } from '../../../db/schema';
import type { CreditNoteRow, OrderStatus, RefundRow } from '../../../db/schema';
import type { Deps } from '../../../deps';
import { refundEmail } from '../../../email/order-templates';
import { queueEmail } from '../../../email/queue';
import type { RefundView } from '../../../schemas/refunds';
import { emitEvent } from '../../../webhooks/emit';
import { getAccount } from '../../accounts';
import { creditNoteAttachment, getOrderView, issueCreditNote, revokeOrderFulfilments } from '../../orders';
import { portalUrl } from '../../sign-in';
import { getStore } from '../../stores';
import { cancelSubscription } from '../subscriptions/cancellations';

/**
 * Records a refund the gateway made (or an external one) and everything that
 * follows, in one transaction: the credit note with the store's next credit note
 * number, the order's status (`partially_refunded`, or `refunded` once nothing is
 * left), the withdrawal of licence keys and downloads when nothing is left (unless
 * the merchant said `revokeFulfilment: false`), `order.refunded` and the customer's
 * email with the credit note attached. Finishing a refund twice changes nothing.
 * Subscriptions end afterwards, only when asked (`endSubscription`).
 */
export async function completeRefund(deps: Deps, refundId: string, gatewayRefundId: string): Promise<RefundRow> {
  const now = deps.clock.now();
  const { refund, finished } = await deps.db.transaction(async (tx) => {
    const done = first(
      await tx
        .update(refunds)
        .set({ status: 'succeeded', gatewayRefundId, completedAt: now })
        .where(and(eq(refunds.id, refundId), eq(refunds.status, 'pending')))
        .returning(),
    );
    if (!done) return { refund: await readRefund(tx, refundId), finished: false };
    await applyRefund(tx, deps, done, now);
    return { refund: done, finished: true };
  });
  if (finished && refund.endSubscription) await endSubscriptions(deps, refund);
  return refund;
}

/**
 * What a succeeded refund brings about, in the transaction that records it: its
 * credit note, the order's status, the withdrawal of fulfilments when nothing is
 * left, `order.refunded` and the customer's email.
 */
export async function applyRefund(tx: Tx, deps: Deps, done: RefundRow, now: Date): Promise<void> {
  const note = await issueCreditNote(tx, done, now);
  const status = await settleOrderStatus(tx, done.orderId);
  const revoked =
    status === 'refunded' &&
    done.revokeFulfilment &&
    (await revokeOrderFulfilments(tx, done.storeId, done.orderId, now)) > 0;
  await emitEvent(
    tx,
    done.storeId,
    'order.refunded',
    {
      order: await getOrderView(tx, done.storeId, done.orderId),
      refund: await toRefundView(tx, done),
    },
    now,
  );
  await notifyCustomer(tx, deps, { refund: done, note, full: status === 'refunded', revoked }, now);
}

/** Records the gateway's refusal; the amount is no longer reserved. */
export async function failRefund(deps: Deps, refundId: string, code: string, message: string): Promise<RefundRow> {
  const now = deps.clock.now();
  const done = first(
    await deps.db
      .update(refunds)
      .set({ status: 'failed', failureCode: code, failureMessage: message, completedAt: now })
      .where(and(eq(refunds.id, refundId), eq(refunds.status, 'pending')))
      .returning(),
  );
  return done ?? (await readRefund(deps.db, refundId));
}

async function readRefund(db: DbOrTx, refundId: string): Promise<RefundRow> {
  return first(await db.select().from(refunds).where(eq(refunds.id, refundId)))!;
}

/** Sets the order's status from its succeeded refunds and returns it. */
async function settleOrderStatus(tx: Tx, orderId: string): Promise<OrderStatus> {
  const order = first(await tx.select({ total: orders.total }).from(orders).where(eq(orders.id, orderId)))!;
  const refunded = first(
    await tx
      .select({ sum: sql<number>`coalesce(sum(${refunds.total}), 0)` })
      .from(refunds)
      .where(and(eq(refunds.orderId, orderId), eq(refunds.status, 'succeeded'))),
  )!.sum;
  const status: OrderStatus = refunded >= order.total ? 'refunded' : refunded > 0 ? 'partially_refunded' : 'completed';
  await tx.update(orders).set({ status }).where(eq(orders.id, orderId));
  return status;
}

async function notifyCustomer(
  tx: Tx,
  deps: Deps,
  done: { refund: RefundRow; note: CreditNoteRow; full: boolean; revoked: boolean },
  now: Date,
): Promise<void> {
  const { refund, note } = done;
  const store = await getStore(tx, refund.storeId);
  const account = await getAccount(tx, refund.storeId, refund.accountId);
  const order = first(
    await tx.select({ reference: orders.reference }).from(orders).where(eq(orders.id, refund.orderId)),
  )!;
  const creditNote = await creditNoteAttachment(tx, note, account.language);
  const email = refundEmail(store, account, {
    reference: order.reference,
    currency: refund.currency,
    total: refund.total,
    external: refund.external,
    full: done.full,
    revoked: done.revoked,
    creditNoteNumber: note.number,
    creditNoteAttached: creditNote !== null,
    url: `${portalUrl(store, deps.config.publicBaseUrl)}#/orders/${refund.orderId}`,
  });
  await queueEmail(
    tx,
    {
      store,
      accountId: account.id,
      to: account.email,
      kind: 'refund',
      email,
      attachments: creditNote ? [creditNote] : [],
    },
    now,
  );
}

/** Ends, now, the subscriptions the refunded order started or paid for, as the merchant asked. */
async function endSubscriptions(deps: Deps, refund: RefundRow): Promise<void> {
  const ids = (
    await deps.db
      .selectDistinct({ id: orderItems.subscriptionId })
      .from(orderItems)
      .where(eq(orderItems.orderId, refund.orderId))
  ).flatMap((r) => (r.id ? [r.id] : []));
  for (const id of ids) {
    try {
      await cancelSubscription(deps, { storeId: refund.storeId }, id, {
        immediately: true,
        reason: 'other',
        comment: `Refunded (${refund.id}).`,
      });
    } catch (error) {
      // Already ended, or busy right now: the refund stands; the merchant can end it with the subscription API.
      deps.logger.warn('refund: the subscription could not be ended', {
        refundId: refund.id,
        subscriptionId: id,
        error,
      });
    }
  }
}

/** The Server API's view of refunds, with their lines and credit notes, loaded with one query each. */
export async function toRefundViews(db: DbOrTx, rows: RefundRow[]): Promise<RefundView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const lines = await db.select().from(refundLines).where(inArray(refundLines.refundId, ids));
  const notes = await db.select().from(creditNotes).where(inArray(creditNotes.refundId, ids));
  return rows.map((r) => {
    const note = notes.find((n) => n.refundId === r.id);
    return {
      id: r.id,
      orderId: r.orderId,
      status: r.status,
      external: r.external,
      origin: r.origin,
      currency: r.currency,
      amount: r.total,
      tax: r.tax,
      reason: r.reason,
      lines: lines
        .filter((l) => l.refundId === r.id)
        .map((l) => ({ itemId: l.orderItemId, quantity: l.quantity, amount: l.total, tax: l.tax })),
      revokeFulfilment: r.revokeFulfilment,
      endSubscription: r.endSubscription,
      creditNote: note ? { id: note.id, number: note.number } : null,
      failure:
        r.status === 'failed' ? { code: r.failureCode ?? 'processing_error', message: r.failureMessage ?? '' } : null,
      createdAt: r.createdAt.toISOString(),
      completedAt: r.completedAt?.toISOString() ?? null,
    };
  });
}

export const toRefundView = async (db: DbOrTx, row: RefundRow): Promise<RefundView> =>
  (await toRefundViews(db, [row]))[0];
