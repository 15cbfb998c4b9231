import type { Tx } from '../../../db/client';
import type { Deps } from '../../../deps';
import { problem } from '../../../lib/errors';
import { cancellationReasons } from '../../../contract';
import type { CancelInput } from '../../../schemas/subscription-actions';
import type { EventType } from '../../../webhooks/emit';
import { getStore } from '../../stores';
import { periodAmount } from './subscriptions';
import type { ProductRow, SubscriptionRow } from '../../../db/schema';
import { storeSettings } from '../../../lib/store-settings';
import {
  assertNotEnded,
  findOwnSubscription,
  isMerchant,
  actorName,
  updateSubscription,
  type Actor,
  isPendingCancellation,
  endsBilling,
} from '../subscription-record';
import { withSubscriptionLock } from '../subscription-lock';
import { announce, planLine } from './notices';
import { recordSubscriptionActivity } from '../subscription-activity';
import type { ActivityActor } from '../../../contract';

/** The cancellation reasons with their English labels, for the merchant's reports. */
export function listCancellationReasons() {
  return { data: cancellationReasons.map(({ code, label }) => ({ code, label })) };
}

/**
 * Cancels a subscription with the customer's reason. Active and trial
 * subscriptions end at the end of the period they paid for (pending cancellation;
 * `subscription.canceled`), or at once when asked and allowed (customers only where
 * the store allows it, the merchant always). Paused and overdue subscriptions have
 * no paid time left and end at once. Ending now also emits
 * `subscription.deactivated`. A scheduled downgrade or pause is dropped. Asking
 * again for a cancellation that is already pending changes nothing.
 */
export async function cancelSubscription(
  deps: Deps,
  actor: Actor,
  subscriptionId: string,
  input: CancelInput,
): Promise<SubscriptionRow> {
  return await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const { subscription: sub, plan } = await findOwnSubscription(tx, actor, subscriptionId);
    assertNotEnded(sub);
    if (
      input.immediately &&
      !isMerchant(actor) &&
      !storeSettings(await getStore(tx, actor.storeId)).allowImmediateCancel
    ) {
      throw problem('immediate_cancel_not_allowed');
    }
    const endsNow = input.immediately || sub.status === 'paused' || sub.status === 'overdue';
    if (!endsNow && isPendingCancellation(sub)) return sub;
    return await withSubscriptionLock(
      tx,
      sub.id,
      now,
      async () => await cancel(tx, deps, { sub, plan }, input, { endsNow, by: actorName(actor) }, now),
    );
  });
}

async function cancel(
  tx: Tx,
  deps: Deps,
  { sub, plan }: { sub: SubscriptionRow; plan: ProductRow },
  input: CancelInput,
  { endsNow, by }: { endsNow: boolean; by: ActivityActor },
  now: Date,
): Promise<SubscriptionRow> {
  const reason = { cancelReason: input.reason, cancelComment: input.comment ?? null, canceledAt: now };
  const next = endsNow
    ? await updateSubscription(
        tx,
        sub,
        { ...endsBilling, ...reason, status: 'canceled', cancelAtPeriodEnd: false, endedAt: now },
        now,
      )
    : await updateSubscription(tx, sub, { ...endsBilling, ...reason, cancelAtPeriodEnd: true }, now);
  const events: EventType[] = endsNow
    ? ['subscription.canceled', 'subscription.deactivated']
    : ['subscription.canceled'];
  await announce(
    tx,
    deps,
    next,
    events,
    {
      kind: 'canceled',
      plan: planLine(plan, sub.quantity),
      endsAt: endsNow ? now : sub.currentPeriodEnd,
      immediately: endsNow,
    },
    now,
  );
  const endsAt = (endsNow ? now : sub.currentPeriodEnd).toISOString();
  await recordSubscriptionActivity(
    tx,
    next,
    'subscription_canceled',
    by,
    { plan: plan.name, immediately: endsNow, endsAt },
    now,
  );
  return next;
}

/**
 * Withdraws a pending cancellation before the period ends: the subscription renews
 * as before (`subscription.uncanceled`).
 */
export async function resumeSubscription(deps: Deps, actor: Actor, subscriptionId: string): Promise<SubscriptionRow> {
  return await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const { subscription: sub, plan } = await findOwnSubscription(tx, actor, subscriptionId);
    assertNotEnded(sub);
    if (!isPendingCancellation(sub)) {
      throw problem('not_pending_cancellation', { subscriptionId });
    }
    if (now.getTime() >= sub.currentPeriodEnd.getTime()) {
      throw problem('cancellation_effective', { subscriptionId });
    }
    const next = await withSubscriptionLock(
      tx,
      sub.id,
      now,
      async () =>
        await updateSubscription(
          tx,
          sub,
          {
            cancelAtPeriodEnd: false,
            cancelReason: null,
            cancelComment: null,
            canceledAt: null,
            nextChargeAt: sub.currentPeriodEnd,
            nextChargeAmount: periodAmount(sub),
          },
          now,
        ),
    );
    await announce(
      tx,
      deps,
      next,
      ['subscription.uncanceled'],
      {
        kind: 'uncanceled',
        plan: planLine(plan, sub.quantity),
        next: { amount: periodAmount(sub), currency: sub.currency },
        nextChargeAt: next.nextChargeAt,
      },
      now,
    );
    await recordSubscriptionActivity(
      tx,
      next,
      'subscription_cancellation_withdrawn',
      actorName(actor),
      { plan: plan.name },
      now,
    );
    return next;
  });
}
