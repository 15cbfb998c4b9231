import type { Tx } from '../../../db/client';
import { subscriptionReminders, type PaymentMethodRow, type ReminderKind, type StoreRow } from '../../../db/schema';
import type { Deps } from '../../../deps';
import {
  cardExpiringEmail,
  renewalUpcomingEmail,
  trialEndingEmail,
  type UpcomingChargeFacts,
} from '../../../email/reminder-templates';
import { newId } from '../../../lib/ids';
import { storeSettings } from '../../../lib/store-settings';
import { emitEvent, type EventType } from '../../../webhooks/emit';
import { getAccount } from '../../accounts';
import { upcomingPeriod, type UpcomingPeriod } from '../periods';
import { isExpired, toPaymentMethodView } from '../payment-methods/payment-methods';
import { usableMethod } from '../renewals/charges';
import { portalLinks, recipientOf, sendRenewalEmail, type RenewalParties } from '../renewals/notices';
import { readProduct } from '../renewals/steps';
import { readSubscription } from '../subscription-record';
import { subscriptionView } from '../subscriptions/subscriptions';
import type { ReminderWindow } from './due';

/** The webhook event and the email of each kind of reminder. */
const kinds: Record<ReminderKind, { event: EventType; email: string }> = {
  renewal_upcoming: { event: 'subscription.renewal_upcoming', email: 'renewal_upcoming' },
  trial_ending: { event: 'subscription.trial_ending', email: 'trial_ending' },
  card_expiring_30d: { event: 'payment_method.expiring', email: 'card_expiring' },
  card_expiring_7d: { event: 'payment_method.expiring', email: 'card_expiring' },
};

/** The `upcomingCharge` of a reminder's webhook payload: what will be charged, when, on which plan. */
function upcomingChargePayload(period: UpcomingPeriod, currency: string, at: Date) {
  return {
    at: at.toISOString(),
    currency,
    amount: period.charge.amount,
    tax: period.charge.tax,
    total: period.charge.total,
    product: {
      id: period.plan.id,
      key: period.plan.key,
      name: period.plan.name,
      interval: period.plan.interval ?? null,
      intervalCount: period.plan.intervalCount,
    },
    quantity: period.quantity,
    scheduledChange: period.appliesScheduledChange,
  };
}

/**
 * Sends one due reminder of `window`'s kind for the subscription's next charge, in
 * `tx`: its webhook event, its email (unless the store sends its own) and its row,
 * whose unique key (subscription, kind, charge date) makes a second one fail and
 * take the event and the email back with it. The amount is what the renewal run
 * will charge: the next period's, on the scheduled plan when a change takes effect
 * then, tax included.
 */
export async function sendReminder(
  tx: Tx,
  deps: Deps,
  store: StoreRow,
  window: ReminderWindow,
  subscriptionId: string,
  now: Date,
): Promise<void> {
  const sub = await readSubscription(tx, subscriptionId);
  const plan = await readProduct(tx, sub.productId);
  const period = upcomingPeriod(
    sub,
    plan,
    sub.scheduledProductId ? await readProduct(tx, sub.scheduledProductId) : null,
  );
  const method = await usableMethod(tx, sub);
  const parties: RenewalParties = {
    store,
    account: await getAccount(tx, store.id, sub.accountId),
    publicBaseUrl: deps.config.publicBaseUrl,
  };
  const chargeAt = sub.nextChargeAt!;
  const { event, email: emailKind } = kinds[window.kind];
  const card = window.expiringCard ? cardOf(method, subscriptionId) : null;
  const links = portalLinks(parties);
  const facts: UpcomingChargeFacts = {
    plan: { name: plan.name, quantity: sub.quantity },
    changesTo: period.appliesScheduledChange ? { name: period.plan.name, quantity: period.quantity } : null,
    currency: sub.currency,
    total: period.charge.total,
    at: chargeAt,
    method: method && { brand: method.brand, last4: method.last4 },
    url: card ? links.paymentMethods() : links.subscription(sub.id),
  };
  const compose = () => {
    const to = recipientOf(parties.account);
    if (card) return cardExpiringEmail(store, to, { ...facts, card, expired: isExpired(card, now) });
    return (window.kind === 'trial_ending' ? trialEndingEmail : renewalUpcomingEmail)(store, to, facts);
  };
  const emailId = storeSettings(store).reminderEmails
    ? await sendRenewalEmail(tx, parties, emailKind, compose(), now)
    : null;
  const common = {
    subscription: await subscriptionView(tx, sub, plan, now),
    upcomingCharge: upcomingChargePayload(period, sub.currency, chargeAt),
    daysBefore: window.days,
    emailSent: emailId !== null,
  };
  const data = card ? { paymentMethod: toPaymentMethodView(card, now), ...common } : common;
  const eventId = await emitEvent(tx, store.id, event, data, now);
  await tx.insert(subscriptionReminders).values({
    id: newId('rem'),
    storeId: store.id,
    subscriptionId: sub.id,
    kind: window.kind,
    chargeAt,
    daysBefore: window.days,
    paymentMethodId: method?.id ?? null,
    eventId,
    emailId,
    createdAt: now,
  });
}

/** The card of a card-expiry reminder: the subscription's method, which the due query found with an expiry. */
function cardOf(method: PaymentMethodRow | null, subscriptionId: string) {
  if (!method?.expMonth || !method.expYear)
    throw new Error(`Subscription ${subscriptionId} has no card with an expiry.`);
  return { ...method, expMonth: method.expMonth, expYear: method.expYear };
}
