import { translator } from '../i18n';
import { resolveTheme } from '../lib/theme';
import { renderEmail, type Branding, type EmailContent, type RenderedEmail } from './layout';
import type { StoreRow } from '../db/schema';
import { storeSettings } from '../lib/store-settings';

/** Who an email goes to: an account's address, name and language. */
export interface Recipient {
  email: string;
  firstName: string | null;
  language: string | null;
}

/** A rendered email with the language it was written in. */
export interface ComposedEmail extends RenderedEmail {
  language: string;
}

export function brandingOf(store: StoreRow): Branding {
  return {
    storeName: store.name,
    supportEmail: storeSettings(store).supportEmail,
    theme: resolveTheme(store.checkoutThemes),
  };
}

/** Renders an email for a recipient in their language, with the store's branding. */
export function compose(
  store: StoreRow,
  to: Recipient,
  build: (t: ReturnType<typeof translator>['t']) => EmailContent,
): ComposedEmail {
  const { language, t } = translator(to.language);
  return { ...renderEmail(build(t), brandingOf(store), t, language), language };
}

function managementSection(t: ReturnType<typeof translator>['t'], url: string) {
  return { title: t('email.management.title'), body: t('email.management.body'), url };
}

/** The email with a single-use sign-in link. */
export function loginLinkEmail(
  store: StoreRow,
  to: Recipient,
  links: { url: string; managementUrl: string; ttlSeconds: number },
) {
  return compose(store, to, (t) => ({
    subject: t('email.loginLink.subject', { store: store.name }),
    preheader: t('email.loginLink.preheader', { store: store.name }),
    name: to.firstName,
    heading: t('email.loginLink.heading'),
    paragraphs: [t('email.loginLink.body', { store: store.name })],
    button: { label: t('email.loginLink.button'), url: links.url },
    notes: [
      t('email.loginLink.expiry', { count: Math.max(1, Math.round(links.ttlSeconds / 3600)) }),
      t('email.loginLink.ignore'),
    ],
    sections: [managementSection(t, links.managementUrl)],
  }));
}

/** The email with a single-use link to choose a new password (it signs the customer in, too). */
export function passwordResetEmail(store: StoreRow, to: Recipient, link: { url: string; ttlSeconds: number }) {
  return compose(store, to, (t) => ({
    subject: t('email.passwordReset.subject', { store: store.name }),
    preheader: t('email.passwordReset.preheader', { store: store.name }),
    name: to.firstName,
    heading: t('email.passwordReset.heading'),
    paragraphs: [t('email.passwordReset.body', { store: store.name })],
    button: { label: t('email.passwordReset.button'), url: link.url },
    notes: [
      t('email.passwordReset.expiry', { count: Math.max(1, Math.round(link.ttlSeconds / 60)) }),
      t('email.passwordReset.ignore'),
    ],
    sections: [],
  }));
}

/** The invitation to a customer's new account. */
export function invitationEmail(
  store: StoreRow,
  to: Recipient,
  links: { url: string; managementUrl: string; ttlSeconds: number },
) {
  return compose(store, to, (t) => ({
    subject: t('email.invitation.subject', { store: store.name }),
    preheader: t('email.invitation.preheader'),
    name: to.firstName,
    heading: t('email.invitation.heading'),
    paragraphs: [t('email.invitation.body', { store: store.name })],
    button: { label: t('email.invitation.button'), url: links.url },
    notes: [t('email.invitation.expiry', { count: Math.max(1, Math.round(links.ttlSeconds / 86_400)) })],
    sections: [managementSection(t, links.managementUrl)],
  }));
}
