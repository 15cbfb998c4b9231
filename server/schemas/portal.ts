import { z } from '@hono/zod-openapi';
import { accountSchema } from './accounts';
import { emailAddress, isoDate } from './common';

const token = z.string().trim().min(10).max(200);

export const loginLinkInput = z.object({
  email: emailAddress.optional(),
  managementToken: token.optional()
    .openapi({ description: 'Instead of the email: the token of a management URL, to email its owner a link.' }),
}).strict().refine((v) => (v.email === undefined) !== (v.managementToken === undefined), {
  message: 'Send either an email address or a management token.', path: ['email'],
}).openapi('LoginLinkRequest');

export const sessionInput = z.object({ token }).strict().openapi('SessionRequest');

export const passwordSignInInput = z.object({
  email: emailAddress,
  password: z.string().min(1).max(200),
}).strict().openapi('PasswordSignIn');

export const setPasswordInput = z.object({
  password: z.string().min(10, 'Use at least 10 characters.').max(200),
  currentPassword: z.string().max(200).optional(),
}).strict().openapi('SetPassword');

/** The account as its owner sees it in the portal (without the merchant's own user id). */
export const portalAccountSchema = accountSchema.omit({ customUserId: true }).extend({
  hasPassword: z.boolean(),
}).openapi('PortalAccount');

export type PortalAccountView = z.infer<typeof portalAccountSchema>;

export const sessionSchema = z.object({
  token: z.string().openapi({ description: 'Bearer token for the Portal API. Keep it in memory or sessionStorage.' }),
  expiresAt: isoDate.openapi({ description: 'When the session ends if unused (it slides with use).' }),
  account: portalAccountSchema,
}).openapi('Session');
