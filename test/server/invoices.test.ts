import { first as firstRow } from '../../server/db/query';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { beforeEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { directionOf, languages } from '../../server/contract';
import { accounts, invoices } from '../../server/db/schema';
import { messages } from '../../server/i18n';
import { formatsFor } from '../../server/pdf/format';
import { createTestContext, json, type TestContext, type TestStore } from '../helpers/app';
import { oneTimeOrder } from '../helpers/fixtures';
import { northwindSeller, pdfInfo, pdfText, setSeller } from '../helpers/invoices';
import { tempDatabasePath } from '../helpers/temp-database';
import { portal, setSetting, signInByEmail } from '../helpers/portal';
import { eventsOf } from '../helpers/renewals';

let t: TestContext;
beforeEach(async () => {
  t = await createTestContext();
});

async function recordOrder(overrides: Record<string, unknown> = {}, store?: TestStore) {
  const response = await t.api('POST', '/api/orders', oneTimeOrder(overrides), { store });
  assert.equal(response.status, 201, await response.clone().text());
  return json(response);
}

const businessBuyer = {
  customer: {
    email: 'ada@example.com',
    firstName: 'Ada',
    lastName: 'Lovelace',
    country: 'GB',
    language: 'en',
    address: { line1: '12 St James’s Square', city: 'London' },
  },
  billingDetails: {
    country: 'GB',
    postalCode: 'SW1Y 4JH',
    businessName: 'Analytical Engines Ltd',
    taxId: 'GB123456789',
    isBusiness: true,
  },
};

async function pdfOf(response: Response): Promise<Uint8Array> {
  assert.equal(response.status, 200, response.status === 200 ? '' : await response.clone().text());
  assert.equal(response.headers.get('content-type'), 'application/pdf');
  return new Uint8Array(await response.arrayBuffer());
}

describe('invoice numbering', () => {
  test("numbers every paid order in sequence with the store's prefix and the issue year", async () => {
    await setSetting(t, 'invoicePrefix', 'NW');
    const first = await recordOrder();
    t.clock.advance(86_400_000 * 365);
    const second = await recordOrder();
    assert.equal(first.invoiceNumber, 'NW-2026-000001');
    assert.equal(second.invoiceNumber, 'NW-2027-000002', 'the year is the issue year; the sequence does not restart');
  });

  test('gives an order with nothing to pay no invoice, unless the store asks for one', async () => {
    const free = { items: [{ product: 'trial', displayName: 'Trial', quantity: 1, unitPrice: 0, tax: 0 }] };
    assert.equal((await recordOrder(free)).invoiceNumber, null);
    assert.equal((await recordOrder()).invoiceNumber, 'INV-2026-000001', 'no number was used up');
    await setSetting(t, 'invoiceZeroAmountOrders', 'true');
    assert.equal((await recordOrder(free)).invoiceNumber, 'INV-2026-000002');
  });

  test('50 orders recorded concurrently get 50 consecutive numbers', async () => {
    const orders = await Promise.all(
      Array.from({ length: 50 }, (_, i) => recordOrder({ customer: { email: `buyer${i}@example.com` } })),
    );
    const numbers = orders.map((o) => o.invoiceNumber as string).sort();
    assert.deepEqual(
      numbers,
      Array.from({ length: 50 }, (_, i) => `INV-2026-${String(i + 1).padStart(6, '0')}`),
    );
  });

  test('two processes recording 25 orders each into one database get 50 consecutive numbers', async (context) => {
    const path = tempDatabasePath(context);
    const shared = await createTestContext({ databasePath: path });
    const child = fileURLToPath(new URL('../helpers/record-orders-child.ts', import.meta.url));
    const runs = ['a', 'b'].map((tag) => {
      const process = spawn(globalThis.process.execPath, ['--import', 'tsx', child, path, shared.store.id, '25', tag], {
        stdio: 'inherit',
      });
      return once(process, 'exit');
    });
    for (const [code] of await Promise.all(runs)) assert.equal(code, 0);
    const sequences = (await shared.db.select({ sequence: invoices.sequence }).from(invoices))
      .map((r) => r.sequence)
      .sort((a, b) => a - b);
    assert.deepEqual(
      sequences,
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
  });

  test('numbers stores apart', async () => {
    const other = await t.addStore('other');
    await recordOrder();
    assert.equal((await recordOrder({}, other)).invoiceNumber, 'INV-2026-000001');
  });
});

describe('GET/PUT /api/store/seller', () => {
  test('lists what is missing until the required details are set', async () => {
    const empty = await t.api('GET', '/api/store/seller');
    assert.equal(empty.status, 200);
    assert.deepEqual((await json(empty)).missing, ['legalName', 'addressLine1', 'city', 'country', 'email']);
    const set = await setSeller(t);
    assert.deepEqual(set.missing, []);
    assert.equal(set.vatId, 'DE123456789');
  });

  test('rejects invalid details with field errors', async () => {
    const response = await t.api('PUT', '/api/store/seller', { ...northwindSeller, country: 'XX', email: 'nope' });
    assert.equal(response.status, 422);
    const fields = (await json(response)).error.details.map((d: { field: string }) => d.field).sort();
    assert.deepEqual(fields, ['country', 'email']);
  });
});

describe('invoice routes without seller details', () => {
  test('answer 409 seller_details_missing, and work once the details are set', async () => {
    const order = await recordOrder();
    const { token } = await signInByEmail(t, 'ada@example.com');
    for (const response of [
      await portal(t, 'GET', `/orders/${order.id}/invoice`, undefined, { token }),
      await portal(t, 'GET', `/orders/${order.id}/invoice.pdf`, undefined, { token }),
      await t.api('GET', `/api/orders/${order.id}/invoice.pdf`),
    ]) {
      assert.equal(response.status, 409);
      const body = await json(response);
      assert.equal(body.error.code, 'seller_details_missing');
      assert.ok(body.error.details.missing.includes('legalName'));
    }
    await setSeller(t);
    const pdf = await pdfOf(await portal(t, 'GET', `/orders/${order.id}/invoice.pdf`, undefined, { token }));
    assert.match(pdfText(pdf), /Northwind Software GmbH/);
  });
});

describe('GET /portal/{store}/orders/{id}/invoice.pdf', () => {
  beforeEach(async () => {
    await setSeller(t);
  });

  test('gives the purchaser the PDF as a download named after the number', async () => {
    const order = await recordOrder();
    const { token } = await signInByEmail(t, 'ada@example.com');
    const response = await portal(t, 'GET', `/orders/${order.id}/invoice.pdf`, undefined, { token });
    await pdfOf(response.clone());
    assert.match(response.headers.get('content-disposition')!, /^attachment; filename="Invoice-INV-2026-000001\.pdf"/);
    assert.equal(response.headers.get('cache-control'), 'private, no-store');
  });

  test("is 404 for the gift's recipient, another account and another store", async () => {
    const gift = await recordOrder({ gift: { recipient: { email: 'grace@example.com' } } });
    const other = await t.addStore('other');
    await setSeller(t, northwindSeller, other);
    await recordOrder({}, other);
    const ada = await signInByEmail(t, 'ada@example.com');
    const grace = await signInByEmail(t, 'grace@example.com');
    t.clock.advance(1000);
    const adaElsewhere = await signInByEmail(t, 'ada@example.com', { store: other });
    assert.equal(
      (await portal(t, 'GET', `/orders/${gift.id}/invoice.pdf`, undefined, { token: ada.token })).status,
      200,
    );
    for (const [token, store] of [
      [grace.token, t.store],
      [adaElsewhere.token, other],
    ] as const) {
      for (const path of [`/orders/${gift.id}/invoice.pdf`, `/orders/${gift.id}/invoice`]) {
        const response = await portal(t, 'GET', path, undefined, { token, store });
        assert.equal(response.status, 404, path);
        assert.equal((await json(response)).error.code, 'not_found');
      }
    }
    await recordOrder({ customer: { email: 'bob@example.com' } });
    const bobs = (await json(await t.api('GET', '/api/orders'))).data.find(
      (o: { customer: { email: string } }) => o.customer.email === 'bob@example.com',
    );
    assert.equal(
      (await portal(t, 'GET', `/orders/${bobs.id}/invoice.pdf`, undefined, { token: ada.token })).status,
      404,
    );
    assert.equal((await portal(t, 'GET', `/orders/${gift.id}/invoice.pdf`)).status, 401);
  });

  test('prints the invoice in English: number, seller, buyer, lines, tax per rate, payment and reverse charge', async () => {
    const order = await recordOrder({
      ...businessBuyer,
      items: [
        { product: 'toolkit', displayName: 'Photo Toolkit', quantity: 2, unitPrice: 4900, discount: 800, tax: 0 },
      ],
    });
    const { token } = await signInByEmail(t, 'ada@example.com');
    const text = pdfText(
      await pdfOf(await portal(t, 'GET', `/orders/${order.id}/invoice.pdf?lang=en`, undefined, { token })),
    );
    for (const expected of [
      'Invoice',
      'Invoice number INV-2026-000001',
      'Invoice date January 15, 2026',
      'Date of supply January 15, 2026',
      'Northwind Software GmbH',
      'Friedrichstraße 68',
      '10117 Berlin',
      'Germany',
      'VAT ID: DE123456789',
      'Analytical Engines Ltd',
      'Ada Lovelace',
      '12 St James’s Square',
      'SW1Y 4JH London',
      'United Kingdom',
      'Tax ID: GB123456789',
      'Business purchase',
      'Photo Toolkit',
      '$49.00',
      '−$8.00',
      '$90.00',
      'Total (USD) $90.00',
      'Paid on January 15, 2026 with Visa •••• 4242.',
      'Reverse charge',
      'View this order in your account',
      `https://portal.test/account/shop#/orders/${order.id}`,
      'Page 1 of 1',
      'IBAN DE89',
    ])
      assert.ok(text.includes(expected), `missing "${expected}" in:\n${text}`);
  });

  test("prints the invoice in German, the account's language by default", async () => {
    const order = await recordOrder({
      customer: { email: 'jonas@example.de', firstName: 'Jonas', lastName: 'Weber', language: 'de' },
      currency: 'EUR',
      billingDetails: { country: 'DE', postalCode: '80331' },
    });
    const { token } = await signInByEmail(t, 'jonas@example.de');
    const text = pdfText(await pdfOf(await portal(t, 'GET', `/orders/${order.id}/invoice.pdf`, undefined, { token })));
    for (const expected of [
      'Rechnung',
      'Rechnungsnummer INV-2026-000001',
      'Rechnungsdatum 15. Januar 2026',
      'Rechnungsempfänger'.toUpperCase(),
      'Jonas Weber',
      '80331',
      'Deutschland',
      'Privater Kauf',
      'Einzelpreis',
      '49,00 €',
      'USt. 20 % auf 90,00 €',
      '18,00 €',
      'Gesamtbetrag (EUR) 108,00 €',
      'Bezahlt am 15. Januar 2026 mit Visa •••• 4242.',
      'Seite 1 von 1',
    ])
      assert.ok(text.includes(expected), `missing "${expected}" in:\n${text}`);
    assert.ok(!text.includes('Reverse'), 'no reverse-charge note for a private buyer who paid tax');
  });

  test('renders Cyrillic and Greek names, and a long order onto more pages', async () => {
    const items = Array.from({ length: 40 }, (_, i) => ({
      product: `item-${i}`,
      displayName: `Font Pack ${i + 1} — Кириллица и Ελληνικά`,
      quantity: 1,
      unitPrice: 1000,
      tax: 190,
      taxRate: 0.19,
    }));
    const order = await recordOrder({
      customer: { email: 'ada@example.com', firstName: 'Анна', lastName: 'Παπαδοπούλου' },
      items,
    });
    const { token } = await signInByEmail(t, 'ada@example.com');
    const pdf = await pdfOf(await portal(t, 'GET', `/orders/${order.id}/invoice.pdf`, undefined, { token }));
    const text = pdfText(pdf);
    assert.ok(text.includes('Анна Παπαδοπούλου'), text);
    assert.ok(text.includes('Font Pack 40 — Кириллица и') && text.includes('Ελληνικά'), text);
    assert.ok(text.includes('Tax 19% on $400.00'), text);
    const info = pdfInfo(pdf);
    assert.ok(info.pages >= 2, `pages: ${info.pages}`);
    assert.ok(text.includes(`Page 2 of ${info.pages}`));
    assert.ok(pdf.byteLength < 150_000, `${pdf.byteLength} bytes`);
  });

  test('prints Japanese, Arabic and Hebrew names and products in their scripts, right to left in Arabic and Hebrew', async () => {
    const order = await recordOrder({
      customer: { email: 'ada@example.com', firstName: 'דוד', lastName: 'כהן' },
      currency: 'EUR',
      items: [
        { product: 'a', displayName: '写真ツールキット', quantity: 1, unitPrice: 4900, tax: 0 },
        { product: 'b', displayName: 'أدوات الصور', quantity: 2, unitPrice: 1500, tax: 0 },
      ],
    });
    const { token } = await signInByEmail(t, 'ada@example.com');
    for (const lang of ['he', 'ar', 'ja']) {
      const pdf = await pdfOf(
        await portal(t, 'GET', `/orders/${order.id}/invoice.pdf?lang=${lang}`, undefined, { token }),
      );
      const text = pdfText(pdf).replace(/[\u202a-\u202e]/g, '');
      for (const expected of ['דוד כהן', '写真ツールキット', 'أدوات الصور', 'INV-2026-000001', '79.00'])
        assert.ok(text.includes(expected), `${lang}: missing "${expected}" in:\n${text}`);
    }
  });

  test('prints in every language: its title, column labels and total label, and the total as Intl writes it there', async () => {
    const order = await recordOrder({ currency: 'EUR' });
    const { token } = await signInByEmail(t, 'ada@example.com');
    for (const lang of languages) {
      const pdf = await pdfOf(
        await portal(t, 'GET', `/orders/${order.id}/invoice.pdf?lang=${lang}`, undefined, { token }),
      );
      // Without the embedding marks pdftotext puts around right-to-left runs; shaped Arabic read back as letters.
      const text = pdfText(pdf)
        .replace(/[\u202a-\u202e\u200e\u200f\u061c]/g, '')
        .normalize('NFKC');
      const words = messages(lang).pdf;
      // Word by word: a label may wrap in its column, and a right-to-left line comes out in pdftotext's order.
      const labels = [
        words.invoice,
        words.columns.description,
        words.columns.unitPrice,
        words.total.replace('{{currency}}', 'EUR'),
      ];
      // (pdftotext turns brackets around in right-to-left lines, so they are left out.)
      for (const word of labels.flatMap((label) =>
        label
          .normalize('NFKC')
          .split(/[\s()]+/)
          .filter(Boolean),
      ))
        assert.ok(text.includes(word), `${lang}: missing "${word}" in:\n${text}`);
      const total = formatsFor(lang, 'EUR')
        .money(order.total)
        .replace(/[\u061c\u200e\u200f]/g, '')
        .normalize('NFKC');
      const digits = /[\d.,\u00a0\u202f\u066b\u066c]*\d/.exec(total)![0];
      assert.ok(text.includes(directionOf(lang) === 'rtl' ? digits : total), `${lang}: missing ${total} in:\n${text}`);
    }
  });

  test('uses Letter for a US seller and A4 elsewhere, unless the store chose', async () => {
    const order = await recordOrder();
    const { token } = await signInByEmail(t, 'ada@example.com');
    const size = async () =>
      pdfInfo(await pdfOf(await portal(t, 'GET', `/orders/${order.id}/invoice.pdf`, undefined, { token }))).size;
    assert.equal(await size(), '595.28 x 841.89');
    await setSeller(t, { ...northwindSeller, country: 'US', state: 'WA', postalCode: '98052', city: 'Redmond' });
    assert.equal(await size(), '595.28 x 841.89', 'an issued invoice keeps its seller');
    const us = await recordOrder();
    const usSize = pdfInfo(
      await pdfOf(await portal(t, 'GET', `/orders/${us.id}/invoice.pdf`, undefined, { token })),
    ).size;
    assert.equal(usSize, '612 x 792');
    await setSetting(t, 'invoicePaperSize', 'a4');
    assert.equal(
      pdfInfo(await pdfOf(await portal(t, 'GET', `/orders/${us.id}/invoice.pdf`, undefined, { token }))).size,
      '595.28 x 841.89',
    );
  });

  test('never fails over an unreachable logo', async () => {
    const theme = await t.api('GET', '/api/checkouts/default');
    assert.equal(theme.status, 200);
    const put = await t.api('PUT', '/api/checkouts/default', {
      ...(await json(theme)).theme,
      logoUrl: 'https://127.0.0.1:1/logo.png',
    });
    assert.equal(put.status, 200, await put.clone().text());
    const order = await recordOrder();
    const { token } = await signInByEmail(t, 'ada@example.com');
    await pdfOf(await portal(t, 'GET', `/orders/${order.id}/invoice.pdf`, undefined, { token }));
  });
});

describe('PUT /portal/{store}/orders/{id}/invoice', () => {
  const correction = {
    businessName: 'Lovelace Analytics Ltd',
    taxId: 'GB999999973',
    addressLine1: '1 Marylebone Road',
    city: 'London',
    postalCode: 'NW1 5LR',
    isBusiness: true,
  };

  beforeEach(async () => {
    await setSeller(t);
  });

  test('makes revision 2 with the same number, keeps revision 1 for the merchant and tells the merchant', async () => {
    const order = await recordOrder({ billingDetails: { country: 'GB', postalCode: 'SW1Y 4JH' } });
    const { token } = await signInByEmail(t, 'ada@example.com');
    const before = await portal(t, 'GET', `/orders/${order.id}/invoice`, undefined, { token });
    assert.equal(before.status, 200);
    assert.deepEqual((await json(before)).revision, 1);

    const response = await portal(t, 'PUT', `/orders/${order.id}/invoice`, correction, { token });
    assert.equal(response.status, 200, await response.clone().text());
    const revised = await json(response);
    assert.equal(revised.number, 'INV-2026-000001');
    assert.equal(revised.revision, 2);
    assert.equal(revised.billingDetails.businessName, 'Lovelace Analytics Ltd');
    assert.equal(revised.billingDetails.country, 'GB');

    const latest = await pdfOf(await t.api('GET', `/api/orders/${order.id}/invoice.pdf`));
    const text = pdfText(latest);
    assert.ok(
      text.includes('Revision 2') && text.includes('Lovelace Analytics Ltd') && text.includes('INV-2026-000001'),
    );
    const first = pdfText(await pdfOf(await t.api('GET', `/api/orders/${order.id}/invoice.pdf?revision=1&lang=de`)));
    assert.ok(!first.includes('Lovelace Analytics') && !first.includes('Korrektur'));
    const json1 = await t.api('GET', `/api/orders/${order.id}/invoice?revision=1`);
    assert.equal(json1.status, 200);
    assert.deepEqual(
      [(await json(json1)).revision, (await json(await t.api('GET', `/api/orders/${order.id}/invoice`))).revisions],
      [1, 2],
    );
    assert.equal((await t.api('GET', `/api/orders/${order.id}/invoice?revision=3`)).status, 404);

    const [event] = await eventsOf(t, 'order.invoice_updated');
    assert.equal(event.data.orderId, order.id);
    assert.equal(event.data.revision, 2);
    const account = firstRow(await t.db.select().from(accounts).where(eq(accounts.email, 'ada@example.com')))!;
    assert.equal(account.businessName, null, 'the account keeps its own billing details');
  });

  test('changes nothing when nothing changed, and the account too when asked', async () => {
    const order = await recordOrder();
    const { token } = await signInByEmail(t, 'ada@example.com');
    await portal(t, 'PUT', `/orders/${order.id}/invoice`, correction, { token });
    const again = await portal(
      t,
      'PUT',
      `/orders/${order.id}/invoice`,
      { ...correction, alsoUseForFutureInvoices: true },
      { token },
    );
    assert.equal(again.status, 200);
    assert.equal((await json(again)).revision, 2);
    assert.equal((await t.db.select().from(invoices).where(eq(invoices.orderId, order.id))).length, 2);
    const account = firstRow(await t.db.select().from(accounts).where(eq(accounts.email, 'ada@example.com')))!;
    assert.deepEqual(
      [account.businessName, account.taxId, account.billingPostalCode, account.isBusiness],
      ['Lovelace Analytics Ltd', 'GB999999973', 'NW1 5LR', true],
    );
    const next = await recordOrder();
    const invoice = await json(await t.api('GET', `/api/orders/${next.id}/invoice`));
    assert.equal(invoice.billingDetails.addressLine1, '1 Marylebone Road', "the next order's invoice starts from them");
  });

  test('keeps the country of an order taxed for it, and checks fields', async () => {
    const order = await recordOrder({ billingDetails: { country: 'GB' } });
    const { token } = await signInByEmail(t, 'ada@example.com');
    const locked = await portal(
      t,
      'PUT',
      `/orders/${order.id}/invoice`,
      { ...correction, country: 'DE', postalCode: '10117' },
      { token },
    );
    assert.equal(locked.status, 422);
    const body = await json(locked);
    assert.equal(body.error.details[0].field, 'country');
    assert.equal(body.error.details[0].code, 'country_locked');
    assert.equal(
      (await json(await portal(t, 'GET', `/orders/${order.id}/invoice`, undefined, { token }))).countryLocked,
      true,
    );

    const untaxed = await recordOrder({
      items: [{ product: 'x', displayName: 'X', quantity: 1, unitPrice: 100, tax: 0 }],
    });
    const moved = await portal(
      t,
      'PUT',
      `/orders/${untaxed.id}/invoice`,
      { ...correction, country: 'DE', postalCode: '10117' },
      { token },
    );
    assert.equal(moved.status, 200, await moved.clone().text());
    assert.equal((await json(moved)).billingDetails.country, 'DE');

    const missingName = await portal(t, 'PUT', `/orders/${untaxed.id}/invoice`, { isBusiness: true }, { token });
    assert.equal(missingName.status, 422);
    assert.equal((await json(missingName)).error.details[0].field, 'businessName');
    const badPostal = await portal(t, 'PUT', `/orders/${untaxed.id}/invoice`, { postalCode: 'ABCDE' }, { token });
    assert.equal(badPostal.status, 422);
  });

  test('is 404 for the recipient of a gift', async () => {
    const gift = await recordOrder({ gift: { recipient: { email: 'grace@example.com' } } });
    const { token } = await signInByEmail(t, 'grace@example.com');
    assert.equal((await portal(t, 'PUT', `/orders/${gift.id}/invoice`, correction, { token })).status, 404);
  });
});
