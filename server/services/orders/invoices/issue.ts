import { eq, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { insertRow, prepared } from '../../../db/prepared';
import { invoices, stores, type AccountRow, type InvoiceRow, type OrderRow } from '../../../db/schema';
import { newId } from '../../../lib/ids';
import { missingSellerFields } from '../../../lib/seller';
import { storeSettings } from '../../../lib/store-settings';
import { formatInvoiceNumber, nextInvoiceSequence } from '../numbering';

/** The buyer's details an invoice shows: a snapshot taken at issue, or a correction. */
export type InvoiceBuyer = Pick<
  InvoiceRow,
  | 'buyerName'
  | 'buyerEmail'
  | 'businessName'
  | 'taxId'
  | 'addressLine1'
  | 'addressLine2'
  | 'city'
  | 'state'
  | 'postalCode'
  | 'country'
  | 'isBusiness'
>;

/** The buyer as the order recorded them, with the street address from the purchaser's account. */
export function buyerOfOrder(order: OrderRow, purchaser: AccountRow): InvoiceBuyer {
  const name = [order.customerFirstName, order.customerLastName].filter(Boolean).join(' ');
  return {
    buyerName: name || null,
    buyerEmail: order.customerEmail,
    businessName: order.businessName ?? (order.isBusiness ? order.customerCompany : null),
    taxId: order.taxId,
    addressLine1: purchaser.addressLine1,
    addressLine2: purchaser.addressLine2,
    city: purchaser.addressCity,
    state: order.billingState,
    postalCode: order.billingPostalCode ?? purchaser.addressPostalCode,
    country: order.billingCountry ?? purchaser.country,
    isBusiness: order.isBusiness,
  };
}

/**
 * Issues revision 1 of an order's invoice in the transaction that records the
 * order: the next number of the store's sequence, dated now, with the buyer and
 * (when complete) the seller as they are now. An order with nothing to pay gets no
 * invoice unless the store asks for one (`invoiceZeroAmountOrders`). Returns the
 * row, or null when no invoice was issued.
 */
export async function issueInvoice(
  tx: Tx,
  order: OrderRow,
  purchaser: AccountRow,
  now: Date,
): Promise<InvoiceRow | null> {
  const store = (await prepared(tx, 'store:invoicing', (root) =>
    root
      .select({ settings: stores.settings, seller: stores.seller })
      .from(stores)
      .where(eq(stores.id, sql.placeholder('id')))
      .prepare(),
  ).get({ id: order.storeId }))!;
  const settings = storeSettings(store);
  if (order.total === 0 && !settings.invoiceZeroAmountOrders) return null;
  const sequence = await nextInvoiceSequence(tx, order.storeId);
  const row: InvoiceRow = {
    id: newId('inv'),
    storeId: order.storeId,
    orderId: order.id,
    sequence,
    number: formatInvoiceNumber(settings.invoicePrefix, now, sequence),
    revision: 1,
    issuedAt: now,
    seller: store.seller && missingSellerFields(store.seller).length === 0 ? store.seller : null,
    ...buyerOfOrder(order, purchaser),
    createdAt: now,
  };
  await insertRow(tx, invoices, row);
  return row;
}
