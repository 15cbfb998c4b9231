import { z } from '@hono/zod-openapi';
import { isoDate } from './common';

/** A tokenised payment method as the merchant's backend sends it. The token is write-only. */
export const paymentMethodInput = z.object({
  token: z.string().trim().min(1).max(500)
    .openapi({ description: 'The payment processor\'s token for the method. Write-only: never returned.' }),
  type: z.string().trim().min(1).max(40).default('card').openapi({ example: 'card' }),
  brand: z.string().trim().max(40).nullable().optional().openapi({ example: 'visa' }),
  last4: z.string().regex(/^\d{4}$/, 'Four digits.').nullable().optional(),
  expMonth: z.number().int().min(1).max(12).nullable().optional(),
  expYear: z.number().int().min(2000).max(2100).nullable().optional(),
}).strict().openapi('PaymentMethodInput');

export const paymentMethodAttachInput = paymentMethodInput.extend({
  makeDefault: z.boolean().optional().openapi({ description: 'Make it the account\'s default method (the first method always is).' }),
}).strict();

export type PaymentMethodInput = z.infer<typeof paymentMethodInput>;

export const paymentMethodSchema = z.object({
  id: z.string().openapi({ example: 'pm_4k9x2m7q1w8e5r3t6y0u' }),
  accountId: z.string(),
  type: z.string(),
  brand: z.string().nullable(),
  last4: z.string().nullable(),
  expMonth: z.number().nullable(),
  expYear: z.number().nullable(),
  expired: z.boolean(),
  isDefault: z.boolean(),
  createdAt: isoDate,
}).openapi('PaymentMethod');

export type PaymentMethodView = z.infer<typeof paymentMethodSchema>;
