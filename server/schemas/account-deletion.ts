import { z } from '@hono/zod-openapi';
import { accountSchema } from './accounts';

/** What `DELETE /api/accounts/{id}` did, and what it kept. */
export const accountDeletionSchema = z
  .object({
    account: accountSchema.openapi({ description: 'The account as it is now: anonymised, with `deletedAt`.' }),
    alreadyDeleted: z.boolean().openapi({
      description: 'True when the account had been deleted before: this request changed nothing.',
    }),
    ended: z
      .object({
        sessions: z.number().int(),
        links: z.number().int().openapi({ description: 'Unused sign-in, invitation, management and download links.' }),
        devices: z.number().int().openapi({ description: 'Remembered browsers.' }),
      })
      .openapi({ description: 'What of its access was ended (zeros when it had been deleted before).' }),
    paymentMethodsDetached: z.number().int().openapi({
      description: 'Payment methods detached at the processor (removed ones included).',
    }),
    kept: z
      .object({
        orders: z.number().int(),
        invoices: z.number().int().openapi({ description: 'Invoices (with all their revisions), kept as issued.' }),
        creditNotes: z.number().int(),
      })
      .openapi({
        description: 'The records kept for bookkeeping, without the personal data beyond what invoices carry.',
      }),
  })
  .openapi('AccountDeletion');

export type AccountDeletion = z.infer<typeof accountDeletionSchema>;
