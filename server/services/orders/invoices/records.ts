import { first } from '../../../db/query';
import { and, count, desc, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client';
import { invoices, stores, type InvoiceRow, type OrderItemRow, type OrderRow, type StoreRow } from '../../../db/schema';
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
export async function findInvoice(
  db: DbOrTx,
  storeId: string,
  orderId: string,
  revision?: number,
): Promise<InvoiceRow> {
  const row = first(
    await db
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
      .limit(1),
  );
  if (!row) throw notFound('Invoice', revision === undefined ? { orderId } : { orderId, revision });
  return row;
}

/**
 * The seller an invoice shows: its snapshot, or — when the store's details were
 * incomplete at issue — the store's complete details now, kept on the invoice's
 * revisions from then on so that later changes no longer reach it.
 */
export async function sellerOf(db: DbOrTx, invoice: InvoiceRow): Promise<SellerDetails> {
  if (invoice.seller) return invoice.seller;
  const store = first(await db.select({ seller: stores.seller }).from(stores).where(eq(stores.id, invoice.storeId)))!;
  const seller = assertSellerComplete(store);
  await db
    .update(invoices)
    .set({ seller })
    .where(and(eq(invoices.storeId, invoice.storeId), eq(invoices.orderId, invoice.orderId), isNull(invoices.seller)));
  return seller;
}

/** Whether the order carried tax computed for its country: then the invoice's country cannot be corrected. */
export const countryLocked = (order: Pick<OrderRow, 'tax'>): boolean => order.tax > 0;

/** A business buyer with a tax id who was charged no tax: the invoice says the buyer accounts for it. */
export const reverseCharge = (
  invoice: Pick<InvoiceRow, 'isBusiness' | 'taxId'>,
  order: Pick<OrderRow, 'tax' | 'total'>,
) => invoice.isBusiness && Boolean(invoice.taxId) && order.tax === 0 && order.total > 0;

/**
 * A line's tax rate in parts per million: as recorded, or — for lines recorded
 * before rates were kept, or recorded at 0 % yet taxed — derived from its tax and
 * net amount to 0.01 %; null when neither tells (no net amount and no rate).
 */
export function lineRatePpm(item: Pick<OrderItemRow, 'taxRatePpm' | 'tax' | 'subtotal' | 'discount'>): number | null {
  if (item.taxRatePpm !== null && !(item.taxRatePpm === 0 && item.tax > 0)) return item.taxRatePpm;
  const net = item.subtotal - item.discount;
  return net > 0 ? Math.round((item.tax * 1_000_000) / net / 100) * 100 : null;
}

/**
 * What an invoice gives as the time of supply: the period the first line with one
 * pays for on a renewal or plan change, otherwise the day the order was completed.
 */
export function supplyOf(
  order: Pick<OrderRow, 'kind' | 'completedAt'>,
  items: Pick<OrderItemRow, 'periodStart' | 'periodEnd'>[],
): { date: Date } | { start: Date; end: Date } {
  const period = items.find((i) => i.periodStart && i.periodEnd);
  if (order.kind !== 'purchase' && period) return { start: period.periodStart!, end: period.periodEnd! };
  return { date: order.completedAt };
}

/** The JSON view of one revision. */
export async function toInvoiceView(
  db: DbOrTx,
  invoice: InvoiceRow,
  order: Pick<OrderRow, 'tax'>,
): Promise<InvoiceView> {
  const revisions = first(
    await db
      .select({ n: count() })
      .from(invoices)
      .where(and(eq(invoices.storeId, invoice.storeId), eq(invoices.orderId, invoice.orderId))),
  )!.n;
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
