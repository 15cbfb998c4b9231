import { html, svg, type TemplateResult } from 'lit';
import type { Localizer } from '../../internal/localizer';
import { problemText, type ProblemOverrides } from '../../internal/problem-text';
import type { PortalPaymentMethod, PortalSubscription } from '../../internal/types';

/** The card brands the portal has a name and a mark for. */
const knownBrands = ['visa', 'mastercard', 'amex', 'discover', 'jcb', 'diners', 'unionpay'] as const;
type Brand = (typeof knownBrands)[number];

const brandOf = (brand: string | null): Brand | null =>
  knownBrands.find((known) => known === brand?.toLowerCase()) ?? null;

/** What a saved method is, in parts: its brand's name and its last four digits. */
type CardLike = Pick<PortalPaymentMethod, 'brand' | 'last4' | 'type'>;

/** The brand's name ("Visa", "American Express"), or "Card" for a brand the portal does not know. */
export function brandName(method: CardLike, i18n: Localizer): string {
  const brand = brandOf(method.brand);
  if (brand) return i18n.t(`paymentMethods.brands.${brand}`);
  return method.type === 'card' || !method.type ? i18n.t('paymentMethods.brands.card') : method.type;
}

/** A short name for a method, as the customer knows it: "Visa •••• 4242". */
export function cardName(method: CardLike, i18n: Localizer): string {
  const brand = brandName(method, i18n);
  return method.last4 ? i18n.t('paymentMethods.cardShort', { brand, last4: method.last4 }) : brand;
}

/** The same for screen readers, which read "••••" as bullets: "Visa ending in 4242". */
export function cardSpoken(method: CardLike, i18n: Localizer): string {
  const brand = brandName(method, i18n);
  return method.last4 ? i18n.t('paymentMethods.cardEnding', { brand, last4: method.last4 }) : brand;
}

/** The expiry as printed on the card (MM/YY), or null when the method has none. */
export function expiryText(method: Pick<PortalPaymentMethod, 'expMonth' | 'expYear'>): string | null {
  if (!method.expMonth || !method.expYear) return null;
  return `${String(method.expMonth).padStart(2, '0')}/${String(method.expYear % 100).padStart(2, '0')}`;
}

/** Names joined as the language does it: "Pro, Team and Studio". */
export function nameList(names: string[], i18n: Localizer): string {
  return new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(names);
}

/** Subscriptions that have not ended: the ones a payment method can still be chosen for. */
export function isLive(subscription: PortalSubscription): boolean {
  return subscription.endedAt === null && subscription.status !== 'canceled' && subscription.status !== 'deactivated';
}

/** What a failed change of payment methods means here, where the portal-wide message says less. */
const changeProblems: ProblemOverrides = {
  subscription_busy: 'paymentMethods.problems.subscription_busy',
  subscription_ended: 'paymentMethods.problems.subscription_ended',
  payment_method_expired: 'paymentMethods.problems.payment_method_expired',
  not_found: 'paymentMethods.problems.not_found',
};

/** The message for a failed change of payment methods, in plain words. */
export const changeProblem = (error: unknown, i18n: Localizer): string => problemText(error, i18n, changeProblems);

const text = (x: number, content: string, size = 9, weight = 800, style = 'normal') =>
  svg`<text x=${x} y="15.5" text-anchor="middle" font-family="Arial, Helvetica, sans-serif" font-size=${size}
    font-weight=${weight} font-style=${style} fill="#fff">${content}</text>`;

/** Small marks in the brands' colours, recognisable at a glance; decorative (the brand's name is always written out). */
const marks: Record<Brand, TemplateResult> = {
  visa: html`<svg viewBox="0 0 40 24"><rect width="40" height="24" rx="4" fill="#1a1f71"/>${text(20, 'VISA', 10, 900, 'italic')}</svg>`,
  mastercard: html`<svg viewBox="0 0 40 24"><rect width="40" height="24" rx="4" fill="#231f20"/>
    <circle cx="16" cy="12" r="7" fill="#eb001b"/><circle cx="24" cy="12" r="7" fill="#f79e1b" fill-opacity="0.9"/></svg>`,
  amex: html`<svg viewBox="0 0 40 24"><rect width="40" height="24" rx="4" fill="#1f72cd"/>${text(20, 'AMEX', 9)}</svg>`,
  discover: html`<svg viewBox="0 0 40 24"><rect width="40" height="24" rx="4" fill="#fff" stroke="#d1d5db"/>
    <circle cx="20" cy="12" r="5" fill="#f48120"/></svg>`,
  jcb: html`<svg viewBox="0 0 40 24"><rect width="40" height="24" rx="4" fill="#0b7a3e"/>${text(20, 'JCB', 9)}</svg>`,
  diners: html`<svg viewBox="0 0 40 24"><rect width="40" height="24" rx="4" fill="#0079be"/>
    <circle cx="20" cy="12" r="6.5" fill="none" stroke="#fff" stroke-width="2"/></svg>`,
  unionpay: html`<svg viewBox="0 0 40 24"><rect width="40" height="24" rx="4" fill="#d10429"/>${text(20, 'UP', 9)}</svg>`,
};

const genericMark = html`<svg viewBox="0 0 40 24"><rect x="0.5" y="0.5" width="39" height="23" rx="3.5" fill="none"
  stroke="currentColor"/><rect x="0.5" y="5" width="39" height="4" fill="currentColor"/><rect x="5" y="14" width="12" height="3"
  rx="1" fill="currentColor" opacity="0.5"/></svg>`;

/** The brand's mark, hidden from assistive technology. */
export function brandMark(method: CardLike): TemplateResult {
  const brand = brandOf(method.brand);
  return html`<span class="mark ${brand ?? 'generic'}" part="brand" aria-hidden="true">${brand ? marks[brand] : genericMark}</span>`;
}
