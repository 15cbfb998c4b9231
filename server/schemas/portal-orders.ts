import { z } from '@hono/zod-openapi';
import { isoDate } from './common';
import { orderStatuses } from '../db/schema/orders';

const money = (description: string) =>
  z
    .number()
    .int()
    .openapi({ description: `${description}, in minor units.` });

const fulfilmentBase = {
  id: z.string().openapi({ example: 'ful_4k9x2m7q1w8e5r3t6y0u' }),
  itemId: z.string().openapi({ description: 'The item this fulfilment belongs to.' }),
  name: z.string().nullable(),
  revoked: z.boolean().openapi({
    description:
      'The store revoked it, or refunded the order: a download gives no more links (410 `download_revoked`).',
  }),
};

/**
 * What the customer received for an item. Downloads carry no URL: ask
 * `POST /portal/{storeId}/downloads/{fulfilmentId}/link` for a short-lived one.
 */
export const portalFulfilmentSchema = z
  .discriminatedUnion('type', [
    z.object({ ...fulfilmentBase, type: z.literal('license_key'), licenseKey: z.string() }),
    z.object({
      ...fulfilmentBase,
      type: z.literal('download'),
      fileName: z.string().nullable(),
      fileSize: z.number().int().nullable().openapi({ description: 'Bytes, when known.' }),
    }),
    z.object({ ...fulfilmentBase, type: z.literal('instructions'), instructions: z.string() }),
  ])
  .openapi('PortalFulfilment');

/** A line of an order. The amounts are absent for the recipient of a gift. */
export const portalOrderItemSchema = z
  .object({
    id: z.string(),
    displayName: z.string(),
    quantity: z.number().int(),
    unitPrice: money('Price of one unit').optional(),
    subtotal: money('quantity × unitPrice').optional(),
    discount: money('Discount on the whole line').optional(),
    tax: money('Tax on the whole line').optional(),
    total: money('What the line cost').optional(),
  })
  .openapi('PortalOrderItem');

const personName = z.object({ firstName: z.string().nullable(), lastName: z.string().nullable() });

/**
 * An order as the signed-in customer sees it. `role` says how they relate to it:
 *
 * - `purchase`: their own order; everything is shown.
 * - `gift_sent`: they bought it for someone else; amounts, payment, invoice and the
 *   recipient's name are shown, the fulfilments (licence keys, downloads,
 *   instructions) and the recipient's email are not.
 * - `gift_received`: someone bought it for them; items, fulfilments and the
 *   sender's name are shown, amounts, payment, invoice and the sender's email are not.
 */
export const portalOrderSchema = z
  .object({
    id: z.string().openapi({ example: 'ord_4k9x2m7q1w8e5r3t6y0u' }),
    reference: z.string().openapi({ example: 'SHOP-260115-4821' }),
    completedAt: isoDate,
    status: z.enum(orderStatuses),
    kind: z
      .enum(['purchase', 'rebill', 'plan_change'])
      .openapi({ description: 'A purchase, a subscription renewal or an upgrade charge.' }),
    role: z.enum(['purchase', 'gift_sent', 'gift_received']),
    currency: z.string().openapi({ example: 'USD' }),
    amounts: z
      .object({
        subtotal: money('Sum of the items before discount and tax'),
        discount: money('Total discount'),
        tax: money('Total tax'),
        total: money('What was paid'),
      })
      .nullable()
      .openapi({ description: 'Null for the recipient of a gift.' }),
    refunded: z
      .object({ total: money('Given back so far, tax included'), tax: money('Its tax part') })
      .nullable()
      .openapi({ description: 'Null for the recipient of a gift.' }),
    creditNotes: z
      .array(
        z.object({
          id: z.string(),
          number: z.string().openapi({ example: 'NW-CN-2026-000007' }),
          total: money('The amount credited, tax included'),
          issuedAt: isoDate,
        }),
      )
      .openapi({
        description:
          'One per refund; the PDF is at `…/orders/{orderId}/credit-notes/{id}.pdf`. Empty for the recipient of a gift.',
      }),
    items: z.array(portalOrderItemSchema),
    fulfilments: z
      .array(portalFulfilmentSchema)
      .openapi({ description: 'Empty for the purchaser of a gift: they belong to its recipient.' }),
    gift: z
      .object({
        recipient: personName.nullable().openapi({ description: 'Shown to the purchaser; null for the recipient.' }),
        sender: personName.nullable().openapi({ description: 'Shown to the recipient; null for the purchaser.' }),
        message: z.string().nullable(),
      })
      .nullable()
      .openapi({ description: 'Null unless the order is a gift.' }),
    payment: z
      .object({ brand: z.string().nullable(), last4: z.string().nullable() })
      .nullable()
      .openapi({ description: 'What paid; null when unknown and for the recipient of a gift.' }),
    invoiceNumber: z.string().nullable().openapi({
      description: 'The invoice number (`INV-2026-000042`); null without an invoice and for the recipient of a gift.',
    }),
    subscriptionIds: z
      .array(z.string())
      .openapi({ description: 'Subscriptions the order started that belong to the signed-in customer.' }),
  })
  .openapi('PortalOrder');

export type PortalOrderView = z.infer<typeof portalOrderSchema>;
export type PortalFulfilmentView = z.infer<typeof portalFulfilmentSchema>;
export type PortalOrderItemView = z.infer<typeof portalOrderItemSchema>;

export const downloadLinkSchema = z
  .object({
    url: z.string().openapi({ description: 'Opens the file; works for 5 minutes, several times (browsers retry).' }),
    expiresAt: isoDate,
  })
  .openapi('DownloadLink');
