import { and, count, desc, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client';
import { invoices, stores, type InvoiceRow, type OrderRow, type StoreRow } from '../../../db/schema';
import { notFound, problem } from '../../../lib/errors';
import { missingSellerFields, type SellerDetails } from '../../../lib/seller';
import type { InvoiceView } from '../../../schemas/invoices';

/** Fails with `409 seller_details_missing` while the store lacks a required seller detail. */
export function assertSellerComplete(store: Pick<StoreRow, 'seller'>): SellerDetails {
  const missing = missingSellerFields(store.seller);
  if (missing.length > 0) {
    throw problem('seller_details_missing', { missing });
  }
  return store.seller!;
}

/** A revision of an order's invoice (the latest when `revision` is absent), or a 404. */
export function findInvoice(db: DbOrTx, storeId: string, orderId: string, revision?: number): InvoiceRow {
  const row = db
    .select()
    .from(invoices)
    .where(
      and(
        eq(invoices.storeId, storeId),
        eq(invoices.orderId, orderId),
        revision === undefined ? undefined : eq(invoices.revision, revision),
      ),
    )
    .orderBy(desc(invoices.revision))
    .limit(1)
    .get();
  if (!row) throw notFound('Invoice', revision === undefined ? { orderId } : { orderId, revision });
  return row;
}

/**
 * The seller an invoice shows: its snapshot, or — when the store's details were
 * incomplete at issue — the store's complete details now, kept on the invoice's
 * revisions from then on so that later changes no longer reach it.
 */
export function sellerOf(db: DbOrTx, invoice: InvoiceRow): SellerDetails {
  if (invoice.seller) return invoice.seller;
  const store = db.select({ seller: stores.seller }).from(stores).where(eq(stores.id, invoice.storeId)).get()!;
  const seller = assertSellerComplete(store);
  db.update(invoices)
    .set({ seller })
    .where(and(eq(invoices.storeId, invoice.storeId), eq(invoices.orderId, invoice.orderId), isNull(invoices.seller)))
    .run();
  return seller;
}

/** Whether the order carried tax computed for its country: then the invoice's country cannot be corrected. */
export const countryLocked = (order: Pick<OrderRow, 'tax'>): boolean => order.tax > 0;

/** The JSON view of one revision. */
export function toInvoiceView(db: DbOrTx, invoice: InvoiceRow, order: Pick<OrderRow, 'tax'>): InvoiceView {
  const revisions = db
    .select({ n: count() })
    .from(invoices)
    .where(and(eq(invoices.storeId, invoice.storeId), eq(invoices.orderId, invoice.orderId)))
    .get()!.n;
  return {
    orderId: invoice.orderId,
    number: invoice.number,
    revision: invoice.revision,
    revisions,
    issuedAt: invoice.issuedAt.toISOString(),
    revisedAt: invoice.createdAt.toISOString(),
    billingDetails: {
      name: invoice.buyerName,
      email: invoice.buyerEmail,
      businessName: invoice.businessName,
      taxId: invoice.taxId,
      addressLine1: invoice.addressLine1,
      addressLine2: invoice.addressLine2,
      city: invoice.city,
      state: invoice.state,
      postalCode: invoice.postalCode,
      country: invoice.country,
      isBusiness: invoice.isBusiness,
    },
    countryLocked: countryLocked(order),
  };
}
