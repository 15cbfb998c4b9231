import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client';
import { paymentMethods, subscriptions, type AccountRow } from '../../db/schema';
import type { Deps } from '../../deps';
import { problemSaying } from '../../lib/errors';
import { GatewayUnavailableError } from '../../payments/gateway';
import { liveStatuses } from './subscription-record';

/** The account's subscriptions that have not ended: in trial, active, paused or overdue (pending cancellations too). */
export async function liveSubscriptionIds(db: DbOrTx, storeId: string, accountId: string): Promise<string[]> {
  return (
    await db
      .select({ id: subscriptions.id })
      .from(subscriptions)
      .where(
        and(
          eq(subscriptions.storeId, storeId),
          eq(subscriptions.accountId, accountId),
          inArray(subscriptions.status, liveStatuses),
        ),
      )
  ).map((row) => row.id);
}

/** What the processor holds of an account: the tokens of its methods, and the processor's customers they belong to. */
async function processorReferences(
  db: DbOrTx,
  account: AccountRow,
): Promise<{ tokens: string[]; customers: string[] }> {
  const methods = await db
    .select({ token: paymentMethods.processorToken, customer: paymentMethods.processorCustomerId })
    .from(paymentMethods)
    .where(and(eq(paymentMethods.storeId, account.storeId), eq(paymentMethods.accountId, account.id)));
  // A token another account of the store still uses stays at the processor (the same card saved twice).
  const shared = new Set(
    (
      await db
        .select({ token: paymentMethods.processorToken })
        .from(paymentMethods)
        .where(
          and(
            eq(paymentMethods.storeId, account.storeId),
            ne(paymentMethods.accountId, account.id),
            isNull(paymentMethods.removedAt),
            inArray(
              paymentMethods.processorToken,
              methods.map((m) => m.token),
            ),
          ),
        )
    ).map((m) => m.token),
  );
  const tokens = [...new Set(methods.map((m) => m.token))].filter((token) => !shared.has(token));
  const customers = [account.processorCustomerId, ...methods.map((m) => m.customer)].filter(
    (id): id is string => id !== null,
  );
  return { tokens, customers: [...new Set(customers)] };
}

/**
 * Makes the processor forget an account before its records are erased: detaches
 * every payment method it ever saved (removed ones too; detaching twice is
 * harmless) and deletes the processor's customer the portal created for it. Done
 * first and on its own, so that an unreachable processor (503 `gateway_unavailable`)
 * leaves the account as it was, to be erased by the next try; what was detached
 * already stays detached, and is detached again harmlessly then.
 */
export async function forgetAtProcessor(deps: Pick<Deps, 'db' | 'gateway'>, account: AccountRow): Promise<number> {
  const { tokens, customers } = await processorReferences(deps.db, account);
  try {
    for (const token of tokens) await deps.gateway.detachMethod(token);
    for (const customer of customers) {
      await deps.gateway.forgetCustomer(customer, { storeId: account.storeId, accountId: account.id });
    }
  } catch (error) {
    if (!(error instanceof GatewayUnavailableError)) throw error;
    throw problemSaying(
      'gateway_unavailable',
      'The payment processor could not be reached to detach the payment methods, so nothing was deleted. ' +
        'Try again: what was detached stays detached.',
      { accountId: account.id },
      { 'Retry-After': '60' },
    );
  }
  return tokens.length;
}

/**
 * Erases what billing keeps about an account, in the caller's transaction: its
 * payment methods keep their id and brand (orders and charges refer to them) but lose
 * the processor's token and customer, the last four digits and the expiry, and are
 * removed; its subscriptions (all ended) lose the comment the customer wrote when
 * canceling. Charges and refunds stay, as the money records they are.
 */
export async function anonymiseCustomerBilling(tx: Tx, storeId: string, accountId: string, now: Date): Promise<void> {
  await tx
    .update(paymentMethods)
    .set({
      processorToken: sql`'deleted:' || ${paymentMethods.id}`,
      processorCustomerId: null,
      last4: null,
      expMonth: null,
      expYear: null,
      isDefault: false,
      removedAt: sql`coalesce(${paymentMethods.removedAt}, ${now.getTime()})`,
    })
    .where(and(eq(paymentMethods.storeId, storeId), eq(paymentMethods.accountId, accountId)));
  await tx
    .update(subscriptions)
    .set({ cancelComment: null })
    .where(and(eq(subscriptions.storeId, storeId), eq(subscriptions.accountId, accountId)));
}
