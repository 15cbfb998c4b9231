import { z } from '@hono/zod-openapi';
import { REMINDER_DAYS_MAX, storeSettingsSchema, TRIAL_REMINDER_DAYS_MAX } from '../lib/store-settings';

/** The settings' own rules; `unwrap()` drops their defaults, so that a PATCH changes only what it is given. */
const rules = storeSettingsSchema.shape;

const reminderFields = {
  renewalReminderDaysYearly: rules.renewalReminderDaysYearly
    .unwrap()
    .describe(
      `Days (1–${REMINDER_DAYS_MAX}) before an automatic renewal of a plan billed once a year or less often that the customer ` +
        'is reminded of it (`subscription.renewal_upcoming`); null: no reminder. Default: 7.',
    ),
  renewalReminderDaysMonthly: rules.renewalReminderDaysMonthly
    .unwrap()
    .describe(
      'The same for plans billed more often than once a year (monthly, quarterly, weekly); null: no reminder. ' +
        'Default: null. A reminder whose day falls before the current period began is not sent.',
    ),
  trialEndingReminderDays: rules.trialEndingReminderDays
    .unwrap()
    .describe(
      `Days (1–${TRIAL_REMINDER_DAYS_MAX}) before a trial converts into a paid subscription that the customer is reminded ` +
        '(`subscription.trial_ending`); null: no reminder. Default: 3.',
    ),
  cardExpiryReminders: rules.cardExpiryReminders
    .unwrap()
    .describe(
      'Remind the customer 30 and 7 days before a charge when the card it will be made with expires before it ' +
        '(`payment_method.expiring`). Default: true.',
    ),
  reminderEmails: rules.reminderEmails
    .unwrap()
    .describe(
      'Email the reminders to the customer. False: only their webhooks fire, for a merchant that sends its own. ' +
        'Default: true.',
    ),
};

/** The store's reminder settings, every one with its value. */
export const reminderSettingsSchema = z.object(reminderFields).openapi('ReminderSettings');

/** A change of the reminder settings: only the fields given change. */
export const reminderSettingsInput = z.object(reminderFields).partial().strict().openapi('ReminderSettingsInput');
