import { z } from 'zod';

/**
 * Per-store settings with their defaults. Stored as JSON on the store; anything
 * missing takes the default, so adding a setting never needs a data migration.
 */
export const storeSettingsSchema = z.object({
  /** How long a login link is valid, in seconds. */
  loginLinkTtlSeconds: z.number().int().min(60).max(7 * 86_400).default(86_400),
  /** How long an invitation link is valid, in seconds. */
  invitationTtlSeconds: z.number().int().min(3600).max(30 * 86_400).default(7 * 86_400),
  /** Send an invitation email when a subscription is created. */
  inviteOnSubscription: z.boolean().default(false),
  /** How long a management URL is valid, in days, before it rotates. */
  managementUrlTtlDays: z.number().int().min(1).max(365).default(65),
  /** The management URL does not sign a customer in until their email is verified. */
  emailVerificationRequired: z.boolean().default(true),
  /** Customers may set a password and sign in with it. */
  passwordLogin: z.boolean().default(false),
  /** Idle lifetime of a session, in seconds (slides with use). */
  sessionIdleSeconds: z.number().int().min(60).max(86_400).default(1800),
  /** Absolute lifetime of a session, in seconds. */
  sessionMaxSeconds: z.number().int().min(300).max(30 * 86_400).default(43_200),
  /** Customers may cancel a subscription immediately instead of at period end. */
  allowImmediateCancel: z.boolean().default(false),
  /** Customers may pause subscriptions. */
  pauseEnabled: z.boolean().default(false),
  /** The longest pause a customer may choose, in billing periods. */
  maxPausePeriods: z.number().int().min(1).max(12).default(3),
  /** Support contact shown in the portal and in emails. */
  supportEmail: z.string().email().nullable().default(null),
  /** Support page shown in the portal. */
  supportUrl: z.string().url().nullable().default(null),
  /** Printed before the year and the sequence of every invoice number (`NW` → `NW-2026-000123`). */
  invoicePrefix: z.string().regex(/^[A-Z0-9]{1,10}$/, 'An invoice prefix is 1–10 capital letters or digits.').default('INV'),
  /** Paper of the invoice PDFs; `auto` is Letter for US and Canadian sellers, A4 for everyone else. */
  invoicePaperSize: z.enum(['auto', 'a4', 'letter']).default('auto'),
  /** Orders with nothing to pay (a trial's start) get an invoice too. */
  invoiceZeroAmountOrders: z.boolean().default(false),
});

export type StoreSettings = z.infer<typeof storeSettingsSchema>;

/** Setting names, for the CLI and for error messages. */
export const storeSettingNames = Object.keys(storeSettingsSchema.shape) as (keyof StoreSettings)[];

// Every request reads its store's settings: parse each distinct stored value once.
const resolved = new Map<string, StoreSettings>();

/** The full settings of a store: stored values over defaults. */
export function resolveStoreSettings(stored: Partial<StoreSettings> | null | undefined): StoreSettings {
  const key = JSON.stringify(stored ?? {});
  let settings = resolved.get(key);
  if (!settings) {
    settings = Object.freeze(storeSettingsSchema.parse(stored ?? {}));
    if (resolved.size > 1000) resolved.clear();
    resolved.set(key, settings);
  }
  return settings;
}

/** A store's settings with every default filled in. */
export function storeSettings(store: { settings: Partial<StoreSettings> }): StoreSettings {
  return resolveStoreSettings(store.settings);
}
