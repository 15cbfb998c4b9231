import { z } from '@hono/zod-openapi';
import {
  activityActors,
  activityKinds,
  browserFamilies,
  osFamilies,
  signInMethods,
  subscriptionEndReasons,
} from '../contract';
import { isoDate } from './common';

const kindDescription =
  'What happened. Sign-ins: `signed_in` (with `method` and `device`). The account: `account_created`, ' +
  '`contact_updated` and `billing_details_updated` (`details.fields`), `password_set`, `access_ended` ' +
  '(`details.sessions`), `invoice_corrected` (the order in `subjectId`). Subscriptions (the subscription in ' +
  '`subjectId`, its plan in `details.plan`): `subscription_started`, `subscription_plan_changed` ' +
  '(`previousPlan`, `quantity`), `subscription_change_scheduled` (`effectiveAt`), `subscription_change_withdrawn`, ' +
  '`subscription_canceled` (`immediately`, `endsAt`), `subscription_cancellation_withdrawn`, ' +
  '`subscription_pause_scheduled` (`startsAt`, `resumesAt`), `subscription_pause_withdrawn`, `subscription_paused` ' +
  '(`resumesAt`), `subscription_resumed`, `subscription_renewed` (`amount`, `currency`, `endsAt`: the paid ' +
  'period’s end), `subscription_renewal_failed` (`retryAt`), `subscription_payment_due` (`retryAt`: when it ' +
  'lapses), `subscription_confirmation_needed` (`retryAt`: the deadline), `subscription_ended` (`reason`), ' +
  '`subscription_payment_method_changed` (the card, or none). Payment methods (the method in `subjectId`, the card ' +
  'in `brand` and `last4`): `payment_method_added`, `payment_method_removed`, `payment_method_default_changed`, ' +
  '`payment_method_updated` (`expMonth`, `expYear`).';

export const activityDetailsSchema = z
  .object({
    plan: z.string(),
    previousPlan: z.string(),
    quantity: z.number().int(),
    fields: z.array(z.string()),
    brand: z.string().nullable(),
    last4: z.string().nullable(),
    expMonth: z.number().int().nullable(),
    expYear: z.number().int().nullable(),
    immediately: z.boolean(),
    endsAt: isoDate,
    effectiveAt: isoDate,
    startsAt: isoDate,
    resumesAt: isoDate,
    amount: z.number().int(),
    currency: z.string(),
    retryAt: isoDate.nullable(),
    reason: z.enum(subscriptionEndReasons),
    invoiceNumber: z.string().nullable(),
    sessions: z.number().int(),
  })
  .partial()
  .openapi('ActivityDetails', { description: 'What the entry says beyond its kind; each kind fills some.' });

export const activityEntrySchema = z
  .object({
    id: z.string().openapi({ example: 'act_4k9x2m7q1w8e5r3t6y0u' }),
    at: isoDate,
    kind: z.enum(activityKinds).openapi({ description: kindDescription }),
    actor: z.enum(activityActors).openapi({
      description:
        'Who did it: the customer in the portal, the merchant through the Server API, the renewal run (renewals, ' +
        'pauses and cancellations taking effect, failed payments) or the payment processor (a card it refreshed or ' +
        'detached).',
    }),
    method: z
      .enum(signInMethods)
      .nullable()
      .openapi({ description: 'How a sign-in happened; null for every other kind.' }),
    device: z
      .object({ browser: z.enum(browserFamilies), os: z.enum(osFamilies) })
      .nullable()
      .openapi({
        description:
          "A sign-in's device, as browser and operating system families only (never its User-Agent or address).",
      }),
    subjectId: z.string().nullable().openapi({ description: 'The subscription, payment method or order concerned.' }),
    details: activityDetailsSchema,
  })
  .openapi('ActivityEntry');

export type ActivityView = z.infer<typeof activityEntrySchema>;
