import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { creditNotes, orderItems, orders, refundLines, refunds } from '../../db/schema';
import type { OrderRow, StoreRow } from '../../db/schema';
import type { EmailAttachment } from '../../email/mailer';
import { formatDate, formatMoney } from '../../email/renewal-templates';
import { translator } from '../../i18n';
import { formatCreditNoteNumber } from '../../lib/document-numbers';
import { notFound } from '../../lib/errors';
import { storeSettings } from '../../lib/store-settings';
import { renderDocumentPdf, type DocumentModel } from '../../pdf/document-pdf';
import { invoiceNumberOf } from './merchant-view';

/** The number of the invoice an order got (`NW-2026-000123`), or its reference when it has none. */
const invoiceOf = (db: DbOrTx, order: OrderRow) => invoiceNumberOf(db, order.id) ?? order.reference;

/** The credit note number as printed (`NW-CN-2026-000007`). */
export function creditNoteNumberOf(store: StoreRow, issuedAt: Date, sequence: number): string {
  return formatCreditNoteNumber(storeSettings(store).invoicePrefix, issuedAt, sequence);
}

function buyerLines(order: OrderRow): string[] {
  const name = [order.customerFirstName, order.customerLastName].filter(Boolean).join(' ');
  const place = [order.billingPostalCode, order.billingState, order.billingCountry].filter(Boolean).join(' ');
  return [order.businessName, name, order.customerEmail, place, order.taxId].filter((s): s is string => Boolean(s));
}

function sellerLines(store: StoreRow): string[] {
  return [store.name, storeSettings(store).supportEmail].filter((s): s is string => Boolean(s));
}

function orderOf(db: DbOrTx, storeId: string, orderId: string): OrderRow {
  const order = db
    .select()
    .from(orders)
    .where(and(eq(orders.storeId, storeId), eq(orders.id, orderId)))
    .get();
  if (!order) throw notFound('Order', { orderId });
  return order;
}

/** The invoice of an order as a document, in `language` (the closest supported one). */
export function invoiceDocument(db: DbOrTx, store: StoreRow, orderId: string, language: string | null): DocumentModel {
  const order = orderOf(db, store.id, orderId);
  const { language: lang, t } = translator(language);
  const money = (minor: number) => formatMoney(minor, order.currency, lang);
  const items = db
    .select()
    .from(orderItems)
    .where(eq(orderItems.orderId, order.id))
    .orderBy(asc(orderItems.position))
    .all();
  return {
    language: lang,
    title: t('documents.invoice.title'),
    facts: [
      [t('documents.invoice.number'), invoiceOf(db, order)],
      [t('documents.date'), formatDate(order.completedAt, lang)],
      [t('documents.order'), order.reference],
    ],
    seller: sellerLines(store),
    buyer: [t('documents.billedTo'), ...buyerLines(order)],
    columns: {
      description: t('documents.description'),
      quantity: t('documents.quantity'),
      amount: t('documents.amount'),
    },
    lines: items.map((i) => ({ description: i.displayName, quantity: String(i.quantity), amount: money(i.subtotal) })),
    totals: [
      [t('documents.subtotal'), money(order.subtotal)],
      ...(order.discount > 0 ? [[t('documents.discount'), `−${money(order.discount)}`] as [string, string]] : []),
      [t('documents.tax'), money(order.tax)],
      [t('documents.total'), money(order.total)],
    ],
    notes: [],
  };
}

/** A credit note as a document, in `language`; a 404 unless it is one of the order's. */
export function creditNoteDocument(
  db: DbOrTx,
  store: StoreRow,
  orderId: string,
  creditNoteId: string,
  language: string | null,
): DocumentModel {
  const note = db
    .select()
    .from(creditNotes)
    .where(and(eq(creditNotes.storeId, store.id), eq(creditNotes.orderId, orderId), eq(creditNotes.id, creditNoteId)))
    .get();
  if (!note) throw notFound('Credit note', { creditNoteId });
  const order = orderOf(db, store.id, orderId);
  const refund = db.select().from(refunds).where(eq(refunds.id, note.refundId)).get()!;
  const { language: lang, t } = translator(language);
  const money = (minor: number) => formatMoney(minor, order.currency, lang);
  const lines = db
    .select({ line: refundLines, item: orderItems })
    .from(refundLines)
    .innerJoin(orderItems, eq(orderItems.id, refundLines.orderItemId))
    .where(eq(refundLines.refundId, refund.id))
    .orderBy(asc(orderItems.position))
    .all();
  const invoice = invoiceOf(db, order);
  const noteKey = refund.external ? 'documents.creditNote.noteExternal' : 'documents.creditNote.note';
  return {
    language: lang,
    title: t('documents.creditNote.title'),
    facts: [
      [t('documents.creditNote.number'), note.number],
      [t('documents.date'), formatDate(note.issuedAt, lang)],
      [t('documents.creditNote.corrects'), invoice],
      [t('documents.order'), order.reference],
    ],
    seller: sellerLines(store),
    buyer: [t('documents.billedTo'), ...buyerLines(order)],
    columns: {
      description: t('documents.description'),
      quantity: t('documents.quantity'),
      amount: t('documents.amount'),
    },
    lines: lines.map(({ line, item }) => ({
      description: line.total < item.total ? t('documents.partialLine', { name: item.displayName }) : item.displayName,
      quantity: line.quantity > 0 ? String(line.quantity) : '—',
      amount: `−${money(line.total)}`,
    })),
    totals: [
      [t('documents.creditedTax'), `−${money(refund.tax)}`],
      [t('documents.credited'), `−${money(refund.total)}`],
    ],
    notes: [
      t(noteKey, { invoice, date: formatDate(order.completedAt, lang), store: store.name }),
      ...(refund.reason ? [t('documents.creditNote.reason', { reason: refund.reason })] : []),
    ],
  };
}

/**
 * The invoice PDF of an order as an email attachment, rendered synchronously inside
 * the transaction that queues the email (the invoices' own renderer, `renderInvoicePdf`,
 * is asynchronous because it loads the store's logo).
 */
export function invoiceAttachment(
  db: DbOrTx,
  store: StoreRow,
  orderId: string,
  language: string | null,
): EmailAttachment {
  const model = invoiceDocument(db, store, orderId, language);
  const { t } = translator(model.language);
  return {
    name: t('documents.invoice.fileName', { number: model.facts[0][1] }),
    contentType: 'application/pdf',
    content: renderDocumentPdf(model),
  };
}

/** A credit note's PDF, as an email attachment or a download. */
export function creditNotePdf(
  db: DbOrTx,
  store: StoreRow,
  orderId: string,
  creditNoteId: string,
  language: string | null,
): EmailAttachment {
  const model = creditNoteDocument(db, store, orderId, creditNoteId, language);
  const { t } = translator(model.language);
  return {
    name: t('documents.creditNote.fileName', { number: model.facts[0][1] }),
    contentType: 'application/pdf',
    content: renderDocumentPdf(model),
  };
}

/**
 * A credit note's PDF for the signed-in customer: only the purchaser's (a gift's
 * recipient never sees what was paid or refunded); anything else is the same 404.
 */
export function purchaserCreditNotePdf(
  db: DbOrTx,
  store: StoreRow,
  accountId: string,
  orderId: string,
  creditNoteId: string,
  language: string | null,
): EmailAttachment {
  const order = db
    .select({ accountId: orders.accountId })
    .from(orders)
    .where(and(eq(orders.storeId, store.id), eq(orders.id, orderId)))
    .get();
  if (order?.accountId !== accountId) throw notFound('Credit note', { creditNoteId });
  return creditNotePdf(db, store, orderId, creditNoteId, language);
}
