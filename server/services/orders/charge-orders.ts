import type { Tx } from '../../db/client';
import { insertRow } from '../../db/prepared';
import { orderItems, orders } from '../../db/schema';
import { newId } from '../../lib/ids';
import { emitEvent } from '../../webhooks/emit';
import { issueInvoice } from './invoices/issue';
import { generateReference } from './numbering';
import { getOrderView } from './merchant-view';
import type { AccountRow, PaymentMethodRow } from '../../db/schema';

/** One line of an order the portal itself records. Amounts are for the whole line, minor units. */
export interface ChargeLine {
  productId: string | null;
  productKey: string;
  displayName: string;
  quantity: number;
  unitPrice: number;
  tax: number;
  /** The tax rate in parts per million (190000 for 19 %). */
  taxRatePpm: number;
  /** The period the line pays for. */
  period: { start: Date; end: Date } | null;
  subscriptionId: string | null;
}

/**
 * Records an order for a charge the portal made itself — a renewal (`rebill`) or
 * an upgrade's prorated charge (`plan_change`) — with the account's contact and
 * billing details, issues its invoice (the store's next number) and emits
 * `order.completed`.
 * Runs in the caller's transaction, together with the change the charge paid for.
 */
export async function recordChargeOrder(
  tx: Tx,
  order: {
    storeId: string;
    account: AccountRow;
    kind: 'rebill' | 'plan_change';
    currency: string;
    lines: ChargeLine[];
    paymentMethod: PaymentMethodRow | null;
  },
  now: Date,
): Promise<string> {
  const id = newId('ord');
  const subtotal = order.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
  const tax = order.lines.reduce((sum, line) => sum + line.tax, 0);
  const { account } = order;
  const row = await insertRow(tx, orders, {
    id,
    storeId: order.storeId,
    accountId: account.id,
    reference: await generateReference(tx, order.storeId, now),
    kind: order.kind,
    status: 'completed',
    currency: order.currency,
    subtotal,
    discount: 0,
    tax,
    total: subtotal + tax,
    customerEmail: account.email,
    customerFirstName: account.firstName,
    customerLastName: account.lastName,
    customerCompany: account.company,
    customerPhone: account.phone,
    billingCountry: account.billingCountry,
    billingState: account.billingState,
    billingPostalCode: account.billingPostalCode,
    businessName: account.businessName,
    taxId: account.taxId,
    isBusiness: account.isBusiness,
    paymentMethodId: order.paymentMethod?.id ?? null,
    paymentBrand: order.paymentMethod?.brand ?? null,
    paymentLast4: order.paymentMethod?.last4 ?? null,
    isGift: false,
    completedAt: now,
    createdAt: now,
  });
  for (const [position, line] of order.lines.entries()) {
    const lineSubtotal = line.quantity * line.unitPrice;
    await insertRow(tx, orderItems, {
      id: newId('oit'),
      storeId: order.storeId,
      orderId: id,
      position,
      productId: line.productId,
      productKey: line.productKey,
      displayName: line.displayName,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      discount: 0,
      tax: line.tax,
      subtotal: lineSubtotal,
      total: lineSubtotal + line.tax,
      taxRatePpm: line.taxRatePpm,
      periodStart: line.period?.start ?? null,
      periodEnd: line.period?.end ?? null,
      subscriptionId: line.subscriptionId,
    });
  }
  await issueInvoice(tx, row, account, now);
  await emitEvent(tx, order.storeId, 'order.completed', await getOrderView(tx, order.storeId, id), now);
  return id;
}
