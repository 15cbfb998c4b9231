import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { minorUnitDigits, PPM, taxOn } from '../../server/lib/money';
import { periodSeconds, prorate, secondsRemaining, upgradeCharge } from '../../server/lib/proration';

const MONTH_SECONDS = 30 * 86_400;
const start = new Date('2026-03-01T00:00:00Z');
const end = new Date('2026-04-01T00:00:00Z');

/** An independent reference: exact rational arithmetic, then round half up. */
function reference(amount: number, remaining: number, period: number): bigint {
  const numerator = BigInt(amount) * BigInt(Math.min(remaining, period));
  const denominator = BigInt(period);
  const whole = numerator / denominator;
  return (numerator % denominator) * 2n >= denominator ? whole + 1n : whole;
}

const prices = fc.integer({ min: 0, max: 50_000_000 });
const rates = fc.integer({ min: 0, max: 300_000 }); // 0–30 % in ppm

describe('proration (property tests)', () => {
  test('is never negative and never more than the full difference for a whole period', () => {
    fc.assert(
      fc.property(prices, prices, rates, fc.integer({ min: 0, max: MONTH_SECONDS + 86_400 }), (a, b, rate, elapsed) => {
        const [currentNet, newNet] = a <= b ? [a, b] : [b, a];
        const now = new Date(start.getTime() + elapsed * 1000);
        const charge = upgradeCharge({ currentNet, newNet, taxRatePpm: rate, periodStart: start, periodEnd: end, now });
        const full = newNet - currentNet;
        assert.ok(charge.amount >= 0 && charge.tax >= 0);
        assert.ok(charge.amount <= full, `${charge.amount} > ${full}`);
        assert.ok(charge.total <= full + taxOn(full, rate));
        assert.equal(charge.total, charge.amount + charge.tax);
      }),
    );
  });

  test('a downgrade (a negative difference) is never a charge', () => {
    fc.assert(
      fc.property(prices, prices, fc.integer({ min: 0, max: MONTH_SECONDS }), (a, b, elapsed) => {
        fc.pre(b < a);
        const now = new Date(start.getTime() + elapsed * 1000);
        assert.equal(
          upgradeCharge({ currentNet: a, newNet: b, taxRatePpm: 190_000, periodStart: start, periodEnd: end, now })
            .total,
          0,
        );
      }),
    );
  });

  test("is zero in the period's last second and after it", () => {
    fc.assert(
      fc.property(
        prices,
        prices,
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: 0, max: 10 * 86_400 }),
        (a, b, ms, after) => {
          const [currentNet, newNet] = a <= b ? [a, b] : [b, a];
          for (const now of [new Date(end.getTime() - 1000 + ms), new Date(end.getTime() + after * 1000)]) {
            assert.equal(
              upgradeCharge({ currentNet, newNet, taxRatePpm: 190_000, periodStart: start, periodEnd: end, now }).total,
              0,
            );
          }
        },
      ),
    );
  });

  test("is all but one second's worth of the difference at the period's first second", () => {
    fc.assert(
      fc.property(prices, prices, (a, b) => {
        const [currentNet, newNet] = a <= b ? [a, b] : [b, a];
        const period = periodSeconds(start, end);
        const { amount } = upgradeCharge({
          currentNet,
          newNet,
          taxRatePpm: 0,
          periodStart: start,
          periodEnd: end,
          now: start,
        });
        assert.equal(BigInt(amount), reference(newNet - currentNet, period - 1, period));
      }),
    );
  });

  test('matches exact rational arithmetic rounded half up, by whole seconds remaining', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000_000_000 }),
        fc.integer({ min: 1, max: 400 * 86_400 }),
        fc.integer({ min: 0, max: 400 * 86_400 }),
        (amount, period, remaining) => {
          assert.equal(BigInt(prorate(amount, remaining, period)), reference(amount, remaining, period));
        },
      ),
    );
  });

  test('is whole minor units in currencies with 0, 2 and 3 decimals, within half a unit of the exact value', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('JPY', 'KRW', 'USD', 'EUR', 'KWD', 'BHD'),
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 0, max: MONTH_SECONDS }),
        (currency, major, extra, elapsed) => {
          const digits = minorUnitDigits(currency);
          const unit = 10 ** digits;
          // Prices as a shop would set them in that currency: whole yen, cents, fils.
          const currentNet = major * unit;
          const newNet = currentNet + extra * unit + (digits > 0 ? extra % unit : 0);
          const now = new Date(start.getTime() + elapsed * 1000);
          const { amount } = upgradeCharge({
            currentNet,
            newNet,
            taxRatePpm: 0,
            periodStart: start,
            periodEnd: end,
            now,
          });
          assert.ok(Number.isInteger(amount));
          const exact = ((newNet - currentNet) * secondsRemaining(end, now)) / periodSeconds(start, end);
          assert.ok(Math.abs(amount - exact) <= 0.5 + 1e-9, `${currency}: ${amount} vs ${exact}`);
        },
      ),
    );
  });
});

describe('proration examples', () => {
  test('half a 30-day month of a $10 difference is $5.00, with 19 % tax $5.95', () => {
    const charge = upgradeCharge({
      currentNet: 1900,
      newNet: 2900,
      taxRatePpm: 190_000,
      periodStart: new Date('2026-04-01T00:00:00Z'),
      periodEnd: new Date('2026-05-01T00:00:00Z'),
      now: new Date('2026-04-16T00:00:00Z'),
    });
    assert.deepEqual(charge, { amount: 500, tax: 95, total: 595 });
  });

  test('rounds half up: one third of 100 is 33, two thirds 67', () => {
    assert.equal(prorate(100, 1, 3), 33);
    assert.equal(prorate(100, 2, 3), 67);
    assert.equal(prorate(1, 1, 2), 1);
    assert.equal(PPM, 1_000_000);
  });
});
