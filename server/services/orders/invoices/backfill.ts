import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { accounts, invoices, orders } from '../../../db/schema';
import { issueInvoice } from './issue';

/**
 * Issues the invoices that orders recorded before invoices existed (databases from
 * before migration 0005) never got: one per order with an amount to pay and no
 * invoice, oldest order first, numbered on from the store's sequence and dated now —
 * an invoice issued after the sale, whose date of supply stays the order's. In one
 * transaction; running it again issues none. Returns how many were issued.
 */
export async function issueMissingInvoices(db: Db, storeId: string, now: Date): Promise<number> {
  return await db.transaction(async (tx) => {
    const missing = await tx
      .select({ order: orders, purchaser: accounts })
      .from(orders)
      .innerJoin(accounts, eq(accounts.id, orders.accountId))
      .leftJoin(invoices, eq(invoices.orderId, orders.id))
      .where(and(eq(orders.storeId, storeId), isNull(invoices.id)))
      .orderBy(asc(orders.completedAt), asc(orders.id));
    let issued = 0;
    for (const { order, purchaser } of missing) if ((await issueInvoice(tx, order, purchaser, now)) !== null) issued++;
    return issued;
  });
}
