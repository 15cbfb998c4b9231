import { first } from '../../db/query';
import { and, asc, desc, eq, lt, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { DbOrTx } from '../../db/client';
import { inJsonArray } from '../../db/portable-sql';
import { prepared } from '../../db/prepared';
import { creditNotes, fulfilments, giftRecipients, invoices, orderItems, orders, refunds } from '../../db/schema';
import { decodeCursor, encodeCursor } from '../../lib/cursor';
import { notFound } from '../../lib/errors';
import type { OrderView } from '../../schemas/orders';

type OrderRow = typeof orders.$inferSelect;
type ItemRow = typeof orderItems.$inferSelect;
type FulfilmentRow = typeof fulfilments.$inferSelect;
type GiftRow = typeof giftRecipients.$inferSelect;
type RefundRow = typeof refunds.$inferSelect;
type CreditNoteRow = typeof creditNotes.$inferSelect;

/** The full view of one order (as the merchant sees it), or a 404. */
export async function getOrderView(db: DbOrTx, storeId: string, orderId: string): Promise<OrderView> {
  const order = await prepared(db, 'order-by-id', (db) =>
    db
      .select()
      .from(orders)
      .where(and(eq(orders.storeId, sql.placeholder('storeId')), eq(orders.id, sql.placeholder('orderId'))))
      .prepare(),
  ).get({ storeId, orderId });
  if (!order) throw notFound('Order', { orderId });
  return (await assembleOrderViews(db, [order]))[0];
}

/** Orders newest first (by completion time), optionally of one account, with cursor pagination. */
export async function listOrderViews(
  db: DbOrTx,
  storeId: string,
  query: { accountId?: string; cursor?: string; limit: number },
) {
  const cursor = decodeCursor(query.cursor);
  const byAccount = query.accountId !== undefined;
  // One prepared statement per shape of the query (with or without account and cursor).
  const statement = prepared(db, `orders-list:${byAccount}:${Boolean(cursor)}`, (db) => {
    const conditions: SQL[] = [eq(orders.storeId, sql.placeholder('storeId'))];
    if (byAccount) conditions.push(eq(orders.accountId, sql.placeholder('accountId')));
    if (cursor) {
      conditions.push(
        or(
          lt(orders.completedAt, sql.placeholder('at')),
          and(eq(orders.completedAt, sql.placeholder('at')), lt(orders.id, sql.placeholder('id'))),
        )!,
      );
    }
    return db
      .select()
      .from(orders)
      .where(and(...conditions))
      .orderBy(desc(orders.completedAt), desc(orders.id))
      .limit(sql.placeholder('limit'))
      .prepare();
  });
  const rows = await statement.all({
    storeId,
    accountId: query.accountId,
    at: cursor?.at,
    id: cursor?.id,
    limit: query.limit + 1,
  });
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  const last = page.at(-1);
  return {
    data: await assembleOrderViews(db, page),
    nextCursor: more && last ? encodeCursor(last.completedAt, last.id) : null,
  };
}

/** `column IN (the ids passed as one JSON array)`: a single prepared statement serves any number of ids. */
const inIds = (db: object, column: SQLiteColumn) => inJsonArray(db, column, sql.placeholder('ids'));

/** Loads items, fulfilments and gift details for many orders with one query each. */
export async function assembleOrderViews(db: DbOrTx, rows: OrderRow[]): Promise<OrderView[]> {
  if (rows.length === 0) return [];
  const params = { ids: JSON.stringify(rows.map((r) => r.id)) };
  const items = await prepared(db, 'order-items-of', (db) =>
    db.select().from(orderItems).where(inIds(db, orderItems.orderId)).orderBy(asc(orderItems.position)).prepare(),
  ).all(params);
  const fuls = await prepared(db, 'fulfilments-of', (db) =>
    db.select().from(fulfilments).where(inIds(db, fulfilments.orderId)).orderBy(asc(fulfilments.position)).prepare(),
  ).all(params);
  const gifts = await prepared(db, 'gifts-of', (db) =>
    db.select().from(giftRecipients).where(inIds(db, giftRecipients.orderId)).prepare(),
  ).all(params);
  const numbers = new Map(
    (
      await prepared(db, 'invoice-numbers-of', (db) =>
        db
          .select({ orderId: invoices.orderId, number: invoices.number })
          .from(invoices)
          .where(and(inIds(db, invoices.orderId), eq(invoices.revision, 1)))
          .prepare(),
      ).all(params)
    ).map((i) => [i.orderId, i.number]),
  );
  // An order has refunds (and credit notes) exactly when its status says so: both are written in one transaction.
  const refundedIds = rows.filter((r) => r.status !== 'completed').map((r) => r.id);
  const refundParams = { ids: JSON.stringify(refundedIds) };
  const refunded =
    refundedIds.length === 0
      ? []
      : await prepared(db, 'refunds-of', (db) =>
          db
            .select()
            .from(refunds)
            .where(sql`${inIds(db, refunds.orderId)} and ${refunds.status} = 'succeeded'`)
            .orderBy(asc(refunds.createdAt))
            .prepare(),
        ).all(refundParams);
  const notes =
    refundedIds.length === 0
      ? []
      : await prepared(db, 'credit-notes-of', (db) =>
          db
            .select()
            .from(creditNotes)
            .where(inIds(db, creditNotes.orderId))
            .orderBy(asc(creditNotes.sequence))
            .prepare(),
        ).all(refundParams);
  return rows.map((order) =>
    toOrderView(
      order,
      numbers.get(order.id) ?? null,
      items.filter((i) => i.orderId === order.id),
      fuls.filter((f) => f.orderId === order.id),
      gifts.find((g) => g.orderId === order.id),
      { refunds: refunded.filter((r) => r.orderId === order.id), notes: notes.filter((n) => n.orderId === order.id) },
    ),
  );
}

function toOrderView(
  order: OrderRow,
  invoiceNumber: string | null,
  items: ItemRow[],
  fuls: FulfilmentRow[],
  gift: GiftRow | undefined,
  refunded: { refunds: RefundRow[]; notes: CreditNoteRow[] },
): OrderView {
  const refundTotal = new Map(refunded.refunds.map((r) => [r.id, r.total]));
  const itemOrder = new Map(items.map((i, index) => [i.id, index]));
  return {
    id: order.id,
    reference: order.reference,
    invoiceNumber,
    accountId: order.accountId,
    kind: order.kind,
    status: order.status,
    currency: order.currency,
    subtotal: order.subtotal,
    discount: order.discount,
    tax: order.tax,
    total: order.total,
    refunded: {
      total: refunded.refunds.reduce((sum, r) => sum + r.total, 0),
      tax: refunded.refunds.reduce((sum, r) => sum + r.tax, 0),
    },
    creditNotes: refunded.notes.map((n) => ({
      id: n.id,
      number: n.number,
      refundId: n.refundId,
      total: refundTotal.get(n.refundId) ?? 0,
      issuedAt: n.issuedAt.toISOString(),
    })),
    customer: {
      email: order.customerEmail,
      firstName: order.customerFirstName,
      lastName: order.customerLastName,
      company: order.customerCompany,
      phone: order.customerPhone,
    },
    billingDetails: {
      country: order.billingCountry,
      state: order.billingState,
      postalCode: order.billingPostalCode,
      businessName: order.businessName,
      taxId: order.taxId,
      isBusiness: order.isBusiness,
    },
    payment:
      order.paymentMethodId || order.paymentBrand || order.paymentLast4
        ? { paymentMethodId: order.paymentMethodId, brand: order.paymentBrand, last4: order.paymentLast4 }
        : null,
    items: items.map((i) => ({
      id: i.id,
      product: i.productKey,
      productId: i.productId,
      displayName: i.displayName,
      quantity: i.quantity,
      unitPrice: i.unitPrice,
      discount: i.discount,
      tax: i.tax,
      subtotal: i.subtotal,
      total: i.total,
      subscriptionId: i.subscriptionId,
    })),
    fulfilments: fuls
      .sort((a, b) => itemOrder.get(a.orderItemId)! - itemOrder.get(b.orderItemId)! || a.position - b.position)
      .map((f) => ({
        id: f.id,
        itemId: f.orderItemId,
        accountId: f.accountId,
        type: f.type,
        name: f.name,
        licenseKey: f.licenseKey,
        downloadUrl: f.downloadUrl,
        fileName: f.fileName,
        fileSize: f.fileSize,
        delivery: f.delivery,
        instructions: f.instructions,
        revokedAt: f.revokedAt?.toISOString() ?? null,
      })),
    gift: gift
      ? {
          recipient: {
            accountId: gift.accountId,
            email: gift.email,
            firstName: gift.firstName,
            lastName: gift.lastName,
          },
          message: gift.message,
        }
      : null,
    completedAt: order.completedAt.toISOString(),
    createdAt: order.createdAt.toISOString(),
  };
}

/** The invoice number of an order, or null when it has no invoice. */
export async function invoiceNumberOf(db: DbOrTx, orderId: string): Promise<string | null> {
  return (
    first(
      await db
        .select({ number: invoices.number })
        .from(invoices)
        .where(and(eq(invoices.orderId, orderId), eq(invoices.revision, 1))),
    )?.number ?? null
  );
}
