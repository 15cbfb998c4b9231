import { and, asc, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { creditNotes, paymentMethods, refunds } from '../../db/schema';
import type { StoreSettings } from '../../lib/store-settings';
import type { AccountExportPaymentMethod, AccountExportRefund } from '../../schemas/account-export';
import type { PortalSubscriptionView } from '../../schemas/subscriptions';
import { listPortalSubscriptions } from './subscriptions/customer-view';

/** Subscriptions are read a page at a time, as the portal lists them. */
const PAGE = 100;

/** Every subscription of the account in every status, newest first, as the Portal API shows them. */
export async function exportCustomerSubscriptions(
  db: DbOrTx,
  storeId: string,
  accountId: string,
  settings: StoreSettings,
  now: Date,
): Promise<PortalSubscriptionView[]> {
  const out: PortalSubscriptionView[] = [];
  let cursor: string | undefined;
  do {
    const page = await listPortalSubscriptions(db, storeId, accountId, settings, { cursor, limit: PAGE }, now);
    out.push(...page.data);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

/**
 * The account's payment methods, saved and removed, oldest first: only what is shown
 * of them (brand, last four digits, expiry). The processor's token and customer are
 * left out by construction: they are not selected.
 */
export async function exportCustomerPaymentMethods(
  db: DbOrTx,
  storeId: string,
  accountId: string,
): Promise<AccountExportPaymentMethod[]> {
  return (
    await db
      .select({
        id: paymentMethods.id,
        type: paymentMethods.type,
        brand: paymentMethods.brand,
        last4: paymentMethods.last4,
        expMonth: paymentMethods.expMonth,
        expYear: paymentMethods.expYear,
        isDefault: paymentMethods.isDefault,
        createdAt: paymentMethods.createdAt,
        removedAt: paymentMethods.removedAt,
      })
      .from(paymentMethods)
      .where(and(eq(paymentMethods.storeId, storeId), eq(paymentMethods.accountId, accountId)))
      .orderBy(asc(paymentMethods.createdAt), asc(paymentMethods.id))
  ).map((m) => ({ ...m, createdAt: m.createdAt.toISOString(), removedAt: m.removedAt?.toISOString() ?? null }));
}

/**
 * The refunds of the account's own orders, newest first, with their credit notes. A
 * refund belongs to the order's purchaser, so a gift's recipient finds none of the
 * purchaser's here.
 */
export async function exportCustomerRefunds(
  db: DbOrTx,
  storeId: string,
  accountId: string,
): Promise<AccountExportRefund[]> {
  return (
    await db
      .select({ refund: refunds, note: creditNotes })
      .from(refunds)
      .leftJoin(creditNotes, eq(creditNotes.refundId, refunds.id))
      .where(and(eq(refunds.storeId, storeId), eq(refunds.accountId, accountId)))
      .orderBy(desc(refunds.createdAt), desc(refunds.id))
  ).map(({ refund, note }) => ({
    id: refund.id,
    orderId: refund.orderId,
    status: refund.status,
    currency: refund.currency,
    amount: refund.total,
    tax: refund.tax,
    reason: refund.reason,
    createdAt: refund.createdAt.toISOString(),
    completedAt: refund.completedAt?.toISOString() ?? null,
    creditNote: note ? { id: note.id, number: note.number, issuedAt: note.issuedAt.toISOString() } : null,
  }));
}
