import type { ReminderKind } from '../../../db/schema';
import { DAY, MINUTE } from '../../../lib/clock';

/**
 * The reminders of a card that expires before the charge it is to pay, by how long
 * before the charge each is due: 30 days, then 7 days. Each is sent once per charge;
 * a run that finds both due (it came late) sends only the later one.
 */
export const CARD_EXPIRY_REMINDERS = [
  { kind: 'card_expiring_30d', days: 30 },
  { kind: 'card_expiring_7d', days: 7 },
] as const satisfies readonly { kind: ReminderKind; days: number }[];

/** {@link CARD_EXPIRY_REMINDERS} as offsets before the charge, in milliseconds. */
export const CARD_EXPIRY_REMINDER_SCHEDULE_MS: readonly number[] = CARD_EXPIRY_REMINDERS.map((r) => r.days * DAY);

/**
 * The pause between reminder runs when nothing more was due. Reminders are due by
 * the day; a run that finds nothing costs a few indexed queries.
 */
export const REMINDER_INTERVAL_MS = 5 * MINUTE;
