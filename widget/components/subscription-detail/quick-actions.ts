import type { PortalServices } from '../../context/portal-context';
import type { PortalAction } from '../../events/error';
import { ApSubscriptionChangedEvent, ApSubscriptionResumedEvent } from '../../events';
import type { PortalSubscription } from '../subscriptions/subscription-format';
import {
  completePaymentAction,
  needsPaymentAction,
  type ChallengeHost,
  type PaymentActionRequired,
  type PaymentConfirmed,
} from './payment-action';
import type { QuickAction } from './subscription-detail.render';

/** The requests of the actions that need no dialog, and what follows each. */
const requests: Record<
  Exclude<QuickAction, 'confirm'>,
  { method: string; path: string; message: 'resumed' | 'unpaused' | 'undone' }
> = {
  resume: { method: 'POST', path: 'resume', message: 'resumed' },
  unpause: { method: 'POST', path: 'unpause', message: 'unpaused' },
  undo: { method: 'DELETE', path: 'scheduled-change', message: 'undone' },
};

/** What each quick action is, as `ap-error` names it when it fails. */
export const quickActionNames: Record<QuickAction, PortalAction> = {
  resume: 'resume-subscription',
  unpause: 'unpause-subscription',
  undo: 'undo-scheduled-change',
  confirm: 'confirm-payment',
};

/** What a quick action came to: the subscription now, what to announce, the event to fire. */
export interface QuickActionDone {
  subscription: PortalSubscription;
  message: string;
  event: Event;
}

/**
 * Runs a quick action of `<ap-subscription-detail>`: resume, unpause or undo a
 * scheduled change (one request; ending a pause early may need the bank's
 * challenge), or confirm a renewal payment the bank holds for the customer — the
 * portal readies it (confirming it again with the customer present), the bank's
 * challenge shows, and the portal checks the outcome with the processor. Throws
 * the request's error.
 */
export async function runQuickAction(
  services: PortalServices,
  challenge: ChallengeHost,
  sub: PortalSubscription,
  action: QuickAction,
): Promise<QuickActionDone> {
  const { api, i18n } = services;
  const base = `/subscriptions/${encodeURIComponent(sub.id)}`;
  if (action === 'confirm') {
    const pending = sub.paymentConfirmation!;
    const charge = `${base}/charges/${encodeURIComponent(pending.chargeId)}`;
    const answer = await api.send<PaymentConfirmed | PaymentActionRequired>('POST', `${charge}/authenticate`);
    const paid = needsPaymentAction(answer)
      ? await completePaymentAction(api, sub.id, answer.paymentAction, challenge)
      : answer;
    return {
      subscription: paid.subscription,
      message: i18n.t('subscriptions.confirmPayment.done', {
        amount: i18n.money(pending.total, pending.currency),
        date: i18n.date(paid.subscription.currentPeriodEnd),
      }),
      event: new ApSubscriptionChangedEvent(paid.subscription),
    };
  }
  const { method, path, message } = requests[action];
  const answer = await api.send<PortalSubscription | PaymentActionRequired>(method, `${base}/${path}`);
  const now = needsPaymentAction(answer)
    ? (await completePaymentAction(api, sub.id, answer.paymentAction, challenge)).subscription
    : answer;
  return {
    subscription: now,
    message: i18n.t(`subscriptions.done.${message}`, { plan: now.product.name }),
    event: action === 'undo' ? new ApSubscriptionChangedEvent(now) : new ApSubscriptionResumedEvent(now),
  };
}
