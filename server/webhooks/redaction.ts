import { affected } from '../db/query';
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { jsonObject, jsonValue, jsonWith } from '../db/portable-sql';
import { events } from '../db/schema';

/** The value at a path of an event's payload (`data.id`). */
const at = (tx: Tx, path: string) => jsonValue(tx, events.payload, path.split('.'));

/**
 * Takes an erased account's personal data out of the stored events, in the caller's
 * transaction. Every event about the account — `account.*` for it, the `order.*`,
 * `subscription.*` and `payment_method.*` events of its orders, subscriptions and
 * methods — keeps its type and time, but its `data` becomes
 * `{ id, accountId, redacted: true }` (`id`: the object's). A gift it received keeps
 * the purchaser's order with the recipient anonymised (`email` the placeholder, no
 * names) and without the gift's message. Deliveries still pending send the redacted
 * body. Returns how many events changed.
 */
export async function redactAccountEvents(
  tx: Tx,
  storeId: string,
  accountId: string,
  placeholder: string,
): Promise<number> {
  const about = sql`(
    (${events.type} like 'account.%' and ${at(tx, 'data.id')} = ${accountId})
    or ${at(tx, 'data.accountId')} = ${accountId}
    or ${at(tx, 'data.order.accountId')} = ${accountId}
    or ${at(tx, 'data.subscription.accountId')} = ${accountId})`;
  const objectId = sql`coalesce(${at(tx, 'data.id')}, ${at(tx, 'data.order.id')}, ${at(tx, 'data.subscription.id')})`;
  let changed = affected(
    await tx
      .update(events)
      .set({
        payload: jsonWith(tx, events.payload, [
          [['data'], jsonObject(tx, { id: objectId, accountId, redacted: true })],
        ]),
      })
      .where(and(eq(events.storeId, storeId), about)),
  );
  for (const gift of [
    ['data', 'gift'],
    ['data', 'order', 'gift'],
  ]) {
    const recipient = jsonObject(tx, { accountId, email: placeholder, firstName: null, lastName: null });
    changed += affected(
      await tx
        .update(events)
        .set({
          payload: jsonWith(tx, events.payload, [
            [[...gift, 'recipient'], recipient],
            [[...gift, 'message'], null],
          ]),
        })
        .where(
          and(
            eq(events.storeId, storeId),
            sql`${at(tx, [...gift, 'recipient', 'accountId'].join('.'))} = ${accountId}`,
          ),
        ),
    );
  }
  return changed;
}
