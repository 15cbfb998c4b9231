/**
 * How a refund divides into the order's lines, and how much of it is tax. Pure,
 * exact integer arithmetic (BigInt for the products), every amount in minor units.
 *
 * Rounding rules, chosen so that refunds never exceed what was paid and a line
 * refunded in full (in any number of steps) gives back exactly its total and tax:
 *
 * - **By items.** Refunding `q` more of a line's `Q` units when `r` are already
 *   refunded gives back `⌊total·(r+q)/Q⌋ − ⌊total·r/Q⌋`: cumulative floors, so the
 *   last unit takes the remainder. Capped at what is left of the line (a refund by
 *   amount may have taken part of it).
 * - **By amount.** The amount is shared among the lines in proportion to what is
 *   left of each (largest remainder: every line gets the floor of its share, the
 *   minor units left over go one each to the lines with the largest remainders,
 *   earlier lines first on ties).
 * - **Tax.** A line's refunded tax is, cumulatively, `⌊tax·refunded/total⌋` of the
 *   line: a refund's tax is that figure after it minus before it. Tax is rounded
 *   down on partial refunds and comes out exact when the line is refunded in full.
 */

/** What a line paid and how much of it is already refunded (succeeded or pending refunds). */
export interface RefundableLine {
  itemId: string;
  quantity: number;
  /** What the line paid, tax included (subtotal − discount + tax). */
  total: number;
  tax: number;
  refundedQuantity: number;
  refundedTotal: number;
  refundedTax: number;
}

export type RefundRequest =
  | { kind: 'full' }
  | { kind: 'amount'; amount: number }
  | { kind: 'items'; items: { itemId: string; quantity?: number }[] };

/** One line's share of a refund. `quantity` is 0 when refunded by amount. */
export interface RefundShare {
  itemId: string;
  quantity: number;
  total: number;
  tax: number;
}

export type RefundSplit =
  | { ok: true; lines: RefundShare[]; total: number; tax: number }
  | {
      ok: false;
      reason: 'nothing_to_refund' | 'exceeds_refundable' | 'unknown_item' | 'exceeds_quantity' | 'duplicate_item';
      refundable: number;
      itemId?: string;
    };

const floorMulDiv = (a: number, b: number, c: number) => Number((BigInt(a) * BigInt(b)) / BigInt(c));

/** What is left to refund of a line, tax included. */
export const leftOf = (line: RefundableLine) => line.total - line.refundedTotal;

/** What is left to refund of the whole order, tax included. */
export const refundableTotal = (lines: RefundableLine[]) => lines.reduce((sum, line) => sum + leftOf(line), 0);

/** The tax part of giving back `share` more of a line (cumulative floor, see above). */
export function taxShare(line: RefundableLine, share: number): number {
  if (line.total <= 0 || share <= 0) return 0;
  const after =
    line.refundedTotal + share === line.total
      ? line.tax
      : floorMulDiv(line.tax, line.refundedTotal + share, line.total);
  return Math.min(share, line.tax - line.refundedTax, Math.max(0, after - line.refundedTax));
}

/** Divides a refund into the lines, or says why it cannot be made. */
export function splitRefund(lines: RefundableLine[], request: RefundRequest): RefundSplit {
  const refundable = refundableTotal(lines);
  if (refundable <= 0) return { ok: false, reason: 'nothing_to_refund', refundable: 0 };
  if (request.kind === 'full')
    return finish(lines.map((line) => [line, leftOf(line), line.quantity - line.refundedQuantity]));
  if (request.kind === 'amount') {
    if (request.amount > refundable) return { ok: false, reason: 'exceeds_refundable', refundable };
    return finish(byAmount(lines, request.amount, refundable).map((share, i) => [lines[i], share, 0]));
  }
  const shares: [RefundableLine, number, number][] = [];
  for (const wanted of request.items) {
    const line = lines.find((l) => l.itemId === wanted.itemId);
    if (!line) return { ok: false, reason: 'unknown_item', refundable, itemId: wanted.itemId };
    if (shares.some(([l]) => l === line))
      return { ok: false, reason: 'duplicate_item', refundable, itemId: wanted.itemId };
    const quantity = wanted.quantity ?? line.quantity - line.refundedQuantity;
    if (quantity < 1 || line.refundedQuantity + quantity > line.quantity) {
      return { ok: false, reason: 'exceeds_quantity', refundable, itemId: wanted.itemId };
    }
    const share =
      floorMulDiv(line.total, line.refundedQuantity + quantity, line.quantity) -
      floorMulDiv(line.total, line.refundedQuantity, line.quantity);
    shares.push([line, Math.min(share, leftOf(line)), quantity]);
  }
  const split = finish(shares);
  return split.ok && split.total === 0 ? { ok: false, reason: 'nothing_to_refund', refundable } : split;
}

/** Shares `amount` among the lines in proportion to what is left of each (largest remainder). */
function byAmount(lines: RefundableLine[], amount: number, refundable: number): number[] {
  const exact = lines.map((line) => BigInt(amount) * BigInt(leftOf(line)));
  const shares = exact.map((x) => Number(x / BigInt(refundable)));
  let leftover = amount - shares.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((x, i) => ({ i, rest: x % BigInt(refundable) }))
    .sort((a, b) => (a.rest === b.rest ? a.i - b.i : a.rest > b.rest ? -1 : 1));
  for (const { i, rest } of byRemainder) {
    if (leftover === 0) break;
    if (rest === 0n) continue;
    shares[i] += 1;
    leftover -= 1;
  }
  return shares;
}

function finish(shares: [RefundableLine, number, number][]): RefundSplit {
  const lines = shares
    .filter(([, total, quantity]) => total > 0 || quantity > 0)
    .map(([line, total, quantity]) => ({ itemId: line.itemId, quantity, total, tax: taxShare(line, total) }));
  return {
    ok: true,
    lines,
    total: lines.reduce((sum, l) => sum + l.total, 0),
    tax: lines.reduce((sum, l) => sum + l.tax, 0),
  };
}

/** A line after a refund share: what `splitRefund` must see for the next refund. */
export function applyShare(line: RefundableLine, share: RefundShare | undefined): RefundableLine {
  if (!share) return line;
  return {
    ...line,
    refundedQuantity: line.refundedQuantity + share.quantity,
    refundedTotal: line.refundedTotal + share.total,
    refundedTax: line.refundedTax + share.tax,
  };
}
