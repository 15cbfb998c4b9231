import type { BrowserFamily, OsFamily } from '../../../server/contract';
import type { Localizer, MessageKey } from '../../internal/localizer';
import type { PortalActivityEntry } from '../../internal/types';
import { cardName, nameList } from '../payment-methods/payment-method-format';

/** The label of each field an account change names (`details.fields`). */
const fieldLabels: Record<string, MessageKey> = {
  email: 'account.email',
  firstName: 'account.firstName',
  lastName: 'account.lastName',
  phone: 'account.phone',
  company: 'account.company',
  'address.line1': 'account.line1',
  'address.line2': 'account.line2',
  'address.city': 'account.city',
  'address.region': 'account.region',
  'address.postalCode': 'account.postalCode',
  country: 'account.country',
  language: 'account.language',
  'billingDetails.country': 'account.country',
  'billingDetails.state': 'account.state',
  'billingDetails.postalCode': 'account.postalCode',
  'billingDetails.businessName': 'account.businessName',
  'billingDetails.taxId': 'account.taxId',
  'billingDetails.isBusiness': 'activity.businessFlag',
};

/** What an entry says happened, in one sentence. */
export function activityText(entry: PortalActivityEntry, i18n: Localizer, store: string): string {
  const { details } = entry;
  const plan = details.plan ?? i18n.t('activity.aSubscription');
  const date = (iso: string | null | undefined) => (iso ? i18n.date(iso) : '');
  const card = cardName({ brand: details.brand ?? null, last4: details.last4 ?? null, type: 'card' }, i18n);
  switch (entry.kind) {
    case 'signed_in':
      return i18n.t(`activity.signedIn.${entry.method ?? 'login'}`, { store });
    case 'invoice_corrected':
      return i18n.t('activity.kinds.invoice_corrected', { number: details.invoiceNumber ?? '' });
    case 'subscription_plan_changed':
      return i18n.t('activity.kinds.subscription_plan_changed', { plan, previousPlan: details.previousPlan ?? plan });
    case 'subscription_change_scheduled':
      return i18n.t('activity.kinds.subscription_change_scheduled', { plan, date: date(details.effectiveAt) });
    case 'subscription_canceled':
      return details.immediately
        ? i18n.t('activity.kinds.subscription_canceled_now', { plan })
        : i18n.t('activity.kinds.subscription_canceled', { plan, date: date(details.endsAt) });
    case 'subscription_pause_scheduled':
      return i18n.t('activity.kinds.subscription_pause_scheduled', {
        plan,
        start: date(details.startsAt),
        end: date(details.resumesAt),
      });
    case 'subscription_paused':
      return i18n.t('activity.kinds.subscription_paused', { plan, date: date(details.resumesAt) });
    case 'subscription_renewed':
      return i18n.t('activity.kinds.subscription_renewed', { plan, date: date(details.endsAt) });
    case 'subscription_renewal_failed':
    case 'subscription_payment_due':
    case 'subscription_confirmation_needed':
      return i18n.t(`activity.kinds.${entry.kind}`, { plan, date: date(details.retryAt) });
    case 'subscription_ended':
      return i18n.t(`activity.ended.${details.reason ?? 'canceled'}`, { plan });
    case 'subscription_payment_method_changed':
      return details.last4 || details.brand
        ? i18n.t('activity.kinds.subscription_payment_method_changed', { plan, card })
        : i18n.t('activity.kinds.subscription_payment_method_removed', { plan });
    case 'payment_method_updated':
      return i18n.t('activity.kinds.payment_method_updated', {
        card,
        expiry:
          details.expMonth && details.expYear ? `${String(details.expMonth).padStart(2, '0')}/${details.expYear}` : '',
      });
    case 'payment_method_added':
    case 'payment_method_removed':
    case 'payment_method_default_changed':
      return i18n.t(`activity.kinds.${entry.kind}`, { card });
    default:
      return i18n.t(`activity.kinds.${entry.kind}`, { plan });
  }
}

/** More about an entry, when there is more: the fields that changed, or what was paid. */
export function activityDetail(entry: PortalActivityEntry, i18n: Localizer): string | null {
  const { fields, amount, currency } = entry.details;
  if (fields?.length) {
    const labels = [...new Set(fields.map((field) => (fieldLabels[field] ? i18n.t(fieldLabels[field]) : field)))];
    return i18n.t('activity.changed', { fields: nameList(labels, i18n) });
  }
  if (amount !== undefined && currency) return i18n.t('activity.paid', { amount: i18n.money(amount, currency) });
  return null;
}

/** Who did it, in the customer's words: they, the store, the renewal run or their payment provider. */
export const actorText = (entry: PortalActivityEntry, i18n: Localizer, store: string): string =>
  i18n.t(`activity.by.${entry.actor}`, { store });

/** A sign-in's device as "Firefox on Windows" (a browser or a system not known: as such). */
export function deviceText(device: { browser: BrowserFamily; os: OsFamily } | null, i18n: Localizer): string | null {
  if (!device) return null;
  return i18n.t('activity.device', {
    browser: i18n.t(`activity.browsers.${device.browser}`),
    os: i18n.t(`activity.systems.${device.os}`),
  });
}
