import type { Tx } from '../../../db/client';
import { invoices, type AccountRow, type InvoiceRow, type OrderRow } from '../../../db/schema';
import type { Deps } from '../../../deps';
import { invalid } from '../../../lib/errors';
import { newId } from '../../../lib/ids';
import { postalCodeProblem } from '../../../lib/postal-codes';
import type { InvoiceCorrectionInput, InvoiceView } from '../../../schemas/invoices';
import { emitEvent } from '../../../webhooks/emit';
import { useBillingDetailsForFuture } from '../../accounts';
import { recordActivity } from '../../activity';
import { customersInvoice } from './access';
import type { InvoiceBuyer } from './issue';
import { countryLocked, toInvoiceView } from './records';

const correctable = [
  'businessName',
  'taxId',
  'addressLine1',
  'addressLine2',
  'city',
  'state',
  'postalCode',
  'country',
  'isBusiness',
] as const;

/**
 * Corrects the buyer's details on one of the customer's invoices: a new revision
 * with the same number and issue date (a request that changes nothing makes
 * none), `order.invoice_updated` for the merchant. The country stays when the
 * order carried tax computed for it. The account's stored billing details change
 * only with `alsoUseForFutureInvoices`.
 */
export async function correctInvoice(
  deps: Deps,
  storeId: string,
  account: AccountRow,
  orderId: string,
  input: InvoiceCorrectionInput,
): Promise<InvoiceView> {
  return await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const { order, invoice } = await customersInvoice(tx, storeId, account.id, orderId);
    const next: InvoiceBuyer = {
      buyerName: invoice.buyerName,
      buyerEmail: invoice.buyerEmail,
      businessName: input.businessName,
      taxId: input.taxId,
      addressLine1: input.addressLine1,
      addressLine2: input.addressLine2,
      city: input.city,
      state: input.state,
      postalCode: input.postalCode,
      country: input.country === undefined ? invoice.country : input.country,
      isBusiness: input.isBusiness,
    };
    checkCorrection(order, invoice, next);
    const changed = correctable.some((field) => next[field] !== invoice[field]);
    const current = changed ? await addRevision(tx, invoice, next, now) : invoice;
    if (input.alsoUseForFutureInvoices) await useBillingDetailsForFuture(tx, account, next, now);
    const view = await toInvoiceView(tx, current, order);
    if (changed) {
      await emitEvent(tx, storeId, 'order.invoice_updated', view, now);
      await recordActivity(
        tx,
        {
          storeId,
          accountId: account.id,
          kind: 'invoice_corrected',
          actor: 'customer',
          subjectId: order.id,
          details: { invoiceNumber: current.number },
        },
        now,
      );
    }
    return view;
  });
}

function checkCorrection(order: OrderRow, invoice: InvoiceRow, next: InvoiceBuyer): void {
  if (next.country !== invoice.country && countryLocked(order)) {
    throw invalid("The country cannot be corrected: the order's tax was computed for it.", [
      {
        field: 'country',
        code: 'country_locked',
        message:
          'The tax on this order was computed for this country. To change it, ask the store to refund the order and place it again.',
      },
    ]);
  }
  const problem = postalCodeProblem(next.country, next.postalCode);
  if (problem)
    throw invalid('The request body is invalid.', [
      { field: 'postalCode', code: 'invalid_postal_code', message: problem },
    ]);
}

async function addRevision(tx: Tx, invoice: InvoiceRow, buyer: InvoiceBuyer, now: Date): Promise<InvoiceRow> {
  const row: InvoiceRow = { ...invoice, ...buyer, id: newId('inv'), revision: invoice.revision + 1, createdAt: now };
  await tx.insert(invoices).values(row);
  return row;
}
