import { z } from '@hono/zod-openapi';
import { billingDetailsSchema } from './accounts';
import { activityEntrySchema } from './activity';
import { isoDate } from './common';
import { invoiceSchema } from './invoices';
import { portalAccountSchema } from './portal';
import { portalOrderSchema } from './portal-orders';
import { portalSubscriptionSchema } from './subscriptions';

/**
 * The version of the export's shape. Sections and fields may be added within a
 * version (a reader ignores what it does not know); a field that is renamed,
 * removed or changes its meaning makes the next version.
 */
export const ACCOUNT_EXPORT_VERSION = 1;

/** What identifies the file as an account export, whatever its name. */
export const ACCOUNT_EXPORT_FORMAT = 'account-portal/account-export';

const money = (description: string) =>
  z
    .number()
    .int()
    .openapi({ description: `${description}; minor units.` });

/**
 * The contact data stored with an order that is about the customer: as given with
 * the order by its purchaser, or, for a gift they received, the recipient's details
 * the purchaser gave.
 */
const orderContactSchema = z
  .object({
    email: z.string(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    company: z.string().nullable().openapi({ description: 'Null for a gift received.' }),
    phone: z.string().nullable().openapi({ description: 'Null for a gift received.' }),
    billingDetails: billingDetailsSchema
      .nullable()
      .openapi({ description: 'As given with the order; null for a gift received.' }),
  })
  .openapi('AccountExportOrderContact');

const exportOrderSchema = portalOrderSchema.extend({ contact: orderContactSchema }).openapi('AccountExportOrder', {
  description:
    'An order as the Portal API shows it (`role` says how the customer relates to it, and a gift shows each side ' +
    "only what the order screen shows them), with the customer's own contact data stored with it.",
});

const exportRefundSchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    currency: z.string(),
    amount: money('Given back, tax included'),
    tax: money('Its tax part'),
    reason: z.string().nullable(),
    createdAt: isoDate,
    completedAt: isoDate.nullable(),
    creditNote: z
      .object({ id: z.string(), number: z.string(), issuedAt: isoDate })
      .nullable()
      .openapi({ description: 'The credit note of a succeeded refund.' }),
  })
  .openapi('AccountExportRefund');

const exportPaymentMethodSchema = z
  .object({
    id: z.string(),
    type: z.string().openapi({ example: 'card' }),
    brand: z.string().nullable(),
    last4: z.string().nullable(),
    expMonth: z.number().int().nullable(),
    expYear: z.number().int().nullable(),
    isDefault: z.boolean(),
    createdAt: isoDate,
    removedAt: isoDate.nullable().openapi({ description: 'When it was removed; removed methods are kept for orders.' }),
  })
  .openapi('AccountExportPaymentMethod', {
    description: "A saved payment method: what is shown of it. The processor's token never leaves the server.",
  });

const exportEmailSchema = z
  .object({
    kind: z.string().openapi({ example: 'receipt' }),
    to: z.string(),
    subject: z.string(),
    language: z.string(),
    status: z.enum(['pending', 'sent', 'failed']),
    createdAt: isoDate,
    sentAt: isoDate.nullable(),
  })
  .openapi('AccountExportEmail', {
    description:
      'An email the store sent (or queued) to the customer. Bodies are left out: they carried sign-in links.',
  });

/**
 * Everything the store holds about the signed-in customer, in one JSON document
 * (`GET /portal/{store}/me/export`). Each section is an array (or object) even when
 * empty, so a reader can rely on it.
 */
export const accountExportSchema = z
  .object({
    format: z.literal(ACCOUNT_EXPORT_FORMAT),
    version: z.literal(ACCOUNT_EXPORT_VERSION),
    exportedAt: isoDate,
    store: z.object({ id: z.string(), name: z.string() }),
    account: portalAccountSchema.extend({
      passwordSetAt: isoDate.nullable().openapi({ description: 'When the password was set; the hash is never shown.' }),
    }),
    orders: z.array(exportOrderSchema).openapi({ description: 'Newest first: own orders and gifts received.' }),
    invoices: z.array(invoiceSchema).openapi({
      description: "Every revision of every invoice of the customer's own orders, with the buyer details it shows.",
    }),
    refunds: z
      .array(exportRefundSchema)
      .openapi({ description: "Refunds of the customer's own orders, newest first." }),
    subscriptions: z.array(portalSubscriptionSchema).openapi({ description: 'In every status, newest first.' }),
    paymentMethods: z.array(exportPaymentMethodSchema).openapi({ description: 'Saved and removed ones.' }),
    emails: z.array(exportEmailSchema).openapi({ description: 'Newest first.' }),
    activity: z
      .array(activityEntrySchema)
      .openapi({ description: 'The activity log: sign-ins and changes, with who made them; newest first.' }),
  })
  .openapi('AccountExport');

export type AccountExport = z.infer<typeof accountExportSchema>;
export type AccountExportOrder = z.infer<typeof exportOrderSchema>;
export type AccountExportRefund = z.infer<typeof exportRefundSchema>;
export type AccountExportPaymentMethod = z.infer<typeof exportPaymentMethodSchema>;
export type AccountExportEmail = z.infer<typeof exportEmailSchema>;
