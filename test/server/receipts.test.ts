import { first } from '../../server/db/query';
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { emailAttachments, emails, stores } from '../../server/db/schema';
import { runRenewals } from '../../server/services/billing/renewals/run';
import { setStoreValue } from '../../server/services/stores/stores';
import { createTestContext, json, type TestContext } from '../helpers/app';
import { sendQueuedEmails } from '../helpers/emails';
import { createCatalog, oneTimeOrder } from '../helpers/fixtures';
import { pdfText, setSeller } from '../helpers/invoices';
import { setSetting } from '../helpers/portal';
import { startSubscription } from '../helpers/subscriptions';

let t: TestContext;
beforeEach(async () => {
  t = await createTestContext({ now: '2026-03-10T12:00:00Z' });
  await createCatalog(t);
  await setSeller(t);
});

const emailsOfKind = async (kind: string) => await t.db.select().from(emails).where(eq(emails.kind, kind));
const attachmentsOf = async (emailId: string) =>
  await t.db.select().from(emailAttachments).where(eq(emailAttachments.emailId, emailId));

async function record(body: Record<string, unknown>) {
  const response = await t.api('POST', '/api/orders', oneTimeOrder(body));
  assert.equal(response.status, 201, await response.clone().text());
  return json(response);
}

describe('POST /api/orders sends the purchaser a receipt', () => {
  test("in the account's language, with the items, the total, the invoice PDF and a link to the order in the store's portal", async () => {
    await setStoreValue(t.db, t.clock, t.store.id, 'portalUrl', 'https://shop.example/account');
    const order = await record({ customer: { email: 'ada@example.com', firstName: 'Ada', language: 'de' } });
    const [receipt] = await emailsOfKind('order_receipt');
    assert.equal(receipt.toAddress, 'ada@example.com');
    assert.equal(receipt.language, 'de');
    assert.match(receipt.subject, /Quittung/);
    assert.ok(receipt.textBody?.includes('Photo Toolkit × 2'));
    assert.match(receipt.textBody ?? '', /108,00\s\$/);
    assert.ok(
      receipt.textBody?.includes(`https://shop.example/account#/orders/${order.id}`),
      'Manage your orders lands on the order',
    );
    assert.ok(receipt.htmlBody?.includes('Bestellungen verwalten'));
    const [queued] = await attachmentsOf(receipt.id);
    assert.deepEqual(
      [queued.name, queued.contentType, queued.content],
      ['Rechnung-INV-2026-000001.pdf', 'application/pdf', null],
    );
    const sent = (await sendQueuedEmails(t)).find((m) => m.id === receipt.id)!;
    const [invoice] = sent.attachments;
    assert.equal(invoice.name, 'Rechnung-INV-2026-000001.pdf');
    const text = pdfText(invoice.content);
    assert.ok(text.includes('Rechnungsnummer INV-2026-000001'), text);
    assert.ok(text.includes('Northwind Software GmbH'), text);
    assert.ok(text.includes('Gesamtbetrag (USD) 108,00 $'), text);
    const [stored] = await attachmentsOf(receipt.id);
    assert.equal(stored.size, invoice.content.length, 'rendered once, kept for a retry and the outbox');
  });

  test('without seller details the receipt goes out without an invoice, saying nothing of one', async () => {
    await t.db.update(stores).set({ seller: null });
    await record({});
    const [receipt] = await emailsOfKind('order_receipt');
    assert.doesNotMatch(receipt.textBody ?? '', /invoice/i);
    assert.deepEqual(await attachmentsOf(receipt.id), []);
  });

  test('not when the store turned sendReceipts off', async () => {
    await setSetting(t, 'sendReceipts', 'false');
    await record({});
    assert.deepEqual(await emailsOfKind('order_receipt'), []);
  });

  test('a gift: the recipient learns who sent what, with the message and a link, and no amounts; the receipt names the recipient', async () => {
    const order = await record({
      gift: {
        recipient: { email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper' },
        message: 'Happy birthday!',
      },
    });
    const [receipt] = await emailsOfKind('order_receipt');
    assert.equal(receipt.toAddress, 'ada@example.com');
    assert.ok(receipt.textBody?.includes('Grace Hopper'));
    const [gift] = await emailsOfKind('gift_received');
    assert.equal(gift.toAddress, 'grace@example.com');
    assert.ok(gift.subject.includes('Ada Lovelace'));
    for (const body of [gift.textBody ?? '', gift.htmlBody ?? '']) {
      assert.ok(body.includes('Photo Toolkit × 2'));
      assert.ok(body.includes('Happy birthday!'));
      assert.doesNotMatch(body, /\$|108|98\.00|49\.00|USD/, 'no amount');
    }
    assert.ok(gift.textBody?.includes(`#/orders/${order.id}`));
    assert.deepEqual(await attachmentsOf(gift.id), [], 'no invoice for the recipient');
  });
});

describe('renewal receipts', () => {
  test('attach the invoice of the rebill order', async () => {
    await startSubscription(t);
    t.clock.set('2026-04-10T12:00:01Z');
    await runRenewals(t.deps);
    const [receipt] = await emailsOfKind('renewal_receipt');
    assert.ok(receipt, 'a renewal receipt was sent');
    const files = await attachmentsOf(receipt.id);
    assert.deepEqual(
      files.map((f) => [f.name, f.contentType]),
      [['Invoice-INV-2026-000002.pdf', 'application/pdf']],
    );
  });

  test('a plan change that charged attaches its invoice', async () => {
    const { subscriptionId } = await startSubscription(t);
    const quote = await t.api('POST', `/api/subscriptions/${subscriptionId}/change-preview`, { quantity: 2 });
    assert.equal(quote.status, 201, await quote.clone().text());
    const change = await t.api('POST', `/api/subscriptions/${subscriptionId}/change`, {
      quoteId: (await json(quote)).id,
    });
    assert.equal(change.status, 200, await change.clone().text());
    const notice = first(
      await t.db
        .select()
        .from(emails)
        .where(and(eq(emails.kind, 'subscription_changed'))),
    )!;
    assert.deepEqual(
      (await attachmentsOf(notice.id)).map((f) => f.name),
      ['Invoice-INV-2026-000002.pdf'],
    );
  });
});
