import { z } from '@hono/zod-openapi';
import type { ErrorCode } from '../contract';
import { postalCodeProblem } from '../lib/postal-codes';
import { countryCode, defaulted, emailAddress, isoDate, languageTag, text } from './common';

/** The buyer's details an invoice shows. */
export const invoiceBillingSchema = z
  .object({
    name: z.string().nullable().openapi({ description: "The buyer's name as the order gave it." }),
    email: z.string(),
    businessName: z.string().nullable(),
    taxId: z.string().nullable(),
    addressLine1: z.string().nullable(),
    addressLine2: z.string().nullable(),
    city: z.string().nullable(),
    state: z.string().nullable(),
    postalCode: z.string().nullable(),
    country: z.string().nullable(),
    isBusiness: z.boolean(),
  })
  .openapi('InvoiceBillingDetails');

/** One revision of an order's invoice. */
export const invoiceSchema = z
  .object({
    orderId: z.string(),
    number: z.string().openapi({ example: 'NW-2026-000123' }),
    revision: z
      .number()
      .int()
      .openapi({ description: 'Revision 1 is the invoice as issued; each correction adds one.' }),
    revisions: z.number().int().openapi({ description: 'How many revisions the invoice has.' }),
    issuedAt: isoDate.openapi({ description: 'The invoice date; corrections keep it.' }),
    revisedAt: isoDate.openapi({ description: 'When this revision was made.' }),
    billingDetails: invoiceBillingSchema,
    countryLocked: z
      .boolean()
      .openapi({ description: 'The order carried tax computed for its country, so the country cannot be corrected.' }),
  })
  .openapi('Invoice');

export type InvoiceView = z.infer<typeof invoiceSchema>;

/** A correction of the buyer's details on an invoice: the correctable fields as a whole. */
export const invoiceCorrectionInput = z
  .object({
    businessName: defaulted(text(200), null),
    taxId: defaulted(text(50), null),
    addressLine1: defaulted(text(200), null),
    addressLine2: defaulted(text(200), null),
    city: defaulted(text(100), null),
    state: defaulted(text(100), null),
    postalCode: defaulted(text(20), null),
    country: countryCode
      .optional()
      .openapi({ description: 'Absent keeps the country; it cannot change when the order carried tax for it.' }),
    isBusiness: defaulted(z.boolean(), false),
    alsoUseForFutureInvoices: defaulted(
      z.boolean(),
      false,
      'Also store these details on the account, for the orders to come.',
    ),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.isBusiness && !v.businessName) {
      ctx.addIssue({ code: 'custom', path: ['businessName'], message: 'Enter the name of the business.' });
    }
  })
  .openapi('InvoiceCorrection');

export type InvoiceCorrectionInput = z.infer<typeof invoiceCorrectionInput>;

/** `?lang=` of a PDF download. */
export const pdfQuery = {
  lang: languageTag.optional().openapi({
    description: "The language of the PDF (`en`, `de`); other languages fall back to English. Default: the account's.",
  }),
};

/** `?revision=` of the merchant's invoice routes. */
export const revisionQuery = {
  revision: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .optional()
    .openapi({ description: 'A revision; the latest when absent.' }),
};

/** The legal seller details of a store, as the Server API shows them. */
export const sellerSchema = z
  .object({
    legalName: z.string().nullable(),
    addressLine1: z.string().nullable(),
    addressLine2: z.string().nullable(),
    city: z.string().nullable(),
    postalCode: z.string().nullable(),
    state: z.string().nullable(),
    country: z.string().nullable(),
    vatId: z.string().nullable(),
    registrationNumber: z.string().nullable(),
    email: z.string().nullable(),
    footer: z.string().nullable(),
    missing: z.array(z.string()).openapi({
      description: 'Required fields still missing; invoices answer `409 seller_details_missing` until it is empty.',
    }),
  })
  .openapi('SellerDetails');

/** The seller details a merchant sets (a full replace). */
export const sellerInput = z
  .object({
    legalName: defaulted(text(200), null),
    addressLine1: defaulted(text(200), null),
    addressLine2: defaulted(text(200), null),
    city: defaulted(text(100), null),
    postalCode: defaulted(text(20), null),
    state: defaulted(text(100), null),
    country: defaulted(countryCode, null),
    vatId: defaulted(text(50), null),
    registrationNumber: defaulted(text(100), null),
    email: defaulted(emailAddress.nullable(), null),
    footer: defaulted(
      z
        .string()
        .trim()
        .max(1000)
        .transform((v) => (v === '' ? null : v))
        .nullable(),
      null,
    ),
  })
  .strict()
  .superRefine((v, ctx) => {
    const problem = postalCodeProblem(v.country, v.postalCode);
    if (problem) ctx.addIssue({ code: 'custom', path: ['postalCode'], message: problem });
  })
  .openapi('SellerDetailsInput');

/** The error of every invoice route while the store lacks seller details: spread it into the route's config. */
export const sellerMissing = {
  errors: ['seller_details_missing'],
  errorNotes: { seller_details_missing: '`details.missing` lists the fields not yet set.' },
} as const satisfies { errors: readonly ErrorCode[]; errorNotes: Partial<Record<ErrorCode, string>> };

/** The errors of the e-invoice routes: the invoice routes' 409, and what EN 16931 cannot carry. Spread into the route's config. */
export const eInvoiceErrors = {
  errors: ['seller_details_missing', 'e_invoice_buyer_country_missing', 'e_invoice_unavailable'],
  errorNotes: {
    seller_details_missing: '`details.missing` lists the fields not yet set.',
    e_invoice_unavailable:
      '`details.reason` is `currency_decimals` (EN 16931 amounts have at most two decimals) or `rejected` ' +
      "(the e-invoicing library's schema refused the document; `details.problems` says why).",
  },
} as const satisfies { errors: readonly ErrorCode[]; errorNotes: Partial<Record<ErrorCode, string>> };
