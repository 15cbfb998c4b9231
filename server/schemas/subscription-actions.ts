import { z } from '@hono/zod-openapi';
import { CANCELLATION_COMMENT_MAX, cancellationReasonCodes, QUANTITY_MAX, type ErrorCode } from '../contract';
import { defaulted, isoDate, text } from './common';
import { intervalSchema, portalSubscriptionSchema, subscriptionSchema } from './subscriptions';

const money = (description: string) =>
  z
    .number()
    .int()
    .openapi({ description: `${description}, in minor units.` });
const amounts = (what: string) =>
  z.object({
    amount: money(`${what}, before tax`),
    tax: money('Tax on it'),
    total: money(`${what}, with tax`),
  });

/** Why cancelling, resuming, pausing or unpausing may be refused: the subscription's state, or a change running. */
export const subscriptionConflicts = [
  'subscription_ended',
  'cancellation_pending',
  'subscription_paused',
  'subscription_overdue',
  'pause_scheduled',
  'not_pending_cancellation',
  'cancellation_effective',
  'not_paused',
  'subscription_busy',
] as const satisfies readonly ErrorCode[];

/** Why previewing or confirming a plan change may be refused (withdrawing a scheduled one adds `no_scheduled_change`). */
export const planChangeConflicts = [
  'subscription_ended',
  'cancellation_pending',
  'subscription_paused',
  'subscription_overdue',
  'pause_scheduled',
  'subscription_busy',
] as const satisfies readonly ErrorCode[];

/** What confirming a quote may answer besides the conflicts: the quote is spent or old, or the payment failed. */
export const planChangeConfirmErrors = [
  'quote_used',
  'quote_stale',
  'quote_expired',
  'payment_pending',
  'payment_method_required',
  'payment_declined',
  'gateway_unavailable',
] as const satisfies readonly ErrorCode[];

/** Notes on what some errors of the subscription routes carry. */
export const subscriptionErrorNotes = {
  subscription_busy: '`Retry-After` says when.',
  payment_declined: '`details.declineCode` says why; nothing changed.',
  gateway_unavailable: 'Retrying (with the same quote) finishes the same attempt.',
  pause_too_long: "`details.maxPeriods` is the store's limit.",
  resume_date_too_early: '`details.pauseStartsAt` is when the paid period ends.',
} as const satisfies Partial<Record<ErrorCode, string>>;

export const cancellationReasonListSchema = z
  .object({
    data: z.array(z.object({ code: z.enum(cancellationReasonCodes), label: z.string() })),
  })
  .openapi('CancellationReasons');

export const planChangePreviewInput = z
  .object({
    planId: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: 'The plan to switch to (its id or key); the current plan when left out.' }),
    quantity: z
      .number()
      .int()
      .min(1)
      .max(QUANTITY_MAX)
      .optional()
      .openapi({ description: 'The new quantity; the current quantity when left out.' }),
  })
  .strict()
  .openapi('PlanChangePreviewRequest');

export const planChangeInput = z
  .object({
    quoteId: z.string().trim().min(1).max(64).openapi({ example: 'quo_4k9x2m7q1w8e5r3t6y0u' }),
  })
  .strict()
  .openapi('PlanChangeRequest');

export const cancelInput = z
  .object({
    reason: z.enum(cancellationReasonCodes),
    comment: text(CANCELLATION_COMMENT_MAX).optional(),
    immediately: defaulted(
      z.boolean(),
      false,
      'End now instead of at the end of the period (only where the store allows it).',
    ),
  })
  .strict()
  .openapi('CancelSubscriptionRequest');

export const pauseInput = z
  .object({
    periods: z
      .number()
      .int()
      .min(1)
      .max(12)
      .optional()
      .openapi({ description: "Billing periods to skip, up to the store's `maxPausePeriods` (default 1)." }),
    resumeAt: z.iso.datetime({ offset: true }).optional().openapi({
      description:
        'Instead of `periods`: when billing starts again (after the current period, at most `maxPausePeriods` periods later).',
    }),
  })
  .strict()
  .refine((v) => v.periods === undefined || v.resumeAt === undefined, {
    message: 'Send either periods or resumeAt, not both.',
    path: ['resumeAt'],
  })
  .openapi('PauseSubscriptionRequest');

export type PlanChangePreviewInput = z.infer<typeof planChangePreviewInput>;
export type CancelInput = z.infer<typeof cancelInput>;
export type PauseInput = z.infer<typeof pauseInput>;

/** How plan-change charges are rounded, as the OpenAPI documents say it. */
export const ROUNDING_RULE =
  'Rounding: the prorated net amount is computed exactly in integers (amount × seconds remaining ÷ ' +
  'seconds in the period, the current second not counted) and rounded half up to a whole minor unit of the currency ' +
  "(cents, yen, fils); the tax on it is then computed at the subscription's rate and rounded half away from zero. " +
  'The total is their sum, so total = amount + tax always holds.';

/** A quote for a plan or quantity change, valid for 10 minutes. */
export const planChangeQuoteSchema = z
  .object({
    id: z.string().openapi({ example: 'quo_4k9x2m7q1w8e5r3t6y0u' }),
    subscriptionId: z.string(),
    kind: z.enum(['upgrade', 'downgrade']).openapi({
      description:
        '`upgrade`: a higher price per period with the same interval length, or a longer interval; applied ' +
        'and charged when confirmed. `downgrade`: a lower or equal price, or a shorter interval; applied at the end of the period.',
    }),
    product: z.object({
      id: z.string(),
      key: z.string(),
      name: z.string(),
      interval: intervalSchema.nullable(),
      intervalCount: z.number(),
    }),
    quantity: z.number().int(),
    currency: z.string(),
    unitPrice: money('The new price per unit per period'),
    charge: amounts('Charged when confirmed').openapi({ description: `Zero for a downgrade. ${ROUNDING_RULE}` }),
    recurring: amounts('The new price per period'),
    effectiveAt: isoDate.openapi({
      description: 'When the change takes effect: now for an upgrade, the end of the period for a downgrade.',
    }),
    restartsPeriod: z.boolean().openapi({
      description:
        'True when switching to a longer interval: a new period starts when confirmed, and the unused ' +
        "value of the current period is credited against the new plan's full price.",
    }),
    nextChargeAt: isoDate.nullable().openapi({ description: 'When the next renewal would be, if confirmed now.' }),
    createdAt: isoDate,
    expiresAt: isoDate.openapi({ description: 'Quotes are valid for 10 minutes.' }),
  })
  .openapi('PlanChangeQuote', { description: ROUNDING_RULE });

export type PlanChangeQuoteView = z.infer<typeof planChangeQuoteSchema>;

export const chargeSummarySchema = z
  .object({
    id: z.string(),
    amount: money('Net'),
    tax: money('Tax'),
    total: money('Charged'),
    currency: z.string(),
    orderId: z.string().nullable(),
    invoiceNumber: z
      .string()
      .nullable()
      .openapi({ description: 'The invoice number of the order, such as `INV-2026-000042`.' }),
  })
  .nullable()
  .openapi({ description: 'The charge made; null when nothing was charged.' });

export type ChargeSummary = z.infer<typeof chargeSummarySchema>;

/** What the customer's browser needs to show their bank's challenge (3-D Secure) for one payment. */
export const paymentActionSchema = z
  .object({
    chargeId: z.string().openapi({ example: 'chg_4k9x2m7q1w8e5r3t6y0u' }),
    kind: z.enum(['renewal', 'plan_change', 'manual_renewal', 'resume']),
    amount: money('Net'),
    tax: money('Tax'),
    total: money('To be charged once confirmed'),
    currency: z.string(),
    gateway: z.string().openapi({ example: 'stripe', description: 'The processor whose script completes it.' }),
    scriptUrl: z.string().openapi({
      example: 'https://js.stripe.com/v3/',
      description: "The processor's browser script (Stripe.js), to load only now.",
    }),
    publishableKey: z.string().openapi({ example: 'pk_live_…', description: "The processor's key for browsers." }),
    clientSecret: z.string().openapi({
      description:
        "Completes this one payment in the customer's browser (Stripe: `stripe.handleNextAction({ clientSecret })`). " +
        'Never stored by the portal; do not log it.',
    }),
  })
  .openapi('PaymentAction');

export type PaymentActionView = z.infer<typeof paymentActionSchema>;

/** The 202 of a request whose payment the customer's bank holds for authentication. */
export const paymentActionRequiredSchema = z
  .object({
    status: z.literal('requires_action'),
    subscription: portalSubscriptionSchema.openapi({ description: 'The subscription, unchanged so far.' }),
    paymentAction: paymentActionSchema,
  })
  .openapi('PortalPaymentActionRequired', {
    description:
      "The customer's bank asks them to confirm the payment (3-D Secure). Nothing has changed yet. Show the bank's " +
      "challenge with the processor's script, then `POST …/charges/{chargeId}/confirm`: the change applies once the " +
      'processor says the payment succeeded.',
  });

/** A payment the customer's bank held, now confirmed: the change has applied. */
export const paymentConfirmedSchema = z
  .object({
    status: z.literal('succeeded'),
    subscription: portalSubscriptionSchema,
    charge: chargeSummarySchema,
  })
  .openapi('PortalPaymentConfirmed');

const changeResult = <T extends z.ZodType>(subscription: T, name: string) =>
  z
    .object({
      kind: z.enum(['upgrade', 'downgrade']),
      subscription,
      charge: chargeSummarySchema,
    })
    .openapi(name);

export const portalPlanChangeResultSchema = changeResult(portalSubscriptionSchema, 'PortalPlanChangeResult');
export const planChangeResultSchema = changeResult(subscriptionSchema, 'PlanChangeResult');

export const planOptionSchema = z
  .object({
    id: z.string(),
    key: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    interval: intervalSchema.nullable(),
    intervalCount: z.number(),
    currency: z.string(),
    unitPrice: money('Price per unit per period, before tax (the current price for the current plan)'),
    recurringTotal: money('Per period at the listed quantity, with tax (the same as `recurring.total`)'),
    recurring: amounts('Per period at the listed quantity').openapi({
      description:
        "What a period costs on this plan at the listed quantity: the tax at the subscription's rate, " +
        'rounded half away from zero, and the total, as a quote would say them.',
    }),
    current: z.boolean(),
    change: z
      .enum(['upgrade', 'downgrade'])
      .nullable()
      .openapi({
        description:
          "At the listed quantity: `upgrade` is charged now, `downgrade` waits for the period's end; " +
          'null for the current plan at the current quantity.',
      }),
  })
  .openapi('PlanOption');

export const planOptionListSchema = z
  .object({
    data: z.array(planOptionSchema),
    quantity: z.number().int().openapi({ description: 'The quantity the plans are priced at.' }),
  })
  .openapi('PlanOptions');

export const planOptionsQuery = z.object({
  quantity: z.coerce
    .number()
    .int()
    .min(1)
    .max(QUANTITY_MAX)
    .optional()
    .openapi({ description: 'Price the plans at this quantity instead of the current one.' }),
});

export type PlanOptionView = z.infer<typeof planOptionSchema>;
