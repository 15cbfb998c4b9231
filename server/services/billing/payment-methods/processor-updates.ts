import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { paymentMethods } from '../../../db/schema';
import { emitEvent } from '../../../webhooks/emit';
import type { MethodDetails } from '../../../payments/gateway';
import { removeInTransaction, toPaymentMethodView } from './payment-methods';
import { recordActivity } from '../../activity';

/** Saved (not removed) methods with this processor token, in every store and account that saved it. */
const savedWithToken = async (tx: Tx, token: string) =>
  await tx
    .select()
    .from(paymentMethods)
    .where(and(eq(paymentMethods.processorToken, token), isNull(paymentMethods.removedAt)));

/**
 * The processor changed a saved method's details (the card updater got a new
 * expiry or number from the bank): brand, last 4 and expiry are refreshed and
 * `payment_method.updated` goes out. Returns how many saved methods changed.
 */
export async function refreshMethodFromProcessor(
  tx: Tx,
  token: string,
  details: MethodDetails,
  now: Date,
): Promise<number> {
  let changed = 0;
  for (const method of await savedWithToken(tx, token)) {
    const next = {
      brand: details.brand ?? method.brand,
      last4: details.last4 ?? method.last4,
      expMonth: details.expMonth ?? method.expMonth,
      expYear: details.expYear ?? method.expYear,
    };
    if (Object.entries(next).every(([key, value]) => method[key as keyof typeof next] === value)) continue;
    await tx.update(paymentMethods).set(next).where(eq(paymentMethods.id, method.id));
    await emitEvent(
      tx,
      method.storeId,
      'payment_method.updated',
      toPaymentMethodView({ ...method, ...next }, now),
      now,
    );
    await recordActivity(
      tx,
      {
        storeId: method.storeId,
        accountId: method.accountId,
        kind: 'payment_method_updated',
        actor: 'processor',
        subjectId: method.id,
        details: next,
      },
      now,
    );
    changed++;
  }
  return changed;
}

/**
 * The processor detached a saved method (in its dashboard, or through its API):
 * it is removed as the portal removes one, its subscriptions moving to the
 * account's default; when it was the only one, they are left without a method
 * (it could not be charged anyway). Returns how many saved methods were removed.
 */
export async function forgetDetachedMethod(tx: Tx, token: string, now: Date): Promise<number> {
  const saved = await savedWithToken(tx, token);
  for (const method of saved)
    await removeInTransaction(tx, method.storeId, method.accountId, method.id, now, 'processor', true);
  return saved.length;
}
