import { z } from '@hono/zod-openapi';
import {
  capabilities,
  capabilityNames,
  LANDING_ROUTE_MAX,
  landingRoutePattern,
  permissions,
  type Capability,
} from '../contract';
import { isoDate } from './common';

const capabilityList = capabilityNames.map((name) => `- \`${name}\`: ${capabilities[name].description}`).join('\n');

const capabilitiesDescription =
  'What the session may not do. Each capability takes some things away, and the session keeps only what none of ' +
  'them takes, so they combine (`["read-only", "orders-only"]` is the orders, to look at). The widget hides what ' +
  'the session may not use; the Portal API refuses it with 403 `session_not_permitted`.\n\n' +
  capabilityList;

const landingRouteDescription =
  'The screen the widget opens at once the URL is redeemed: `/orders`, `/orders/{orderId}`, `/subscriptions`, ' +
  '`/subscriptions/{subscriptionId}` (and its `/change`, `/cancel` or `/pause` dialog), `/payment-methods`, ' +
  '`/account` or `/account/activity`. It wins over a route appended to the URL, and must be one the capabilities ' +
  'allow (422 otherwise).';

const lifetimeDescription =
  "How long the session may last at most, in seconds: shorter than the store's `sessionMaxSeconds` (12 hours by " +
  'default), never longer (422). The 30-minute idle limit still applies. Default: the store’s `sessionMaxSeconds`.';

const urlLifetimeDescription =
  'How long the URL itself can be redeemed, in seconds (60 to 86400). Default: 86400 (24 hours).';

const capability = z.enum(capabilityNames).openapi('Capability');

/** The limits a merchant may put on a pre-authenticated URL and the session it starts (a JSON body). */
export const sessionLimitsFields = {
  capabilities: z
    .array(capability)
    .max(capabilityNames.length)
    .optional()
    .openapi({ description: capabilitiesDescription }),
  landingRoute: z
    .string()
    .max(LANDING_ROUTE_MAX)
    .regex(landingRoutePattern, 'Must be a portal screen such as "/subscriptions" or "/orders/ord_…".')
    .optional()
    .openapi({ description: landingRouteDescription, example: '/subscriptions' }),
  sessionLifetimeSeconds: z
    .number()
    .int()
    .min(60)
    .optional()
    .openapi({ description: lifetimeDescription, example: 900 }),
  urlLifetimeSeconds: z
    .number()
    .int()
    .min(60)
    .max(86_400)
    .optional()
    .openapi({ description: urlLifetimeDescription, example: 300 }),
};

export const sessionLimitsInput = z.object(sessionLimitsFields).strict().openapi('SessionLimits');

const capabilitiesQueryPattern = new RegExp(`^(?:${capabilityNames.join('|')})(?:,(?:${capabilityNames.join('|')}))*$`);

/** The same limits as query parameters (for `GET …/authenticate`): capabilities comma-separated. */
export const sessionLimitsQuery = z
  .object({
    capabilities: z
      .string()
      .max(200)
      .regex(capabilitiesQueryPattern, `A comma-separated list of: ${capabilityNames.join(', ')}.`)
      .optional()
      .transform((value) => (value === undefined ? undefined : ([...new Set(value.split(','))] as Capability[])))
      .openapi({
        description: `Comma-separated, such as \`read-only,no-cancel\`. ${capabilitiesDescription}`,
        example: 'read-only',
      }),
    landingRoute: sessionLimitsFields.landingRoute,
    sessionLifetimeSeconds: z.coerce
      .number()
      .int()
      .min(60)
      .optional()
      .openapi({ description: lifetimeDescription, example: 900 }),
    urlLifetimeSeconds: z.coerce
      .number()
      .int()
      .min(60)
      .max(86_400)
      .optional()
      .openapi({ description: urlLifetimeDescription, example: 300 }),
  })
  .strict();

export type SessionLimitsInput = z.infer<typeof sessionLimitsInput>;

/** What a session may do, as the widget reads it. */
export const sessionScopeSchema = z
  .object({
    capabilities: z.array(capability).openapi({ description: 'The limits the merchant put on the session.' }),
    permissions: z.array(z.enum(permissions).openapi('Permission')).openapi({
      description:
        'What the session may do: every permission none of its capabilities takes away. An operation that needs ' +
        'another answers 403 `session_not_permitted`.',
    }),
    landingRoute: z
      .string()
      .nullable()
      .openapi({ description: 'The screen to open at after signing in, if the merchant chose one.' }),
    expiresAt: isoDate.openapi({
      description: 'When the session ends however busy it is (the idle limit may end it sooner).',
    }),
  })
  .openapi('SessionScope');

export type SessionScopeView = z.infer<typeof sessionScopeSchema>;
