import type { DbOrTx } from '../../db/client';
import type { AccountRow } from '../../db/schema';
import type { Deps } from '../../deps';
import { forgetAccountEmails } from '../../email/outbox';
import { problem } from '../../lib/errors';
import type { AccountDeletion } from '../../schemas/account-deletion';
import { emitEvent } from '../../webhooks/emit';
import { redactAccountEvents } from '../../webhooks/redaction';
import { anonymiseAccount, deletedAccountEmail, getAccount, toAccountView } from '../accounts';
import { anonymiseCustomerBilling, forgetAtProcessor, liveSubscriptionIds } from '../billing';
import { anonymiseCustomerOrders, keptRecords } from '../orders';
import { anonymiseActivity } from '../activity';
import { dropLoginLinkRequests, endAccessInTransaction, type EndedAccess } from '../sign-in';

const nothingEnded: EndedAccess = { sessions: 0, links: 0, devices: 0 };

/** 409 `account_has_live_subscriptions` while a subscription of the account has not ended (it may still bill). */
async function refuseWhileBilling(db: DbOrTx, account: AccountRow): Promise<void> {
  const live = await liveSubscriptionIds(db, account.storeId, account.id);
  if (live.length > 0) throw problem('account_has_live_subscriptions', { subscriptionIds: live });
}

async function deletion(
  db: DbOrTx,
  account: AccountRow,
  done: { alreadyDeleted: boolean; ended: EndedAccess; paymentMethodsDetached: number },
): Promise<AccountDeletion> {
  return { account: toAccountView(account), ...done, kept: await keptRecords(db, account.storeId, account.id) };
}

/**
 * Erases an account at the merchant's request (`DELETE /api/accounts/{id}`), keeping
 * what the law requires a seller to keep. Refused with 409
 * `account_has_live_subscriptions` while a subscription has not ended.
 *
 * 1. The processor first, outside any transaction: every payment method is detached
 *    and the processor's customer the portal made is deleted. If the processor cannot
 *    be reached, the answer is 503 and nothing in the portal has changed; a retry
 *    detaches again (harmless) and goes on.
 * 2. Then one transaction: every session, usable link and remembered device ended (as
 *    `DELETE /api/accounts/{id}/sessions` does), waiting login-link requests dropped,
 *    the orders' and billing's personal data removed (see `anonymiseCustomerOrders`,
 *    `anonymiseCustomerBilling`), the emails forgotten, the stored events redacted,
 *    the account anonymised with a placeholder email, and `account.deleted` emitted.
 *    Invoices and credit notes stay exactly as issued.
 *
 * Asking again for a deleted account answers the same shape with `alreadyDeleted: true`
 * and changes nothing.
 */
export async function eraseAccount(deps: Deps, storeId: string, accountId: string): Promise<AccountDeletion> {
  const before = await getAccount(deps.db, storeId, accountId);
  if (before.deletedAt) return await alreadyDeleted(deps.db, before);
  await refuseWhileBilling(deps.db, before);
  const paymentMethodsDetached = await forgetAtProcessor(deps, before);
  return await deps.db.transaction(async (tx) => {
    const account = await getAccount(tx, storeId, accountId);
    // Another request erased it while the processor was asked.
    if (account.deletedAt) return await alreadyDeleted(tx, account);
    // A subscription started meanwhile (an order came in): the account stays as it is; its detached methods are refused.
    await refuseWhileBilling(tx, account);
    const now = deps.clock.now();
    const placeholder = deletedAccountEmail(account.id);
    const ended = await endAccessInTransaction(tx, storeId, account.id, now);
    await dropLoginLinkRequests(tx, storeId, account.email);
    await anonymiseCustomerOrders(tx, storeId, account.id, placeholder);
    await anonymiseCustomerBilling(tx, storeId, account.id, now);
    await forgetAccountEmails(tx, account, placeholder);
    await redactAccountEvents(tx, storeId, account.id, placeholder);
    await anonymiseActivity(tx, storeId, account.id);
    const erased = await anonymiseAccount(tx, account, now);
    await emitEvent(tx, storeId, 'account.deleted', toAccountView(erased), now);
    return await deletion(tx, erased, { alreadyDeleted: false, ended, paymentMethodsDetached });
  });
}

const alreadyDeleted = async (db: DbOrTx, account: AccountRow) =>
  await deletion(db, account, { alreadyDeleted: true, ended: nothingEnded, paymentMethodsDetached: 0 });
