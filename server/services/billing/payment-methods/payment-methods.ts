import { firstOfMonthMs } from '../../../db/portable-sql';
import { first } from '../../../db/query';
import { mapInOrder } from '../../../lib/in-order';
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../../db/client';
import { paymentMethods } from '../../../db/schema';
import type { Deps } from '../../../deps';
import { DAY } from '../../../lib/clock';
import { DomainError, notFound, problem, problemSaying } from '../../../lib/errors';
import { newId } from '../../../lib/ids';
import type {
  PaymentMethodAttachInput,
  PaymentMethodInput,
  PaymentMethodView,
  PortalPaymentMethodView,
} from '../../../schemas/payment-methods';
import { getLiveAccount, rememberProcessorCustomer } from '../../accounts';
import type { MethodDetails } from '../../../payments/gateway';
import { askGateway, gatewayAccount } from './gateway-calls';
import { emitEvent } from '../../../webhooks/emit';
import {
  dependsOnMethod,
  liveSubscriptions,
  ownLiveSubscriptions,
  switchSubscriptionMethod,
  type SubscriptionUse,
} from './usage';
import type { PaymentMethodRow, SubscriptionRow } from '../../../db/schema';
import type { ActivityActor } from '../../../contract';
import { recordActivity } from '../../activity';

/** How far ahead a card's expiry is announced (`expiresSoon`). */
export const EXPIRES_SOON_MS = 60 * DAY;

/** Saved (not removed) methods of an account, default first. */
export async function listPaymentMethods(db: DbOrTx, storeId: string, accountId: string): Promise<PaymentMethodRow[]> {
  return (
    await db
      .select()
      .from(paymentMethods)
      .where(
        and(
          eq(paymentMethods.storeId, storeId),
          eq(paymentMethods.accountId, accountId),
          isNull(paymentMethods.removedAt),
        ),
      )
  ).sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.createdAt.getTime() - b.createdAt.getTime());
}

/** One saved (not removed) method of the account; 404 for anyone else's, another store's, or a removed one. */
export async function getPaymentMethod(
  db: DbOrTx,
  storeId: string,
  accountId: string,
  id: string,
): Promise<PaymentMethodRow> {
  const row = first(
    await db
      .select()
      .from(paymentMethods)
      .where(
        and(
          eq(paymentMethods.storeId, storeId),
          eq(paymentMethods.accountId, accountId),
          eq(paymentMethods.id, id),
          isNull(paymentMethods.removedAt),
        ),
      ),
  );
  if (!row) throw notFound('Payment method', { paymentMethodId: id });
  return row;
}

/**
 * Attaches a tokenised method to an account through the Server API, optionally
 * as the default and as the method of some of the account's subscriptions
 * (manual-renewal ones then renew automatically).
 */
export async function attachPaymentMethod(
  deps: Deps,
  storeId: string,
  accountId: string,
  input: PaymentMethodAttachInput,
): Promise<PaymentMethodRow> {
  const account = await getLiveAccount(deps.db, storeId, accountId);
  // Wrong subscription ids fail before the processor is asked anything.
  await ownLiveSubscriptions(deps.db, storeId, accountId, input.subscriptionIds ?? []);
  const { makeDefault = false, subscriptionIds: _, ...given } = input;
  // The processor must know the token; a card that has expired since is still recorded (the portal shows it
  // as expired and asks for another), as the merchant's backend may hold such cards.
  const checked = await askGateway(() =>
    deps.gateway.retrieveMethod(input.token, {
      ...gatewayAccount(account),
      customerId: input.customer ?? account.processorCustomerId,
    }),
  ).catch((error: unknown) => {
    if (
      error instanceof DomainError &&
      (error.details as { declineCode?: string } | undefined)?.declineCode === 'expired_card'
    ) {
      return { type: 'card' } as MethodDetails;
    }
    throw error;
  });
  return await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const subs = await ownLiveSubscriptions(tx, storeId, accountId, input.subscriptionIds ?? []);
    const method = await savePaymentMethod(
      tx,
      storeId,
      accountId,
      { ...given, ...verifiedMethod(input.token, checked, given) },
      now,
      makeDefault,
      'merchant',
    );
    await useMethodFor(tx, method, subs, now, 'merchant');
    return method;
  });
}

/**
 * What is saved of a method the processor has checked: its details win over what
 * the caller said (`given`), which fills only what the processor left open.
 */
export function verifiedMethod(
  token: string,
  details: MethodDetails,
  given: Partial<PaymentMethodInput> = {},
): PaymentMethodInput {
  return {
    token,
    type: details.type,
    brand: details.brand ?? given.brand ?? null,
    last4: details.last4 ?? given.last4 ?? null,
    expMonth: details.expMonth ?? given.expMonth ?? null,
    expYear: details.expYear ?? given.expYear ?? null,
    customer: details.customerId ?? given.customer,
  };
}

/** Puts a change of a saved method in its account's activity log, the card named by brand and last 4. */
async function recordMethodActivity(
  tx: Tx,
  method: PaymentMethodRow,
  kind: 'payment_method_added' | 'payment_method_removed' | 'payment_method_default_changed' | 'payment_method_updated',
  by: ActivityActor,
  now: Date,
): Promise<void> {
  const card = { brand: method.brand, last4: method.last4 };
  const expiry = kind === 'payment_method_updated' ? { expMonth: method.expMonth, expYear: method.expYear } : {};
  await recordActivity(
    tx,
    {
      storeId: method.storeId,
      accountId: method.accountId,
      kind,
      actor: by,
      subjectId: method.id,
      details: { ...card, ...expiry },
    },
    now,
  );
}

/**
 * Saves a method on an account inside the caller's transaction. The same processor
 * token saved twice is one method. The account's first method becomes its default.
 * Emits `payment_method.created` for a new method and `payment_method.updated` when
 * a method saved before becomes the default, and records either in the activity log.
 */
export async function savePaymentMethod(
  tx: Tx,
  storeId: string,
  accountId: string,
  input: PaymentMethodInput,
  now: Date,
  makeDefault: boolean,
  by: ActivityActor,
): Promise<PaymentMethodRow> {
  const existing = await listPaymentMethods(tx, storeId, accountId);
  const same = existing.find((m) => m.processorToken === input.token);
  const isDefault = makeDefault || existing.length === 0 || (same?.isDefault ?? false);
  if (isDefault) await clearDefault(tx, storeId, accountId);
  if (same) {
    const updated = { ...same, isDefault };
    await tx.update(paymentMethods).set({ isDefault }).where(eq(paymentMethods.id, same.id));
    if (isDefault && !same.isDefault) {
      await emitEvent(tx, storeId, 'payment_method.updated', toPaymentMethodView(updated, now), now);
      await recordMethodActivity(tx, updated, 'payment_method_default_changed', by, now);
    }
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
    processorCustomerId: input.customer ?? null,
    isDefault,
    createdAt: now,
    removedAt: null,
  };
  await tx.insert(paymentMethods).values(row);
  if (row.processorCustomerId) await rememberProcessorCustomer(tx, storeId, accountId, row.processorCustomerId);
  await emitEvent(tx, storeId, 'payment_method.created', toPaymentMethodView(row, now), now);
  await recordMethodActivity(tx, row, 'payment_method_added', by, now);
  return row;
}

async function clearDefault(tx: Tx, storeId: string, accountId: string): Promise<void> {
  await tx
    .update(paymentMethods)
    .set({ isDefault: false })
    .where(and(eq(paymentMethods.storeId, storeId), eq(paymentMethods.accountId, accountId)));
}

/**
 * Makes the method the subscriptions' method inside the caller's transaction,
 * turning automatic renewal on; emits `subscription.updated` for each one that
 * changed and one `payment_method.updated` when any did. A subscription that
 * already renews automatically with this method is left as it is (no new version).
 */
export async function useMethodFor(
  tx: Tx,
  method: PaymentMethodRow,
  subs: SubscriptionRow[],
  now: Date,
  by: ActivityActor,
): Promise<SubscriptionRow[]> {
  const changing = subs.filter((sub) => sub.paymentMethodId !== method.id || !sub.autoRenew);
  if (changing.length === 0) return subs;
  if (isExpired(method, now)) {
    throw problem('payment_method_expired', { paymentMethodId: method.id });
  }
  const updated = new Map(
    await mapInOrder(changing, async (sub) => [
      sub.id,
      await switchSubscriptionMethod(tx, sub, method.id, now, by, true),
    ]),
  );
  await emitEvent(tx, method.storeId, 'payment_method.updated', toPaymentMethodView(method, now), now);
  return subs.map((sub) => updated.get(sub.id) ?? sub);
}

/** The customer makes a saved method the account's default; emits `payment_method.updated`. */
export async function setDefaultPaymentMethod(
  deps: Deps,
  storeId: string,
  accountId: string,
  id: string,
): Promise<PaymentMethodRow> {
  return await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const method = await getPaymentMethod(tx, storeId, accountId, id);
    if (method.isDefault) return method;
    await clearDefault(tx, storeId, accountId);
    await tx.update(paymentMethods).set({ isDefault: true }).where(eq(paymentMethods.id, id));
    const updated = { ...method, isDefault: true };
    await emitEvent(tx, storeId, 'payment_method.updated', toPaymentMethodView(updated, now), now);
    await recordMethodActivity(tx, updated, 'payment_method_default_changed', 'customer', now);
    return updated;
  });
}

/**
 * The customer chooses the method a subscription of the account is charged with. A
 * manual-renewal subscription renews automatically from now on. Bumps the
 * subscription's version; emits `subscription.updated` and `payment_method.updated`.
 */
export async function setSubscriptionPaymentMethod(
  deps: Deps,
  storeId: string,
  accountId: string,
  subscriptionId: string,
  paymentMethodId: string,
): Promise<SubscriptionRow> {
  return await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const [sub] = await ownLiveSubscriptions(tx, storeId, accountId, [subscriptionId]);
    const method = await getPaymentMethod(tx, storeId, accountId, paymentMethodId);
    return (await useMethodFor(tx, method, [sub], now, 'customer'))[0];
  });
}

/**
 * Removes a saved method (softly: orders keep referring to it; it is never shown
 * or charged again) and tells the gateway. Subscriptions that used it move to the
 * account's default method; when the removed one was the default, another saved
 * method (an unexpired one first, the newest) becomes the default and takes them
 * over. The only method of an account cannot be removed while an auto-renewing
 * subscription depends on it (409 `payment_method_in_use`, naming them).
 */
export async function removePaymentMethod(
  deps: Deps,
  storeId: string,
  accountId: string,
  id: string,
  by: ActivityActor,
): Promise<void> {
  const removed = await deps.db.transaction(
    async (tx) => await removeInTransaction(tx, storeId, accountId, id, deps.clock.now(), by),
  );
  try {
    await deps.gateway.detachMethod(removed.processorToken);
  } catch (error) {
    // The method is gone on our side and never charged again; the processor forgetting it is a courtesy.
    deps.logger.warn('payment gateway could not detach a removed method', { paymentMethodId: removed.id, error });
  }
}

/**
 * Removes a method inside the caller's transaction. `gone`: the processor has
 * already forgotten it (detached there), so it is removed even when it is the
 * only method a subscription depends on — that subscription then has none, and
 * its next renewal asks the customer for a new one.
 */
export async function removeInTransaction(
  tx: Tx,
  storeId: string,
  accountId: string,
  id: string,
  now: Date,
  by: ActivityActor,
  gone = false,
): Promise<PaymentMethodRow> {
  const method = await getPaymentMethod(tx, storeId, accountId, id);
  const users = await liveSubscriptions(tx, storeId, accountId, id);
  const successor = removalSuccessor(method, await listPaymentMethods(tx, storeId, accountId), now);
  if (!successor && !gone) refuseIfDepended(users);
  await tx.update(paymentMethods).set({ isDefault: false, removedAt: now }).where(eq(paymentMethods.id, id));
  await recordMethodActivity(tx, method, 'payment_method_removed', by, now);
  if (successor && !successor.isDefault) {
    await tx.update(paymentMethods).set({ isDefault: true }).where(eq(paymentMethods.id, successor.id));
    await emitEvent(
      tx,
      storeId,
      'payment_method.updated',
      toPaymentMethodView({ ...successor, isDefault: true }, now),
      now,
    );
    await recordMethodActivity(tx, successor, 'payment_method_default_changed', by, now);
  }
  for (const { subscription } of users)
    await switchSubscriptionMethod(tx, subscription, successor?.id ?? null, now, by);
  await emitEvent(
    tx,
    storeId,
    'payment_method.removed',
    toPaymentMethodView({ ...method, isDefault: false }, now),
    now,
  );
  return method;
}

/**
 * The method that takes over when `method` is removed from the `saved` ones: the
 * default keeps being the default and takes the removed method's subscriptions;
 * when the default itself goes, another method becomes the default (an unexpired
 * one first, then the newest). None when `method` is the only one.
 */
function removalSuccessor(
  method: PaymentMethodRow,
  saved: PaymentMethodRow[],
  now: Date,
): PaymentMethodRow | undefined {
  const others = saved.filter((m) => m.id !== method.id);
  const currentDefault = method.isDefault ? undefined : others.find((m) => m.isDefault);
  return (
    currentDefault ??
    [...others].sort(
      (a, b) => Number(isExpired(a, now)) - Number(isExpired(b, now)) || b.createdAt.getTime() - a.createdAt.getTime(),
    )[0]
  );
}

function refuseIfDepended(users: SubscriptionUse[]): void {
  const dependent = users.filter((u) => dependsOnMethod(u.subscription));
  if (dependent.length === 0) return;
  const names = dependent.map((u) => u.productName).join(', ');
  throw problemSaying(
    'payment_method_in_use',
    `This is the only payment method, and it pays for ${names}. Add another payment method first, then remove this one.`,
    { subscriptions: dependent.map((u) => ({ id: u.subscription.id, productName: u.productName })) },
  );
}

/**
 * When a card stops working: it is valid through the last day of its expiry month
 * (UTC), so this is the first instant of the month after. Null for a method
 * without an expiry.
 */
export function cardExpiresAt(row: Pick<PaymentMethodRow, 'expMonth' | 'expYear'>): Date | null {
  if (!row.expMonth || !row.expYear) return null;
  return new Date(Date.UTC(row.expYear, row.expMonth, 1));
}

/**
 * {@link cardExpiresAt} as an SQL expression over `payment_methods` (epoch milliseconds,
 * NULL without an expiry), for queries built on `db` that select by it; the card-expiry
 * test checks that the two agree in every month.
 */
export function cardExpiresAtSql(db: object): SQL<number | null> {
  const { expMonth, expYear } = paymentMethods;
  const monthAfter = firstOfMonthMs(db, sql`${expYear} + ${expMonth} / 12`, sql`${expMonth} % 12 + 1`);
  return sql<number | null>`(case when ${expMonth} between 1 and 12 and ${expYear} > 0 then ${monthAfter} end)`;
}

/** Whether a card no longer works at `at` (see {@link cardExpiresAt}). */
export function isExpired(row: Pick<PaymentMethodRow, 'expMonth' | 'expYear'>, at: Date): boolean {
  const expiresAt = cardExpiresAt(row);
  return expiresAt !== null && at.getTime() >= expiresAt.getTime();
}

/** Not expired yet, but expiring within 60 days. */
export function expiresSoon(row: Pick<PaymentMethodRow, 'expMonth' | 'expYear'>, now: Date): boolean {
  const expiresAt = cardExpiresAt(row);
  if (!expiresAt || isExpired(row, now)) return false;
  return expiresAt.getTime() - now.getTime() <= EXPIRES_SOON_MS;
}

/** The public shape: never the processor token. */
export function toPaymentMethodView(row: PaymentMethodRow, now: Date): PaymentMethodView {
  return {
    id: row.id,
    accountId: row.accountId,
    type: row.type,
    brand: row.brand,
    last4: row.last4,
    expMonth: row.expMonth,
    expYear: row.expYear,
    expired: isExpired(row, now),
    isDefault: row.isDefault,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * The customer's shape: the card's public details, its expiry state, the
 * subscriptions it pays for, and which of the `saved` methods would take over if
 * it were removed.
 */
function toPortalPaymentMethodView(
  row: PaymentMethodRow,
  now: Date,
  uses: SubscriptionUse[],
  saved: PaymentMethodRow[],
): PortalPaymentMethodView {
  return {
    id: row.id,
    type: row.type,
    brand: row.brand,
    last4: row.last4,
    expMonth: row.expMonth,
    expYear: row.expYear,
    expired: isExpired(row, now),
    expiresSoon: expiresSoon(row, now),
    isDefault: row.isDefault,
    createdAt: row.createdAt.toISOString(),
    subscriptions: uses
      .filter((u) => u.subscription.paymentMethodId === row.id)
      .map((u) => ({ id: u.subscription.id, productName: u.productName })),
    successorId: removalSuccessor(row, saved, now)?.id ?? null,
  };
}

/** The account's saved methods as the portal shows them, default first. */
export async function listPortalPaymentMethods(
  db: DbOrTx,
  storeId: string,
  accountId: string,
  now: Date,
): Promise<PortalPaymentMethodView[]> {
  const uses = await liveSubscriptions(db, storeId, accountId);
  const saved = await listPaymentMethods(db, storeId, accountId);
  return saved.map((m) => toPortalPaymentMethodView(m, now, uses, saved));
}

/**
 * The method a charge of the subscription uses: its own (while saved), else the
 * account's default; 422 `payment_method_required` when there is none.
 */
export async function chargeableMethod(db: DbOrTx, sub: SubscriptionRow): Promise<PaymentMethodRow> {
  const own = sub.paymentMethodId
    ? first(
        await db
          .select()
          .from(paymentMethods)
          .where(and(eq(paymentMethods.id, sub.paymentMethodId), eq(paymentMethods.storeId, sub.storeId))),
      )
    : undefined;
  if (own && !own.removedAt) return own;
  const fallback = (await listPaymentMethods(db, sub.storeId, sub.accountId)).find((m) => m.isDefault);
  if (fallback) return fallback;
  throw problem('payment_method_required', { subscriptionId: sub.id });
}
