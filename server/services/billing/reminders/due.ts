import {
  and,
  asc,
  eq,
  gt,
  gte,
  inArray,
  isNull,
  lte,
  not,
  notExists,
  notInArray,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client';
import { paymentMethods, products, subscriptionReminders, subscriptions, type ReminderKind } from '../../../db/schema';
import { DAY } from '../../../lib/clock';
import type { StoreSettings } from '../../../lib/store-settings';
import { cardExpiresAtSql } from '../payment-methods/payment-methods';
import { CARD_EXPIRY_REMINDERS } from './schedule';

/**
 * When one kind of reminder is due: from `leadMs` before the charge (the next
 * renewal, or the trial's end) until `untilMs` before it, for subscriptions that
 * will really be charged then — automatic renewal, trial or active (not overdue:
 * its next charge is a retry), no pause scheduled and no payment waiting for the
 * customer's confirmation. A cancellation or the end of billing clears the charge
 * date itself (`endsBilling`).
 */
export interface ReminderWindow {
  kind: ReminderKind;
  /** The lead in whole days, as the store set it (or the card schedule's). */
  days: number;
  leadMs: number;
  /** From this long before the charge a later reminder of the same kind takes over (the card's 7-day one); 0: none. */
  untilMs: number;
  statuses: readonly ('trial' | 'active')[];
  /** Plans billed once a year or less often, the others, or any. */
  plans: 'yearly' | 'shorter' | 'any';
  /** Only when the card the charge will be made with expires before it. */
  expiringCard: boolean;
  /**
   * Only when the lead falls after the current period began: a renewal reminder
   * does not follow the last renewal at once (a 7-day lead on a weekly plan).
   */
  afterPeriodStart: boolean;
}

/** The reminders a store's settings turn on, each with its window. */
export function reminderWindows(settings: StoreSettings): ReminderWindow[] {
  const windows: ReminderWindow[] = [];
  const timed = (days: number) => ({
    days,
    leadMs: days * DAY,
    untilMs: 0,
    expiringCard: false,
    afterPeriodStart: true,
  });
  const renewal = { kind: 'renewal_upcoming', statuses: ['active'] } as const;
  if (settings.renewalReminderDaysYearly)
    windows.push({ ...renewal, ...timed(settings.renewalReminderDaysYearly), plans: 'yearly' });
  if (settings.renewalReminderDaysMonthly)
    windows.push({ ...renewal, ...timed(settings.renewalReminderDaysMonthly), plans: 'shorter' });
  if (settings.trialEndingReminderDays)
    windows.push({
      kind: 'trial_ending',
      statuses: ['trial'],
      ...timed(settings.trialEndingReminderDays),
      plans: 'any',
    });
  if (settings.cardExpiryReminders) {
    CARD_EXPIRY_REMINDERS.forEach(({ kind, days }, i) =>
      windows.push({
        kind,
        days,
        leadMs: days * DAY,
        untilMs: (CARD_EXPIRY_REMINDERS[i + 1]?.days ?? 0) * DAY,
        statuses: ['trial', 'active'],
        plans: 'any',
        expiringCard: true,
        afterPeriodStart: false,
      }),
    );
  }
  return windows;
}

/** A plan billed once a year or less often. */
const yearlyPlan = or(
  eq(products.interval, 'year'),
  and(eq(products.interval, 'month'), gte(products.intervalCount, 12)),
  and(eq(products.interval, 'week'), gte(products.intervalCount, 52)),
  and(eq(products.interval, 'day'), gte(products.intervalCount, 365)),
)!;

const planCondition: Record<ReminderWindow['plans'], SQL | undefined> = {
  yearly: yearlyPlan,
  shorter: not(yearlyPlan),
  any: undefined,
};

/**
 * The store's subscriptions whose reminder of `window`'s kind is due at `now` and
 * has not been sent for their next charge, soonest charge first. Run it in the
 * transaction that sends them: what it selects is then what is sent, and the
 * reminder's unique key stops a second run (or process) from sending it again.
 */
export async function dueSubscriptionIds(
  db: DbOrTx,
  storeId: string,
  window: ReminderWindow,
  now: Date,
  limit: number,
  skip: readonly string[] = [],
): Promise<string[]> {
  const s = subscriptions;
  const at = now.getTime();
  const sent = db
    .select({ one: sql`1` })
    .from(subscriptionReminders)
    .where(
      and(
        eq(subscriptionReminders.subscriptionId, s.id),
        eq(subscriptionReminders.kind, window.kind),
        eq(subscriptionReminders.chargeAt, s.nextChargeAt),
      ),
    );
  return (
    await db
      .select({ id: s.id })
      .from(s)
      .innerJoin(products, eq(products.id, s.productId))
      .leftJoin(paymentMethods, eq(paymentMethods.id, s.paymentMethodId))
      .where(
        and(
          eq(s.storeId, storeId),
          gt(s.nextChargeAt, new Date(at + window.untilMs)),
          lte(s.nextChargeAt, new Date(at + window.leadMs)),
          inArray(s.status, [...window.statuses]),
          eq(s.autoRenew, true),
          isNull(s.pauseStartsAt),
          isNull(s.confirmationChargeId),
          window.afterPeriodStart ? sql`${s.nextChargeAt} - ${window.leadMs} > ${s.currentPeriodStart}` : undefined,
          planCondition[window.plans],
          window.expiringCard
            ? and(
                eq(paymentMethods.accountId, s.accountId),
                isNull(paymentMethods.removedAt),
                sql`${cardExpiresAtSql(db)} <= ${s.nextChargeAt}`,
              )
            : undefined,
          notExists(sent),
          skip.length > 0 ? notInArray(s.id, [...skip]) : undefined,
        ),
      )
      .orderBy(asc(s.nextChargeAt), asc(s.id))
      .limit(limit)
  ).map((row) => row.id);
}
