import { z } from '@hono/zod-openapi';
import { isoDate } from './common';

export const subscriptionSchema = z.object({
  id: z.string().openapi({ example: 'sub_4k9x2m7q1w8e5r3t6y0u' }),
  accountId: z.string(),
  orderId: z.string(),
  product: z.object({
    id: z.string(),
    key: z.string(),
    name: z.string(),
    family: z.string().nullable(),
    interval: z.enum(['day', 'week', 'month', 'year']).nullable(),
    intervalCount: z.number(),
  }),
  status: z.enum(['trial', 'active', 'overdue', 'paused', 'canceled', 'deactivated']),
  quantity: z.number(),
  currency: z.string(),
  unitPrice: z.number(),
  taxRate: z.number().openapi({ description: 'Tax rate as a fraction (0.19).' }),
  autoRenew: z.boolean(),
  paymentMethodId: z.string().nullable(),
  currentPeriodStart: isoDate,
  currentPeriodEnd: isoDate,
  trialEndsAt: isoDate.nullable(),
  nextChargeAt: isoDate.nullable(),
  nextChargeAmount: z.number().nullable(),
  cancelAtPeriodEnd: z.boolean(),
  cancellation: z.object({
    reason: z.string().nullable(),
    comment: z.string().nullable(),
    canceledAt: isoDate.nullable(),
  }).nullable(),
  endedAt: isoDate.nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
}).openapi('Subscription');

export type SubscriptionView = z.infer<typeof subscriptionSchema>;
