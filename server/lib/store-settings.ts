import { z } from 'zod';
import { settingUrl } from './setting-urls';

/** The longest lead of a renewal reminder, in days. */
export const REMINDER_DAYS_MAX = 60;

/** The longest lead of a trial-ending reminder, in days. */
export const TRIAL_REMINDER_DAYS_MAX = 30;

/** A reminder's lead in whole days, or null for no reminder. */
const reminderDays = (max: number) =>
  z
    .number()
    .int()
    .min(1, 'Use at least 1 day, or null for no reminder.')
    .max(max, `Use at most ${max} days.`)
    .nullable();

/**
 * Per-store settings with their defaults. Stored as JSON on the store; anything
 * missing takes the default, so adding a setting never needs a data migration.
 */
export const storeSettingsSchema = z.object({
  /** How long a login link is valid, in seconds. */
  loginLinkTtlSeconds: z
    .number()
    .int()
    .min(60)
    .max(7 * 86_400)
    .default(86_400),
  /** How long an invitation link is valid, in seconds. */
  invitationTtlSeconds: z
    .number()
    .int()
    .min(3600)
    .max(30 * 86_400)
    .default(7 * 86_400),
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
  sessionMaxSeconds: z
    .number()
    .int()
    .min(300)
    .max(30 * 86_400)
    .default(43_200),
  /** Customers may cancel a subscription immediately instead of at period end. */
  allowImmediateCancel: z.boolean().default(false),
  /** Customers may pause subscriptions. */
  pauseEnabled: z.boolean().default(false),
  /** The longest pause a customer may choose, in billing periods. */
  maxPausePeriods: z.number().int().min(1).max(12).default(3),
  /**
   * How downloads reach customers unless a fulfilment says otherwise: `signed` redirects to
   * the file's URL with an expiring signature, `private` streams the file through the portal.
   */
  downloadDelivery: z.enum(['signed', 'private']).default('signed'),
  /** Support contact shown in the portal and in emails. */
  supportEmail: z.string().email().nullable().default(null),
  /** Support page (https) or address (mailto) shown in the portal as a link. */
  supportUrl: settingUrl(['https:', 'mailto:']).nullable().default(null),
  /** Printed before the year and the sequence of every invoice number (`NW` → `NW-2026-000123`). */
  invoicePrefix: z
    .string()
    .regex(/^[A-Z0-9]{1,10}$/, 'An invoice prefix is 1–10 capital letters or digits.')
    .default('INV'),
  /** Paper of the invoice PDFs; `auto` is Letter for US and Canadian sellers, A4 for everyone else. */
  invoicePaperSize: z.enum(['auto', 'a4', 'letter']).default('auto'),
  /** Orders with nothing to pay (a trial's start) get an invoice too. */
  invoiceZeroAmountOrders: z.boolean().default(false),
  /** Email the purchaser a receipt (with the invoice) when an order is recorded, and a gift's recipient a notice. */
  sendReceipts: z.boolean().default(true),
  /**
   * Days before an automatic renewal of a plan billed once a year or less often that the
   * customer is reminded of it (`subscription.renewal_upcoming`); null: no reminder.
   */
  renewalReminderDaysYearly: reminderDays(REMINDER_DAYS_MAX).default(7),
  /** The same for plans billed more often than once a year (monthly, quarterly, weekly); null (the default): none. */
  renewalReminderDaysMonthly: reminderDays(REMINDER_DAYS_MAX).default(null),
  /** Days before a trial converts into a paid subscription that the customer is reminded (`subscription.trial_ending`). */
  trialEndingReminderDays: reminderDays(TRIAL_REMINDER_DAYS_MAX).default(3),
  /**
   * Remind the customer, 30 and 7 days before a charge, when the card it will be made with
   * expires before it (`payment_method.expiring`).
   */
  cardExpiryReminders: z.boolean().default(true),
  /** Send the reminder emails; false: only their webhooks fire, for a merchant that sends its own. */
  reminderEmails: z.boolean().default(true),
});

export type StoreSettings = z.infer<typeof storeSettingsSchema>;

/** The settings of the reminders before renewals, trial ends and card expiries (`/api/store/reminders`). */
export const reminderSettingNames = [
  'renewalReminderDaysYearly',
  'renewalReminderDaysMonthly',
  'trialEndingReminderDays',
  'cardExpiryReminders',
  'reminderEmails',
] as const satisfies readonly (keyof StoreSettings)[];

export type ReminderSettings = Pick<StoreSettings, (typeof reminderSettingNames)[number]>;

/** Setting names, for the CLI and for error messages. */
export const storeSettingNames = Object.keys(storeSettingsSchema.shape) as (keyof StoreSettings)[];

// Every request reads its store's settings: parse each distinct stored value once.
const resolved = new Map<string, StoreSettings>();

/**
 * The full settings of a store: stored values over defaults. A stored value that
 * the rules no longer allow (a `javascript:` support URL saved before URLs were
 * checked) counts as unset, so old data can neither break the store nor reach a page.
 */
export function resolveStoreSettings(stored: Partial<StoreSettings> | null | undefined): StoreSettings {
  const key = JSON.stringify(stored ?? {});
  let settings = resolved.get(key);
  if (!settings) {
    settings = Object.freeze(storeSettingsSchema.parse(validOnly(stored ?? {})));
    if (resolved.size > 1000) resolved.clear();
    resolved.set(key, settings);
  }
  return settings;
}

function validOnly(stored: Partial<StoreSettings>): Partial<StoreSettings> {
  const shape = storeSettingsSchema.shape;
  return Object.fromEntries(
    Object.entries(stored).filter(
      ([name, value]) => name in shape && shape[name as keyof StoreSettings].safeParse(value).success,
    ),
  );
}

/** A store's settings with every default filled in. */
export function storeSettings(store: { settings: Partial<StoreSettings> }): StoreSettings {
  return resolveStoreSettings(store.settings);
}

/** A store's reminder settings, defaults filled in. */
export function reminderSettings(store: { settings: Partial<StoreSettings> }): ReminderSettings {
  const settings = storeSettings(store);
  return Object.fromEntries(reminderSettingNames.map((name) => [name, settings[name]])) as ReminderSettings;
}
