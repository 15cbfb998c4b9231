import type { Tx } from '../../../db/client';
import type { ChargeRow, PaymentMethodRow, SubscriptionRow } from '../../../db/schema';
import type { Deps } from '../../../deps';
import { renewalActionRequiredEmail } from '../../../email/renewal-templates';
import { readSubscription, updateSubscription } from '../subscription-record';
import { recordSubscriptionActivity } from '../subscription-activity';
import { emitSubscriptionEvent, portalLinks, recipientOf, sendRenewalEmail } from './notices';
import { RENEWAL_MIN_RETRY_GAP_MS, RENEWAL_RETRY_SCHEDULE_MS } from './schedule';
import type { RenewalContext } from './steps';

/**
 * When a renewal that waits for the customer's confirmation is given up: when the
 * retry schedule would have made its last attempt (7 days after the due date),
 * but never sooner than the least gap between attempts from now.
 */
export function confirmationDeadline(sub: Pick<SubscriptionRow, 'currentPeriodEnd'>, now: Date): Date {
  const last = sub.currentPeriodEnd.getTime() + RENEWAL_RETRY_SCHEDULE_MS[RENEWAL_RETRY_SCHEDULE_MS.length - 1];
  return new Date(Math.max(last, now.getTime() + RENEWAL_MIN_RETRY_GAP_MS));
}

/**
 * The effect of an automatic renewal whose charge the customer's bank holds for
 * their authentication (3-D Secure asked for off-session), in the transaction that
 * records it. Not a failed attempt: the subscription is `overdue` (the period is
 * unpaid) and waits for the customer's confirmation (`confirmationChargeId`) until
 * the deadline, with no retry meanwhile (`nextChargeAt` is the deadline). The
 * merchant hears `subscription.updated` and `subscription.charge.action_required`;
 * the customer gets an email with a link to the subscription in their portal.
 */
export async function recordConfirmationNeeded(
  deps: Deps,
  ctx: RenewalContext,
  method: PaymentMethodRow,
  tx: Tx,
  charge: ChargeRow,
): Promise<void> {
  const now = deps.clock.now();
  const fresh = await readSubscription(tx, ctx.sub.id);
  const confirmBy = confirmationDeadline(fresh, now);
  const row = await updateSubscription(
    tx,
    fresh,
    { status: 'overdue', confirmationChargeId: charge.id, nextChargeAt: confirmBy },
    now,
  );
  await emitSubscriptionEvent(tx, ctx, row, ctx.plan, 'subscription.updated', now);
  await emitSubscriptionEvent(tx, ctx, row, ctx.plan, 'subscription.charge.action_required', now, charge);
  const waiting = {
    plan: ctx.plan.name,
    amount: charge.total,
    currency: charge.currency,
    retryAt: confirmBy.toISOString(),
  };
  await recordSubscriptionActivity(tx, row, 'subscription_confirmation_needed', 'renewals', waiting, now);
  await sendRenewalEmail(
    tx,
    ctx,
    'renewal_action_required',
    renewalActionRequiredEmail(ctx.store, recipientOf(ctx.account), {
      planName: ctx.plan.name,
      currency: charge.currency,
      total: charge.total,
      method,
      confirmBy,
      url: portalLinks(ctx).subscription(ctx.sub.id),
    }),
    now,
  );
}
