import { mapInOrder } from '../../lib/in-order';
import { and, asc, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { invoices, orders } from '../../db/schema';
import type { AccountExportOrder } from '../../schemas/account-export';
import type { InvoiceView } from '../../schemas/invoices';
import type { OrderView } from '../../schemas/orders';
import { toPortalOrderView, visibleTo } from './customer-view';
import { assembleOrderViews } from './merchant-view';
import { toInvoiceView } from './invoices/records';

/** Orders are assembled in batches, so that a long history never builds one huge query. */
const BATCH = 100;

/**
 * Every order the customer may see, newest first, as the Portal API shows it (the
 * gift rules of {@link toPortalOrderView} included), each with the contact data
 * stored with it that is the customer's own: what they gave with their purchase, or
 * what the purchaser of a gift they received gave about them.
 */
export async function exportCustomerOrders(
  db: DbOrTx,
  storeId: string,
  accountId: string,
): Promise<AccountExportOrder[]> {
  const rows = await db
    .select()
    .from(orders)
    .where(visibleTo(db, storeId, accountId))
    .orderBy(desc(orders.completedAt), desc(orders.id));
  const out: AccountExportOrder[] = [];
  for (let start = 0; start < rows.length; start += BATCH) {
    for (const view of await assembleOrderViews(db, rows.slice(start, start + BATCH))) {
      const order = toPortalOrderView(view, accountId);
      out.push({ ...order, contact: contactOf(view, order.role) });
    }
  }
  return out;
}

function contactOf(view: OrderView, role: AccountExportOrder['role']): AccountExportOrder['contact'] {
  if (role === 'gift_received' && view.gift) {
    const { email, firstName, lastName } = view.gift.recipient;
    return { email, firstName, lastName, company: null, phone: null, billingDetails: null };
  }
  return { ...view.customer, billingDetails: view.billingDetails };
}

/**
 * Every revision of the invoices of the customer's own orders (a gift's recipient
 * has none: the purchaser's account holds the order), oldest first per order.
 */
export async function exportCustomerInvoices(db: DbOrTx, storeId: string, accountId: string): Promise<InvoiceView[]> {
  return await mapInOrder(
    await db
      .select({ invoice: invoices, order: orders })
      .from(invoices)
      .innerJoin(orders, eq(orders.id, invoices.orderId))
      .where(and(eq(invoices.storeId, storeId), eq(orders.storeId, storeId), eq(orders.accountId, accountId)))
      .orderBy(desc(invoices.issuedAt), desc(invoices.sequence), asc(invoices.revision)),
    async ({ invoice, order }) => await toInvoiceView(db, invoice, order),
  );
}
