import { html, nothing, type TemplateResult } from 'lit';
import type { Localizer } from '../../internal/localizer';
import { problemText } from '../../internal/problem-text';
import type { PortalPaymentMethod, PortalSubscription } from '../../internal/types';
import { cardName, cardSpoken } from '../payment-methods/payment-method-format';

export type {
  ChargeSummary,
  PaymentActionView as PaymentAction,
  PlanChangeQuoteView as PlanChangeQuote,
  PlanOptionView as PlanOption,
} from '../../../server/schemas/subscription-actions';
export type { PortalPaymentMethod, PortalSubscription } from '../../internal/types';

export type Interval = 'day' | 'week' | 'month' | 'year';

/** "per month", "every 3 months": how often a price is charged. */
export function perPeriod(i18n: Localizer, interval: Interval | null, count: number): string {
  return interval ? i18n.t(`subscriptions.every.${interval}`, { count }) : i18n.t('subscriptions.perPeriod');
}

/** "$22.61 per month". */
export function priceText(
  i18n: Localizer,
  amount: number,
  currency: string,
  interval: Interval | null,
  count: number,
): string {
  return i18n.t('subscriptions.price', {
    amount: i18n.money(amount, currency),
    period: perPeriod(i18n, interval, count),
  });
}

/** The subscription's own price with tax, per period. */
export function recurringText(sub: PortalSubscription, i18n: Localizer): string {
  return priceText(i18n, sub.recurring.total, sub.currency, sub.product.interval, sub.product.intervalCount);
}

/** When a pending cancellation takes effect. */
export const endsAt = (sub: PortalSubscription) => sub.cancellation?.endsAt ?? sub.currentPeriodEnd;

/** The state as a small badge: "Active", "Ends on 15 Dec 2026", "Payment failed"… */
export function stateBadge(sub: PortalSubscription, i18n: Localizer): TemplateResult {
  const text =
    sub.state === 'pending_cancellation'
      ? i18n.t('subscriptions.states.pending_cancellation', { date: i18n.date(endsAt(sub)) })
      : i18n.t(`subscriptions.states.${sub.state}`);
  return html`<span part="status" class="badge ${sub.state}">${text}</span>`;
}

/** "Visa •••• 4242" for the eye and "Visa ending in 4242" for screen readers, as the Payment methods tab says it. */
export function methodLabel(
  method: Pick<PortalPaymentMethod, 'brand' | 'last4' | 'type'>,
  i18n: Localizer,
): TemplateResult {
  return html`<span class="method"><span aria-hidden="true">${cardName(method, i18n)}</span><span class="visually-hidden">${cardSpoken(
    method,
    i18n,
  )}</span></span>`;
}

/** The method the subscription is charged with, or how it renews without one. */
export function paymentSummary(sub: PortalSubscription, i18n: Localizer): TemplateResult {
  if (sub.renewal === 'manual') {
    return html`<span>${i18n.t('subscriptions.renewsManually')}</span>`;
  }
  const method = sub.paymentMethod;
  if (!method) return html`<span class="muted">${i18n.t('subscriptions.noPaymentMethod')}</span>`;
  return html`${methodLabel(method, i18n)}${
    method.expired ? html` <span class="flag danger">${i18n.t('subscriptions.expired')}</span>` : nothing
  }`;
}

/** Whether the subscription has ended for good. */
export const hasEnded = (sub: PortalSubscription) => sub.state === 'canceled' || sub.state === 'deactivated';

/** The next payment in a line ("$22.61 on 15 Dec 2026"), or what happens instead. */
export function nextPaymentText(sub: PortalSubscription, i18n: Localizer): string {
  if (hasEnded(sub)) return i18n.t('subscriptions.endedOn', { date: i18n.date(sub.endedAt ?? sub.currentPeriodEnd) });
  if (sub.state === 'pending_cancellation')
    return i18n.t('subscriptions.noNextPayment', { date: i18n.date(endsAt(sub)) });
  if (sub.state === 'action_required' && sub.paymentConfirmation)
    return i18n.t('subscriptions.awaitingConfirmation', {
      amount: i18n.money(sub.paymentConfirmation.total, sub.currency),
    });
  if (!sub.nextCharge) return i18n.t('subscriptions.none');
  const values = { amount: i18n.money(sub.nextCharge.amount, sub.currency), date: i18n.date(sub.nextCharge.at) };
  return sub.renewal === 'manual'
    ? i18n.t('subscriptions.dueValue', values)
    : i18n.t('subscriptions.nextPaymentValue', values);
}

/** "Changes to Basic on 15 Dec 2026" for a scheduled downgrade, else null. */
export function scheduledChangeText(sub: PortalSubscription, i18n: Localizer): string | null {
  const change = sub.scheduledChange;
  if (!change) return null;
  const plan = change.product.name ?? sub.product.name;
  const date = i18n.date(change.effectiveAt);
  return change.quantity === sub.quantity && change.product.id !== sub.product.id
    ? i18n.t('subscriptions.scheduledChange', { plan, date })
    : i18n.t('subscriptions.scheduledChangeQuantity', { plan, count: change.quantity, date });
}

/** A failed subscription request in plain words (a missing one is "We couldn't find this subscription"). */
export const subscriptionProblem = (error: unknown, i18n: Localizer): string =>
  problemText(error, i18n, { not_found: 'subscriptions.notFound' });
