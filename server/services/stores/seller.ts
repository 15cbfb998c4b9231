import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { stores, type StoreRow } from '../../db/schema';
import type { Clock } from '../../lib/clock';
import { invalid } from '../../lib/errors';
import { emptySellerDetails, missingSellerFields, sellerDetailsSchema, type SellerDetails } from '../../lib/seller';
import { getStore } from './stores';

/** A store's seller details as the merchant sees them, with the required fields still missing. */
export interface SellerView extends SellerDetails {
  missing: string[];
}

export function toSellerView(store: Pick<StoreRow, 'seller'>): SellerView {
  const seller = { ...emptySellerDetails, ...store.seller };
  return { ...seller, missing: missingSellerFields(seller) };
}

/**
 * Changes a store's seller details: `replace` sets them as a whole (the Server
 * API's PUT), otherwise the given fields are merged over the stored ones (the
 * CLI); `null` clears a field. Issued invoices keep the details they were issued with.
 */
export async function setSellerDetails(
  db: Db,
  clock: Clock,
  storeId: string,
  input: Partial<SellerDetails>,
  mode: 'replace' | 'merge',
): Promise<SellerView> {
  return await db.transaction(async (tx) => {
    const store = await getStore(tx, storeId);
    const base = mode === 'merge' ? { ...emptySellerDetails, ...store.seller } : {};
    const parsed = sellerDetailsSchema.safeParse({ ...base, ...input });
    if (!parsed.success) {
      throw invalid(
        'The seller details are invalid.',
        parsed.error.issues.map((issue) => ({
          field: issue.path.join('.'),
          code: issue.code,
          message: issue.message,
        })),
      );
    }
    await tx.update(stores).set({ seller: parsed.data, updatedAt: clock.now() }).where(eq(stores.id, storeId));
    return toSellerView({ seller: parsed.data });
  });
}
