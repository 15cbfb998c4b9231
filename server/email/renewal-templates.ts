import type { TFunction } from 'i18next';
import { RENEW_WINDOW_DAYS } from '../contract';
import { pickLanguage } from '../i18n';
import { minorUnitDigits } from '../lib/money';
import { compose, type ComposedEmail, type Recipient } from './templates';
import type { StoreRow } from '../db/schema';

/** What every renewal email names: the plan, an amount and where to act in the portal. */
export interface RenewalFacts {
  planName: string;
  currency: string;
  /** The amount concerned, tax included, minor units. */
  total: number;
  /** The page in the customer's portal to go to (the order, the payment methods, the subscription). */
  url: string;
}

/** The saved method a charge used, as far as it may be shown (never the token). */
export interface MethodFacts {
  brand: string | null;
  last4: string | null;
}

/** What comes after a paid period: an automatic charge, a manual payment, or the end. */
export type NextPayment =
  | { kind: 'automatic'; at: Date; total: number }
  | { kind: 'manual'; at: Date; total: number }
  | { kind: 'none'; at: Date };

/** Formats minor units of a currency for the recipient's language (`12,34 €`, `$12.34`). */
export function formatMoney(minor: number, currency: string, language: string): string {
  const key = `${language}:${currency}`;
  let format = moneyFormats.get(key);
  if (!format) moneyFormats.set(key, (format = new Intl.NumberFormat(language, { style: 'currency', currency })));
  return format.format(minor / 10 ** minorUnitDigits(currency));
}

// Formatters are costly to build and renewals send many receipts: one per language (and currency).
const moneyFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** Formats a date (UTC, the zone billing dates are kept in) for the recipient's language. */
export function formatDate(date: Date, language: string): string {
  let format = dateFormats.get(language);
  if (!format)
    dateFormats.set(language, (format = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' })));
  return format.format(date);
}

/** The method as an email names it: "Visa ending in 4242", or "your saved payment method". */
export function methodText(t: TFunction, method: MethodFacts | null): string {
  if (!method?.last4) return t('email.renewal.method.generic');
  const brand = method.brand ? method.brand[0].toUpperCase() + method.brand.slice(1) : t('email.renewal.method.card');
  return t('email.renewal.method.named', { brand, last4: method.last4 });
}

/** The customer-facing reason of a failed charge, by its failure code. */
function reasonText(t: TFunction, code: string | null): string {
  return t(`email.renewal.reasons.${code ?? 'default'}`, { defaultValue: t('email.renewal.reasons.default') });
}

/** Money and date formatters in the recipient's language. */
export function formatters(to: Recipient) {
  const language = pickLanguage(to.language);
  return {
    money: (minor: number, currency: string) => formatMoney(minor, currency, language),
    date: (d: Date) => formatDate(d, language),
  };
}

function nextPaymentText(t: TFunction, f: ReturnType<typeof formatters>, next: NextPayment, currency: string): string {
  if (next.kind === 'none') return t('email.renewal.receipt.nextNone', { date: f.date(next.at) });
  const key = next.kind === 'automatic' ? 'email.renewal.receipt.nextAutomatic' : 'email.renewal.receipt.nextManual';
  return t(key, { date: f.date(next.at), amount: f.money(next.total, currency), days: RENEW_WINDOW_DAYS });
}

/** The receipt for a paid period (an automatic renewal or one the customer paid themselves). */
export function renewalReceiptEmail(
  store: StoreRow,
  to: Recipient,
  facts: RenewalFacts & {
    method: MethodFacts | null;
    periodStart: Date;
    periodEnd: Date;
    next: NextPayment;
  },
): ComposedEmail {
  return compose(store, to, (t) => {
    const f = formatters(to);
    const amount = f.money(facts.total, facts.currency);
    return {
      subject: t('email.renewal.receipt.subject', { plan: facts.planName }),
      preheader: t('email.renewal.receipt.preheader', { amount, plan: facts.planName }),
      name: to.firstName,
      heading: t('email.renewal.receipt.heading'),
      paragraphs: [
        t('email.renewal.receipt.body', {
          amount,
          method: methodText(t, facts.method),
          plan: facts.planName,
          start: f.date(facts.periodStart),
          end: f.date(facts.periodEnd),
        }),
        nextPaymentText(t, f, facts.next, facts.currency),
      ],
      button: { label: t('email.renewal.receipt.button'), url: facts.url },
      notes: [],
      sections: [],
    };
  });
}

/** A renewal charge was declined and will be tried again on `retryAt`. */
export function renewalFailedEmail(
  store: StoreRow,
  to: Recipient,
  facts: RenewalFacts & {
    method: MethodFacts | null;
    failureCode: string | null;
    retryAt: Date;
  },
): ComposedEmail {
  return compose(store, to, (t) => {
    const f = formatters(to);
    return {
      subject: t('email.renewal.failed.subject', { plan: facts.planName }),
      preheader: t('email.renewal.failed.preheader', { date: f.date(facts.retryAt) }),
      name: to.firstName,
      heading: t('email.renewal.failed.heading'),
      paragraphs: [
        t('email.renewal.failed.body', {
          amount: f.money(facts.total, facts.currency),
          method: methodText(t, facts.method),
          plan: facts.planName,
          reason: reasonText(t, facts.failureCode),
        }),
        t('email.renewal.failed.retry', { date: f.date(facts.retryAt) }),
      ],
      button: { label: t('email.renewal.failed.button'), url: facts.url },
      notes: [],
      sections: [],
    };
  });
}

/**
 * An automatic renewal needs the customer: their bank asks them to confirm the
 * payment (3-D Secure), which it cannot do while they are away. The link opens
 * the subscription in their portal, where they confirm it; nothing is retried
 * meanwhile, and the subscription ends on `confirmBy` if it is not confirmed.
 */
export function renewalActionRequiredEmail(
  store: StoreRow,
  to: Recipient,
  facts: RenewalFacts & { method: MethodFacts | null; confirmBy: Date },
): ComposedEmail {
  return compose(store, to, (t) => {
    const f = formatters(to);
    return {
      subject: t('email.renewal.actionRequired.subject', { plan: facts.planName }),
      preheader: t('email.renewal.actionRequired.preheader', { date: f.date(facts.confirmBy) }),
      name: to.firstName,
      heading: t('email.renewal.actionRequired.heading'),
      paragraphs: [
        t('email.renewal.actionRequired.body', {
          amount: f.money(facts.total, facts.currency),
          method: methodText(t, facts.method),
          plan: facts.planName,
        }),
        t('email.renewal.actionRequired.deadline', { date: f.date(facts.confirmBy) }),
      ],
      button: { label: t('email.renewal.actionRequired.button'), url: facts.url },
      notes: [t('email.renewal.actionRequired.note')],
      sections: [],
    };
  });
}

/** The last renewal attempt failed and the subscription was deactivated. */
export function renewalStoppedEmail(
  store: StoreRow,
  to: Recipient,
  facts: RenewalFacts & { failureCode: string | null },
): ComposedEmail {
  return compose(store, to, (t) => ({
    subject: t('email.renewal.stopped.subject', { plan: facts.planName }),
    preheader: t('email.renewal.stopped.preheader'),
    name: to.firstName,
    heading: t('email.renewal.stopped.heading'),
    paragraphs: [
      t('email.renewal.stopped.body', { plan: facts.planName }),
      t('email.renewal.stopped.reason', { reason: reasonText(t, facts.failureCode) }),
      t('email.renewal.restart'),
    ],
    button: { label: t('email.renewal.openAccount'), url: facts.url },
    notes: [],
    sections: [],
  }));
}

/** A manual-renewal subscription's period ended unpaid: how to renew, and until when. */
export function manualRenewalDueEmail(
  store: StoreRow,
  to: Recipient,
  facts: RenewalFacts & { dueAt: Date; graceEndsAt: Date },
): ComposedEmail {
  return compose(store, to, (t) => {
    const f = formatters(to);
    return {
      subject: t('email.renewal.manualDue.subject', { plan: facts.planName }),
      preheader: t('email.renewal.manualDue.preheader', { date: f.date(facts.graceEndsAt) }),
      name: to.firstName,
      heading: t('email.renewal.manualDue.heading'),
      paragraphs: [
        t('email.renewal.manualDue.body', {
          plan: facts.planName,
          date: f.date(facts.dueAt),
          amount: f.money(facts.total, facts.currency),
        }),
        t('email.renewal.manualDue.grace', { date: f.date(facts.graceEndsAt) }),
      ],
      button: { label: t('email.renewal.manualDue.button'), url: facts.url },
      notes: [],
      sections: [],
    };
  });
}

/** A manual-renewal subscription was not renewed within its grace period and ended. */
export function manualRenewalLapsedEmail(
  store: StoreRow,
  to: Recipient,
  facts: { planName: string; endedAt: Date; url: string },
): ComposedEmail {
  return compose(store, to, (t) => ({
    subject: t('email.renewal.lapsed.subject', { plan: facts.planName }),
    preheader: t('email.renewal.lapsed.preheader'),
    name: to.firstName,
    heading: t('email.renewal.lapsed.heading'),
    paragraphs: [
      t('email.renewal.lapsed.body', { plan: facts.planName, date: formatters(to).date(facts.endedAt) }),
      t('email.renewal.restart'),
    ],
    button: { label: t('email.renewal.openAccount'), url: facts.url },
    notes: [],
    sections: [],
  }));
}

/** A cancellation took effect at the end of the period. */
export function subscriptionEndedEmail(
  store: StoreRow,
  to: Recipient,
  facts: { planName: string; endedAt: Date; url: string },
): ComposedEmail {
  return compose(store, to, (t) => ({
    subject: t('email.renewal.ended.subject', { plan: facts.planName }),
    preheader: t('email.renewal.ended.preheader'),
    name: to.firstName,
    heading: t('email.renewal.ended.heading'),
    paragraphs: [
      t('email.renewal.ended.body', { plan: facts.planName, date: formatters(to).date(facts.endedAt) }),
      t('email.renewal.ended.restart'),
    ],
    button: { label: t('email.renewal.openAccount'), url: facts.url },
    notes: [],
    sections: [],
  }));
}
