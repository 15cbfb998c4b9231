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
export function customersInvoice(
  db: DbOrTx,
  storeId: string,
  accountId: string,
  orderId: string,
): { order: OrderRow; invoice: InvoiceRow } {
  const { order, role } = findVisibleOrder(db, storeId, accountId, orderId);
  if (!seesPayment(role)) throw notFound('Order', { orderId });
  assertStoreSeller(db, storeId);
  return { order, invoice: findInvoice(db, storeId, orderId) };
}

/** A revision (the latest by default) of an order's invoice, for the merchant. */
export function merchantsInvoice(
  db: DbOrTx,
  storeId: string,
  orderId: string,
  revision?: number,
): { order: OrderRow; invoice: InvoiceRow } {
  const order = db
    .select()
    .from(orders)
    .where(and(eq(orders.storeId, storeId), eq(orders.id, orderId)))
    .get();
  if (!order) throw notFound('Order', { orderId });
  assertStoreSeller(db, storeId);
  return { order, invoice: findInvoice(db, storeId, orderId, revision) };
}

function assertStoreSeller(db: DbOrTx, storeId: string): void {
  assertSellerComplete(db.select({ seller: stores.seller }).from(stores).where(eq(stores.id, storeId)).get()!);
}

/** The invoice of one of the customer's orders, as JSON. */
export function getCustomerInvoice(db: DbOrTx, storeId: string, accountId: string, orderId: string): InvoiceView {
  const { order, invoice } = customersInvoice(db, storeId, accountId, orderId);
  return toInvoiceView(db, invoice, order);
}

/** The latest revision of one of the customer's invoices as a PDF. */
export function customerInvoicePdf(
  db: DbOrTx,
  storeId: string,
  accountId: string,
  orderId: string,
  options: { language: Language; orderUrl: string },
): Promise<DocumentPdf> {
  return renderInvoicePdf(db, customersInvoice(db, storeId, accountId, orderId).invoice, options);
}

/** A revision of an order's invoice as JSON, for the merchant. */
export function getMerchantInvoice(db: DbOrTx, storeId: string, orderId: string, revision?: number): InvoiceView {
  const { order, invoice } = merchantsInvoice(db, storeId, orderId, revision);
  return toInvoiceView(db, invoice, order);
}

/** A revision of an order's invoice as a PDF, for the merchant. */
export function merchantInvoicePdf(
  db: DbOrTx,
  storeId: string,
  orderId: string,
  options: { revision?: number; language: Language; orderUrl: string },
): Promise<DocumentPdf> {
  return renderInvoicePdf(db, merchantsInvoice(db, storeId, orderId, options.revision).invoice, options);
}

/** The latest revision of one of the customer's invoices as an EN 16931 e-invoice (UBL 2.1). */
export function customerInvoiceXml(
  db: DbOrTx,
  storeId: string,
  accountId: string,
  orderId: string,
): Promise<InvoiceXml> {
  return renderInvoiceXml(db, customersInvoice(db, storeId, accountId, orderId).invoice);
}

/** A revision of an order's invoice as an EN 16931 e-invoice (UBL 2.1), for the merchant. */
export function merchantInvoiceXml(
  db: DbOrTx,
  storeId: string,
  orderId: string,
  revision?: number,
): Promise<InvoiceXml> {
  return renderInvoiceXml(db, merchantsInvoice(db, storeId, orderId, revision).invoice);
}
