import { first } from '../../server/db/query';
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { creditNotes, emailAttachments, emails, orders, stores, testGatewayRefunds } from '../../server/db/schema';
import { DAY } from '../../server/lib/clock';
import { GatewayUnavailableError } from '../../server/payments/gateway';
import { runRenewals } from '../../server/services/billing/renewals/run';
import { STALE_REFUND_MS } from '../../server/services/billing/refunds/refunds';
import { createTestContext, json, type TestContext } from '../helpers/app';
import { sendQueuedEmails } from '../helpers/emails';
import { createCatalog, oneTimeOrder } from '../helpers/fixtures';
import { pdfText, setSeller } from '../helpers/invoices';
import { portal, signInByEmail } from '../helpers/portal';
import { eventsOf, overrideGateway, startSubscription, subscriptionRow } from '../helpers/subscriptions';

let t: TestContext;
beforeEach(async () => {
  t = await createTestContext({ now: '2026-03-10T12:00:00Z' });
  await createCatalog(t);
  await setSeller(t);
});

/** A merchant order (paid in the merchant's checkout): 2 × 4900 − 800 discount + 1800 tax = 10800. */
async function merchantOrder(overrides: Record<string, unknown> = {}) {
  const response = await t.api('POST', '/api/orders', oneTimeOrder(overrides));
  assert.equal(response.status, 201, await response.clone().text());
  return json(response);
}

/** A renewal the portal charged through the test gateway: 1900 + 361 tax = 2261. */
async function rebillOrder() {
  const started = await startSubscription(t);
  t.clock.set('2026-04-10T12:00:01Z');
  await runRenewals(t.deps);
  const rebill = first(await t.db.select().from(orders).where(eq(orders.kind, 'rebill')));
  assert.ok(rebill, 'the renewal recorded a rebill order');
  return { ...started, rebillId: rebill.id, total: rebill.total };
}

const refund = (orderId: string, body: unknown = {}, headers?: Record<string, string>) =>
  t.api('POST', `/api/orders/${orderId}/refunds`, body, { headers });

const orderOf = async (orderId: string) => {
  const response = await t.api('GET', `/api/orders/${orderId}`);
  assert.equal(response.status, 200);
  return json(response);
};

describe('POST /api/orders/{orderId}/refunds', () => {
  test('a full refund of a merchant order is external, refunds everything, issues a credit note and withdraws the fulfilments', async () => {
    const order = await merchantOrder();
    const response = await refund(order.id, { reason: 'Customer changed their mind' });
    assert.equal(response.status, 201, await response.clone().text());
    const body = await json(response);
    assert.equal(body.status, 'succeeded');
    assert.equal(body.external, true);
    assert.equal(body.amount, 10_800);
    assert.equal(body.tax, 1800);
    assert.deepEqual(body.lines, [{ itemId: order.items[0].id, quantity: 2, amount: 10_800, tax: 1800 }]);
    assert.match(body.creditNote.number, /^INV-CN-2026-000001$/);
    assert.equal((await t.db.select().from(testGatewayRefunds)).length, 0, 'nothing went to the gateway');

    const after = await orderOf(order.id);
    assert.equal(after.status, 'refunded');
    assert.deepEqual(after.refunded, { total: 10_800, tax: 1800 });
    assert.deepEqual(
      after.creditNotes.map((n: any) => n.number),
      ['INV-CN-2026-000001'],
    );
    assert.ok(after.fulfilments.filter((f: any) => f.type !== 'instructions').every((f: any) => f.revokedAt));

    const [event] = await eventsOf(t, 'order.refunded');
    assert.equal(event.data.order.status, 'refunded');
    assert.equal(event.data.refund.id, body.id);

    const session = await signInByEmail(t, 'ada@example.com');
    const seen = await portal(t, 'GET', `/orders/${order.id}`, undefined, { token: session.token });
    assert.equal(seen.status, 200);
    const view = await json(seen);
    assert.equal(view.status, 'refunded');
    assert.deepEqual(view.refunded, { total: 10_800, tax: 1800 });
    assert.deepEqual(
      view.fulfilments.map((f: { type: string; revoked: boolean }) => [f.type, f.revoked]),
      [
        ['license_key', true],
        ['download', true],
      ],
      'licence key and download revoked, shown as such',
    );
    const link = await portal(t, 'POST', `/downloads/${order.fulfilments[1].id}/link`, undefined, {
      token: session.token,
    });
    assert.equal(link.status, 410, 'no download link for a refunded order');
    assert.equal((await json(link)).error.code, 'download_revoked');
  });

  test('revokeFulfilment: false keeps licence keys and downloads', async () => {
    const order = await merchantOrder();
    assert.equal((await refund(order.id, { revokeFulfilment: false })).status, 201);
    const after = await orderOf(order.id);
    assert.ok(after.fulfilments.every((f: any) => f.revokedAt === null));
  });

  test('partial refunds by amount and by items make the order partially_refunded until nothing is left', async () => {
    const order = await merchantOrder();
    const first = await refund(order.id, { amount: 1000 });
    assert.equal(first.status, 201);
    assert.deepEqual(
      { ...(await json(first)), id: 0, createdAt: 0, completedAt: 0, creditNote: 0, lines: 0 },
      {
        id: 0,
        orderId: order.id,
        status: 'succeeded',
        external: true,
        origin: 'api',
        currency: 'USD',
        amount: 1000,
        tax: 166,
        reason: null,
        lines: 0,
        revokeFulfilment: true,
        endSubscription: false,
        creditNote: 0,
        failure: null,
        createdAt: 0,
        completedAt: 0,
      },
    );
    assert.equal((await orderOf(order.id)).status, 'partially_refunded');
    const second = await refund(order.id, { items: [{ itemId: order.items[0].id, quantity: 1 }] });
    assert.equal(second.status, 201);
    assert.equal((await json(second)).amount, 5400, 'half the line: ⌊10800 × 1/2⌋');
    const after = await orderOf(order.id);
    assert.equal(after.status, 'partially_refunded');
    assert.equal(after.refunded.total, 6400);
    assert.ok(
      after.fulfilments.every((f: any) => f.revokedAt === null),
      'a partial refund keeps the fulfilments',
    );
    const rest = await refund(order.id);
    assert.equal((await json(rest)).amount, 10_800 - 6400);
    assert.equal((await orderOf(order.id)).status, 'refunded');
  });

  test('more than was paid and not yet refunded is refused, and nothing is recorded', async () => {
    const order = await merchantOrder();
    const over = await refund(order.id, { amount: 10_801 });
    assert.equal(over.status, 422);
    assert.equal((await json(over)).error.code, 'refund_exceeds_paid');
    assert.equal((await refund(order.id, { amount: 10_000 })).status, 201);
    const again = await refund(order.id, { amount: 801 });
    assert.equal(again.status, 422);
    assert.deepEqual((await json(again)).error.details, { refundable: 800, currency: 'USD' });
    const units = await refund(order.id, { items: [{ itemId: order.items[0].id, quantity: 3 }] });
    assert.equal(units.status, 422);
    assert.equal((await refund(order.id, { amount: 800 })).status, 201);
    const nothing = await refund(order.id);
    assert.equal(nothing.status, 409);
    assert.equal((await json(nothing)).error.code, 'nothing_to_refund');
    const both = await refund(order.id, { amount: 1, items: [{ itemId: order.items[0].id }] });
    assert.equal(both.status, 422);
    const list = await t.api('GET', `/api/orders/${order.id}/refunds`);
    assert.equal(list.status, 200);
    assert.equal((await json(list)).data.length, 2);
  });

  test('an order of another store is a 404', async () => {
    const order = await merchantOrder();
    const other = await t.addStore('other');
    const response = await t.api('POST', `/api/orders/${order.id}/refunds`, {}, { store: other });
    assert.equal(response.status, 404);
  });

  test('the same Idempotency-Key and body replay the refund; another body with that key is refused', async () => {
    const order = await merchantOrder();
    const headers = { 'idempotency-key': 'refund-8812' };
    const first = await refund(order.id, { amount: 500 }, headers);
    assert.equal(first.status, 201);
    const replay = await refund(order.id, { amount: 500 }, headers);
    assert.equal(replay.status, 201);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(await json(replay), await json(first));
    const reused = await refund(order.id, { amount: 600 }, headers);
    assert.equal(reused.status, 422);
    assert.equal((await json(reused)).error.code, 'idempotency_key_reused');
    assert.equal((await orderOf(order.id)).refunded.total, 500, 'refunded once');
    assert.equal((await t.db.select().from(creditNotes)).length, 1);
  });

  test('a renewal is refunded through the gateway against its charge; the subscription goes on unless asked', async () => {
    const { rebillId, total, subscriptionId } = await rebillOrder();
    const response = await refund(rebillId, { amount: 1000 });
    assert.equal(response.status, 201, await response.clone().text());
    const body = await json(response);
    assert.equal(body.external, false);
    const ledger = await t.db.select().from(testGatewayRefunds);
    assert.deepEqual(
      ledger.map((r) => [r.idempotencyKey, r.amount, r.status]),
      [[`refund:${body.id}`, 1000, 'succeeded']],
    );
    assert.equal((await subscriptionRow(t, subscriptionId)).status, 'active');
    const rest = await refund(rebillId, { endSubscription: true });
    assert.equal(rest.status, 201);
    assert.equal((await json(rest)).amount, total - 1000);
    assert.equal((await subscriptionRow(t, subscriptionId)).status, 'canceled');
    assert.equal(
      (await t.db.select().from(testGatewayRefunds)).reduce((s, r) => s + r.amount, 0),
      total,
    );
  });

  test('a gateway refusal is a 402 and reserves nothing; an unreachable gateway is a 503 finished by the same key', async () => {
    const { rebillId, total } = await rebillOrder();
    let restore = overrideGateway(t, () => ({
      refund: async () => ({ status: 'failed', code: 'processing_error', message: 'No.' }),
    }));
    const refused = await refund(rebillId);
    restore();
    assert.equal(refused.status, 402);
    assert.equal((await json(refused)).error.code, 'refund_failed');
    restore = overrideGateway(t, () => ({
      refund: async () => {
        throw new GatewayUnavailableError('down');
      },
    }));
    const headers = { 'idempotency-key': 'r-1' };
    const down = await refund(rebillId, {}, headers);
    restore();
    assert.equal(down.status, 503);
    const retried = await refund(rebillId, {}, headers);
    assert.equal(retried.status, 201);
    assert.equal((await json(retried)).amount, total, 'the refused refund reserved nothing');
    assert.equal((await orderOf(rebillId)).status, 'refunded');
  });

  test('a pending refund nobody retried is finished by the renewal run after 15 minutes', async () => {
    const { rebillId } = await rebillOrder();
    const restore = overrideGateway(t, () => ({
      refund: async () => {
        throw new GatewayUnavailableError('down');
      },
    }));
    assert.equal((await refund(rebillId)).status, 503);
    restore();
    await runRenewals(t.deps);
    assert.equal((await orderOf(rebillId)).status, 'completed', 'not yet: younger than 15 minutes');
    t.clock.advance(STALE_REFUND_MS);
    await runRenewals(t.deps);
    assert.equal((await orderOf(rebillId)).status, 'refunded');
    assert.equal((await t.db.select().from(testGatewayRefunds)).length, 1);
  });
});

describe('credit notes', () => {
  test('are numbered per store without gaps, refused refunds taking no number', async () => {
    const a = await merchantOrder();
    const b = await merchantOrder({ reference: 'B-2' });
    assert.equal((await refund(a.id, { amount: 100 })).status, 201);
    assert.equal((await refund(a.id, { amount: 999_999 })).status, 422);
    assert.equal((await refund(b.id, { amount: 100 })).status, 201);
    t.clock.advance(300 * DAY);
    assert.equal((await refund(a.id, { amount: 100 })).status, 201);
    const other = await t.addStore('other');
    const mine = await t.api('POST', '/api/orders', oneTimeOrder(), { store: other });
    assert.equal(
      (await t.api('POST', `/api/orders/${(await json(mine)).id}/refunds`, { amount: 1 }, { store: other })).status,
      201,
    );
    const numbers = (await t.db.select().from(creditNotes)).map((n) => [n.storeId, n.sequence, n.number]).sort();
    assert.deepEqual(numbers, [
      ['other', 1, 'INV-CN-2027-000001'],
      ['shop', 1, 'INV-CN-2026-000001'],
      ['shop', 2, 'INV-CN-2026-000002'],
      ['shop', 3, 'INV-CN-2027-000003'],
    ]);
  });

  test("GET /api/orders/{id}/credit-notes/{id}.pdf and the purchaser's portal serve the PDF in the language asked", async () => {
    const order = await merchantOrder({ reference: 'A-1' });
    const { creditNote } = await json(await refund(order.id, { amount: 500, reason: 'Bought twice' }));
    const pdf = await t.api('GET', `/api/orders/${order.id}/credit-notes/${creditNote.id}.pdf?lang=de`);
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    assert.match(pdf.headers.get('content-disposition') ?? '', /filename="Gutschrift-INV-CN-2026-000001\.pdf"/);
    const german = pdfText(new Uint8Array(await pdf.arrayBuffer()));
    for (const expected of [
      'Gutschrift',
      'Gutschriftsnummer INV-CN-2026-000001',
      'Korrigiert Rechnung INV-2026-000001',
      'Bestellung A-1',
      'Northwind Software GmbH',
      'Photo Toolkit (Teilerstattung)',
      'Gesamtbetrag (USD) -5,00 $',
      'Erstattet von Store shop.',
      'Diese Gutschrift korrigiert die Rechnung INV-2026-000001 vom 10. März 2026.',
      'Grund: Bought twice',
    ]) {
      assert.ok(german.includes(expected), `${expected} in:\n${german}`);
    }
    assert.equal((await t.api('GET', `/api/orders/${order.id}/credit-notes/cn_doesnotexist0000.pdf`)).status, 404);

    const session = await signInByEmail(t, 'ada@example.com');
    const mine = await portal(t, 'GET', `/orders/${order.id}/credit-notes/${creditNote.id}.pdf`, undefined, {
      token: session.token,
    });
    assert.equal(mine.status, 200);
    assert.match(mine.headers.get('content-disposition') ?? '', /filename="Credit-note-INV-CN-2026-000001\.pdf"/);
    const english = pdfText(new Uint8Array(await mine.arrayBuffer()));
    for (const expected of ['Credit note', 'Credit note number INV-CN-2026-000001', 'Total (USD) -$5.00']) {
      assert.ok(english.includes(expected), `${expected} in:\n${english}`);
    }
  });

  test('a credit note of units shows them with their unit price and the tax given back per rate', async () => {
    const order = await merchantOrder({
      items: [
        { product: 'toolkit', displayName: 'Photo Toolkit', quantity: 3, unitPrice: 1000, tax: 570, taxRate: 0.19 },
      ],
    });
    const { creditNote } = await json(await refund(order.id, { items: [{ itemId: order.items[0].id, quantity: 1 }] }));
    const pdf = await t.api('GET', `/api/orders/${order.id}/credit-notes/${creditNote.id}.pdf?lang=en`);
    assert.equal(pdf.status, 200);
    const text = pdfText(new Uint8Array(await pdf.arrayBuffer()));
    for (const expected of [
      'Photo Toolkit 1 -$10.00 – 19% -$1.90 -$11.90',
      'Tax 19% on -$10.00 -$1.90',
      'Total (USD) -$11.90',
    ]) {
      assert.ok(text.includes(expected), `${expected} in:\n${text}`);
    }
  });

  test('a credit note needs the seller details, as an invoice does (409 seller_details_missing)', async () => {
    const order = await merchantOrder();
    const { creditNote } = await json(await refund(order.id, { amount: 500 }));
    await t.db.update(stores).set({ seller: null });
    const pdf = await t.api('GET', `/api/orders/${order.id}/credit-notes/${creditNote.id}.pdf`);
    assert.equal(pdf.status, 409);
    assert.equal((await json(pdf)).error.code, 'seller_details_missing');
  });

  test("a gift's recipient sees neither refunds nor credit notes", async () => {
    const order = await merchantOrder({
      gift: { recipient: { email: 'grace@example.com', firstName: 'Grace' }, message: 'Enjoy' },
    });
    const { creditNote } = await json(await refund(order.id, { amount: 500 }));
    const session = await signInByEmail(t, 'grace@example.com');
    const view = await json(await portal(t, 'GET', `/orders/${order.id}`, undefined, { token: session.token }));
    assert.equal(view.refunded, null);
    assert.deepEqual(view.creditNotes, []);
    const pdf = await portal(t, 'GET', `/orders/${order.id}/credit-notes/${creditNote.id}.pdf`, undefined, {
      token: session.token,
    });
    assert.equal(pdf.status, 404);
  });

  test('the customer is emailed about the refund with the credit note attached, rendered when it is sent', async () => {
    const order = await merchantOrder({ customer: { email: 'ada@example.com', firstName: 'Ada', language: 'de' } });
    const { creditNote } = await json(await refund(order.id));
    const email = first(await t.db.select().from(emails).where(eq(emails.kind, 'refund')))!;
    assert.equal(email.toAddress, 'ada@example.com');
    assert.equal(email.language, 'de');
    assert.match(email.textBody ?? '', /108,00\s\$/);
    assert.ok(email.textBody?.includes(`#/orders/${order.id}`));
    assert.ok(email.textBody?.includes(`Gutschrift ${creditNote.number}`));
    const queued = await t.db.select().from(emailAttachments).where(eq(emailAttachments.emailId, email.id));
    assert.deepEqual(
      queued.map((f) => [f.name, f.contentType, f.content]),
      [[`Gutschrift-${creditNote.number}.pdf`, 'application/pdf', null]],
      'named in the transaction, rendered by the email worker',
    );
    const sent = (await sendQueuedEmails(t)).find((m) => m.id === email.id)!;
    assert.deepEqual(
      sent.attachments.map((f) => [f.name, f.contentType]),
      [[`Gutschrift-${creditNote.number}.pdf`, 'application/pdf']],
    );
    const text = pdfText(sent.attachments[0].content);
    assert.ok(text.includes(`Gutschriftsnummer ${creditNote.number}`), text);
    assert.ok(text.includes('Gesamtbetrag (USD) -108,00 $'), text);
  });

  test('without seller details the refund email goes out without a credit note, saying nothing of one', async () => {
    const order = await merchantOrder();
    await t.db.update(stores).set({ seller: null });
    assert.equal((await refund(order.id, { amount: 500 })).status, 201);
    const email = first(await t.db.select().from(emails).where(eq(emails.kind, 'refund')))!;
    assert.doesNotMatch(email.textBody ?? '', /credit note/i);
    const [sent] = (await sendQueuedEmails(t)).filter((m) => m.id === email.id);
    assert.deepEqual(sent.attachments, []);
  });
});
