import { z } from '@hono/zod-openapi';
import { isoDate } from './common';
import { paymentMethodSchema } from './payment-methods';

const money = (description: string) =>
  z
    .number()
    .int()
    .openapi({ description: `${description}, in minor units.` });

export const intervalSchema = z.enum(['day', 'week', 'month', 'year']);

/** The plan a subscription is on, as every subscription view shows it. */
export const subscriptionProductSchema = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  family: z.string().nullable(),
  interval: intervalSchema.nullable(),
  intervalCount: z.number(),
});

export const scheduledChangeSchema = z
  .object({
    product: z.object({
      id: z.string(),
      key: z.string().nullable().openapi({ description: 'Null only in payloads built without the catalog at hand.' }),
      name: z.string().nullable(),
    }),
    quantity: z.number().int(),
    unitPrice: money('The new price per unit per period, before tax'),
    effectiveAt: isoDate.openapi({ description: 'The end of the current period, when the change takes effect.' }),
  })
  .nullable()
  .openapi({ description: 'A downgrade waiting for the end of the period; null when none is scheduled.' });

export const pauseSchema = z
  .object({
    startsAt: isoDate.openapi({ description: 'The end of the paid period, when billing stops.' }),
    resumesAt: isoDate.openapi({ description: 'When billing starts again with a new period.' }),
  })
  .nullable()
  .openapi({ description: 'A scheduled or running pause; null when there is none.' });

export const subscriptionPaymentMethodSchema = paymentMethodSchema
  .pick({
    id: true,
    type: true,
    brand: true,
    last4: true,
    expMonth: true,
    expYear: true,
    expired: true,
  })
  .nullable()
  .openapi({ description: 'The saved method the subscription is charged with; null when it has none.' });

export const cancellationSchema = z
  .object({
    reason: z.string().nullable().openapi({ description: 'One of the codes of `GET /api/cancellation-reasons`.' }),
    comment: z.string().nullable(),
    canceledAt: isoDate.nullable().openapi({ description: 'When the cancellation was requested.' }),
    endsAt: isoDate.nullable().openapi({ description: 'When the subscription ends (or ended).' }),
  })
  .nullable();

export const subscriptionStatusSchema = z.enum(['trial', 'active', 'overdue', 'paused', 'canceled', 'deactivated']);

export const paymentConfirmationSchema = z
  .object({
    chargeId: z.string().openapi({ example: 'chg_4k9x2m7q1w8e5r3t6y0u' }),
    total: money('The renewal payment, tax included'),
    currency: z.string(),
    requestedAt: isoDate.openapi({ description: 'When the bank asked for the confirmation (the renewal was due).' }),
    confirmBy: isoDate.nullable().openapi({
      description:
        'Until when the customer can confirm it: the end of the retry schedule (7 days after the due date). ' +
        'Unconfirmed by then, the subscription is deactivated.',
    }),
  })
  .nullable()
  .openapi('PaymentConfirmation', {
    description:
      "An automatic renewal the customer's bank asked them to authenticate (3-D Secure): the subscription is " +
      '`overdue` and waits for their confirmation in the portal, without retries; null when nothing waits.',
  });

export const subscriptionSchema = z
  .object({
    id: z.string().openapi({ example: 'sub_4k9x2m7q1w8e5r3t6y0u' }),
    accountId: z.string(),
    orderId: z.string(),
    product: subscriptionProductSchema,
    status: subscriptionStatusSchema,
    quantity: z.number(),
    currency: z.string(),
    unitPrice: z.number(),
    taxRate: z.number().openapi({ description: 'Tax rate as a fraction (0.19).' }),
    autoRenew: z.boolean(),
    paymentMethodId: z.string().nullable(),
    paymentMethod: subscriptionPaymentMethodSchema,
    currentPeriodStart: isoDate,
    currentPeriodEnd: isoDate,
    trialEndsAt: isoDate.nullable(),
    nextChargeAt: isoDate.nullable(),
    nextChargeAmount: z.number().nullable(),
    cancelAtPeriodEnd: z.boolean(),
    cancellation: cancellationSchema,
    scheduledChange: scheduledChangeSchema,
    pause: pauseSchema,
    failedAttempts: z.number().int().openapi({ description: 'Failed renewal charges of the current due period.' }),
    paymentConfirmation: paymentConfirmationSchema,
    endedAt: isoDate.nullable(),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .openapi('Subscription');

export type SubscriptionView = z.infer<typeof subscriptionSchema>;

export const subscriptionStateSchema = z
  .enum(['trial', 'active', 'pending_cancellation', 'paused', 'overdue', 'action_required', 'canceled', 'deactivated'])
  .openapi({
    description:
      'What the customer sees: `pending_cancellation` is an active or trial subscription that ends at ' +
      'the end of its period; `overdue` means a payment failed and is being retried (or a manual renewal is unpaid); ' +
      "`action_required` is an overdue subscription whose renewal waits for the customer's confirmation of the " +
      'payment with their bank (`paymentConfirmation`).',
  });

export const subscriptionActionsSchema = z
  .object({
    change: z.boolean().openapi({ description: 'Change plan or quantity (`change-preview`, then `change`).' }),
    cancel: z.boolean().openapi({
      description:
        'Cancel: at the end of the period for active and trial subscriptions, at once for paused and overdue ones.',
    }),
    cancelImmediately: z.boolean().openapi({ description: 'Cancel with `immediately: true` (the store allows it).' }),
    resume: z.boolean().openapi({ description: 'Undo a pending cancellation.' }),
    pause: z.boolean().openapi({ description: 'Pause (the store allows pauses).' }),
    unpause: z
      .boolean()
      .openapi({ description: 'Withdraw a scheduled pause, or end a running one now (charges a new period).' }),
    undoScheduledChange: z.boolean().openapi({ description: 'Withdraw the scheduled downgrade.' }),
    renew: z
      .boolean()
      .openapi({ description: 'Pay the next period of a manual-renewal subscription now (`POST …/renew`).' }),
    confirmPayment: z.boolean().openapi({
      description:
        "Confirm the renewal payment the customer's bank asked them to authenticate " +
        '(`POST …/charges/{paymentConfirmation.chargeId}/authenticate`, then `…/confirm`).',
    }),
  })
  .openapi('SubscriptionActions', {
    description:
      "What the customer may do now, given the subscription's state, the store's settings and the session's " +
      'capabilities (an action the session may not take is false).',
  });

/** A subscription as its owner sees it in the portal, with what they may do with it now. */
export const portalSubscriptionSchema = z
  .object({
    id: z.string().openapi({ example: 'sub_4k9x2m7q1w8e5r3t6y0u' }),
    orderId: z.string(),
    product: subscriptionProductSchema,
    status: subscriptionStatusSchema,
    state: subscriptionStateSchema,
    quantity: z.number().int(),
    currency: z.string().openapi({ example: 'USD' }),
    unitPrice: money('Price per unit per period, before tax'),
    taxRate: z.number().openapi({ description: 'Tax rate as a fraction (0.19).' }),
    recurring: z.object({ amount: money('quantity × unitPrice'), tax: money('Tax on it'), total: money('Per period') }),
    autoRenew: z.boolean(),
    renewal: z
      .enum(['automatic', 'manual'])
      .openapi({ description: '`manual`: the customer pays each period themselves.' }),
    currentPeriodStart: isoDate,
    currentPeriodEnd: isoDate,
    trialEndsAt: isoDate.nullable(),
    nextCharge: z
      .object({ at: isoDate, amount: money('Including tax and any scheduled change') })
      .nullable()
      .openapi({
        description:
          'The next billing date and amount; after a pause when one is scheduled; null when nothing will be charged.',
      }),
    scheduledChange: scheduledChangeSchema,
    pause: pauseSchema,
    paymentMethod: subscriptionPaymentMethodSchema,
    cancellation: cancellationSchema,
    failedAttempts: z.number().int(),
    paymentConfirmation: paymentConfirmationSchema,
    endedAt: isoDate.nullable(),
    createdAt: isoDate,
    updatedAt: isoDate,
    actions: subscriptionActionsSchema,
    pauseOptions: z
      .object({
        startsAt: isoDate.openapi({ description: 'A pause starts when the paid period ends.' }),
        resumeDates: z.array(isoDate).openapi({
          description:
            "When billing resumes after a pause of 1, 2, … periods (up to the store's maximum); the last is the latest allowed date.",
        }),
      })
      .nullable()
      .openapi({ description: 'The pause choices, when the customer may pause now.' }),
    renewOpensAt: isoDate
      .nullable()
      .openapi({ description: 'Manual renewal: from when the next period can be paid ("Renew now").' }),
  })
  .openapi('PortalSubscription');

export type PortalSubscriptionView = z.infer<typeof portalSubscriptionSchema>;
export type SubscriptionActions = z.infer<typeof subscriptionActionsSchema>;
