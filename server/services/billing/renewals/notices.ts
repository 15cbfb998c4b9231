import type { Tx } from '../../../db/client';
import type { ComposedEmail, Recipient } from '../../../email/templates';
import { emitEvent, type EventType } from '../../../webhooks/emit';
import { queueEmail } from '../../../email/queue';
import { invoiceAttachment } from '../../orders';
import { portalUrl } from '../../sign-in';
import { subscriptionView } from '../subscriptions/subscriptions';
import type { AccountRow, ChargeRow, ProductRow, StoreRow, SubscriptionRow } from '../../../db/schema';

/** Who a renewal concerns and where their portal is: what every renewal notice needs. */
export interface RenewalParties {
  store: StoreRow;
  account: AccountRow;
  /** The server's public base URL, for portal links when the store has no page of its own. */
  publicBaseUrl: string;
}

/** The `charge` part of `subscription.charge.completed` and `subscription.charge.failed` payloads. */
export function chargePayload(charge: ChargeRow) {
  return {
    id: charge.id,
    kind: charge.kind,
    amount: charge.amount,
    tax: charge.tax,
    total: charge.total,
    currency: charge.currency,
    orderId: charge.orderId,
    failureCode: charge.failureCode,
  };
}

/**
 * Emits a subscription event with the view of `row` (the subscription as just
 * written in `tx`) on `plan`; with a charge, the payload is `{ subscription, charge }`.
 */
export async function emitSubscriptionEvent(
  tx: Tx,
  parties: RenewalParties,
  row: SubscriptionRow,
  plan: ProductRow,
  type: EventType,
  now: Date,
  charge?: ChargeRow,
): Promise<void> {
  const view = await subscriptionView(tx, row, plan, now);
  await emitEvent(
    tx,
    parties.store.id,
    type,
    charge ? { subscription: view, charge: chargePayload(charge) } : view,
    now,
  );
}

/** The account as an email recipient. */
export const recipientOf = (account: AccountRow): Recipient => ({
  email: account.email,
  firstName: account.firstName,
  language: account.language,
});

/**
 * Queues a renewal email to the account in `tx`, with the invoice of `paidOrderId` attached (receipts); returns
 * its id, or null when none was queued (a deleted account gets no email).
 */
export async function sendRenewalEmail(
  tx: Tx,
  parties: RenewalParties,
  kind: string,
  email: ComposedEmail,
  now: Date,
  paidOrderId?: string,
): Promise<string | null> {
  const invoice = paidOrderId ? await invoiceAttachment(tx, paidOrderId, parties.account.language) : null;
  const attachments = invoice ? [invoice] : [];
  return await queueEmail(
    tx,
    { store: parties.store, accountId: parties.account.id, to: parties.account.email, kind, email, attachments },
    now,
  );
}

/** Links into the customer's portal, to the views renewal emails send them to. */
export function portalLinks(parties: RenewalParties) {
  const base = portalUrl(parties.store, parties.publicBaseUrl);
  return {
    subscription: (id: string) => `${base}#/subscriptions/${encodeURIComponent(id)}`,
    order: (id: string) => `${base}#/orders/${encodeURIComponent(id)}`,
    paymentMethods: () => `${base}#/payment-methods`,
    home: () => `${base}#/subscriptions`,
  };
}
