import { affected, first } from '../../../db/query';
import { and, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client';
import { paymentSetups, subscriptions } from '../../../db/schema';
import type { Deps } from '../../../deps';
import { pickLanguage } from '../../../i18n';
import { HOUR, MINUTE } from '../../../lib/clock';
import { problem } from '../../../lib/errors';
import { newId } from '../../../lib/ids';
import type { PaymentSetupCompleteInput, PaymentSetupInput } from '../../../schemas/payment-methods';
import { askGateway, gatewayAccount } from './gateway-calls';
import { ownLiveSubscriptions } from './usage';
import { getPaymentMethod, savePaymentMethod, useMethodFor, verifiedMethod } from './payment-methods';
import { consumeLimits } from '../../sign-in';
import { getAccount, rememberProcessorCustomer } from '../../accounts';
import { getStore } from '../../stores';
import type { AccountRow, PaymentMethodRow, PaymentSetupRow, StoreRow, SubscriptionRow } from '../../../db/schema';
import { liveStatuses } from '../subscription-record';

/** How long a started setup can be finished. */
export const SETUP_TTL_MS = 30 * MINUTE;

/** Origins that may frame a store's setup page and receive its message: the store's allowed origins and the portal's own. */
export function setupParentOrigins(store: Pick<StoreRow, 'allowedOrigins'>, publicBaseUrl: string): string[] {
  return [...new Set([...store.allowedOrigins, new URL(publicBaseUrl).origin])];
}

/** Per account: setups started, and cards handed to the gateway for checking. */
export const SETUP_LIMITS = { started: { max: 10, windowMs: HOUR }, checked: { max: 10, windowMs: HOUR } };
const TOO_MANY_SETUPS = {
  code: 'rate_limited' as const,
  message: 'Too many attempts to add a payment method. Please try again later.',
};
const setupStartLimit = (accountId: string) => ({
  name: 'payment_setup_start',
  key: `setup-start:${accountId}`,
  rules: [SETUP_LIMITS.started],
  ...TOO_MANY_SETUPS,
});
const setupCompleteLimit = (accountId: string) => ({
  name: 'payment_setup_check',
  key: `setup-check:${accountId}`,
  rules: [SETUP_LIMITS.checked],
  ...TOO_MANY_SETUPS,
});

/**
 * Starts adding a payment method for the signed-in account: records a setup
 * (valid for 30 minutes, single use) and asks the gateway for the page where the
 * customer enters the card. Subscriptions named here (the account's own, not
 * ended) will use the new method once it is saved.
 */
export async function startPaymentSetup(deps: Deps, store: StoreRow, account: AccountRow, input: PaymentSetupInput) {
  const now = deps.clock.now();
  const subs = await ownLiveSubscriptions(deps.db, store.id, account.id, input.subscriptionIds ?? []);
  const row: PaymentSetupRow = {
    id: newId('setup'),
    storeId: store.id,
    accountId: account.id,
    gateway: deps.gateway.name,
    status: 'open',
    subscriptionIds: subs.map((s) => s.id),
    makeDefault: input.makeDefault ?? false,
    paymentMethodId: null,
    createdAt: now,
    expiresAt: new Date(now.getTime() + SETUP_TTL_MS),
    completedAt: null,
  };
  await deps.db.transaction(async (tx) => {
    await consumeLimits(tx, [setupStartLimit(account.id)], now, deps.metrics);
    await tx.insert(paymentSetups).values(row);
  });
  const { url, customerId } = await askGateway(() =>
    deps.gateway.createSetup({
      setupId: row.id,
      storeId: store.id,
      accountId: account.id,
      parentOrigins: setupParentOrigins(store, deps.config.publicBaseUrl),
      language: input.language ?? pickLanguage(account.language),
      account: gatewayAccount(account),
    }),
  );
  if (customerId) await rememberProcessorCustomer(deps.db, store.id, account.id, customerId);
  return { setupId: row.id, url, expiresAt: row.expiresAt.toISOString() };
}

/**
 * Finishes a setup with the token its page produced: the setup must be this
 * account's, open and unexpired; the gateway checks the token (a refused card is
 * a 402 `payment_declined`, and the setup stays open for another try).
 * Saves the method — the default if asked or if it is the first — assigns it to
 * the setup's subscriptions and closes the setup, all in one transaction.
 */
export async function completePaymentSetup(
  deps: Deps,
  storeId: string,
  accountId: string,
  input: PaymentSetupCompleteInput,
): Promise<PaymentMethodRow> {
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    await openSetup(tx, storeId, accountId, input.setupId, now);
    // Every card checked counts, declined or not: a signed-in session cannot be used to test cards.
    await consumeLimits(tx, [setupCompleteLimit(accountId)], now, deps.metrics);
  });
  const account = await getAccount(deps.db, storeId, accountId);
  const details = await askGateway(() => deps.gateway.retrieveMethod(input.token, gatewayAccount(account)));
  return await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const setup = await openSetup(tx, storeId, accountId, input.setupId, now);
    const closed = await tx
      .update(paymentSetups)
      .set({ status: 'completed', completedAt: now })
      .where(and(eq(paymentSetups.id, setup.id), eq(paymentSetups.status, 'open')));
    if (affected(closed) !== 1) throw setupUsed();
    const method = await savePaymentMethod(
      tx,
      storeId,
      accountId,
      verifiedMethod(input.token, details),
      now,
      setup.makeDefault,
      'customer',
    );
    await useMethodFor(tx, method, await stillLive(tx, setup), now, 'customer');
    await tx.update(paymentSetups).set({ paymentMethodId: method.id }).where(eq(paymentSetups.id, setup.id));
    return await getPaymentMethod(tx, storeId, accountId, method.id);
  });
}

/** The setup's subscriptions that are still the account's and not ended (one may have ended meanwhile). */
async function stillLive(db: DbOrTx, setup: PaymentSetupRow): Promise<SubscriptionRow[]> {
  if (setup.subscriptionIds.length === 0) return [];
  return await db
    .select()
    .from(subscriptions)
    .where(
      and(
        eq(subscriptions.storeId, setup.storeId),
        eq(subscriptions.accountId, setup.accountId),
        inArray(subscriptions.id, setup.subscriptionIds),
        inArray(subscriptions.status, liveStatuses),
      ),
    );
}

const setupUsed = () => problem('setup_used');

/** The account's open, unexpired setup: 404 for an unknown one or anyone else's, 409 when used, 410 when expired. */
async function openSetup(
  db: DbOrTx,
  storeId: string,
  accountId: string,
  setupId: string,
  now: Date,
): Promise<PaymentSetupRow> {
  const setup = first(
    await db
      .select()
      .from(paymentSetups)
      .where(
        and(eq(paymentSetups.storeId, storeId), eq(paymentSetups.accountId, accountId), eq(paymentSetups.id, setupId)),
      ),
  );
  if (!setup) throw problem('setup_not_found');
  if (setup.status !== 'open') throw setupUsed();
  if (now.getTime() >= setup.expiresAt.getTime()) throw problem('setup_expired');
  return setup;
}

/** What the gateway's setup page may show for a setup id: the setup and its store, or why not. */
export type SetupPageState =
  { state: 'open'; setup: PaymentSetupRow; store: StoreRow } | { state: 'unknown' | 'expired' | 'completed' };

/** Looks up a setup for its page (no session there: the id is the unguessable key, used once, for 30 minutes). */
export async function setupForPage(db: DbOrTx, setupId: string, gateway: string, now: Date): Promise<SetupPageState> {
  const setup = first(await db.select().from(paymentSetups).where(eq(paymentSetups.id, setupId)));
  if (!setup || setup.gateway !== gateway) return { state: 'unknown' };
  if (setup.status !== 'open') return { state: 'completed' };
  if (now.getTime() >= setup.expiresAt.getTime()) return { state: 'expired' };
  return { state: 'open', setup, store: await getStore(db, setup.storeId) };
}
