import { first } from '../../db/query';
import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { invoices, orderItems, orders, refundLines, refunds, stores, type CreditNoteRow } from '../../db/schema';
import { customersCreditNote, findCreditNote, partiesOf } from './credit-notes';
import type { EInvoiceLine, EInvoiceSource } from './invoices/e-invoice';
import { renderUbl, type InvoiceXml } from './invoices/e-invoice-xml';
import { toEInvoice } from './invoices/e-invoice';
import { lineRatePpm, reverseCharge, supplyOf } from './invoices/records';

/**
 * What a credit note says, as the source of its EN 16931 credit note (UBL
 * `CreditNote`, type 381): the seller and buyer of the invoice it corrects, which
 * it names (BG-3), one line per order line refunded and, as paid back already, the
 * whole refund (so nothing is payable). Units refunded keep the line's unit price,
 * with what the order's discount took off them as a line allowance; a share of a
 * line refunded by amount is one unit at the net amount given back.
 */
export async function creditNoteSource(db: DbOrTx, note: CreditNoteRow): Promise<EInvoiceSource> {
  const store = first(await db.select().from(stores).where(eq(stores.id, note.storeId)))!;
  const order = first(
    await db
      .select()
      .from(orders)
      .where(and(eq(orders.storeId, note.storeId), eq(orders.id, note.orderId))),
  )!;
  const refund = first(await db.select().from(refunds).where(eq(refunds.id, note.refundId)))!;
  const { seller, buyer } = await partiesOf(db, note, order, store);
  const invoice = note.invoiceId
    ? first(await db.select().from(invoices).where(eq(invoices.id, note.invoiceId)))
    : undefined;
  const lines = await db
    .select({ line: refundLines, item: orderItems })
    .from(refundLines)
    .innerJoin(orderItems, eq(orderItems.id, refundLines.orderItemId))
    .where(eq(refundLines.refundId, refund.id))
    .orderBy(asc(orderItems.position));
  const corrects = invoice ? `invoice ${invoice.number}` : `order ${order.reference}`;
  return {
    kind: 'creditNote',
    number: note.number,
    issuedAt: note.issuedAt,
    currency: order.currency,
    notes: [`Corrects ${corrects}.`, ...(refund.reason ? [`Reason: ${refund.reason}`] : [])],
    orderReference: order.reference,
    precedingInvoice: invoice ? { number: invoice.number, issuedAt: invoice.issuedAt } : null,
    supply: supplyOf(
      order,
      lines.map(({ item }) => item),
    ),
    seller,
    buyer,
    lines: lines.map(({ line, item }): EInvoiceLine => {
      const net = line.total - line.tax;
      const units = line.quantity > 0;
      return {
        description: item.displayName,
        productKey: item.productKey,
        quantity: units ? line.quantity : 1,
        unitPrice: units ? item.unitPrice : net,
        discount: units ? line.quantity * item.unitPrice - net : 0,
        tax: line.tax,
        taxRatePpm: lineRatePpm(item),
        period: item.periodStart && item.periodEnd ? { start: item.periodStart, end: item.periodEnd } : null,
      };
    }),
    payment: order.paymentBrand ? { brand: order.paymentBrand, last4: order.paymentLast4 } : null,
    prepaid: refund.total,
    reverseCharge: reverseCharge(buyer, order),
  };
}

/** A credit note as an EN 16931 credit note in UBL 2.1. The caller has checked access. */
export async function renderCreditNoteXml(db: DbOrTx, note: CreditNoteRow): Promise<InvoiceXml> {
  const xml = await renderUbl(toEInvoice(await creditNoteSource(db, note)));
  return { bytes: new TextEncoder().encode(xml), fileName: `Credit-note-${note.number}.xml` };
}

/** A credit note of one of the store's orders as UBL, for the merchant. */
export async function merchantCreditNoteXml(
  db: DbOrTx,
  storeId: string,
  orderId: string,
  creditNoteId: string,
): Promise<InvoiceXml> {
  return renderCreditNoteXml(db, await findCreditNote(db, storeId, orderId, creditNoteId));
}

/** A credit note as UBL for the signed-in customer: the purchaser's only, as its PDF. */
export async function customerCreditNoteXml(
  db: DbOrTx,
  storeId: string,
  accountId: string,
  orderId: string,
  creditNoteId: string,
): Promise<InvoiceXml> {
  return renderCreditNoteXml(db, await customersCreditNote(db, storeId, accountId, orderId, creditNoteId));
}
