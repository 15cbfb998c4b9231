import { z } from '@hono/zod-openapi';
import { accountFieldMax as max, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../contract';
import { postalCodeProblem } from '../lib/postal-codes';
import { accountSchema, contactInput } from './accounts';
import { themeSchema } from './checkouts';
import { countryCode, defaulted, emailAddress, isoDate, text } from './common';
import { sessionScopeSchema } from './session-scope';

const token = z.string().trim().min(10).max(200);

export const loginLinkInput = z
  .object({
    email: emailAddress.optional(),
    managementToken: token
      .optional()
      .openapi({ description: 'Instead of the email: the token of a management URL, to email its owner a link.' }),
    returnTo: z
      .string()
      .regex(/^\/[A-Za-z0-9/_-]{0,200}$/, 'A portal route such as /orders/ord_….')
      .optional()
      .openapi({ description: 'The portal screen to open after signing in (added to the link as `#/…`).' }),
  })
  .strict()
  .refine((v) => (v.email === undefined) !== (v.managementToken === undefined), {
    message: 'Send either an email address or a management token.',
    path: ['email'],
  })
  .openapi('LoginLinkRequest');

export const sessionInput = z.object({ token }).strict().openapi('SessionRequest');

export const passwordSignInInput = z
  .object({
    email: emailAddress,
    password: z.string().min(1).max(200),
  })
  .strict()
  .openapi('PasswordSignIn');

/** A new password: at least {@link PASSWORD_MIN_LENGTH} characters. */
const newPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
  .max(PASSWORD_MAX_LENGTH);

export const setPasswordInput = z
  .object({
    password: newPassword,
    currentPassword: z.string().max(PASSWORD_MAX_LENGTH).optional(),
  })
  .strict()
  .openapi('SetPassword');

export const passwordResetRequestInput = z.object({ email: emailAddress }).strict().openapi('PasswordResetRequest');

export const passwordResetInput = z
  .object({
    token: token.openapi({ description: 'The token of the password reset link (its `portal_reset` parameter).' }),
    password: newPassword,
  })
  .strict()
  .openapi('PasswordReset');

/** The account as its owner sees it in the portal (without the merchant's own user id). */
export const portalAccountSchema = accountSchema
  .omit({ customUserId: true, deletedAt: true })
  .extend({
    hasPassword: z.boolean(),
  })
  .openapi('PortalAccount');

export type PortalAccountView = z.infer<typeof portalAccountSchema>;

export const sessionSchema = z
  .object({
    token: z.string().openapi({ description: 'Bearer token for the Portal API. Keep it in memory or sessionStorage.' }),
    expiresAt: isoDate.openapi({ description: 'When the session ends if unused (it slides with use).' }),
    account: portalAccountSchema,
    scope: sessionScopeSchema,
  })
  .openapi('Session');

const phoneNumber = z
  .string()
  .trim()
  .max(max.phone, `Use at most ${max.phone} characters.`)
  .regex(/^(\+?[0-9 ()./-]*[0-9][0-9 ()./-]*)?$/, 'Use digits, spaces and + ( ) - . / only.')
  .transform((v) => (v === '' ? null : v))
  .nullable();

/**
 * The contact data a customer may change about themselves; only the fields sent
 * change. The email address and the merchant's own user id are not among them.
 */
export const portalContactInput = contactInput
  .extend({ phone: phoneNumber.optional() })
  .strict()
  .openapi('PortalContactUpdate');

export type PortalContactInput = z.infer<typeof portalContactInput>;

const taxId = z
  .string()
  .trim()
  .max(max.taxId, `Use at most ${max.taxId} characters.`)
  .regex(/^[A-Za-z0-9 ./-]*$/, 'Use letters, digits, spaces, dots, dashes and slashes only.')
  .transform((v) => (v === '' ? null : v))
  .nullable();

/** Billing details, replaced as a whole: a field left out is cleared. */
export const portalBillingInput = z
  .object({
    country: defaulted(countryCode, null),
    state: defaulted(text(max.state), null),
    postalCode: defaulted(text(max.postalCode), null),
    businessName: defaulted(text(max.businessName), null),
    taxId: defaulted(taxId, null),
    isBusiness: defaulted(z.boolean(), false),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.isBusiness && !v.businessName) {
      ctx.addIssue({ code: 'custom', path: ['businessName'], message: 'Enter the name of the business.' });
    }
    const problem = postalCodeProblem(v.country, v.postalCode);
    if (problem) ctx.addIssue({ code: 'custom', path: ['postalCode'], message: problem });
  })
  .openapi('PortalBillingDetails');

export type PortalBillingInput = z.infer<typeof portalBillingInput>;

/** What the widget needs before anyone signs in. Public and briefly cacheable. */
export const portalConfigSchema = z
  .object({
    store: z.object({ id: z.string(), name: z.string() }),
    logoUrl: z.string().nullable().openapi({ description: "The theme's logo (https), if any." }),
    support: z.object({ email: z.string().nullable(), url: z.string().nullable() }),
    features: z.object({
      passwordLogin: z.boolean().openapi({ description: 'Customers may set a password and sign in with it.' }),
      pauseEnabled: z.boolean().openapi({ description: 'Customers may pause subscriptions.' }),
      allowImmediateCancel: z
        .boolean()
        .openapi({ description: 'Customers may cancel a subscription at once instead of at period end.' }),
      maxPausePeriods: z.number().int().openapi({
        description: 'The longest pause a customer may choose, in billing periods (when pauses are enabled).',
      }),
    }),
    theme: themeSchema.openapi({
      description: "The portal checkout's theme, else the default checkout's, else the built-in defaults.",
    }),
  })
  .openapi('PortalConfig');

export type PortalConfigView = z.infer<typeof portalConfigSchema>;
