import { first } from '../../db/query';
import { and, count, countDistinct, eq, inArray } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client';
import { creditNotes, giftRecipients, invoices, orders } from '../../db/schema';

/** The records of an account's orders that erasing it keeps: orders, invoices (not revisions) and credit notes. */
export interface KeptRecords {
  orders: number;
  invoices: number;
  creditNotes: number;
}

/** How many of the account's orders, their invoices and their credit notes there are. */
export async function keptRecords(db: DbOrTx, storeId: string, accountId: string): Promise<KeptRecords> {
  const own = db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.storeId, storeId), eq(orders.accountId, accountId)));
  return {
    orders: first(
      await db
        .select({ n: count() })
        .from(orders)
        .where(and(eq(orders.storeId, storeId), eq(orders.accountId, accountId))),
    )!.n,
    invoices: first(
      await db
        .select({ n: countDistinct(invoices.orderId) })
        .from(invoices)
        .where(and(eq(invoices.storeId, storeId), inArray(invoices.orderId, own))),
    )!.n,
    creditNotes: first(
      await db
        .select({ n: count() })
        .from(creditNotes)
        .where(and(eq(creditNotes.storeId, storeId), inArray(creditNotes.orderId, own))),
    )!.n,
  };
}

/**
 * Takes the personal data out of an account's orders, in the caller's transaction.
 * The orders stay — the money, items, dates, references, the tax country and state,
 * whether the buyer was a business and the card's brand — because bookkeeping needs
 * them; the contact data given with them (email → `placeholder`, names, company,
 * phone), the postal code, business name, tax id and the card's last four digits go.
 * Gifts the account received lose the recipient's details and the message.
 *
 * Invoices and credit notes are not touched: an issued invoice is a legal document
 * that must stay as it was issued (with the buyer's name, address and tax id) for as
 * long as the law keeps it, and a credit note shows its invoice's buyer. Those are
 * the only copies of the buyer's details that remain.
 */
export async function anonymiseCustomerOrders(
  tx: Tx,
  storeId: string,
  accountId: string,
  placeholder: string,
): Promise<void> {
  await tx
    .update(orders)
    .set({
      customerEmail: placeholder,
      customerFirstName: null,
      customerLastName: null,
      customerCompany: null,
      customerPhone: null,
      billingPostalCode: null,
      businessName: null,
      taxId: null,
      paymentLast4: null,
    })
    .where(and(eq(orders.storeId, storeId), eq(orders.accountId, accountId)));
  await tx
    .update(giftRecipients)
    .set({ email: placeholder, firstName: null, lastName: null, message: null })
    .where(and(eq(giftRecipients.storeId, storeId), eq(giftRecipients.accountId, accountId)));
}
