import { z } from '@hono/zod-openapi';
import { addressInput, billingDetailsInput, billingDetailsSchema } from './accounts';
import { countryCode, currencyCode, defaulted, emailAddress, isoDate, languageTag, minorUnits, text } from './common';
import { productKey } from './catalog';
import { orderStatuses } from '../db/schema/orders';
import { paymentMethodInput } from './payment-methods';
import { nginxUri } from '../lib/download-signing';

const downloadDelivery = z.enum(['signed', 'private']).openapi('DownloadDelivery');

export const fulfilmentInput = z
  .discriminatedUnion('type', [
    z
      .object({
        type: z.literal('license_key'),
        licenseKey: z.string().trim().min(1).max(2000),
        name: text(200).optional(),
      })
      .strict(),
    z
      .object({
        type: z.literal('download'),
        url: z
          .url({ protocol: /^https?$/ })
          .max(2000)
          .refine(
            // An unparsable URL is the url() check's error already (zod runs every check of a field).
            (url) => !URL.canParse(url) || nginxUri(new URL(url).pathname) !== undefined,
            "The URL's path is not validly percent-encoded.",
          )
          .openapi({
            description: 'Where the file is. Customers never see it: they get links that expire (see `delivery`).',
          }),
        fileName: text(255).optional(),
        fileSize: z.number().int().min(0).optional(),
        name: text(200).optional(),
        delivery: downloadDelivery.optional().openapi({
          description:
            '`signed`: the portal redirects to `url` with `md5` and `expires` query parameters that your file ' +
            "server or CDN checks (nginx `secure_link`); the link stops working when the portal's 5-minute link does. " +
            '`private`: the portal fetches `url` itself and streams the file; the URL never reaches the browser. ' +
            "Default: the store's `downloadDelivery` setting (`signed` unless changed).",
        }),
      })
      .strict(),
    z
      .object({
        type: z.literal('instructions'),
        instructions: z.string().trim().min(1).max(10_000),
        name: text(200).optional(),
      })
      .strict(),
  ])
  .openapi('FulfilmentInput');

export const orderItemInput = z
  .object({
    product: productKey.openapi({
      description: 'The product key (or id). Subscription plans must exist in the catalog.',
    }),
    displayName: z.string().trim().min(1).max(200),
    quantity: z.number().int().min(1).max(1_000_000),
    unitPrice: minorUnits,
    discount: defaulted(minorUnits, 0, 'Discount for the whole line, minor units.'),
    tax: defaulted(minorUnits, 0, 'Tax for the whole line, minor units.'),
    taxRate: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .openapi({ description: 'Tax rate (0.19 for 19%) applied to renewals; derived from `tax` when absent.' }),
    subscription: z
      .object({
        trialDays: z.number().int().min(1).max(365).optional(),
      })
      .strict()
      .optional()
      .openapi({ description: 'Options for the subscription a plan item starts.' }),
    fulfilments: defaulted(z.array(fulfilmentInput).max(50), [], 'What the customer receives for the item.'),
  })
  .strict()
  .openapi('OrderItemInput');

export const customerInput = z
  .object({
    email: emailAddress,
    firstName: text(100).optional(),
    lastName: text(100).optional(),
    phone: text(40).optional(),
    company: text(200).optional(),
    address: addressInput.optional(),
    country: countryCode.optional(),
    language: languageTag.optional(),
  })
  .strict()
  .openapi('OrderCustomer');

export const orderCreateInput = z
  .object({
    accountId: z
      .string()
      .max(64)
      .optional()
      .openapi({ description: 'Attach the order to this account instead of looking it up by email.' }),
    reference: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/)
      .optional()
      .openapi({ description: 'Your order number; generated when absent. Unique per store.' }),
    customer: customerInput,
    currency: currencyCode,
    items: z.array(orderItemInput).min(1).max(100),
    totals: z
      .object({
        subtotal: minorUnits,
        discount: minorUnits,
        tax: minorUnits,
        total: minorUnits,
      })
      .strict()
      .optional()
      .openapi({ description: 'When given, must equal the sums of the items.' }),
    billingDetails: billingDetailsInput.optional(),
    gift: z
      .object({
        recipient: z
          .object({
            email: emailAddress,
            firstName: text(100).optional(),
            lastName: text(100).optional(),
            language: languageTag.optional(),
          })
          .strict(),
        message: z.string().trim().max(400).optional(),
      })
      .strict()
      .optional(),
    paymentMethod: paymentMethodInput.optional(),
    savePaymentMethod: defaulted(
      z.boolean(),
      true,
      "Save `paymentMethod` to the customer's account (for renewals, and for the portal to show).",
    ),
    completedAt: z.iso
      .datetime({ offset: true })
      .optional()
      .openapi({ description: 'When the order completed; defaults to now. Not in the future.' }),
  })
  .strict()
  .openapi('OrderCreate');

export type OrderCreateInput = z.infer<typeof orderCreateInput>;
export type OrderItemInput = z.infer<typeof orderItemInput>;
export type FulfilmentInput = z.infer<typeof fulfilmentInput>;

export const fulfilmentSchema = z
  .object({
    id: z.string(),
    itemId: z.string(),
    accountId: z.string(),
    type: z.enum(['license_key', 'download', 'instructions']),
    name: z.string().nullable(),
    licenseKey: z.string().nullable(),
    downloadUrl: z.string().nullable(),
    fileName: z.string().nullable(),
    fileSize: z.number().nullable(),
    delivery: downloadDelivery.nullable().openapi({
      description: "For downloads: how they are delivered; null follows the store's `downloadDelivery` setting.",
    }),
    instructions: z.string().nullable(),
    revokedAt: isoDate.nullable().openapi({
      description:
        'When it was revoked (`POST /orders/{orderId}/fulfilments/{fulfilmentId}/revoke`, or by a full refund); no more download links.',
    }),
  })
  .openapi('Fulfilment');

/** A credit note as order views list it; the PDF is at `…/orders/{orderId}/credit-notes/{id}.pdf`. */
export const creditNoteSummarySchema = z
  .object({
    id: z.string().openapi({ example: 'cn_4k9x2m7q1w8e5r3t6y0u' }),
    number: z.string().openapi({ example: 'NW-CN-2026-000007' }),
    refundId: z.string(),
    total: z.number().int().openapi({ description: 'The amount credited, tax included, minor units.' }),
    issuedAt: isoDate,
  })
  .openapi('CreditNoteSummary');

export const orderItemSchema = z
  .object({
    id: z.string(),
    product: z.string(),
    productId: z.string().nullable(),
    displayName: z.string(),
    quantity: z.number(),
    unitPrice: z.number(),
    discount: z.number(),
    tax: z.number(),
    subtotal: z.number(),
    total: z.number(),
    subscriptionId: z.string().nullable(),
  })
  .openapi('OrderItem');

export const orderSchema = z
  .object({
    id: z.string().openapi({ example: 'ord_4k9x2m7q1w8e5r3t6y0u' }),
    reference: z.string(),
    invoiceNumber: z.string().nullable().openapi({
      description: 'The invoice number (`INV-2026-000042`); null for an order with nothing to pay.',
      example: 'INV-2026-000042',
    }),
    accountId: z.string(),
    kind: z.enum(['purchase', 'rebill', 'plan_change']),
    status: z
      .enum(orderStatuses)
      .openapi({ description: '`partially_refunded` or `refunded` once refunds succeeded.' }),
    currency: z.string(),
    subtotal: z.number(),
    discount: z.number(),
    tax: z.number(),
    total: z.number(),
    refunded: z
      .object({ total: z.number().int(), tax: z.number().int() })
      .openapi({ description: 'What succeeded refunds gave back, tax included, and its tax part; minor units.' }),
    creditNotes: z.array(creditNoteSummarySchema),
    customer: z.object({
      email: z.string(),
      firstName: z.string().nullable(),
      lastName: z.string().nullable(),
      company: z.string().nullable(),
      phone: z.string().nullable(),
    }),
    billingDetails: billingDetailsSchema,
    payment: z
      .object({
        paymentMethodId: z.string().nullable(),
        brand: z.string().nullable(),
        last4: z.string().nullable(),
      })
      .nullable(),
    items: z.array(orderItemSchema),
    fulfilments: z.array(fulfilmentSchema),
    gift: z
      .object({
        recipient: z.object({
          accountId: z.string(),
          email: z.string(),
          firstName: z.string().nullable(),
          lastName: z.string().nullable(),
        }),
        message: z.string().nullable(),
      })
      .nullable(),
    completedAt: isoDate,
    createdAt: isoDate,
  })
  .openapi('Order');

export type OrderView = z.infer<typeof orderSchema>;
