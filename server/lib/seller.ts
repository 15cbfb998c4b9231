import { z } from 'zod';

const line = (max: number) => z.string().trim().min(1).max(max);

/**
 * A store's legal seller details, printed on its invoices. The legal name, the
 * address, the country and a contact email are required before an invoice can
 * be issued; the rest is printed when present.
 */
export const sellerDetailsSchema = z
  .object({
    legalName: line(200).nullable().default(null),
    addressLine1: line(200).nullable().default(null),
    addressLine2: line(200).nullable().default(null),
    city: line(100).nullable().default(null),
    postalCode: line(20).nullable().default(null),
    state: line(100).nullable().default(null),
    /** ISO 3166-1 alpha-2. */
    country: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, 'A country is an ISO 3166-1 alpha-2 code such as DE.')
      .nullable()
      .default(null),
    vatId: line(50).nullable().default(null),
    registrationNumber: line(100).nullable().default(null),
    email: z.email().max(254).nullable().default(null),
    /** Free text at the foot of every invoice: bank details, a thank-you. */
    footer: z.string().trim().max(1000).nullable().default(null),
  })
  .strict();

export type SellerDetails = z.infer<typeof sellerDetailsSchema>;

/** Seller details with nothing filled in. */
export const emptySellerDetails: SellerDetails = sellerDetailsSchema.parse({});

/** The fields an invoice cannot do without. */
export const requiredSellerFields = ['legalName', 'addressLine1', 'city', 'country', 'email'] as const;

/** The required seller fields that are missing; empty when invoices may be issued. */
export function missingSellerFields(seller: Partial<SellerDetails> | null | undefined): string[] {
  return requiredSellerFields.filter((field) => !seller?.[field]);
}
