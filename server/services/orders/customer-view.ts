import { first } from '../../db/query';
import { and, desc, eq, inArray, lt, or, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { giftRecipients, orders, type OrderRow } from '../../db/schema';
import { decodeCursor, encodeCursor } from '../../lib/cursor';
import { notFound } from '../../lib/errors';
import type { OrderView } from '../../schemas/orders';
import type { PortalFulfilmentView, PortalOrderView } from '../../schemas/portal-orders';
import { isWithdrawn } from './downloads';
import { assembleOrderViews } from './merchant-view';

type Role = PortalOrderView['role'];

/** The orders an account may see: its own and the gifts it received, within one store. */
export function visibleTo(db: DbOrTx, storeId: string, accountId: string): SQL {
  const received = db
    .select({ orderId: giftRecipients.orderId })
    .from(giftRecipients)
    .where(and(eq(giftRecipients.storeId, storeId), eq(giftRecipients.accountId, accountId)));
  return and(eq(orders.storeId, storeId), or(eq(orders.accountId, accountId), inArray(orders.id, received)))!;
}

/**
 * The signed-in customer's orders and received gifts, newest first, with cursor
 * pagination. Own orders and received gifts are read apart and merged: each read
 * walks an index in order (the account's orders by completion; the few gifts by
 * id), where one query with an OR would scan and sort the whole store's orders.
 */
export async function listPortalOrders(
  db: DbOrTx,
  storeId: string,
  accountId: string,
  query: { cursor?: string; limit: number },
) {
  const cursor = decodeCursor(query.cursor);
  const after = cursor
    ? or(
        lt(orders.completedAt, new Date(cursor.at)),
        and(eq(orders.completedAt, new Date(cursor.at)), lt(orders.id, cursor.id)),
      )
    : undefined;
  const read = async (owner: SQL) =>
    await db
      .select()
      .from(orders)
      .where(and(eq(orders.storeId, storeId), owner, after))
      .orderBy(desc(orders.completedAt), desc(orders.id))
      .limit(query.limit + 1);
  const giftIds = (
    await db
      .select({ orderId: giftRecipients.orderId })
      .from(giftRecipients)
      .where(and(eq(giftRecipients.storeId, storeId), eq(giftRecipients.accountId, accountId)))
  ).map((g) => g.orderId);
  const merged = new Map((await read(eq(orders.accountId, accountId))).map((row) => [row.id, row]));
  if (giftIds.length > 0) for (const row of await read(inArray(orders.id, giftIds))) merged.set(row.id, row);
  const rows = [...merged.values()]
    .sort((a, b) => b.completedAt.getTime() - a.completedAt.getTime() || (a.id < b.id ? 1 : -1))
    .slice(0, query.limit + 1);
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  const last = page.at(-1);
  return {
    data: (await assembleOrderViews(db, page)).map((view) => toPortalOrderView(view, accountId)),
    nextCursor: more && last ? encodeCursor(last.completedAt, last.id) : null,
  };
}

/**
 * An order the customer may see with their role in it, or a 404 that looks the
 * same as for an order that does not exist.
 */
export async function findVisibleOrder(
  db: DbOrTx,
  storeId: string,
  accountId: string,
  orderId: string,
): Promise<{ order: OrderRow; role: Role }> {
  const order = first(
    await db
      .select()
      .from(orders)
      .where(and(visibleTo(db, storeId, accountId), eq(orders.id, orderId))),
  );
  if (!order) throw notFound('Order', { orderId });
  const role: Role = order.accountId !== accountId ? 'gift_received' : order.isGift ? 'gift_sent' : 'purchase';
  return { order, role };
}

/** Whether this side of an order sees what was paid (amounts, payment, invoice): everyone but a gift's recipient. */
export const seesPayment = (role: Role): boolean => role !== 'gift_received';

/** One order the customer may see, or a 404 that looks the same as for an order that does not exist. */
export async function getPortalOrder(
  db: DbOrTx,
  storeId: string,
  accountId: string,
  orderId: string,
): Promise<PortalOrderView> {
  const order = first(
    await db
      .select()
      .from(orders)
      .where(and(visibleTo(db, storeId, accountId), eq(orders.id, orderId))),
  );
  if (!order) throw notFound('Order', { orderId });
  return toPortalOrderView((await assembleOrderViews(db, [order]))[0], accountId);
}

function roleOf(view: OrderView, accountId: string): Role {
  if (!view.gift) return 'purchase';
  return view.gift.recipient.accountId === accountId ? 'gift_received' : 'gift_sent';
}

/**
 * The customer-facing view of an order. What each side of a gift may see is decided
 * here, by building the view from allowed fields only: the purchaser gets what was
 * paid and for whom, the recipient what was received and from whom, and neither
 * gets the other's email.
 */
export function toPortalOrderView(view: OrderView, accountId: string): PortalOrderView {
  const role = roleOf(view, accountId);
  const paidBy = seesPayment(role);
  const owns = role !== 'gift_sent';
  return {
    id: view.id,
    reference: view.reference,
    completedAt: view.completedAt,
    status: view.status,
    kind: view.kind,
    role,
    currency: view.currency,
    amounts: paidBy ? { subtotal: view.subtotal, discount: view.discount, tax: view.tax, total: view.total } : null,
    refunded: paidBy ? view.refunded : null,
    creditNotes: paidBy
      ? view.creditNotes.map(({ id, number, total, issuedAt }) => ({ id, number, total, issuedAt }))
      : [],
    items: view.items.map((i) =>
      paidBy
        ? {
            id: i.id,
            displayName: i.displayName,
            quantity: i.quantity,
            unitPrice: i.unitPrice,
            subtotal: i.subtotal,
            discount: i.discount,
            tax: i.tax,
            total: i.total,
          }
        : { id: i.id, displayName: i.displayName, quantity: i.quantity },
    ),
    fulfilments: view.fulfilments
      .filter((f) => f.accountId === accountId)
      .map((f) => toPortalFulfilment(f, view.status)),
    gift: giftView(view, role),
    payment:
      paidBy && view.payment && (view.payment.brand || view.payment.last4)
        ? { brand: view.payment.brand, last4: view.payment.last4 }
        : null,
    invoiceNumber: paidBy ? view.invoiceNumber : null,
    subscriptionIds: owns ? view.items.flatMap((i) => (i.subscriptionId ? [i.subscriptionId] : [])) : [],
  };
}

function giftView(view: OrderView, role: Role): PortalOrderView['gift'] {
  if (!view.gift) return null;
  const { recipient, message } = view.gift;
  return role === 'gift_sent'
    ? { recipient: { firstName: recipient.firstName, lastName: recipient.lastName }, sender: null, message }
    : { recipient: null, sender: { firstName: view.customer.firstName, lastName: view.customer.lastName }, message };
}

function toPortalFulfilment(
  f: OrderView['fulfilments'][number],
  orderStatus: OrderView['status'],
): PortalFulfilmentView {
  const base = { id: f.id, itemId: f.itemId, name: f.name, revoked: isWithdrawn(f.revokedAt, orderStatus) };
  switch (f.type) {
    case 'license_key':
      return { ...base, type: 'license_key', licenseKey: f.licenseKey ?? '' };
    case 'download':
      return { ...base, type: 'download', fileName: f.fileName, fileSize: f.fileSize };
    case 'instructions':
      return { ...base, type: 'instructions', instructions: f.instructions ?? '' };
  }
}
