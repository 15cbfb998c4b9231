import { DAY, HOUR } from '../../../lib/clock';

/**
 * When a declined renewal is tried again, as offsets from the date the charge was
 * due (not gaps between attempts, as the webhook and email schedules are): after
 * the first failure at +1 day, then +3 days, then +7 days. The attempt at +7 days
 * is the last; when it fails the subscription is deactivated.
 */
export const RENEWAL_RETRY_SCHEDULE_MS: readonly number[] = [1, 3, 7].map((days) => days * DAY);

/** The charge attempts per due period: the first one and a retry per offset. */
export const RENEWAL_MAX_ATTEMPTS = RENEWAL_RETRY_SCHEDULE_MS.length + 1;

/**
 * The least time between two attempts when the scheduler runs late (after a long
 * downtime): a retry whose date has passed is tried this long after the failure
 * instead of at once, so a customer is not declined four times in four minutes.
 * It is below every gap of the schedule, so on-time retries keep their exact dates.
 */
export const RENEWAL_MIN_RETRY_GAP_MS = 12 * HOUR;

/** How long an unpaid manual renewal stays overdue before the subscription is deactivated. */
export const MANUAL_GRACE_MS = 7 * DAY;

/** The least grace a manual renewal gets when the scheduler noticed it late (after a long downtime). */
export const MIN_MANUAL_GRACE_MS = 3 * DAY;

/**
 * When to try a declined renewal again after `failedAttempts` failures, or null when
 * that was the last attempt. Dates count from the original due date; a date that has
 * already passed (the scheduler ran late) moves to {@link RENEWAL_MIN_RETRY_GAP_MS} from now.
 */
export function renewalRetryAt(dueAt: Date, failedAttempts: number, now: Date): Date | null {
  if (failedAttempts >= RENEWAL_MAX_ATTEMPTS) return null;
  const scheduled = dueAt.getTime() + RENEWAL_RETRY_SCHEDULE_MS[failedAttempts - 1];
  return new Date(Math.max(scheduled, now.getTime() + RENEWAL_MIN_RETRY_GAP_MS));
}

/** When an unpaid manual renewal due at `dueAt` is deactivated, noticed at `now`. */
export function manualGraceEnd(dueAt: Date, now: Date): Date {
  return new Date(Math.max(dueAt.getTime() + MANUAL_GRACE_MS, now.getTime() + MIN_MANUAL_GRACE_MS));
}
