import { and, eq, isNull } from 'drizzle-orm';
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
export function revokeFulfilment(
  deps: Pick<Deps, 'db' | 'clock'>,
  storeId: string,
  orderId: string,
  fulfilmentId: string,
): OrderView {
  return deps.db.transaction((tx) => {
    getOrderView(tx, storeId, orderId);
    const match = and(
      eq(fulfilments.storeId, storeId),
      eq(fulfilments.orderId, orderId),
      eq(fulfilments.id, fulfilmentId),
    );
    if (!tx.select({ id: fulfilments.id }).from(fulfilments).where(match).get())
      throw notFound('Fulfilment', { fulfilmentId });
    tx.update(fulfilments)
      .set({ revokedAt: deps.clock.now() })
      .where(and(match, isNull(fulfilments.revokedAt)))
      .run();
    return getOrderView(tx, storeId, orderId);
  });
}
