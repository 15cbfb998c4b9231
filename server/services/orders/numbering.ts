import { randomInt } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { orders, stores } from '../../db/schema';

/** The store's next invoice number: invoices are numbered per store, without gaps. */
export function nextInvoiceNumber(tx: Tx, storeId: string): number {
  const row = tx.update(stores).set({ lastInvoiceNumber: sql`${stores.lastInvoiceNumber} + 1` })
    .where(eq(stores.id, storeId)).returning({ n: stores.lastInvoiceNumber }).get();
  return row!.n;
}

/** A new human-facing order reference, unique in the store (`NOR261121-4821-20573`). */
export function generateReference(tx: Tx, storeId: string, at: Date): string {
  const prefix = storeId.replace(/[^a-z0-9]/g, '').slice(0, 3).toUpperCase();
  const date = at.toISOString().slice(2, 10).replaceAll('-', '');
  for (;;) {
    const reference = `${prefix}${date}-${randomInt(1000, 10_000)}-${randomInt(10_000, 100_000)}`;
    const taken = tx.select({ id: orders.id }).from(orders)
      .where(and(eq(orders.storeId, storeId), eq(orders.reference, reference))).get();
    if (!taken) return reference;
  }
}
