/**
 * How invoice and credit note numbers are printed. Both sequences are gapless per
 * store (counters on the store row); the year is the document's issue year (UTC)
 * and only labels the number, the sequence does not restart with it.
 */

const sequence = (n: number) => String(n).padStart(6, '0');

/** `NW-2026-000123`. */
export function formatInvoiceNumber(prefix: string, issuedAt: Date, n: number): string {
  return `${prefix}-${issuedAt.getUTCFullYear()}-${sequence(n)}`;
}

/** `NW-CN-2026-000007`: the invoice prefix, `CN`, the year and the credit note sequence. */
export function formatCreditNoteNumber(prefix: string, issuedAt: Date, n: number): string {
  return `${prefix}-CN-${issuedAt.getUTCFullYear()}-${sequence(n)}`;
}
