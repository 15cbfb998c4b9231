import type { StoreRow } from '../db/schema';
import { pickLanguage } from '../i18n';
import { formatDate, formatMoney } from './renewal-templates';
import { compose, type ComposedEmail, type Recipient } from './templates';

/** An order as its emails name it. */
export interface OrderFacts {
  reference: string;
  currency: string;
  total: number;
  completedAt: Date;
  items: { name: string; quantity: number; total: number }[];
  /** The order in the store's portal (`…#/orders/{id}`). */
  url: string;
}

/**
 * The purchaser's receipt for a recorded order: what was bought and paid, the
 * recipient when it is a gift, and a button to the order in the portal. The invoice
 * travels as an attachment.
 */
export function orderReceiptEmail(
  store: StoreRow,
  to: Recipient,
  order: OrderFacts,
  extra: { giftRecipient: string | null; invoiceAttached: boolean },
): ComposedEmail {
  const language = pickLanguage(to.language);
  const money = (minor: number) => formatMoney(minor, order.currency, language);
  return compose(store, to, (t) => ({
    subject: t('email.receipt.subject', { store: store.name, reference: order.reference }),
    preheader: t('email.receipt.preheader', { amount: money(order.total) }),
    name: to.firstName,
    heading: t('email.receipt.heading'),
    paragraphs: [
      t('email.receipt.body', {
        amount: money(order.total),
        reference: order.reference,
        date: formatDate(order.completedAt, language),
      }),
      ...(extra.giftRecipient ? [t('email.receipt.giftFor', { name: extra.giftRecipient })] : []),
      ...(extra.invoiceAttached ? [t('email.receipt.invoiceAttached')] : []),
    ],
    button: { label: t('email.receipt.button'), url: order.url },
    notes: [],
    sections: [
      {
        title: t('email.receipt.itemsTitle'),
        body: [
          ...order.items.map((i) =>
            t('email.receipt.item', { name: i.name, quantity: i.quantity, amount: money(i.total) }),
          ),
          t('email.receipt.total', { amount: money(order.total) }),
        ].join('\n'),
      },
    ],
  }));
}

/**
 * Tells a gift's recipient who sent them what, with the sender's message and a link
 * to the portal. It names no amount: what the gift cost is the purchaser's business.
 */
export function giftReceivedEmail(
  store: StoreRow,
  to: Recipient,
  gift: { sender: string | null; items: string[]; message: string | null; url: string },
): ComposedEmail {
  return compose(store, to, (t) => {
    const sender = gift.sender ?? t('email.gift.someone');
    const items = gift.items.join(', ');
    return {
      subject: t('email.gift.subject', { sender, store: store.name }),
      preheader: t('email.gift.preheader', { sender, items }),
      name: to.firstName,
      heading: t('email.gift.heading'),
      paragraphs: [t('email.gift.body', { sender, store: store.name, items }), t('email.gift.access')],
      button: { label: t('email.gift.button'), url: gift.url },
      notes: [],
      sections: gift.message ? [{ title: t('email.gift.message'), body: gift.message }] : [],
    };
  });
}

/** The customer's notice of a refund, with the credit note attached (when it can be rendered). */
export function refundEmail(
  store: StoreRow,
  to: Recipient,
  refund: {
    reference: string;
    currency: string;
    total: number;
    external: boolean;
    full: boolean;
    revoked: boolean;
    creditNoteNumber: string;
    /** False while the store's seller details are incomplete: then no credit note can be rendered. */
    creditNoteAttached: boolean;
    url: string;
  },
): ComposedEmail {
  const language = pickLanguage(to.language);
  const amount = formatMoney(refund.total, refund.currency, language);
  return compose(store, to, (t) => ({
    subject: t('email.refund.subject', { store: store.name, reference: refund.reference }),
    preheader: t('email.refund.preheader', { amount }),
    name: to.firstName,
    heading: t('email.refund.heading'),
    paragraphs: [
      t(refund.external ? 'email.refund.bodyExternal' : 'email.refund.body', {
        amount,
        reference: refund.reference,
        store: store.name,
      }),
      ...(refund.full && refund.revoked ? [t('email.refund.full')] : []),
      ...(refund.creditNoteAttached ? [t('email.refund.creditNote', { number: refund.creditNoteNumber })] : []),
    ],
    button: { label: t('email.refund.button'), url: refund.url },
    notes: [],
    sections: [],
  }));
}
