import { z } from '@hono/zod-openapi';
import { isCurrency } from '../lib/money';
import { defaulted, isoDate, minorUnits, text } from './common';

export const productKey = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'Use letters, digits, dots, dashes and underscores.')
  .openapi({ example: 'pro-monthly' });

const prices = z
  .record(z.string(), minorUnits)
  .refine((p) => Object.keys(p).length > 0, 'Give at least one price.')
  .refine((p) => Object.keys(p).every(isCurrency), 'Price keys must be ISO 4217 currency codes (USD, EUR, …).')
  .openapi({ example: { USD: 1900, EUR: 1700 } });

const productFields = {
  name: z.string().trim().min(1).max(200),
  description: text(2000),
  prices,
  family: text(100),
  sortOrder: z.number().int().min(-1_000_000).max(1_000_000),
  hidden: z.boolean(),
  switchableTo: z
    .array(productKey)
    .max(100)
    .nullable()
    .openapi({ description: 'Keys of plans subscribers may switch to; null means every visible plan of the family.' }),
};

export const productCreateInput = z
  .object({
    key: productKey,
    kind: z.enum(['one_time', 'subscription']),
    interval: z.enum(['day', 'week', 'month', 'year']).optional(),
    intervalCount: defaulted(z.number().int().min(1).max(36), 1, 'Intervals per billing period.'),
    ...productFields,
  })
  .partial({ description: true, family: true, sortOrder: true, hidden: true, switchableTo: true })
  .strict()
  .superRefine((p, ctx) => {
    if (p.kind === 'subscription' && !p.interval) {
      ctx.addIssue({ code: 'custom', path: ['interval'], message: 'A subscription plan needs an interval.' });
    }
    if (p.kind === 'one_time' && p.interval) {
      ctx.addIssue({ code: 'custom', path: ['interval'], message: 'A one-time product has no interval.' });
    }
  })
  .openapi('ProductCreate');

export const productUpdateInput = z.object(productFields).partial().strict().openapi('ProductUpdate');

export type ProductCreateInput = z.infer<typeof productCreateInput>;
export type ProductUpdateInput = z.infer<typeof productUpdateInput>;

export const productSchema = z
  .object({
    id: z.string(),
    key: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    kind: z.enum(['one_time', 'subscription']),
    prices: z.record(z.string(), z.number()),
    interval: z.enum(['day', 'week', 'month', 'year']).nullable(),
    intervalCount: z.number(),
    family: z.string().nullable(),
    sortOrder: z.number(),
    hidden: z.boolean(),
    switchableTo: z.array(z.string()).nullable(),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .openapi('Product');

export type ProductView = z.infer<typeof productSchema>;
