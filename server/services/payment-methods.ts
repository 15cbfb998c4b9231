import { and, asc, eq, isNull } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/client';
import { paymentMethods } from '../db/schema';
import type { Deps } from '../deps';
import { newId } from '../lib/ids';
import type { PaymentMethodInput, PaymentMethodView } from '../schemas/payment-methods';
import { getAccount } from './accounts';
import { emitEvent } from './events';

export type PaymentMethodRow = typeof paymentMethods.$inferSelect;

/** Saved (not removed) methods of an account, default first. */
export function listPaymentMethods(db: DbOrTx, storeId: string, accountId: string): PaymentMethodRow[] {
  return db.select().from(paymentMethods)
    .where(and(eq(paymentMethods.storeId, storeId), eq(paymentMethods.accountId, accountId), isNull(paymentMethods.removedAt)))
    .all()
    .sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.createdAt.getTime() - b.createdAt.getTime());
}

/** Attaches a tokenised method to an account through the Server API. */
export function attachPaymentMethod(
  deps: Deps, storeId: string, accountId: string, input: PaymentMethodInput & { makeDefault?: boolean },
): PaymentMethodRow {
  return deps.db.transaction((tx) => {
    getAccount(tx, storeId, accountId);
    return savePaymentMethod(tx, storeId, accountId, input, deps.clock.now(), input.makeDefault ?? false);
  });
}

/**
 * Saves a method on an account inside the caller's transaction. The same processor
 * token saved twice is one method. The account's first method becomes its default.
 */
export function savePaymentMethod(
  tx: Tx, storeId: string, accountId: string, input: PaymentMethodInput, now: Date, makeDefault: boolean,
): PaymentMethodRow {
  const existing = listPaymentMethods(tx, storeId, accountId);
  const same = existing.find((m) => m.processorToken === input.token);
  const isDefault = makeDefault || existing.length === 0 || (same?.isDefault ?? false);
  if (isDefault) {
    tx.update(paymentMethods).set({ isDefault: false })
      .where(and(eq(paymentMethods.storeId, storeId), eq(paymentMethods.accountId, accountId))).run();
  }
  if (same) {
    const updated = { ...same, isDefault };
    tx.update(paymentMethods).set({ isDefault }).where(eq(paymentMethods.id, same.id)).run();
    return updated;
  }
  const row: PaymentMethodRow = {
    id: newId('pm'),
    storeId,
    accountId,
    processorToken: input.token,
    type: input.type ?? 'card',
    brand: input.brand ?? null,
    last4: input.last4 ?? null,
    expMonth: input.expMonth ?? null,
    expYear: input.expYear ?? null,
    isDefault,
    createdAt: now,
    removedAt: null,
  };
  tx.insert(paymentMethods).values(row).run();
  emitEvent(tx, storeId, 'payment_method.created', toPaymentMethodView(row, now), now);
  return row;
}

/** A card is valid through the last day of its expiry month. */
export function isExpired(row: Pick<PaymentMethodRow, 'expMonth' | 'expYear'>, now: Date): boolean {
  if (!row.expMonth || !row.expYear) return false;
  return now.getTime() >= Date.UTC(row.expYear, row.expMonth, 1);
}

/** The public shape: never the processor token. */
export function toPaymentMethodView(row: PaymentMethodRow, now: Date): PaymentMethodView {
  return {
    id: row.id, accountId: row.accountId, type: row.type, brand: row.brand, last4: row.last4,
    expMonth: row.expMonth, expYear: row.expYear, expired: isExpired(row, now), isDefault: row.isDefault,
    createdAt: row.createdAt.toISOString(),
  };
}
