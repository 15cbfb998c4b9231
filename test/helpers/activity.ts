import assert from 'node:assert/strict';
import { accountActivity, events } from '../../server/db/schema';
import type { ActivityView } from '../../server/schemas/activity';
import { json, type TestContext, type TestStore } from './app';

/** An account's activity log as the merchant reads it, oldest first. */
export async function activityOf(t: TestContext, accountId: string, store?: TestStore): Promise<ActivityView[]> {
  const response = await t.api('GET', `/api/accounts/${accountId}/activity?limit=100`, undefined, { store });
  assert.equal(response.status, 200, await response.clone().text());
  return ((await json(response)).data as ActivityView[]).reverse();
}

/** `kind by actor` of each entry, for comparing what was recorded. */
export const kindsOf = (entries: ActivityView[]) => entries.map((e) => `${e.kind} by ${e.actor}`);

/**
 * What `action` added to the account's activity log, oldest first: run it between
 * two reads of the log.
 */
export async function recordedBy(t: TestContext, accountId: string, action: () => unknown): Promise<ActivityView[]> {
  const before = new Set((await activityOf(t, accountId)).map((e) => e.id));
  await action();
  return (await activityOf(t, accountId)).filter((e) => !before.has(e.id));
}

/** The webhook events that announce a change of an account, its subscriptions or payment methods. */
const changeEvent = /^(account|subscription|payment_method)\.(?!charge\.)/;

/**
 * Every webhook event that announces a change to an account, a subscription or a
 * payment method has an activity entry for the same account written at the same
 * time (both are written in the change's transaction, which reads the clock once).
 * Charge events are left out: they accompany a renewal's entry, and a declined
 * payment the customer tried changes nothing.
 */
export async function assertEveryChangeIsInTheActivityLog(t: TestContext): Promise<void> {
  const logged = new Set(
    (await t.db.select().from(accountActivity)).map((row) => `${row.storeId} ${row.accountId} ${row.at.getTime()}`),
  );
  const missing = (await t.db.select().from(events))
    .filter((event) => changeEvent.test(event.type))
    .filter((event) => {
      const data = (JSON.parse(event.payload) as { data: { id: string; accountId?: string } }).data;
      const accountId = event.type.startsWith('account.') ? data.id : data.accountId;
      return !logged.has(`${event.storeId} ${accountId} ${event.createdAt.getTime()}`);
    })
    .map((event) => `${event.type} at ${event.createdAt.toISOString()}`);
  assert.deepEqual(missing, [], 'changes announced to the merchant without an activity entry');
}
