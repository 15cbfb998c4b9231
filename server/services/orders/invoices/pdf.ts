import { first } from '../../../db/query';
import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client';
import { orderItems, orders, stores, type InvoiceRow, type OrderRow, type StoreRow } from '../../../db/schema';
import { translator, type Language } from '../../../i18n';
import { brandName } from '../../../lib/card-brands';
import type { SellerDetails } from '../../../lib/seller';
import { storeSettings } from '../../../lib/store-settings';
import { resolveTheme } from '../../../lib/theme';
import { formatsFor, loadLogo, renderPdf, type PdfDocument, type PdfImage } from '../../../pdf';
import { assertSellerComplete, lineRatePpm, reverseCharge, sellerOf, supplyOf } from './records';

/** A rendered document (an invoice, a credit note): the PDF and the file name to offer it under. */
export interface DocumentPdf {
  bytes: Uint8Array<ArrayBuffer>;
  fileName: string;
}

/** Letter for sellers in the US and Canada, A4 elsewhere, unless the store chose. */
export function paperOf(store: Pick<StoreRow, 'settings'>, seller: Pick<SellerDetails, 'country'>): 'a4' | 'letter' {
  const chosen = storeSettings(store).invoicePaperSize;
  if (chosen !== 'auto') return chosen;
  return seller.country === 'US' || seller.country === 'CA' ? 'letter' : 'a4';
}

/**
 * Renders one revision of an invoice in a language. The caller has checked that
 * the reader may see it; `orderUrl` is the order in the customer's portal.
 */
export async function renderInvoicePdf(
  db: DbOrTx,
  invoice: InvoiceRow,
  options: { language: Language; orderUrl: string },
): Promise<DocumentPdf> {
  const store = first(await db.select().from(stores).where(eq(stores.id, invoice.storeId)))!;
  const logo = await loadLogo(resolveTheme(store.checkoutThemes).logoUrl);
  return await invoicePdfWith(db, invoice, { ...options, logo });
}

/**
 * The same with the logo given (or none): synchronous, for the email worker that
 * renders a receipt's invoice and for callers that already hold the logo.
 */
export async function invoicePdfWith(
  db: DbOrTx,
  invoice: InvoiceRow,
  options: { language: Language; orderUrl: string; logo: PdfImage | null },
): Promise<DocumentPdf> {
  const store = first(await db.select().from(stores).where(eq(stores.id, invoice.storeId)))!;
  assertSellerComplete(store);
  const seller = await sellerOf(db, invoice);
  const order = first(
    await db
      .select()
      .from(orders)
      .where(and(eq(orders.storeId, invoice.storeId), eq(orders.id, invoice.orderId))),
  )!;
  const document = await invoiceDocument(db, { invoice, order, store, seller, ...options });
  const { t } = translator(options.language);
  return { bytes: await renderPdf(document), fileName: invoiceFileName(t, invoice) };
}

/** The file name an invoice revision is offered and attached under (`Invoice-NW-2026-000123-2.pdf` for revision 2). */
export const invoiceFileName = (t: T, invoice: Pick<InvoiceRow, 'number' | 'revision'>) =>
  `${t('pdf.fileName')}-${invoice.number}${invoice.revision > 1 ? `-${invoice.revision}` : ''}.pdf`;

interface Parts {
  invoice: InvoiceRow;
  order: OrderRow;
  store: StoreRow;
  seller: SellerDetails;
  logo: PdfImage | null;
  language: Language;
  orderUrl: string;
}

/** The document model of an invoice revision: everything printed on it, translated. */
export async function invoiceDocument(db: DbOrTx, parts: Parts): Promise<PdfDocument> {
  const { invoice, order, seller, language } = parts;
  const { t } = translator(language);
  const f = formatsFor(language, order.currency);
  const items = await db
    .select()
    .from(orderItems)
    .where(eq(orderItems.orderId, order.id))
    .orderBy(asc(orderItems.position));
  return {
    kind: 'invoice',
    language,
    paper: paperOf(parts.store, seller),
    number: invoice.number,
    revision: invoice.revision,
    issuedAt: invoice.issuedAt,
    supply: supplyOf(order, items),
    references: [{ label: t('pdf.orderReference'), value: order.reference }],
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
      name: invoice.buyerName,
      businessName: invoice.businessName,
      email: invoice.buyerEmail,
      taxId: invoice.taxId,
      isBusiness: invoice.isBusiness,
      addressLines: addressLines(invoice, f.country),
    },
    currency: order.currency,
    lines: items.map((item) => ({
      description: item.displayName,
      period: item.periodStart && item.periodEnd ? { start: item.periodStart, end: item.periodEnd } : null,
      quantity: item.quantity,
      unitPrice: item.unitPrice,
      discount: item.discount,
      taxRatePpm: lineRatePpm(item),
      tax: item.tax,
      total: item.total,
    })),
    totals: { subtotal: order.subtotal, discount: order.discount, tax: order.tax, total: order.total },
    payment: paymentLine(order, t, f.date(order.completedAt)),
    notes: reverseCharge(invoice, order)
      ? [t('pdf.reverseCharge', { business: invoice.businessName ?? invoice.buyerName, taxId: invoice.taxId })]
      : [],
    link: { label: t('pdf.viewOrder'), url: parts.orderUrl },
  };
}

type T = ReturnType<typeof translator>['t'];

function paymentLine(order: OrderRow, t: T, date: string): string | null {
  if (order.total === 0) return null;
  if (order.paymentBrand && order.paymentLast4) {
    return t('pdf.paidWithCard', { date, brand: brandName(order.paymentBrand), last4: order.paymentLast4 });
  }
  if (order.paymentBrand) return t('pdf.paidWith', { date, brand: brandName(order.paymentBrand) });
  return t('pdf.paid', { date });
}

/** A party's address as printed, one line each, the country in the document's language. */
export function addressLines(
  a: {
    addressLine1: string | null;
    addressLine2: string | null;
    city: string | null;
    state: string | null;
    postalCode: string | null;
    country: string | null;
  },
  country: (code: string) => string,
): string[] {
  const town = [a.postalCode, a.city].filter(Boolean).join(' ');
  const region = [town, a.state].filter(Boolean).join(', ');
  return [a.addressLine1, a.addressLine2, region, a.country ? country(a.country) : null].filter((l): l is string =>
    Boolean(l),
  );
}
