import { z } from '@hono/zod-openapi';
import { accountFieldMax as max } from '../contract';
import { countryCode, emailAddress, isoDate, languageTag, text } from './common';

export const addressInput = z
  .object({
    line1: text(max.line1),
    line2: text(max.line2),
    city: text(max.city),
    region: text(max.region),
    postalCode: text(max.postalCode),
  })
  .partial()
  .strict()
  .openapi('AddressInput');

export const billingDetailsInput = z
  .object({
    country: countryCode,
    state: text(max.state),
    postalCode: text(max.postalCode),
    businessName: text(max.businessName),
    taxId: text(max.taxId),
    isBusiness: z.boolean(),
  })
  .partial()
  .strict()
  .openapi('BillingDetailsInput');

const contactFields = {
  firstName: text(max.firstName),
  lastName: text(max.lastName),
  phone: text(max.phone),
  company: text(max.company),
  address: addressInput,
  country: countryCode,
  language: languageTag,
};

/** The contact data a customer may edit about themselves. */
export const contactInput = z.object(contactFields).partial().strict();

export const accountCreateInput = z
  .object({
    email: emailAddress,
    ...contactFields,
    customUserId: text(200),
    billingDetails: billingDetailsInput,
  })
  .partial({
    firstName: true,
    lastName: true,
    phone: true,
    company: true,
    address: true,
    country: true,
    language: true,
    customUserId: true,
    billingDetails: true,
  })
  .strict()
  .openapi('AccountCreate');

export const accountUpdateInput = accountCreateInput.partial().strict().openapi('AccountUpdate');

export type AddressInput = z.infer<typeof addressInput>;
export type BillingDetailsInput = z.infer<typeof billingDetailsInput>;
export type ContactInput = z.infer<typeof contactInput>;
export type AccountCreateInput = z.infer<typeof accountCreateInput>;
export type AccountUpdateInput = z.infer<typeof accountUpdateInput>;

export const billingDetailsSchema = z
  .object({
    country: z.string().nullable(),
    state: z.string().nullable(),
    postalCode: z.string().nullable(),
    businessName: z.string().nullable(),
    taxId: z.string().nullable(),
    isBusiness: z.boolean(),
  })
  .openapi('BillingDetails');

export const accountSchema = z
  .object({
    id: z.string().openapi({ example: 'acc_4k9x2m7q1w8e5r3t6y0u' }),
    email: z.string(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    phone: z.string().nullable(),
    company: z.string().nullable(),
    address: z.object({
      line1: z.string().nullable(),
      line2: z.string().nullable(),
      city: z.string().nullable(),
      region: z.string().nullable(),
      postalCode: z.string().nullable(),
    }),
    country: z.string().nullable(),
    language: z.string().nullable(),
    customUserId: z.string().nullable(),
    billingDetails: billingDetailsSchema,
    emailVerifiedAt: isoDate.nullable(),
    deletedAt: isoDate.nullable().openapi({
      description:
        'When the account was deleted (`DELETE /api/accounts/{id}`): its personal data is gone and `email` is a ' +
        'placeholder. Null for a live account.',
    }),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .openapi('Account');

export type AccountView = z.infer<typeof accountSchema>;
