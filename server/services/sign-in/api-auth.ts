import type { Db, DbOrTx } from '../../db/client';
import type { StoreRow } from '../../db/schema';
import type { Observer } from '../../lib/observer';
import { authenticateStore } from '../stores';
import { limits } from './limits';
import { assertWithinLimits, recordHits } from './rate-limits';

/** A Server API caller's credentials and where the request came from. */
export interface ApiCaller {
  user: string;
  password: string;
  ip: string;
}

/**
 * The store whose Server API credentials the caller sent, or undefined. Failures are
 * limited: 30 per address in 10 minutes, and once an API user has had 100 in 10
 * minutes, addresses that failed for it are refused too (429 with `Retry-After`),
 * while addresses with no failure of their own — the merchant's backend — go on.
 * A failure is checked against the limits and counted in one transaction, so parallel
 * failures are counted one after another (on PostgreSQL as on SQLite); the right
 * credentials are only checked against them, a read.
 */
export async function authenticateApiCaller(
  db: Db,
  caller: ApiCaller,
  now: Date,
  observer: Observer,
): Promise<StoreRow | undefined> {
  const address = limits.apiAuthAddress(caller.ip);
  const user = limits.apiAuthUser(caller.user);
  // One look at the address's failures: over its limit is a 429; any failure at all puts it under the user's limit too.
  const assertWithin = async (db: DbOrTx) => {
    if (await assertWithinLimits(db, [address], now, observer)) await assertWithinLimits(db, [user], now, observer);
  };
  const store = await authenticateStore(db, caller.user, caller.password);
  if (store) {
    await assertWithin(db);
    return store;
  }
  await db.transaction(async (tx) => {
    await assertWithin(tx);
    await recordHits(tx, [address, user], now);
  });
  return undefined;
}
