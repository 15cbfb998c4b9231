import { first } from '../../db/query';
import { and, asc, desc, eq } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client';
import {
  creditNotes,
  invoices,
  orderItems,
  orders,
  refundLines,
  refunds,
  stores,
  type CreditNoteRow,
  type OrderRow,
  type RefundRow,
  type StoreRow,
} from '../../db/schema';
import { translator, type Language } from '../../i18n';
import { brandName } from '../../lib/card-brands';
import { notFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import type { SellerDetails } from '../../lib/seller';
import { storeSettings } from '../../lib/store-settings';
import { resolveTheme } from '../../lib/theme';
import { formatsFor, loadLogo, renderPdf, type PdfDocument, type PdfImage, type PdfLine } from '../../pdf';
import { getAccount } from '../accounts';
import { findVisibleOrder, seesPayment } from './customer-view';
import { buyerOfOrder, type InvoiceBuyer } from './invoices/issue';
import { addressLines, paperOf, type DocumentPdf } from './invoices/pdf';
import { assertSellerComplete, lineRatePpm, sellerOf } from './invoices/records';
import { formatCreditNoteNumber, nextCreditNoteSequence } from './numbering';

/**
 * Issues the credit note of a refund that has just succeeded, in its transaction:
 * the next number of the store's credit note sequence (gapless, apart from the
 * invoices'), naming the latest revision of the order's invoice, which it corrects.
 */
export async function issueCreditNote(tx: Tx, refund: RefundRow, now: Date): Promise<CreditNoteRow> {
  const store = first(
    await tx.select({ settings: stores.settings }).from(stores).where(eq(stores.id, refund.storeId)),
  )!;
  const sequence = await nextCreditNoteSequence(tx, refund.storeId);
  const invoice = first(
    await tx
      .select({ id: invoices.id })
      .from(invoices)
      .where(and(eq(invoices.storeId, refund.storeId), eq(invoices.orderId, refund.orderId)))
      .orderBy(desc(invoices.revision))
      .limit(1),
  );
  const row: CreditNoteRow = {
    id: newId('cn'),
    storeId: refund.storeId,
    refundId: refund.id,
    orderId: refund.orderId,
    invoiceId: invoice?.id ?? null,
    sequence,
    number: formatCreditNoteNumber(storeSettings(store).invoicePrefix, now, sequence),
    issuedAt: now,
  };
  await tx.insert(creditNotes).values(row);
  return row;
}

/** A credit note of one of the store's orders, or a 404 (also for another order's). */
export async function findCreditNote(
  db: DbOrTx,
  storeId: string,
  orderId: string,
  creditNoteId: string,
): Promise<CreditNoteRow> {
  const note = first(
    await db
      .select()
      .from(creditNotes)
      .where(and(eq(creditNotes.storeId, storeId), eq(creditNotes.orderId, orderId), eq(creditNotes.id, creditNoteId))),
  );
  if (!note) throw notFound('Credit note', { creditNoteId });
  return note;
}

/** A credit note as a PDF, for the merchant. */
export async function merchantCreditNotePdf(
  db: DbOrTx,
  storeId: string,
  orderId: string,
  creditNoteId: string,
  options: { language: Language; orderUrl: string },
): Promise<DocumentPdf> {
  return renderCreditNotePdf(db, await findCreditNote(db, storeId, orderId, creditNoteId), options);
}

/** A credit note as a PDF for the signed-in customer (see customersCreditNote). */
export async function customerCreditNotePdf(
  db: DbOrTx,
  storeId: string,
  accountId: string,
  orderId: string,
  creditNoteId: string,
  options: { language: Language; orderUrl: string },
): Promise<DocumentPdf> {
  return renderCreditNotePdf(db, await customersCreditNote(db, storeId, accountId, orderId, creditNoteId), options);
}

/**
 * A credit note the signed-in customer may have: only the purchaser's (a gift's
 * recipient never sees what was paid or refunded); anything else is the same 404
 * as a missing order.
 */
export async function customersCreditNote(
  db: DbOrTx,
  storeId: string,
  accountId: string,
  orderId: string,
  creditNoteId: string,
): Promise<CreditNoteRow> {
  const { role } = await findVisibleOrder(db, storeId, accountId, orderId);
  if (!seesPayment(role)) throw notFound('Order', { orderId });
  return await findCreditNote(db, storeId, orderId, creditNoteId);
}

/** Renders a credit note in a language, with the store's logo (fetched once and cached). */
export async function renderCreditNotePdf(
  db: DbOrTx,
  note: CreditNoteRow,
  options: { language: Language; orderUrl: string },
): Promise<DocumentPdf> {
  const store = first(await db.select().from(stores).where(eq(stores.id, note.storeId)))!;
  const logo = await loadLogo(resolveTheme(store.checkoutThemes).logoUrl);
  const { t } = translator(options.language);
  const document = await creditNoteDocument(db, { note, store, logo, ...options });
  return { bytes: await renderPdf(document), fileName: creditNoteFileName(t, note) };
}

/** The file name a credit note is offered and attached under (`Credit-note-NW-CN-2026-000007.pdf`). */
export const creditNoteFileName = (t: ReturnType<typeof translator>['t'], note: Pick<CreditNoteRow, 'number'>) =>
  `${t('pdf.creditNoteFileName')}-${note.number}.pdf`;

interface Parts {
  note: CreditNoteRow;
  store: StoreRow;
  logo: PdfImage | null;
  language: Language;
  orderUrl: string;
}

/**
 * The document model of a credit note, laid out by the invoices' renderer: the
 * seller and buyer of the invoice it corrects, a line per order line refunded
 * (units, or a share of the line for a refund by amount), the tax given back per
 * rate, how the money went back, the invoice corrected and the reason.
 */
export async function creditNoteDocument(db: DbOrTx, parts: Parts): Promise<PdfDocument> {
  const { note, store, language } = parts;
  const { t } = translator(language);
  const order = first(await db.select().from(orders).where(eq(orders.id, note.orderId)))!;
  const refund = first(await db.select().from(refunds).where(eq(refunds.id, note.refundId)))!;
  const f = formatsFor(language, order.currency);
  const { seller, buyer, invoiceNumber } = await partiesOf(db, note, order, store);
  const lines = await db
    .select({ line: refundLines, item: orderItems })
    .from(refundLines)
    .innerJoin(orderItems, eq(orderItems.id, refundLines.orderItemId))
    .where(eq(refundLines.refundId, refund.id))
    .orderBy(asc(orderItems.position));
  return {
    kind: 'credit_note',
    language,
    paper: paperOf(store, seller),
    number: note.number,
    revision: 1,
    issuedAt: note.issuedAt,
    supply: null,
    references: [
      ...(invoiceNumber ? [{ label: t('pdf.corrects'), value: invoiceNumber }] : []),
      { label: t('pdf.orderReference'), value: order.reference },
    ],
    seller: {
      name: seller.legalName!,
      addressLines: addressLines(seller, f.country),
      email: seller.email,
      vatId: seller.vatId,
      registrationNumber: seller.registrationNumber,
      footer: seller.footer,
      logo: parts.logo,
    },
    buyer: {
      name: buyer.buyerName,
      businessName: buyer.businessName,
      email: buyer.buyerEmail,
      taxId: buyer.taxId,
      isBusiness: buyer.isBusiness,
      addressLines: addressLines(buyer, f.country),
    },
    currency: order.currency,
    // Units refunded show the unit price (unless a discount made it another); a share refunded by amount neither.
    lines: lines.map(({ line, item }): PdfLine => ({
      description:
        line.quantity === 0 && line.total < item.total
          ? t('pdf.partialLine', { name: item.displayName })
          : item.displayName,
      period: item.periodStart && item.periodEnd ? { start: item.periodStart, end: item.periodEnd } : null,
      quantity: line.quantity > 0 ? line.quantity : null,
      unitPrice: line.quantity > 0 && item.discount === 0 ? item.unitPrice : null,
      discount: 0,
      taxRatePpm: lineRatePpm(item),
      tax: line.tax,
      total: line.total,
    })),
    totals: { subtotal: refund.total - refund.tax, discount: 0, tax: refund.tax, total: refund.total },
    payment: refundLine(refund, order, store, t, f.date(note.issuedAt)),
    notes: [
      invoiceNumber
        ? t('pdf.correctsInvoice', { invoice: invoiceNumber, date: f.date(order.completedAt) })
        : t('pdf.correctsOrder', { order: order.reference, date: f.date(order.completedAt) }),
      ...(refund.reason ? [t('pdf.reason', { reason: refund.reason })] : []),
    ],
    link: { label: t('pdf.viewOrder'), url: parts.orderUrl },
  };
}

/**
 * Who the credit note is from and to: those of the invoice revision it corrects;
 * for an order without an invoice, the store's seller details now and the buyer
 * as the order recorded them. As for invoices, the store must have its seller
 * details (409 `seller_details_missing` while it does not).
 */
export async function partiesOf(
  db: DbOrTx,
  note: CreditNoteRow,
  order: OrderRow,
  store: StoreRow,
): Promise<{ seller: SellerDetails; buyer: InvoiceBuyer; invoiceNumber: string | null }> {
  const current = assertSellerComplete(store);
  const invoice = note.invoiceId
    ? first(await db.select().from(invoices).where(eq(invoices.id, note.invoiceId)))
    : undefined;
  if (invoice) return { seller: await sellerOf(db, invoice), buyer: invoice, invoiceNumber: invoice.number };
  const purchaser = await getAccount(db, order.storeId, order.accountId);
  return { seller: current, buyer: buyerOfOrder(order, purchaser), invoiceNumber: null };
}

type T = ReturnType<typeof translator>['t'];

/** How the money went back: to the card that paid, or (an order paid in the merchant's own checkout) by the store. */
function refundLine(refund: RefundRow, order: OrderRow, store: StoreRow, t: T, date: string): string {
  if (refund.external) return t('pdf.paidBack', { store: store.name });
  if (order.paymentBrand && order.paymentLast4) {
    return t('pdf.refundedWithCard', { date, brand: brandName(order.paymentBrand), last4: order.paymentLast4 });
  }
  if (order.paymentBrand) return t('pdf.refundedWith', { date, brand: brandName(order.paymentBrand) });
  return t('pdf.refunded', { date });
}
