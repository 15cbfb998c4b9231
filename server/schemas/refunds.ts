import { z } from '@hono/zod-openapi';
import { refundOrigins, refundStatuses } from '../db/schema/refunds';
import { defaulted, isoDate, minorUnits, text } from './common';
import { orderSchema } from './orders';

export const refundCreateInput = z
  .object({
    amount: minorUnits.min(1).optional().openapi({
      description:
        'What to give back, tax included, shared among the lines in proportion to what is left of each. Not with `items`.',
    }),
    items: z
      .array(
        z
          .object({
            itemId: z.string().max(64),
            quantity: z
              .number()
              .int()
              .min(1)
              .max(1_000_000)
              .optional()
              .openapi({ description: 'Units to refund; all units not yet refunded when absent.' }),
          })
          .strict(),
      )
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: 'Lines (or units of them) to refund. Not with `amount`.' }),
    reason: text(500).optional(),
    revokeFulfilment: defaulted(
      z.boolean(),
      true,
      "When the refund leaves nothing to refund, withdraw the order's licence keys and downloads.",
    ),
    endSubscription: defaulted(
      z.boolean(),
      false,
      'End the subscriptions the order started or paid for, now (otherwise they go on).',
    ),
  })
  .strict()
  .refine((v) => v.amount === undefined || v.items === undefined, {
    message: 'Refund either an amount or items, not both.',
    path: ['amount'],
  })
  .openapi('RefundCreate');

export type RefundCreateInput = z.infer<typeof refundCreateInput>;

export const refundSchema = z
  .object({
    id: z.string().openapi({ example: 're_4k9x2m7q1w8e5r3t6y0u' }),
    orderId: z.string(),
    status: z
      .enum(refundStatuses)
      .openapi({ description: '`pending` while the gateway has not answered (retry with the same Idempotency-Key).' }),
    external: z.boolean().openapi({
      description: 'True when the order was paid in your own checkout: recorded here only, you pay it back.',
    }),
    origin: z.enum(refundOrigins).openapi({
      description:
        "`api`: asked for here. `processor`: made at the payment processor (Stripe's dashboard) and recorded from " +
        'its `charge.refunded` webhook.',
    }),
    currency: z.string(),
    amount: z.number().int().openapi({ description: 'Given back, tax included, minor units.' }),
    tax: z.number().int().openapi({ description: 'The tax part of `amount`.' }),
    reason: z.string().nullable(),
    lines: z.array(
      z.object({
        itemId: z.string(),
        quantity: z.number().int().openapi({ description: 'Units refunded; 0 for a refund by amount.' }),
        amount: z.number().int(),
        tax: z.number().int(),
      }),
    ),
    revokeFulfilment: z.boolean(),
    endSubscription: z.boolean(),
    creditNote: z.object({ id: z.string(), number: z.string() }).nullable().openapi({
      description: 'Issued when the refund succeeded; its PDF is at `/api/orders/{orderId}/credit-notes/{id}.pdf`.',
    }),
    failure: z.object({ code: z.string(), message: z.string() }).nullable(),
    createdAt: isoDate,
    completedAt: isoDate.nullable(),
  })
  .openapi('Refund');

export type RefundView = z.infer<typeof refundSchema>;

/** The `order.refunded` webhook's `data`: the order as it is after the refund, and the refund. */
export const orderRefundedEventSchema = z
  .object({ order: orderSchema, refund: refundSchema })
  .openapi('OrderRefundedEvent');

/** `{creditNoteId}.pdf` or `{creditNoteId}.xml` in a path: the credit note as a PDF or as an e-invoice. */
export const creditNoteFileParam = z.object({
  file: z
    .string()
    .max(80)
    .regex(/^cn_[0-9a-z]{8,40}\.(?:pdf|xml)$/, 'Must be a credit note id followed by .pdf or .xml.')
    .openapi({
      param: { name: 'file', in: 'path' },
      description: 'The credit note id followed by `.pdf` (the PDF) or `.xml` (the EN 16931 credit note in UBL 2.1).',
      example: 'cn_4k9x2m7q1w8e5r3t6y0u.pdf',
    }),
});

/** The id in a `{id}.pdf` / `{id}.xml` path segment, and which of the two was asked for. */
export const fileOf = (file: string) => ({
  id: file.slice(0, file.lastIndexOf('.')),
  xml: file.endsWith('.xml'),
});
