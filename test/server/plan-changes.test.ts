import { first } from '../../server/db/query';
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { invoices, orders, planChangeQuotes } from '../../server/db/schema';
import { DAY, MINUTE, SECOND } from '../../server/lib/clock';
import { GatewayUnavailableError } from '../../server/payments/gateway';
import { createTestContext, json, type TestContext } from '../helpers/app';
import { latestEmail, portal } from '../helpers/portal';
import {
  chargeCounts,
  eventsOf,
  overrideGateway,
  startSubscription,
  subscribedCustomer,
  subscriptionRow,
} from '../helpers/subscriptions';

let t: TestContext;
beforeEach(async () => {
  t = await createTestContext();
});

/** The period of a subscription started at the fake clock's start: 15 Jan 12:00 → 15 Feb 12:00 UTC (31 days). */
const PERIOD_END = '2026-02-15T12:00:00.000Z';

async function preview(call: (m: string, p: string, b?: unknown) => Promise<Response>, body: unknown) {
  const response = await call('POST', '/change-preview', body);
  assert.equal(response.status, 201, await response.clone().text());
  return json(response);
}

async function confirm(call: (m: string, p: string, b?: unknown) => Promise<Response>, quoteId: string) {
  const response = await call('POST', '/change', { quoteId });
  assert.equal(response.status, 200, await response.clone().text());
  return json(response);
}

describe('GET /portal/{store}/subscriptions/{id}/plans', () => {
  test("offers the visible plans of the family priced in the subscription's currency, the current one flagged", async () => {
    const s = await subscribedCustomer(t);
    const hidden = await t.api('POST', '/api/products', {
      key: 'pro-secret',
      name: 'Pro (hidden)',
      kind: 'subscription',
      interval: 'month',
      prices: { USD: 100 },
      family: 'studio',
      hidden: true,
    });
    assert.equal(hidden.status, 201);
    const otherFamily = await t.api('POST', '/api/products', {
      key: 'other-family',
      name: 'Other',
      kind: 'subscription',
      interval: 'month',
      prices: { USD: 100 },
      family: 'other',
    });
    assert.equal(otherFamily.status, 201);
    const response = await s.call('GET', '/plans');
    assert.equal(response.status, 200);
    const { data } = await json(response);
    assert.deepEqual(
      data.map((p: any) => [p.key, p.current, p.change, p.unitPrice, p.recurringTotal]),
      [
        ['basic-monthly', false, 'downgrade', 900, 1071],
        ['pro-monthly', true, null, 1900, 2261],
        ['pro-yearly', false, 'upgrade', 19000, 22610],
      ],
    );
  });

  test('respects switchableTo and the currency (no EUR price, not offered)', async () => {
    const s = await subscribedCustomer(t, { currency: 'EUR', unitPrice: 1700 });
    let keys = (await json(await s.call('GET', '/plans'))).data.map((p: any) => p.key);
    assert.deepEqual(keys, ['basic-monthly', 'pro-monthly'], 'pro-yearly has no EUR price');
    assert.equal((await t.api('PATCH', '/api/products/pro-monthly', { switchableTo: [] })).status, 200);
    keys = (await json(await s.call('GET', '/plans'))).data.map((p: any) => p.key);
    assert.deepEqual(keys, ['pro-monthly']);
    const refused = await s.call('POST', '/change-preview', { planId: 'basic-monthly' });
    assert.equal(refused.status, 422);
    assert.equal((await json(refused)).error.code, 'plan_not_available');
  });

  test('prices every plan at ?quantity= with the tax and total a quote would say: tax on the whole period, rounded once', async () => {
    const s = await subscribedCustomer(t, { taxRate: 0.075 });
    const response = await s.call('GET', '/plans?quantity=3');
    assert.equal(response.status, 200);
    const body = await json(response);
    assert.equal(body.quantity, 3);
    const byKey = Object.fromEntries(body.data.map((p: any) => [p.key, p]));
    // 3 × 900 at 7.5 % is 202.5, rounded half away from zero to 203 (three times the rounded 67.5 would be 204).
    assert.deepEqual(byKey['basic-monthly'].recurring, { amount: 2700, tax: 203, total: 2903 });
    assert.equal(byKey['basic-monthly'].recurringTotal, 2903);
    assert.deepEqual(byKey['pro-monthly'].recurring, { amount: 5700, tax: 428, total: 6128 });
    assert.deepEqual(
      [byKey['pro-monthly'].current, byKey['pro-monthly'].change],
      [true, 'upgrade'],
      'more of the same plan is an upgrade',
    );
    const quote = await preview(s.call, { planId: 'basic-monthly', quantity: 3 });
    assert.deepEqual(quote.recurring, byKey['basic-monthly'].recurring);
  });

  test('without ?quantity= prices at the current quantity; a quantity the contract does not allow is a 422', async () => {
    const s = await subscribedCustomer(t, { quantity: 2 });
    const body = await json(await s.call('GET', '/plans'));
    assert.equal(body.quantity, 2);
    const pro = body.data.find((p: any) => p.current);
    assert.deepEqual([pro.change, pro.recurring], [null, { amount: 3800, tax: 722, total: 4522 }]);
    for (const quantity of ['0', '10001', 'two']) {
      const refused = await s.call('GET', `/plans?quantity=${quantity}`);
      assert.equal(refused.status, 422, quantity);
      assert.equal((await json(refused)).error.code, 'validation_failed');
    }
  });
});

describe('POST /portal/{store}/subscriptions/{id}/change-preview', () => {
  test("USD: an upgrade costs the price difference for the seconds left, tax at the subscription's rate", async () => {
    const s = await subscribedCustomer(t, { product: 'basic-monthly', unitPrice: 900 });
    t.clock.advance(10 * DAY);
    const quote = await preview(s.call, { planId: 'pro-monthly' });
    // (1900 − 900) × 1 814 399 s left ÷ 2 678 400 s = 677.42 → 677; tax 19 % = 128.63 → 129.
    assert.equal(quote.kind, 'upgrade');
    assert.deepEqual(quote.charge, { amount: 677, tax: 129, total: 806 });
    assert.deepEqual(quote.recurring, { amount: 1900, tax: 361, total: 2261 });
    assert.equal(quote.effectiveAt, t.clock.now().toISOString());
    assert.equal(quote.nextChargeAt, PERIOD_END);
    assert.equal(quote.restartsPeriod, false);
    assert.equal(quote.expiresAt, new Date(t.clock.now().getTime() + 10 * MINUTE).toISOString());
    assert.equal(
      first(await t.db.select().from(planChangeQuotes).where(eq(planChangeQuotes.id, quote.id)))?.chargeTotal,
      806,
    );
  });

  test('JPY (no minor digits): rounds to whole yen', async () => {
    const s = await subscribedCustomer(t, { product: 'basic-monthly', currency: 'JPY', unitPrice: 1200, taxRate: 0.1 });
    t.clock.advance(10 * DAY);
    const quote = await preview(s.call, { planId: 'pro-monthly' });
    // 1300 × 1 814 399 ÷ 2 678 400 = 880.65 → 881 yen; tax 10 % = 88.1 → 88.
    assert.deepEqual(quote.charge, { amount: 881, tax: 88, total: 969 });
    assert.deepEqual(quote.recurring, { amount: 2500, tax: 250, total: 2750 });
  });

  test('KWD (three minor digits): rounds to whole fils', async () => {
    assert.equal(
      (
        await t.api('POST', '/api/products', {
          key: 'kw-basic',
          name: 'Basic',
          kind: 'subscription',
          interval: 'month',
          prices: { KWD: 4500 },
          family: 'kw',
        })
      ).status,
      201,
    );
    assert.equal(
      (
        await t.api('POST', '/api/products', {
          key: 'kw-pro',
          name: 'Pro',
          kind: 'subscription',
          interval: 'month',
          prices: { KWD: 9750 },
          family: 'kw',
        })
      ).status,
      201,
    );
    const s = await subscribedCustomer(t, { product: 'kw-basic', currency: 'KWD', unitPrice: 4500, taxRate: 0.05 });
    t.clock.advance(7 * DAY + 3723 * SECOND);
    const quote = await preview(s.call, { planId: 'kw-pro' });
    // 5250 × 2 069 876 s ÷ 2 678 400 s = 4057.26 → 4.057 KWD; tax 5 % = 202.85 → 0.203 KWD.
    assert.deepEqual(quote.charge, { amount: 4057, tax: 203, total: 4260 });
  });

  test('a longer interval is an upgrade: the full new price less the unused part of this period, a new period from now', async () => {
    const s = await subscribedCustomer(t);
    t.clock.advance(10 * DAY);
    const quote = await preview(s.call, { planId: 'pro-yearly' });
    // Unused: 1900 × 1 814 399 ÷ 2 678 400 = 1287.09 → 1287; 19000 − 1287 = 17713; tax 3365.47 → 3365.
    assert.equal(quote.kind, 'upgrade');
    assert.deepEqual(quote.charge, { amount: 17713, tax: 3365, total: 21078 });
    assert.equal(quote.restartsPeriod, true);
    assert.equal(quote.nextChargeAt, '2027-01-25T12:00:00.000Z');
  });

  test("a lower price or a shorter interval is a downgrade: nothing now, effective at the period's end", async () => {
    const s = await subscribedCustomer(t, { quantity: 3 });
    t.clock.advance(3 * DAY);
    const lower = await preview(s.call, { quantity: 2 });
    assert.equal(lower.kind, 'downgrade');
    assert.deepEqual(lower.charge, { amount: 0, tax: 0, total: 0 });
    assert.equal(lower.effectiveAt, PERIOD_END);
    assert.deepEqual(lower.recurring, { amount: 3800, tax: 722, total: 4522 });
    const higher = await preview(s.call, { quantity: 4 });
    assert.equal(higher.kind, 'upgrade');
  });

  test('the same plan and quantity is 422 no_change; an unknown plan 422 plan_not_available', async () => {
    const s = await subscribedCustomer(t);
    const same = await s.call('POST', '/change-preview', { planId: 'pro-monthly', quantity: 1 });
    assert.equal(same.status, 422);
    assert.equal((await json(same)).error.code, 'no_change');
    const unknown = await s.call('POST', '/change-preview', { planId: 'nope' });
    assert.equal((await json(unknown)).error.code, 'plan_not_available');
    const bad = await s.call('POST', '/change-preview', { quantity: 0 });
    assert.equal(bad.status, 422);
  });

  test('during a trial an upgrade is free and keeps the trial', async () => {
    const s = await subscribedCustomer(t, { product: 'basic-monthly', unitPrice: 900, trialDays: 14 });
    t.clock.advance(2 * DAY);
    const quote = await preview(s.call, { planId: 'pro-yearly' });
    assert.deepEqual(quote.charge, { amount: 0, tax: 0, total: 0 });
    const result = await confirm(s.call, quote.id);
    assert.equal(result.charge, null);
    assert.equal(result.subscription.state, 'trial');
    assert.equal(result.subscription.product.key, 'pro-yearly');
    assert.equal(result.subscription.nextCharge.at, '2026-01-29T12:00:00.000Z');
    assert.equal(result.subscription.nextCharge.amount, 22610);
  });
});

describe('POST /portal/{store}/subscriptions/{id}/change', () => {
  test('an upgrade charges exactly the quote, applies the plan and records an order with its invoice number', async () => {
    const s = await subscribedCustomer(t, { product: 'basic-monthly', unitPrice: 900 });
    t.clock.advance(10 * DAY);
    const quote = await preview(s.call, { planId: 'pro-monthly' });
    t.clock.advance(5 * MINUTE); // the charge is the quoted one, not recomputed
    const result = await confirm(s.call, quote.id);
    assert.equal(result.kind, 'upgrade');
    assert.equal(result.charge.total, 806);
    assert.equal(result.subscription.product.key, 'pro-monthly');
    assert.equal(result.subscription.unitPrice, 1900);
    assert.deepEqual(result.subscription.nextCharge, { at: PERIOD_END, amount: 2261 });

    const order = first(await t.db.select().from(orders).where(eq(orders.id, result.charge.orderId)))!;
    assert.equal(order.kind, 'plan_change');
    assert.equal(order.total, 806);
    assert.equal(order.tax, 129);
    const invoice = first(await t.db.select().from(invoices).where(eq(invoices.orderId, order.id)))!;
    assert.equal(result.charge.invoiceNumber, invoice.number);
    assert.ok(invoice.sequence > 1);
    const listed = await json(await portal(t, 'GET', `/orders/${order.id}`, undefined, { token: s.token }));
    assert.equal(listed.kind, 'plan_change');
    assert.equal(listed.invoiceNumber, invoice.number);

    const { charges, gateway } = await chargeCounts(t, s.subscriptionId);
    assert.equal(charges.length, 1);
    assert.equal(gateway.length, 1);
    assert.equal(gateway[0].amount, 806);
    assert.equal((await subscriptionRow(t, s.subscriptionId)).lockedUntil, null);

    const completed = await eventsOf(t, 'subscription.charge.completed');
    assert.equal(completed.length, 1);
    assert.deepEqual(completed[0].data.charge, {
      id: charges[0].id,
      kind: 'plan_change',
      amount: 677,
      tax: 129,
      total: 806,
      currency: 'USD',
      orderId: order.id,
      failureCode: null,
    });
    assert.equal(completed[0].data.subscription.product.key, 'pro-monthly');
    const updated = await eventsOf(t, 'subscription.updated');
    assert.equal(updated.at(-1)?.data.unitPrice, 1900);
    assert.equal((await eventsOf(t, 'order.completed')).length, 2);
    const email = await latestEmail(t, 'ada@example.com', 'subscription_changed');
    assert.ok(email, 'a confirmation email is queued');
    assert.equal(email.language, 'en');
    assert.match(email.textBody ?? '', /Your subscription is now Pro\./);
    assert.match(email.textBody ?? '', /We charged \$8\.06/);
    assert.match(email.textBody ?? '', /#\/subscriptions\/sub_/);
  });

  test('a switch to a longer interval starts a new period now, keeping period indexes unique', async () => {
    const s = await subscribedCustomer(t);
    t.clock.advance(10 * DAY);
    const before = await subscriptionRow(t, s.subscriptionId);
    const result = await confirm(s.call, (await preview(s.call, { planId: 'pro-yearly' })).id);
    assert.equal(result.charge.total, 21078);
    const after = await subscriptionRow(t, s.subscriptionId);
    assert.equal(after.currentPeriodStart.toISOString(), '2026-01-25T12:00:00.000Z');
    assert.equal(after.currentPeriodEnd.toISOString(), '2027-01-25T12:00:00.000Z');
    assert.equal(after.nextChargeAt?.toISOString(), '2027-01-25T12:00:00.000Z');
    assert.ok(
      after.periodIndex > before.periodIndex,
      'charges are keyed by period: a new period never reuses an index',
    );
    assert.equal(after.nextChargeAmount, 22610);
  });

  test("a downgrade is scheduled for the period's end, shown with the next amount, and can be undone", async () => {
    const s = await subscribedCustomer(t);
    const result = await confirm(s.call, (await preview(s.call, { planId: 'basic-monthly' })).id);
    assert.equal(result.kind, 'downgrade');
    assert.equal(result.charge, null);
    assert.equal(result.subscription.product.key, 'pro-monthly');
    assert.deepEqual(result.subscription.scheduledChange, {
      product: { id: result.subscription.scheduledChange.product.id, key: 'basic-monthly', name: 'Basic' },
      quantity: 1,
      unitPrice: 900,
      effectiveAt: PERIOD_END,
    });
    assert.deepEqual(result.subscription.nextCharge, { at: PERIOD_END, amount: 1071 });
    assert.equal(result.subscription.actions.undoScheduledChange, true);
    assert.equal((await chargeCounts(t, s.subscriptionId)).charges.length, 0);
    assert.ok(await latestEmail(t, 'ada@example.com', 'subscription_changeScheduled'));

    const undone = await s.call('DELETE', '/scheduled-change');
    assert.equal(undone.status, 200);
    const view = await json(undone);
    assert.equal(view.scheduledChange, null);
    assert.deepEqual(view.nextCharge, { at: PERIOD_END, amount: 2261 });
    assert.ok(await latestEmail(t, 'ada@example.com', 'subscription_changeWithdrawn'));
    const again = await s.call('DELETE', '/scheduled-change');
    assert.equal(again.status, 409);
    assert.equal((await json(again)).error.code, 'no_scheduled_change');
    assert.equal((await eventsOf(t, 'subscription.updated')).length, 2);
  });

  test('a quote expires after 10 minutes (valid at 9:59, 410 quote_expired at 10:01)', async () => {
    const s = await subscribedCustomer(t);
    const first = await preview(s.call, { planId: 'basic-monthly' });
    t.clock.advance(10 * MINUTE - SECOND);
    await confirm(s.call, first.id);
    assert.equal((await s.call('DELETE', '/scheduled-change')).status, 200);
    const second = await preview(s.call, { planId: 'basic-monthly' });
    t.clock.advance(10 * MINUTE + SECOND);
    const expired = await s.call('POST', '/change', { quoteId: second.id });
    assert.equal(expired.status, 410);
    const body = await json(expired);
    assert.equal(body.error.code, 'quote_expired');
    assert.match(body.error.message, /expired/);
  });

  test('a used quote is 409 quote_used; a quote made before another change is 409 quote_stale', async () => {
    const s = await subscribedCustomer(t);
    const a = await preview(s.call, { planId: 'basic-monthly' });
    const b = await preview(s.call, { quantity: 2 });
    await confirm(s.call, a.id);
    const used = await s.call('POST', '/change', { quoteId: a.id });
    assert.equal(used.status, 409);
    assert.equal((await json(used)).error.code, 'quote_used');
    const stale = await s.call('POST', '/change', { quoteId: b.id });
    assert.equal(stale.status, 409);
    assert.equal((await json(stale)).error.code, 'quote_stale');
    assert.equal((await subscriptionRow(t, s.subscriptionId)).scheduledQuantity, 1);
  });

  test('a declined upgrade changes nothing and says why (402 payment_declined)', async () => {
    const s = await subscribedCustomer(t, { behaviour: 'declines_charges' });
    const before = await subscriptionRow(t, s.subscriptionId);
    const quote = await preview(s.call, { quantity: 2 });
    const response = await s.call('POST', '/change', { quoteId: quote.id });
    assert.equal(response.status, 402);
    const { error } = await json(response);
    assert.equal(error.code, 'payment_declined');
    assert.equal(error.details.declineCode, 'card_declined');
    assert.match(error.message, /declined/);
    const after = await subscriptionRow(t, s.subscriptionId);
    assert.deepEqual({ ...after, lockedUntil: null }, { ...before, lockedUntil: null });
    assert.equal(after.lockedUntil, null, 'the lock is given back');
    assert.equal((await t.db.select().from(orders)).length, 1, 'no order for a declined charge');
    const failed = await eventsOf(t, 'subscription.charge.failed');
    assert.equal(failed.length, 1);
    assert.equal(failed[0].data.charge.failureCode, 'card_declined');
    assert.equal(failed[0].data.charge.orderId, null);
    assert.equal((await eventsOf(t, 'subscription.updated')).length, 0);
    const retry = await s.call('POST', '/change', { quoteId: quote.id });
    assert.equal((await json(retry)).error.code, 'quote_used', 'one quote, one charge');
    assert.equal((await chargeCounts(t, s.subscriptionId)).gateway.length, 1);
  });

  test('an unreachable gateway is a 503 that changes nothing; retrying the same quote finishes the same charge', async () => {
    const s = await subscribedCustomer(t);
    const quote = await preview(s.call, { quantity: 2 });
    const restore = overrideGateway(t, () => ({
      charge: async () => {
        throw new GatewayUnavailableError('connection refused');
      },
    }));
    const failed = await s.call('POST', '/change', { quoteId: quote.id });
    assert.equal(failed.status, 503);
    assert.equal((await json(failed)).error.code, 'gateway_unavailable');
    assert.equal((await subscriptionRow(t, s.subscriptionId)).quantity, 1);
    assert.equal((await subscriptionRow(t, s.subscriptionId)).lockedUntil, null);
    assert.equal((await chargeCounts(t, s.subscriptionId)).charges[0].status, 'pending');
    restore();
    t.clock.advance(11 * MINUTE);
    const result = await confirm(s.call, quote.id);
    assert.equal(result.subscription.quantity, 2);
    const { charges, gateway } = await chargeCounts(t, s.subscriptionId);
    assert.deepEqual(
      charges.map((c) => c.status),
      ['succeeded'],
    );
    assert.equal(gateway.length, 1);
  });

  test('an upgrade needs a payment method (422 payment_method_required); a downgrade does not', async () => {
    const s = await subscribedCustomer(t, { manual: true });
    const upgrade = await s.call('POST', '/change', { quoteId: (await preview(s.call, { quantity: 2 })).id });
    assert.equal(upgrade.status, 422);
    assert.equal((await json(upgrade)).error.code, 'payment_method_required');
    assert.equal((await subscriptionRow(t, s.subscriptionId)).lockedUntil, null);
    await confirm(s.call, (await preview(s.call, { planId: 'basic-monthly' })).id);
  });

  test("an upgrade in the period's last second costs nothing and is applied without a charge", async () => {
    const s = await subscribedCustomer(t);
    t.clock.set(new Date(new Date(PERIOD_END).getTime() - 500));
    const quote = await preview(s.call, { quantity: 5 });
    assert.equal(quote.kind, 'upgrade');
    assert.equal(quote.charge.total, 0);
    const result = await confirm(s.call, quote.id);
    assert.equal(result.charge, null);
    assert.equal(result.subscription.quantity, 5);
    assert.equal((await chargeCounts(t, s.subscriptionId)).charges.length, 0);
  });

  test("the confirmation email is in the customer's language", async () => {
    const s = await subscribedCustomer(t, {
      email: 'lena@example.de',
      language: 'de',
      product: 'basic-monthly',
      unitPrice: 900,
    });
    t.clock.advance(10 * DAY);
    await confirm(s.call, (await preview(s.call, { planId: 'pro-monthly' })).id);
    const email = (await latestEmail(t, 'lena@example.de', 'subscription_changed'))!;
    assert.equal(email.language, 'de');
    assert.match(email.subject, /wurde geändert/);
    assert.match(email.textBody ?? '', /8,06\s\$/);
  });

  test('quotes and subscriptions of another account or store are 404', async () => {
    const s = await subscribedCustomer(t);
    const other = await startSubscription(t, { email: 'bob@example.com' });
    const foreign = await portal(
      t,
      'POST',
      `/subscriptions/${other.subscriptionId}/change-preview`,
      { quantity: 2 },
      { token: s.token },
    );
    assert.equal(foreign.status, 404);
    const bobQuote = await t.api('POST', `/api/subscriptions/${other.subscriptionId}/change-preview`, { quantity: 2 });
    assert.equal(bobQuote.status, 201);
    const { id } = await json(bobQuote);
    assert.equal(
      (await portal(t, 'POST', `/subscriptions/${other.subscriptionId}/change`, { quoteId: id }, { token: s.token }))
        .status,
      404,
    );
    assert.equal((await s.call('POST', '/change', { quoteId: id })).status, 404, 'a quote of another subscription');
    const shop2 = await t.addStore('shop2');
    assert.equal(
      (await t.api('POST', `/api/subscriptions/${s.subscriptionId}/change-preview`, { quantity: 2 }, { store: shop2 }))
        .status,
      404,
    );
    assert.equal((await chargeCounts(t, other.subscriptionId)).charges.length, 0);
  });
});

describe('Server API plan changes', () => {
  test('the merchant previews and applies changes, also to hidden plans', async () => {
    const s = await subscribedCustomer(t);
    assert.equal(
      (
        await t.api('POST', '/api/products', {
          key: 'pro-legacy',
          name: 'Pro (legacy)',
          kind: 'subscription',
          interval: 'month',
          prices: { USD: 1500 },
          family: 'studio',
          hidden: true,
        })
      ).status,
      201,
    );
    const quoted = await t.api('POST', `/api/subscriptions/${s.subscriptionId}/change-preview`, {
      planId: 'pro-legacy',
    });
    assert.equal(quoted.status, 201);
    const quote = await json(quoted);
    assert.equal(quote.kind, 'downgrade');
    const applied = await t.api('POST', `/api/subscriptions/${s.subscriptionId}/change`, { quoteId: quote.id });
    assert.equal(applied.status, 200);
    const body = await json(applied);
    assert.equal(body.subscription.accountId, s.accountId);
    assert.equal(body.subscription.scheduledChange.product.key, 'pro-legacy');
    const undone = await t.api('DELETE', `/api/subscriptions/${s.subscriptionId}/scheduled-change`);
    assert.equal(undone.status, 200);
    assert.equal((await json(undone)).scheduledChange, null);
    const upgrade = await json(
      await t.api('POST', `/api/subscriptions/${s.subscriptionId}/change-preview`, { quantity: 2 }),
    );
    const charged = await json(
      await t.api('POST', `/api/subscriptions/${s.subscriptionId}/change`, { quoteId: upgrade.id }),
    );
    assert.equal(charged.charge.total, upgrade.charge.total);
    assert.equal(charged.subscription.quantity, 2);
  });
});
