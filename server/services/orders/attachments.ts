import { first } from '../../db/query';
import { desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { prepared } from '../../db/prepared';
import { creditNotes, invoices, stores, type CreditNoteRow, type InvoiceRow, type StoreRow } from '../../db/schema';
import type { Deps } from '../../deps';
import type { AttachedDocument, QueuedAttachment } from '../../email/queue';
import { pickLanguage, translator } from '../../i18n';
import { missingSellerFields } from '../../lib/seller';
import { portalUrl } from '../sign-in';
import { creditNoteFileName, renderCreditNotePdf } from './credit-notes';
import { invoiceFileName, renderInvoicePdf } from './invoices/pdf';

/*
 * Invoices and credit notes sent with emails (receipts, renewal receipts, refunds)
 * are queued by name in the transaction that causes the email and rendered by the
 * email worker when it sends it, with the same renderer as the downloads: a PDF
 * takes milliseconds of CPU that a renewal run or an order's transaction should
 * not hold its write lock for, and the store's logo is fetched outside any
 * transaction.
 */

/**
 * The latest revision of an order's invoice, to attach to an email in `language`;
 * null when the order has none, or while the store's seller details are
 * incomplete (as for downloads, the invoice cannot be rendered then).
 */
export async function invoiceAttachment(
  db: DbOrTx,
  orderId: string,
  language: string | null,
): Promise<QueuedAttachment | null> {
  const invoice = await prepared(db, 'invoice:latest-of-order', (root) =>
    root
      .select()
      .from(invoices)
      .where(eq(invoices.orderId, sql.placeholder('orderId')))
      .orderBy(desc(invoices.revision))
      .limit(1)
      .prepare(),
  ).get({ orderId });
  if (!invoice || !(await sellerComplete(db, invoice.storeId))) return null;
  return attachedInvoice(invoice, language);
}

/**
 * {@link invoiceAttachment} of an invoice the caller has just issued, with its store
 * at hand: no read (order intake attaches it while it holds the store's invoice counter).
 */
export function issuedInvoiceAttachment(
  invoice: InvoiceRow | null,
  store: Pick<StoreRow, 'seller'>,
  language: string | null,
): QueuedAttachment | null {
  if (!invoice || missingSellerFields(store.seller).length > 0) return null;
  return attachedInvoice(invoice, language);
}

function attachedInvoice(invoice: InvoiceRow, language: string | null): QueuedAttachment {
  const { language: lang, t } = translator(language);
  return {
    name: invoiceFileName(t, invoice),
    contentType: 'application/pdf',
    document: { kind: 'invoice', id: invoice.id, language: lang },
  };
}

/** A credit note to attach to an email in `language`; null while it cannot be rendered (as for invoices). */
export async function creditNoteAttachment(
  db: DbOrTx,
  note: CreditNoteRow,
  language: string | null,
): Promise<QueuedAttachment | null> {
  if (!(await sellerComplete(db, note.storeId))) return null;
  const { language: lang, t } = translator(language);
  return {
    name: creditNoteFileName(t, note),
    contentType: 'application/pdf',
    document: { kind: 'credit_note', id: note.id, language: lang },
  };
}

/** Whether the store has its seller details, without which no invoice or credit note is rendered. */
async function sellerComplete(db: DbOrTx, storeId: string): Promise<boolean> {
  const store = await prepared(db, 'store:seller', (root) =>
    root
      .select({ seller: stores.seller })
      .from(stores)
      .where(eq(stores.id, sql.placeholder('id')))
      .prepare(),
  ).get({ id: storeId });
  return Boolean(store) && missingSellerFields(store!.seller).length === 0;
}

/**
 * Renders a document an email carries (the email worker's renderer): an invoice
 * revision or a credit note, in the language it was queued in, linking to the
 * order in the store's portal.
 */
export async function renderAttachedDocument(
  deps: Pick<Deps, 'db' | 'config'>,
  document: AttachedDocument,
): Promise<Uint8Array> {
  const language = pickLanguage(document.language);
  const orderUrlOf = async (storeId: string, orderId: string) => {
    const store = first(await deps.db.select().from(stores).where(eq(stores.id, storeId)))!;
    return `${portalUrl(store, deps.config.publicBaseUrl)}#/orders/${orderId}`;
  };
  if (document.kind === 'invoice') {
    const invoice = first(await deps.db.select().from(invoices).where(eq(invoices.id, document.id)));
    if (!invoice) throw new Error(`There is no invoice ${document.id}.`);
    const orderUrl = await orderUrlOf(invoice.storeId, invoice.orderId);
    return (await renderInvoicePdf(deps.db, invoice, { language, orderUrl })).bytes;
  }
  if (document.kind === 'credit_note') {
    const note = first(await deps.db.select().from(creditNotes).where(eq(creditNotes.id, document.id)));
    if (!note) throw new Error(`There is no credit note ${document.id}.`);
    const orderUrl = await orderUrlOf(note.storeId, note.orderId);
    return (await renderCreditNotePdf(deps.db, note, { language, orderUrl })).bytes;
  }
  throw new Error(`Documents of kind ${document.kind} are not rendered here.`);
}
