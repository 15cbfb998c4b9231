import { first } from '../../../db/query';
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client';
import { orders, stores, type InvoiceRow, type OrderRow } from '../../../db/schema';
import type { Language } from '../../../i18n';
import { notFound } from '../../../lib/errors';
import type { InvoiceView } from '../../../schemas/invoices';
import { findVisibleOrder, seesPayment } from '../customer-view';
import { renderInvoiceXml, type InvoiceXml } from './e-invoice-xml';
import { renderInvoicePdf, type DocumentPdf } from './pdf';
import { assertSellerComplete, findInvoice, toInvoiceView } from './records';

/**
 * The order whose invoice a customer asks for: only its purchaser's (a gift's
 * recipient never sees what was paid). Anything else is the same 404 as a missing
 * order; then the store must have its seller details (409).
 */
export async function customersInvoice(
  db: DbOrTx,
  storeId: string,
  accountId: string,
  orderId: string,
): Promise<{ order: OrderRow; invoice: InvoiceRow }> {
  const { order, role } = await findVisibleOrder(db, storeId, accountId, orderId);
  if (!seesPayment(role)) throw notFound('Order', { orderId });
  await assertStoreSeller(db, storeId);
  return { order, invoice: await findInvoice(db, storeId, orderId) };
}

/** A revision (the latest by default) of an order's invoice, for the merchant. */
export async function merchantsInvoice(
  db: DbOrTx,
  storeId: string,
  orderId: string,
  revision?: number,
): Promise<{ order: OrderRow; invoice: InvoiceRow }> {
  const order = first(
    await db
      .select()
      .from(orders)
      .where(and(eq(orders.storeId, storeId), eq(orders.id, orderId))),
  );
  if (!order) throw notFound('Order', { orderId });
  await assertStoreSeller(db, storeId);
  return { order, invoice: await findInvoice(db, storeId, orderId, revision) };
}

async function assertStoreSeller(db: DbOrTx, storeId: string): Promise<void> {
  assertSellerComplete(first(await db.select({ seller: stores.seller }).from(stores).where(eq(stores.id, storeId)))!);
}

/** The invoice of one of the customer's orders, as JSON. */
export async function getCustomerInvoice(
  db: DbOrTx,
  storeId: string,
  accountId: string,
  orderId: string,
): Promise<InvoiceView> {
  const { order, invoice } = await customersInvoice(db, storeId, accountId, orderId);
  return await toInvoiceView(db, invoice, order);
}

/** The latest revision of one of the customer's invoices as a PDF. */
export async function customerInvoicePdf(
  db: DbOrTx,
  storeId: string,
  accountId: string,
  orderId: string,
  options: { language: Language; orderUrl: string },
): Promise<DocumentPdf> {
  return renderInvoicePdf(db, (await customersInvoice(db, storeId, accountId, orderId)).invoice, options);
}

/** A revision of an order's invoice as JSON, for the merchant. */
export async function getMerchantInvoice(
  db: DbOrTx,
  storeId: string,
  orderId: string,
  revision?: number,
): Promise<InvoiceView> {
  const { order, invoice } = await merchantsInvoice(db, storeId, orderId, revision);
  return await toInvoiceView(db, invoice, order);
}

/** A revision of an order's invoice as a PDF, for the merchant. */
export async function merchantInvoicePdf(
  db: DbOrTx,
  storeId: string,
  orderId: string,
  options: { revision?: number; language: Language; orderUrl: string },
): Promise<DocumentPdf> {
  return renderInvoicePdf(db, (await merchantsInvoice(db, storeId, orderId, options.revision)).invoice, options);
}

/** The latest revision of one of the customer's invoices as an EN 16931 e-invoice (UBL 2.1). */
export async function customerInvoiceXml(
  db: DbOrTx,
  storeId: string,
  accountId: string,
  orderId: string,
): Promise<InvoiceXml> {
  return renderInvoiceXml(db, (await customersInvoice(db, storeId, accountId, orderId)).invoice);
}

/** A revision of an order's invoice as an EN 16931 e-invoice (UBL 2.1), for the merchant. */
export async function merchantInvoiceXml(
  db: DbOrTx,
  storeId: string,
  orderId: string,
  revision?: number,
): Promise<InvoiceXml> {
  return renderInvoiceXml(db, (await merchantsInvoice(db, storeId, orderId, revision)).invoice);
}
