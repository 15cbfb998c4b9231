import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  applyShare,
  leftOf,
  refundableTotal,
  splitRefund,
  type RefundableLine,
  type RefundRequest,
} from '../../server/lib/refund-split';

/** An order line as intake stores it: total = quantity × unitPrice − discount + tax. */
const line = fc
  .record({
    quantity: fc.integer({ min: 1, max: 20 }),
    unitPrice: fc.integer({ min: 0, max: 5_000_000 }),
    discountPct: fc.integer({ min: 0, max: 100 }),
    taxPct: fc.integer({ min: 0, max: 30 }),
  })
  .map(({ quantity, unitPrice, discountPct, taxPct }): Omit<RefundableLine, 'itemId'> => {
    const net = quantity * unitPrice - Math.floor((quantity * unitPrice * discountPct) / 100);
    const tax = Math.floor((net * taxPct) / 100);
    return { quantity, total: net + tax, tax, refundedQuantity: 0, refundedTotal: 0, refundedTax: 0 };
  });

const order = fc
  .array(line, { minLength: 1, maxLength: 5 })
  .map((lines) => lines.map((l, i) => ({ ...l, itemId: `oit_${i}` })));

/** A refund request against the lines: by amount (any size, some too big), by items, or full. */
const request = (lines: RefundableLine[]): fc.Arbitrary<RefundRequest> =>
  fc.oneof(
    fc.constant<RefundRequest>({ kind: 'full' }),
    fc
      .integer({ min: 1, max: Math.max(1, refundableTotal(lines) + 50) })
      .map((amount): RefundRequest => ({ kind: 'amount', amount })),
    fc
      .subarray(lines, { minLength: 1 })
      .chain((picked) =>
        fc.tuple(
          ...picked.map((l) =>
            fc
              .option(fc.integer({ min: 1, max: l.quantity }), { nil: undefined })
              .map((quantity) => ({ itemId: l.itemId, quantity })),
          ),
        ),
      )
      .map((items): RefundRequest => ({ kind: 'items', items })),
  );

/** Runs a sequence of refunds, keeping those that were accepted, as the service does. */
function refundMany(lines: RefundableLine[], requests: RefundRequest[]) {
  let current = lines;
  for (const req of requests) {
    const split = splitRefund(current, req);
    if (!split.ok) continue;
    current = current.map((l) =>
      applyShare(
        l,
        split.lines.find((s) => s.itemId === l.itemId),
      ),
    );
    assert.equal(
      split.total,
      split.lines.reduce((s, l) => s + l.total, 0),
    );
    assert.ok(split.lines.every((s) => s.total >= 0 && s.tax >= 0 && s.tax <= s.total));
  }
  return current;
}

describe('splitRefund (property tests)', () => {
  test('refunds by amount and by items never exceed what each line (and the order) paid, tax included', () => {
    fc.assert(
      fc.property(
        order.chain((lines) => fc.tuple(fc.constant(lines), fc.array(request(lines), { maxLength: 8 }))),
        ([lines, requests]) => {
          const after = refundMany(lines, requests);
          for (const [i, l] of after.entries()) {
            assert.ok(l.refundedTotal <= lines[i].total, `line ${i}: ${l.refundedTotal} > ${lines[i].total}`);
            assert.ok(l.refundedTax <= lines[i].tax, `line ${i} tax: ${l.refundedTax} > ${lines[i].tax}`);
            assert.ok(l.refundedQuantity <= lines[i].quantity);
            assert.ok(l.refundedTax >= 0 && l.refundedTotal >= 0);
          }
        },
      ),
    );
  });

  test('a full refund after any partial ones gives back exactly the rest, tax included', () => {
    fc.assert(
      fc.property(
        order.chain((lines) => fc.tuple(fc.constant(lines), fc.array(request(lines), { maxLength: 6 }))),
        ([lines, requests]) => {
          const after = refundMany(lines, [...requests, { kind: 'full' }]);
          for (const [i, l] of after.entries()) {
            assert.equal(l.refundedTotal, lines[i].total);
            assert.equal(l.refundedTax, lines[i].tax);
          }
          assert.equal(refundableTotal(after), 0);
        },
      ),
    );
  });

  test('an amount is refunded exactly, and more than is left is refused', () => {
    fc.assert(
      fc.property(order, fc.integer({ min: 1, max: 20_000_000 }), (lines, amount) => {
        const split = splitRefund(lines, { kind: 'amount', amount });
        const left = refundableTotal(lines);
        if (left === 0) return assert.equal(split.ok, false);
        if (amount > left)
          return assert.deepEqual(split, { ok: false, reason: 'exceeds_refundable', refundable: left });
        assert.ok(split.ok);
        assert.equal(split.total, amount);
        for (const share of split.lines)
          assert.ok(share.total <= leftOf(lines.find((l) => l.itemId === share.itemId)!));
      }),
    );
  });

  test('refunding a line unit by unit gives back its total and tax exactly', () => {
    fc.assert(
      fc.property(line, (l) => {
        fc.pre(l.total >= l.quantity); // each unit worth at least a minor unit; a refund of nothing is refused
        const lines = [{ ...l, itemId: 'oit_a' }];
        const after = refundMany(
          lines,
          Array.from({ length: l.quantity }, () => ({ kind: 'items', items: [{ itemId: 'oit_a', quantity: 1 }] })),
        );
        assert.equal(after[0].refundedQuantity, l.quantity);
        assert.equal(after[0].refundedTotal, l.total);
        assert.equal(after[0].refundedTax, l.tax);
      }),
    );
  });
});

describe('splitRefund', () => {
  const lines: RefundableLine[] = [
    { itemId: 'a', quantity: 3, total: 1000, tax: 190, refundedQuantity: 0, refundedTotal: 0, refundedTax: 0 },
    { itemId: 'b', quantity: 1, total: 500, tax: 0, refundedQuantity: 0, refundedTotal: 0, refundedTax: 0 },
  ];

  test('one unit of three takes the floor of a third, tax rounded down', () => {
    const split = splitRefund(lines, { kind: 'items', items: [{ itemId: 'a', quantity: 1 }] });
    assert.deepEqual(split, {
      ok: true,
      lines: [{ itemId: 'a', quantity: 1, total: 333, tax: 63 }],
      total: 333,
      tax: 63,
    });
  });

  test('an amount is shared in proportion to what is left of each line', () => {
    const split = splitRefund(lines, { kind: 'amount', amount: 301 });
    assert.ok(split.ok);
    assert.deepEqual(
      split.lines.map((l) => l.total),
      [201, 100],
    );
  });

  test('too many units, an unknown item and a line named twice are refused', () => {
    assert.equal(
      (splitRefund(lines, { kind: 'items', items: [{ itemId: 'a', quantity: 4 }] }) as { reason: string }).reason,
      'exceeds_quantity',
    );
    assert.equal(
      (splitRefund(lines, { kind: 'items', items: [{ itemId: 'z' }] }) as { reason: string }).reason,
      'unknown_item',
    );
    assert.equal(
      (splitRefund(lines, { kind: 'items', items: [{ itemId: 'a' }, { itemId: 'a' }] }) as { reason: string }).reason,
      'duplicate_item',
    );
  });
});
