import type { Tx } from '../../../db/client';
import type { ProductRow, SubscriptionRow } from '../../../db/schema';
import type { Deps } from '../../../deps';
import { queueEmail } from '../../../email/queue';
import { subscriptionNoticeEmail, type PlanLine, type SubscriptionNotice } from '../../../email/subscription-templates';
import { emitEvent, type EventType } from '../../../webhooks/emit';
import { getAccount } from '../../accounts';
import { invoiceAttachment } from '../../orders';
import { portalUrl } from '../../sign-in';
import { getStore } from '../../stores';
import { loadSubscriptionView } from './subscriptions';

/** What an email says about the plan. */
export function planLine(plan: ProductRow, quantity: number): PlanLine {
  return { name: plan.name, quantity, interval: plan.interval ?? 'month', intervalCount: plan.intervalCount };
}

/**
 * Emits the events of a change and queues the customer's confirmation email, in
 * the change's transaction, with the invoice of `paidOrderId` attached when the
 * change was charged. Returns the Server API view the events carry.
 */
export async function announce(
  tx: Tx,
  deps: Deps,
  sub: SubscriptionRow,
  events: EventType[],
  notice: SubscriptionNotice | null,
  now: Date,
  paidOrderId?: string,
) {
  const view = await loadSubscriptionView(tx, sub.storeId, sub.id, now);
  for (const type of events) await emitEvent(tx, sub.storeId, type, view, now);
  if (notice) {
    const store = await getStore(tx, sub.storeId);
    const account = await getAccount(tx, sub.storeId, sub.accountId);
    const manageUrl = `${portalUrl(store, deps.config.publicBaseUrl)}#/subscriptions/${sub.id}`;
    const invoice = paidOrderId ? await invoiceAttachment(tx, paidOrderId, account.language) : null;
    await queueEmail(
      tx,
      {
        store,
        accountId: account.id,
        to: account.email,
        kind: `subscription_${notice.kind}`,
        email: subscriptionNoticeEmail(store, account, notice, manageUrl),
        attachments: invoice ? [invoice] : [],
      },
      now,
    );
  }
  return view;
}
