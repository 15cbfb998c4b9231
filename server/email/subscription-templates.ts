import type { TFunction } from 'i18next';
import { pickLanguage } from '../i18n';
import { minorUnitDigits } from '../lib/money';
import type { Interval } from '../lib/periods';
import { compose, type ComposedEmail, type Recipient } from './templates';
import type { StoreRow } from '../db/schema';

/** An amount of money in minor units. */
export interface Money {
  amount: number;
  currency: string;
}

/** The plan as an email names it: its name, quantity and billing interval. */
export interface PlanLine {
  name: string;
  quantity: number;
  interval: Interval;
  intervalCount: number;
}

/** What happened to a subscription, with what the email about it says. */
export type SubscriptionNotice =
  | { kind: 'changed'; plan: PlanLine; charged: Money | null; recurring: Money; nextChargeAt: Date | null }
  | { kind: 'changeScheduled'; plan: PlanLine; recurring: Money; effectiveAt: Date }
  | { kind: 'changeWithdrawn'; plan: PlanLine; recurring: Money; nextChargeAt: Date | null }
  | { kind: 'canceled'; plan: PlanLine; endsAt: Date; immediately: boolean }
  | { kind: 'uncanceled'; plan: PlanLine; next: Money | null; nextChargeAt: Date | null }
  | { kind: 'paused'; plan: PlanLine; startsAt: Date; resumesAt: Date; next: Money | null }
  | { kind: 'unpaused'; plan: PlanLine; charged: Money | null; next: Money | null; nextChargeAt: Date | null };

/** Formats money and dates in the recipient's language. */
function formatters(language: string) {
  const date = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' });
  return {
    money: (m: Money) =>
      new Intl.NumberFormat(language, { style: 'currency', currency: m.currency }).format(
        m.amount / 10 ** minorUnitDigits(m.currency),
      ),
    date: (d: Date) => date.format(d),
  };
}

const planName = (plan: PlanLine) => (plan.quantity > 1 ? `${plan.name} × ${plan.quantity}` : plan.name);

/** The paragraphs of each notice, in the recipient's language. */
function paragraphs(notice: SubscriptionNotice, t: TFunction, language: string): string[] {
  const f = formatters(language);
  const plan = planName(notice.plan);
  const per = t(`email.subscription.interval.${notice.plan.interval}`, { count: notice.plan.intervalCount });
  const next = (money: Money | null, at: Date | null) =>
    money && at ? [t('email.subscription.nextPayment', { amount: f.money(money), date: f.date(at) })] : [];
  const recurring = (money: Money, from: Date | null) =>
    from ? [t('email.subscription.recurring', { amount: f.money(money), interval: per, date: f.date(from) })] : [];
  switch (notice.kind) {
    case 'changed':
      return [
        t('email.subscription.changed.body', { plan }),
        ...(notice.charged ? [t('email.subscription.changed.charged', { amount: f.money(notice.charged) })] : []),
        ...recurring(notice.recurring, notice.nextChargeAt),
      ];
    case 'changeScheduled':
      return [
        t('email.subscription.changeScheduled.body', { plan, date: f.date(notice.effectiveAt) }),
        ...recurring(notice.recurring, notice.effectiveAt),
        t('email.subscription.changeScheduled.undo'),
      ];
    case 'changeWithdrawn':
      return [t('email.subscription.changeWithdrawn.body', { plan }), ...next(notice.recurring, notice.nextChargeAt)];
    case 'canceled':
      return notice.immediately
        ? [t('email.subscription.canceled.bodyNow', { plan, date: f.date(notice.endsAt) })]
        : [
            t('email.subscription.canceled.body', { plan, date: f.date(notice.endsAt) }),
            t('email.subscription.canceled.resume', { date: f.date(notice.endsAt) }),
          ];
    case 'uncanceled':
      return [t('email.subscription.uncanceled.body', { plan }), ...next(notice.next, notice.nextChargeAt)];
    case 'paused':
      return [
        t('email.subscription.paused.body', { plan, start: f.date(notice.startsAt), end: f.date(notice.resumesAt) }),
        ...next(notice.next, notice.resumesAt),
      ];
    case 'unpaused':
      return [
        notice.charged
          ? t('email.subscription.unpaused.bodyCharged', { plan, amount: f.money(notice.charged) })
          : t('email.subscription.unpaused.bodyWithdrawn', { plan }),
        ...next(notice.next, notice.nextChargeAt),
      ];
  }
}

/**
 * The confirmation email of a subscription change (plan change, cancellation,
 * resumption, pause), with a button to the subscription in the portal.
 */
export function subscriptionNoticeEmail(
  store: StoreRow,
  to: Recipient,
  notice: SubscriptionNotice,
  manageUrl: string,
): ComposedEmail {
  const language = pickLanguage(to.language);
  return compose(store, to, (t) => {
    const key = `email.subscription.${notice.kind}`;
    return {
      subject: t(`${key}.subject`, { store: store.name }),
      preheader: t(`${key}.heading`),
      name: to.firstName,
      heading: t(`${key}.heading`),
      paragraphs: paragraphs(notice, t, language),
      button: { label: t('email.subscription.button'), url: manageUrl },
      notes: [],
      sections: [],
    };
  });
}
