import type { Tx } from '../../db/client';
import type { AccountRow, InvoiceRow, StoreRow } from '../../db/schema';
import { giftReceivedEmail, orderReceiptEmail } from '../../email/order-templates';
import { queueEmail } from '../../email/queue';
import { storeSettings } from '../../lib/store-settings';
import type { OrderView } from '../../schemas/orders';
import { issuedInvoiceAttachment } from '../orders';
import { portalUrl } from '../sign-in';

const fullName = (person: { firstName: string | null; lastName: string | null }) =>
  [person.firstName, person.lastName].filter(Boolean).join(' ') || null;

/**
 * The emails of a recorded order, in its transaction, unless the store turned
 * `sendReceipts` off: the purchaser's receipt (items, total, the recipient of a gift,
 * the invoice just issued attached, a button to the order in the portal), and for a
 * gift the recipient's notice of who sent what, with the message and no amounts.
 */
export async function sendOrderEmails(
  tx: Tx,
  publicBaseUrl: string,
  order: OrderView,
  parties: { store: StoreRow; purchaser: AccountRow; recipient?: AccountRow; invoice: InvoiceRow | null },
  now: Date,
): Promise<void> {
  const { store, purchaser, recipient } = parties;
  if (!storeSettings(store).sendReceipts) return;
  const orderUrl = `${portalUrl(store, publicBaseUrl)}#/orders/${order.id}`;
  const invoice = issuedInvoiceAttachment(parties.invoice, store, purchaser.language);
  const giftRecipient = order.gift ? (fullName(order.gift.recipient) ?? order.gift.recipient.email) : null;
  await queueEmail(
    tx,
    {
      store,
      accountId: purchaser.id,
      to: purchaser.email,
      kind: 'order_receipt',
      email: orderReceiptEmail(
        store,
        purchaser,
        {
          reference: order.reference,
          currency: order.currency,
          total: order.total,
          completedAt: new Date(order.completedAt),
          items: order.items.map((i) => ({ name: i.displayName, quantity: i.quantity, total: i.total })),
          url: orderUrl,
        },
        { giftRecipient, invoiceAttached: invoice !== null },
      ),
      attachments: invoice ? [invoice] : [],
    },
    now,
  );
  if (recipient && order.gift) {
    await queueEmail(
      tx,
      {
        store,
        accountId: recipient.id,
        to: recipient.email,
        kind: 'gift_received',
        email: giftReceivedEmail(
          store,
          {
            email: recipient.email,
            firstName: order.gift.recipient.firstName ?? recipient.firstName,
            language: recipient.language,
          },
          {
            sender: fullName(order.customer),
            items: order.items.map((i) => (i.quantity > 1 ? `${i.displayName} × ${i.quantity}` : i.displayName)),
            message: order.gift.message,
            url: orderUrl,
          },
        ),
      },
      now,
    );
  }
}
