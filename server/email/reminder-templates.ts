import type { TFunction } from 'i18next';
import { pickLanguage } from '../i18n';
import { formatters, methodText, type MethodFacts } from './renewal-templates';
import { compose, type ComposedEmail, type Recipient } from './templates';
import type { StoreRow } from '../db/schema';

/** The charge a reminder announces: what will really be charged, when, and with which method. */
export interface UpcomingChargeFacts {
  /** The plan as it is now, with its quantity. */
  plan: { name: string; quantity: number };
  /** The plan the charge is for when a scheduled change takes effect with it; null otherwise. */
  changesTo: { name: string; quantity: number } | null;
  currency: string;
  /** Tax included, minor units. */
  total: number;
  at: Date;
  method: MethodFacts | null;
  /** The page in the customer's portal to act on (the subscription, or the payment methods). */
  url: string;
}

const planText = (plan: { name: string; quantity: number }) =>
  plan.quantity > 1 ? `${plan.name} × ${plan.quantity}` : plan.name;

/** The words of a charge's facts that every reminder uses. */
function words(to: Recipient, t: TFunction, facts: UpcomingChargeFacts) {
  const f = formatters(to);
  return {
    plan: planText(facts.plan),
    date: f.date(facts.at),
    amount: f.money(facts.total, facts.currency),
    method: methodText(t, facts.method),
  };
}

/** The paragraph saying that a scheduled change takes effect with the charge, if one does. */
const changeNote = (t: TFunction, facts: UpcomingChargeFacts) =>
  facts.changesTo ? [t('email.reminder.renewal.change', { plan: planText(facts.changesTo) })] : [];

/** An automatic renewal is coming: its date, its amount and the card it will be charged to. */
export function renewalUpcomingEmail(store: StoreRow, to: Recipient, facts: UpcomingChargeFacts): ComposedEmail {
  return compose(store, to, (t) => {
    const w = words(to, t, facts);
    return {
      subject: t('email.reminder.renewal.subject', { plan: w.plan, date: w.date }),
      preheader: t('email.reminder.renewal.preheader', w),
      name: to.firstName,
      heading: t('email.reminder.renewal.heading'),
      paragraphs: [t('email.reminder.renewal.body', w), ...changeNote(t, facts), t('email.reminder.renewal.manage')],
      button: { label: t('email.reminder.renewal.button'), url: facts.url },
      notes: [],
      sections: [],
    };
  });
}

/** A trial converts into a paid subscription soon: when, for how much, and how not to be charged. */
export function trialEndingEmail(store: StoreRow, to: Recipient, facts: UpcomingChargeFacts): ComposedEmail {
  return compose(store, to, (t) => {
    const w = words(to, t, facts);
    return {
      subject: t('email.reminder.trial.subject', { plan: w.plan, date: w.date }),
      preheader: t('email.reminder.trial.preheader', w),
      name: to.firstName,
      heading: t('email.reminder.trial.heading'),
      paragraphs: [t('email.reminder.trial.body', w), ...changeNote(t, facts), t('email.reminder.trial.manage', w)],
      button: { label: t('email.reminder.trial.button'), url: facts.url },
      notes: [],
      sections: [],
    };
  });
}

/**
 * The card a subscription will be charged with expires (or has expired) before the
 * charge: until when it works, when the charge is, and where to add another card.
 */
export function cardExpiringEmail(
  store: StoreRow,
  to: Recipient,
  facts: UpcomingChargeFacts & { card: { expMonth: number; expYear: number }; expired: boolean },
): ComposedEmail {
  const language = pickLanguage(to.language);
  return compose(store, to, (t) => {
    const w = words(to, t, facts);
    const expiry = new Intl.DateTimeFormat(language, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
      Date.UTC(facts.card.expYear, facts.card.expMonth - 1, 1),
    );
    const body = t(facts.expired ? 'email.reminder.card.bodyExpired' : 'email.reminder.card.body', { ...w, expiry });
    return {
      subject: t('email.reminder.card.subject', { plan: w.plan }),
      preheader: t('email.reminder.card.preheader', w),
      name: to.firstName,
      heading: t(facts.expired ? 'email.reminder.card.headingExpired' : 'email.reminder.card.heading'),
      // The method's words begin the sentence ("your saved payment method" when the card has no last 4).
      paragraphs: [body.charAt(0).toLocaleUpperCase(language) + body.slice(1), t('email.reminder.card.charge', w)],
      button: { label: t('email.reminder.card.button'), url: facts.url },
      notes: [t('email.reminder.card.note')],
      sections: [],
    };
  });
}
