import { first } from '../../../db/query';
import { createRequire } from 'node:module';
import type { Invoice, ValidationService } from '@e-invoice-eu/core';
import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client';
import { orderItems, orders, stores, type InvoiceRow } from '../../../db/schema';
import { problem } from '../../../lib/errors';
import { toEInvoice, type EInvoiceSource } from './e-invoice';
import { assertSellerComplete, lineRatePpm, reverseCharge, sellerOf, supplyOf } from './records';

/** An e-invoice: the UBL 2.1 XML and the file name to offer it under. */
export interface InvoiceXml {
  bytes: Uint8Array<ArrayBuffer>;
  fileName: string;
}

/** What one revision of an invoice says, as the source of its e-invoice. The caller has checked access. */
export async function invoiceSource(db: DbOrTx, invoice: InvoiceRow): Promise<EInvoiceSource> {
  assertSellerComplete(
    first(await db.select({ seller: stores.seller }).from(stores).where(eq(stores.id, invoice.storeId)))!,
  );
  const order = first(
    await db
      .select()
      .from(orders)
      .where(and(eq(orders.storeId, invoice.storeId), eq(orders.id, invoice.orderId))),
  )!;
  const items = await db
    .select()
    .from(orderItems)
    .where(eq(orderItems.orderId, order.id))
    .orderBy(asc(orderItems.position));
  return {
    kind: 'invoice',
    number: invoice.number,
    issuedAt: invoice.issuedAt,
    currency: order.currency,
    notes: invoice.revision > 1 ? [revisionNote(invoice)] : [],
    orderReference: order.reference,
    precedingInvoice: null,
    supply: supplyOf(order, items),
    seller: await sellerOf(db, invoice),
    buyer: invoice,
    lines: items.map((item) => ({
      description: item.displayName,
      productKey: item.productKey,
      quantity: item.quantity,
      unitPrice: item.unitPrice,
      discount: item.discount,
      tax: item.tax,
      taxRatePpm: lineRatePpm(item),
      period: item.periodStart && item.periodEnd ? { start: item.periodStart, end: item.periodEnd } : null,
    })),
    payment: order.paymentBrand ? { brand: order.paymentBrand, last4: order.paymentLast4 } : null,
    prepaid: order.total,
    reverseCharge: reverseCharge(invoice, order),
  };
}

/** What a corrected revision says about itself (EN 16931 has no revisions: the number stays). */
const revisionNote = (invoice: InvoiceRow) =>
  `Revision ${invoice.revision} of invoice ${invoice.number}: the buyer's billing details were corrected on ` +
  `${invoice.createdAt.toISOString().slice(0, 10)}.`;

/** One revision of an invoice as an EN 16931 e-invoice in UBL 2.1. The caller has checked access. */
export async function renderInvoiceXml(db: DbOrTx, invoice: InvoiceRow): Promise<InvoiceXml> {
  const xml = await renderUbl(toEInvoice(await invoiceSource(db, invoice)));
  const revision = invoice.revision > 1 ? `-${invoice.revision}` : '';
  return { bytes: new TextEncoder().encode(xml), fileName: `Invoice-${invoice.number}${revision}.xml` };
}

/** Writes a checked document as XML. */
type UblWriter = (data: Invoice) => Promise<string>;

let writer: Promise<UblWriter> | undefined;

const quiet = { log: () => {}, warn: () => {}, error: () => {} };

/**
 * `@e-invoice-eu/core`'s UBL writer behind its EN 16931 invoice schema, made on
 * first use: the library brings spreadsheet and PDF code along (half a second and
 * some 20 MB of heap), which a server that never makes an e-invoice should not
 * pay for. These are the steps of the library's `InvoiceService.generate`, except
 * that the schema is compiled once per process rather than for every document
 * (0.2 s of CPU each), as the library's README suggests for its exported
 * `invoiceSchema`; the compiler is the Ajv the library itself depends on.
 */
function ublWriter(): Promise<UblWriter> {
  writer ??= import('@e-invoice-eu/core').then((library) => {
    const format = new library.FormatFactoryService().createFormatService('UBL', quiet);
    const schema = structuredClone(library.invoiceSchema);
    format.patchSchema(schema);
    const libraryRequire = createRequire(createRequire(import.meta.url).resolve('@e-invoice-eu/core'));
    const { default: Ajv2019 } = libraryRequire('ajv/dist/2019') as { default: new (options: object) => Ajv };
    const check = new Ajv2019({ strict: true, allErrors: true, useDefaults: true }).compile(schema);
    const validation = new library.ValidationService(quiet);
    return async (data) => {
      const invoice = validation.validate<Invoice>('invoice data', check, structuredClone(data));
      format.fillInvoiceDefaults(invoice);
      return (await format.generate(invoice, { format: 'UBL', lang: 'en' })) as string;
    };
  });
  // A failed load is tried again on the next document rather than remembered.
  writer.catch(() => {
    writer = undefined;
  });
  return writer;
}

/** Ajv's validation function for the invoice schema, as the library's `ValidationService` takes it. */
type InvoiceCheck = Parameters<ValidationService['validate']>[1] & ((data: unknown) => data is Invoice);

/** What this module needs of Ajv: compiling a schema into a validation function. */
interface Ajv {
  compile(schema: object): InvoiceCheck;
}

/**
 * Writes a document as UBL 2.1 with the library, which first checks it against
 * its EN 16931 invoice schema (cardinalities, code lists, number and date
 * formats). A document it refuses is `409 e_invoice_unavailable` with the
 * library's findings in `details.problems`.
 */
export async function renderUbl(data: Invoice): Promise<string> {
  const write = await ublWriter();
  try {
    return await write(data);
  } catch (error) {
    const findings = (error as { errors?: unknown }).errors;
    if (!Array.isArray(findings)) throw error;
    throw problem('e_invoice_unavailable', {
      reason: 'rejected',
      problems: findings.map((f: { instancePath?: string; message?: string }) => `${f.instancePath} ${f.message}`),
    });
  }
}
