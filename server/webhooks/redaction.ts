import { affected } from '../db/query';
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { events } from '../db/schema';

const at = (path: string) => sql`json_extract(${events.payload}, ${path})`;

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
    (${events.type} like 'account.%' and ${at('$.data.id')} = ${accountId})
    or ${at('$.data.accountId')} = ${accountId}
    or ${at('$.data.order.accountId')} = ${accountId}
    or ${at('$.data.subscription.accountId')} = ${accountId})`;
  const objectId = sql`coalesce(${at('$.data.id')}, ${at('$.data.order.id')}, ${at('$.data.subscription.id')})`;
  let changed = affected(
    await tx
      .update(events)
      .set({
        payload: sql`json_set(${events.payload}, '$.data', json_object('id', ${objectId}, 'accountId', ${accountId}, 'redacted', json('true')))`,
      })
      .where(and(eq(events.storeId, storeId), about)),
  );
  for (const gift of ['$.data.gift', '$.data.order.gift']) {
    const recipient = sql`json_object('accountId', ${accountId}, 'email', ${placeholder}, 'firstName', null, 'lastName', null)`;
    changed += affected(
      await tx
        .update(events)
        .set({
          payload: sql`json_set(${events.payload}, ${`${gift}.recipient`}, ${recipient}, ${`${gift}.message`}, null)`,
        })
        .where(and(eq(events.storeId, storeId), sql`${at(`${gift}.recipient.accountId`)} = ${accountId}`)),
    );
  }
  return changed;
}
