import { affected, first } from '../../db/query';
import { and, eq, inArray, isNull, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { fulfilments } from '../../db/schema';
import type { Deps } from '../../deps';
import { notFound } from '../../lib/errors';
import type { OrderView } from '../../schemas/orders';
import { getOrderView } from './merchant-view';

/**
 * Revokes one fulfilment of an order (a refund, a chargeback, a licence taken
 * back): from now on it gives no download links, live links stop working, and
 * the portal shows it as revoked. Revoking again changes nothing (the first time
 * stays). Returns the order as the merchant sees it.
 */
export async function revokeFulfilment(
  deps: Pick<Deps, 'db' | 'clock'>,
  storeId: string,
  orderId: string,
  fulfilmentId: string,
): Promise<OrderView> {
  return await deps.db.transaction(async (tx) => {
    await getOrderView(tx, storeId, orderId);
    const match = and(
      eq(fulfilments.storeId, storeId),
      eq(fulfilments.orderId, orderId),
      eq(fulfilments.id, fulfilmentId),
    );
    if (!first(await tx.select({ id: fulfilments.id }).from(fulfilments).where(match)))
      throw notFound('Fulfilment', { fulfilmentId });
    await markRevoked(tx, match!, deps.clock.now());
    return await getOrderView(tx, storeId, orderId);
  });
}

/**
 * Revokes an order's licence keys and downloads at once, as a full refund does
 * (unless the merchant said `revokeFulfilment: false`); returns how many were
 * revoked now. The same rule as `revokeFulfilment`.
 */
export async function revokeOrderFulfilments(db: DbOrTx, storeId: string, orderId: string, now: Date): Promise<number> {
  return await markRevoked(
    db,
    and(
      eq(fulfilments.storeId, storeId),
      eq(fulfilments.orderId, orderId),
      inArray(fulfilments.type, ['license_key', 'download']),
    )!,
    now,
  );
}

/** The one place a fulfilment is revoked: `revokedAt` is set once (the first time stays). */
async function markRevoked(db: DbOrTx, match: SQL, now: Date): Promise<number> {
  return affected(
    await db
      .update(fulfilments)
      .set({ revokedAt: now })
      .where(and(match, isNull(fulfilments.revokedAt))),
  );
}
