import { z } from '@hono/zod-openapi';
import { defaulted, isoDate } from './common';

/** A tokenised payment method as the merchant's backend sends it. The token is write-only. */
export const paymentMethodInput = z
  .object({
    token: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .openapi({ description: "The payment processor's token for the method. Write-only: never returned." }),
    type: defaulted(z.string().trim().min(1).max(40), 'card', 'The kind of method.').openapi({ example: 'card' }),
    brand: z.string().trim().max(40).nullable().optional().openapi({ example: 'visa' }),
    last4: z
      .string()
      .regex(/^\d{4}$/, 'Four digits.')
      .nullable()
      .optional(),
    expMonth: z.number().int().min(1).max(12).nullable().optional(),
    expYear: z.number().int().min(2000).max(2100).nullable().optional(),
    customer: z
      .string()
      .trim()
      .min(1)
      .max(255)
      .optional()
      .openapi({
        example: 'cus_NffrFeUfNV2Hib',
        description:
          "The processor's customer the method is attached to, for a method from your own checkout " +
          '(Stripe: the `cus_…` that owns the `pm_…`). Write-only.',
      }),
  })
  .strict()
  .openapi('PaymentMethodInput');

export type PaymentMethodInput = z.infer<typeof paymentMethodInput>;

export const paymentMethodSchema = z
  .object({
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
  })
  .openapi('PaymentMethod');

export type PaymentMethodView = z.infer<typeof paymentMethodSchema>;

/** A subscription that uses a method, as the customer sees it. */
export const paymentMethodUsageSchema = z.object({
  id: z.string().openapi({ example: 'sub_4k9x2m7q1w8e5r3t6y0u' }),
  productName: z.string().openapi({ example: 'Pro' }),
});

/** A saved method as the customer sees it in the portal: no account id, no token, plus what uses it. */
export const portalPaymentMethodSchema = z
  .object({
    id: z.string().openapi({ example: 'pm_4k9x2m7q1w8e5r3t6y0u' }),
    type: z.string().openapi({ example: 'card' }),
    brand: z.string().nullable().openapi({ example: 'visa' }),
    last4: z.string().nullable().openapi({ example: '4242' }),
    expMonth: z.number().nullable().openapi({ example: 12 }),
    expYear: z.number().nullable().openapi({ example: 2030 }),
    expired: z.boolean().openapi({ description: "The card's expiry month has passed: it cannot be charged." }),
    expiresSoon: z.boolean().openapi({ description: 'Not expired yet, but expires within 60 days.' }),
    isDefault: z.boolean(),
    createdAt: isoDate,
    subscriptions: z
      .array(paymentMethodUsageSchema)
      .openapi({ description: "The customer's subscriptions (not ended) that are charged with this method." }),
    successorId: z
      .string()
      .nullable()
      .openapi({
        description:
          'The method that takes over if this one is removed: it is (or becomes) the default and its ' +
          'subscriptions move to it. The default for any other method; for the default, another saved method (an ' +
          'unexpired one first, then the newest). Null when this is the only method.',
        example: 'pm_7b2n5c8v1x4z6a9s3d0f',
      }),
  })
  .openapi('PortalPaymentMethod');

export type PortalPaymentMethodView = z.infer<typeof portalPaymentMethodSchema>;

export const portalPaymentMethodList = z
  .object({ data: z.array(portalPaymentMethodSchema) })
  .openapi('PortalPaymentMethodList');

const subscriptionIdList = z.array(z.string().trim().min(1).max(64)).max(50).openapi({
  description: 'Subscriptions of the account that should use the method (manual ones turn on automatic renewal).',
});

/** Server API: attach a processor token, optionally as default and for some subscriptions. */
export const paymentMethodAttachInput = paymentMethodInput
  .extend({
    makeDefault: z
      .boolean()
      .optional()
      .openapi({ description: "Make it the account's default method (the first method always is)." }),
    subscriptionIds: subscriptionIdList.optional(),
  })
  .strict();

export type PaymentMethodAttachInput = z.infer<typeof paymentMethodAttachInput>;

/** Portal: start adding a method through the gateway's setup page. */
export const paymentSetupInput = z
  .object({
    makeDefault: z
      .boolean()
      .optional()
      .openapi({ description: 'Make the new method the default (the first method always is).' }),
    subscriptionIds: subscriptionIdList.optional(),
    language: z
      .enum(['en', 'de'])
      .optional()
      .openapi({ description: "Language of the setup page; the account's language by default." }),
  })
  .strict()
  .openapi('PaymentSetupInput');

export type PaymentSetupInput = z.infer<typeof paymentSetupInput>;

export const paymentSetupSchema = z
  .object({
    setupId: z.string().openapi({ example: 'setup_4k9x2m7q1w8e5r3t6y0u' }),
    url: z.string().openapi({ description: "The gateway's setup page, to show in an iframe." }),
    expiresAt: isoDate,
  })
  .openapi('PaymentSetup');

/** Portal: finish a setup with the token the setup page posted to its parent window. */
export const paymentSetupCompleteInput = z
  .object({
    setupId: z.string().trim().min(1).max(64),
    token: z
      .string()
      .trim()
      .min(1)
      .max(2000)
      .openapi({ description: "The token from the setup page's message. Write-only." }),
  })
  .strict()
  .openapi('PaymentSetupComplete');

export type PaymentSetupCompleteInput = z.infer<typeof paymentSetupCompleteInput>;

/** Portal: the method a subscription is charged with. */
export const subscriptionPaymentMethodInput = z
  .object({
    paymentMethodId: z.string().trim().min(1).max(64),
  })
  .strict()
  .openapi('SubscriptionPaymentMethodInput');
