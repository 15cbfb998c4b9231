import { first } from '../../db/query';
import { randomInt } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { prepared } from '../../db/prepared';
import { orders, stores } from '../../db/schema';

/**
 * The store's next invoice sequence number: 1, 2, 3, … per store, without gaps and
 * without restarting in a new year. It is drawn in the transaction that records
 * the order, so a rolled-back order gives its number back, and SQLite's single
 * writer (transactions begin immediately) hands concurrent orders — in this
 * process or another — consecutive numbers.
 */
export async function nextInvoiceSequence(tx: Tx, storeId: string): Promise<number> {
  const row = await prepared(tx, 'store:next-invoice-number', (root) =>
    root
      .update(stores)
      .set({ lastInvoiceNumber: sql`${stores.lastInvoiceNumber} + 1` })
      .where(eq(stores.id, sql.placeholder('id')))
      .returning({ n: stores.lastInvoiceNumber })
      .prepare(),
  ).get({ id: storeId });
  return row!.n;
}

/**
 * An invoice number as printed: the store's prefix, the issue date's year (UTC) and
 * the sequence with at least six digits (`NW-2026-000123`). Since the sequence never
 * restarts, a number stays unique even when the prefix changes.
 */
export function formatInvoiceNumber(prefix: string, issuedAt: Date, sequence: number): string {
  return `${prefix}-${issuedAt.getUTCFullYear()}-${String(sequence).padStart(6, '0')}`;
}

/**
 * The store's next credit note sequence number: a gapless sequence of its own, apart
 * from the invoices', drawn in the transaction that records the refund.
 */
export async function nextCreditNoteSequence(tx: Tx, storeId: string): Promise<number> {
  const row = first(
    await tx
      .update(stores)
      .set({ lastCreditNoteNumber: sql`${stores.lastCreditNoteNumber} + 1` })
      .where(eq(stores.id, storeId))
      .returning({ n: stores.lastCreditNoteNumber }),
  );
  return row!.n;
}

/** A credit note number as printed: the invoice prefix, `CN`, the year and the sequence (`NW-CN-2026-000007`). */
export function formatCreditNoteNumber(prefix: string, issuedAt: Date, sequence: number): string {
  return formatInvoiceNumber(`${prefix}-CN`, issuedAt, sequence);
}

/** A new human-facing order reference, unique in the store (`NOR261121-4821-20573`). */
export async function generateReference(tx: Tx, storeId: string, at: Date): Promise<string> {
  const prefix = storeId
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 3)
    .toUpperCase();
  const date = at.toISOString().slice(2, 10).replaceAll('-', '');
  for (;;) {
    const reference = `${prefix}${date}-${randomInt(1000, 10_000)}-${randomInt(10_000, 100_000)}`;
    const taken = await prepared(tx, 'order:by-reference', (root) =>
      root
        .select({ id: orders.id })
        .from(orders)
        .where(and(eq(orders.storeId, sql.placeholder('storeId')), eq(orders.reference, sql.placeholder('reference'))))
        .prepare(),
    ).get({ storeId, reference });
    if (!taken) return reference;
  }
}
