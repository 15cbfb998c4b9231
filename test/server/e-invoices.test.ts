import { first } from '../../server/db/query';
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { invoices } from '../../server/db/schema';
import { DomainError } from '../../server/lib/errors';
import { invoiceSource, renderUbl, toEInvoice } from '../../server/services/orders';
import { amount, percent } from '../../server/services/orders/invoices/e-invoice';
import { runRenewals } from '../../server/services/billing/renewals/run';
import { createTestContext, json, type TestContext, type TestStore } from '../helpers/app';
import { en16931Violations } from '../helpers/en16931';
import { oneTimeOrder } from '../helpers/fixtures';
import { northwindSeller, pdfText, setSeller } from '../helpers/invoices';
import { portal, signInByEmail } from '../helpers/portal';
import { ordersOfKind, startSubscription, withCatalog } from '../helpers/renewals';
import { value, values, wellFormednessErrors, xpath } from '../helpers/ubl';

let t: TestContext;
beforeEach(async () => {
  t = await createTestContext({ now: '2026-01-15T12:00:00.000Z' });
  await setSeller(t);
});

async function recordOrder(overrides: Record<string, unknown> = {}, store?: TestStore) {
  const response = await t.api('POST', '/api/orders', oneTimeOrder(overrides), { store });
  assert.equal(response.status, 201, await response.clone().text());
  return json(response);
}

/** The body of an e-invoice download, after checking that it is one and that libxml2 parses it. */
async function xmlOf(response: Response): Promise<string> {
  assert.equal(response.status, 200, response.status === 200 ? '' : await response.clone().text());
  assert.equal(response.headers.get('content-type'), 'application/xml');
  const xml = await response.text();
  assert.deepEqual(await wellFormednessErrors(xml), []);
  return xml;
}

/** The merchant's e-invoice of an order, checked against the EN 16931 rules the tests know. */
async function eInvoice(orderId: string, query = ''): Promise<string> {
  const xml = await xmlOf(await t.api('GET', `/api/orders/${orderId}/invoice.xml${query}`));
  assert.deepEqual(await en16931Violations(xml), []);
  return xml;
}

const item = (overrides: Record<string, unknown>) => ({
  product: 'toolkit',
  displayName: 'Photo Toolkit',
  quantity: 1,
  unitPrice: 4900,
  tax: 0,
  ...overrides,
});

const businessBuyer = {
  customer: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', country: 'GB', language: 'en' },
  billingDetails: {
    country: 'GB',
    postalCode: 'SW1Y 4JH',
    businessName: 'Analytical Engines Ltd',
    taxId: 'GB123456789',
    isBusiness: true,
  },
};

describe('GET /api/orders/{id}/invoice.xml', () => {
  test("is an EN 16931 UBL invoice with the PDF's number and amounts: seller, buyer, a taxed line, card payment", async () => {
    const order = await recordOrder({ items: [item({ quantity: 2, tax: 1960, taxRate: 0.2 })] });
    const response = await t.api('GET', `/api/orders/${order.id}/invoice.xml`);
    assert.match(response.headers.get('content-disposition')!, /^attachment; filename="Invoice-INV-2026-000001\.xml"/);
    const xml = await xmlOf(response);
    assert.deepEqual(await en16931Violations(xml), []);
    assert.deepEqual(
      await values(xml, {
        root: 'local-name(/*)',
        customization: '/ubl:Invoice/cbc:CustomizationID/text()',
        number: '/*/cbc:ID/text()',
        issued: '/*/cbc:IssueDate/text()',
        type: '/*/cbc:InvoiceTypeCode/text()',
        currency: '/*/cbc:DocumentCurrencyCode/text()',
        salesOrder: '/*/cac:OrderReference/cbc:SalesOrderID/text()',
        supplied: '/*/cac:Delivery/cbc:ActualDeliveryDate/text()',
        seller: '/*/cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName/text()',
        sellerVat:
          '/*/cac:AccountingSupplierParty//cac:PartyTaxScheme[cac:TaxScheme/cbc:ID="VAT"]/cbc:CompanyID/text()',
        sellerCountry: '/*/cac:AccountingSupplierParty//cac:Country/cbc:IdentificationCode/text()',
        sellerEndpoint: '/*/cac:AccountingSupplierParty//cbc:EndpointID[@schemeID="EM"]/text()',
        buyer: '/*/cac:AccountingCustomerParty//cac:PartyLegalEntity/cbc:RegistrationName/text()',
        buyerCountry: '/*/cac:AccountingCustomerParty//cac:Country/cbc:IdentificationCode/text()',
        quantity: '/*/cac:InvoiceLine/cbc:InvoicedQuantity[@unitCode="C62"]/text()',
        price: '/*/cac:InvoiceLine/cac:Price/cbc:PriceAmount/text()',
        category: '/*/cac:InvoiceLine//cac:ClassifiedTaxCategory/cbc:ID/text()',
        rate: '/*/cac:InvoiceLine//cac:ClassifiedTaxCategory/cbc:Percent/text()',
        means: '/*/cac:PaymentMeans/cbc:PaymentMeansCode[@name="Visa"]/text()',
        card: '/*/cac:PaymentMeans/cac:CardAccount/cbc:PrimaryAccountNumberID/text()',
        taxable: '/*/cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount[@currencyID="USD"]/text()',
        tax: '/*/cac:TaxTotal/cbc:TaxAmount/text()',
        total: '/*/cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount/text()',
        prepaid: '/*/cac:LegalMonetaryTotal/cbc:PrepaidAmount/text()',
        payable: '/*/cac:LegalMonetaryTotal/cbc:PayableAmount/text()',
      }),
      {
        root: 'Invoice',
        customization: 'urn:cen.eu:en16931:2017',
        number: 'INV-2026-000001',
        issued: '2026-01-15',
        type: '380',
        currency: 'USD',
        salesOrder: order.reference,
        supplied: '2026-01-15',
        seller: 'Northwind Software GmbH',
        sellerVat: 'DE123456789',
        sellerCountry: 'DE',
        sellerEndpoint: 'billing@northwind.example',
        buyer: 'Ada Lovelace',
        buyerCountry: 'GB',
        quantity: '2',
        price: '49.00',
        category: 'S',
        rate: '20',
        means: '48',
        card: '4242',
        taxable: '98.00',
        tax: '19.60',
        total: '117.60',
        prepaid: '117.60',
        payable: '0.00',
      },
    );
    assert.equal(xml.includes('tok_visa'), false, 'no processor token in the document');

    const text = pdfText(
      new Uint8Array(await (await t.api('GET', `/api/orders/${order.id}/invoice.pdf?lang=en`)).arrayBuffer()),
    );
    for (const expected of ['Invoice number INV-2026-000001', 'Tax 20% on $98.00', '$19.60', 'Total (USD) $117.60']) {
      assert.ok(text.includes(expected), `the PDF shows "${expected}":\n${text}`);
    }
  });

  test('a business buyer with a tax ID charged no tax: reverse charge (AE) with its reason and both VAT IDs', async () => {
    const order = await recordOrder({ ...businessBuyer, items: [item({ quantity: 3 })] });
    const xml = await eInvoice(order.id);
    assert.deepEqual(
      await xpath(xml, '/*/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/*[not(self::cac:TaxScheme)]/text()'),
      ['AE', '0', 'VATEX-EU-AE', 'Reverse charge'],
    );
    const buyer = '/*/cac:AccountingCustomerParty/cac:Party';
    assert.deepEqual(
      await values(xml, {
        line: '/*/cac:InvoiceLine//cac:ClassifiedTaxCategory/cbc:ID',
        tax: '/*/cac:TaxTotal/cbc:TaxAmount',
        buyerVat: `${buyer}/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID="VAT"]/cbc:CompanyID`,
        sellerVat: '/*/cac:AccountingSupplierParty//cac:PartyTaxScheme[cac:TaxScheme/cbc:ID="VAT"]/cbc:CompanyID',
        name: `${buyer}/cac:PartyLegalEntity/cbc:RegistrationName`,
        contact: `${buyer}/cac:Contact/cbc:Name`,
        postalCode: `${buyer}/cac:PostalAddress/cbc:PostalZone`,
        total: '/*/cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount',
      }),
      {
        line: 'AE',
        tax: '0.00',
        buyerVat: 'GB123456789',
        sellerVat: 'DE123456789',
        name: 'Analytical Engines Ltd',
        contact: 'Ada Lovelace',
        postalCode: 'SW1Y 4JH',
        total: '147.00',
      },
    );
  });

  test('other ways to pay: SEPA direct debit as code 59, a method without card digits as ZZZ with its name', async () => {
    const sepa = await recordOrder({
      paymentMethod: { token: 'tok_sepa', type: 'sepa_debit', brand: 'sepa_debit', last4: '3000' },
    });
    const paypal = await recordOrder({ paymentMethod: { token: 'tok_paypal', type: 'paypal', brand: 'paypal' } });
    const means = '/*/cac:PaymentMeans/cbc:PaymentMeansCode';
    const paid = (xml: string) =>
      values(xml, { code: means, name: `${means}/@name`, cards: 'count(//cac:CardAccount)' });
    assert.deepEqual(await paid(await eInvoice(sepa.id)), { code: '59', name: 'SEPA Direct Debit', cards: '0' });
    assert.deepEqual(await paid(await eInvoice(paypal.id)), { code: 'ZZZ', name: 'PayPal', cards: '0' });
  });

  test('a discounted line: a line allowance with its reason, the net amount and totals after the discount', async () => {
    const order = await recordOrder({ items: [item({ quantity: 2, discount: 800, tax: 1800, taxRate: 0.2 })] });
    const xml = await eInvoice(order.id);
    const allowance = '/*/cac:InvoiceLine/cac:AllowanceCharge';
    assert.deepEqual(await xpath(xml, `${allowance}/*/text()`), ['false', '95', 'Discount', '8.00']);
    assert.deepEqual(
      await values(xml, {
        lineNet: '/*/cac:InvoiceLine/cbc:LineExtensionAmount',
        price: '/*/cac:InvoiceLine/cac:Price/cbc:PriceAmount',
        lineTotal: '/*/cac:LegalMonetaryTotal/cbc:LineExtensionAmount',
        total: '/*/cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount',
      }),
      { lineNet: '90.00', price: '49.00', lineTotal: '90.00', total: '108.00' },
    );
    const pdf = pdfText(
      new Uint8Array(await (await t.api('GET', `/api/orders/${order.id}/invoice.pdf`)).arrayBuffer()),
    );
    assert.ok(pdf.includes('−$8.00') && pdf.includes('Total (USD) $108.00'), pdf);
  });

  test('several rates and an untaxed line: one VAT breakdown per rate, Z for the untaxed line', async () => {
    const order = await recordOrder({
      currency: 'EUR',
      items: [
        item({ displayName: 'Software', unitPrice: 10000, tax: 1900, taxRate: 0.19 }),
        item({ product: 'book', displayName: 'E-book', unitPrice: 2000, tax: 140, taxRate: 0.07 }),
        item({ product: 'course', displayName: 'Course', quantity: 2, unitPrice: 1000, tax: 380, taxRate: 0.19 }),
        item({ product: 'donation', displayName: 'Donation', unitPrice: 500 }),
      ],
    });
    const xml = await eInvoice(order.id);
    const breakdown = '/*/cac:TaxTotal/cac:TaxSubtotal';
    const nth = (i: number) =>
      `concat(${breakdown}[${i}]/cac:TaxCategory/cbc:ID, " ", ${breakdown}[${i}]/cac:TaxCategory/cbc:Percent, "% ", ` +
      `${breakdown}[${i}]/cbc:TaxableAmount, " ", ${breakdown}[${i}]/cbc:TaxAmount)`;
    assert.deepEqual(
      await values(xml, {
        count: `count(${breakdown})`,
        first: nth(1),
        second: nth(2),
        third: nth(3),
        total: '/*/cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount',
      }),
      { count: '3', first: 'S 19% 120.00 22.80', second: 'S 7% 20.00 1.40', third: 'Z 0% 5.00 0.00', total: '169.20' },
    );
  });

  test('an order with no tax: not subject to VAT (O), with its reason and without VAT identifiers', async () => {
    const order = await recordOrder({ items: [item({})] });
    const xml = await eInvoice(order.id);
    assert.deepEqual(
      await xpath(xml, '/*/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/*[not(self::cac:TaxScheme)]/text()'),
      ['O', 'VATEX-EU-O', 'Not subject to VAT'],
    );
    assert.deepEqual(
      await values(xml, {
        vatIds: 'count(//cac:PartyTaxScheme[cac:TaxScheme/cbc:ID="VAT"])',
        // The seller's VAT ID stays, as its tax registration (BT-32).
        sellerTaxId: '/*/cac:AccountingSupplierParty//cac:PartyTaxScheme/cbc:CompanyID',
      }),
      { vatIds: '0', sellerTaxId: 'DE123456789' },
    );
  });

  test('a renewal: the period it pays for, on the invoice and on its line', async () => {
    await withCatalog(t);
    await startSubscription(t);
    t.clock.set('2026-02-15T12:00:00.000Z');
    assert.equal((await runRenewals(t.deps)).renewed, 1);
    const [rebill] = await ordersOfKind(t, 'rebill');
    const xml = await eInvoice(rebill.id);
    const period = (base: string) => `concat(${base}/cbc:StartDate, " – ", ${base}/cbc:EndDate)`;
    assert.deepEqual(
      await values(xml, {
        period: period('/*/cac:InvoicePeriod'),
        linePeriod: period('/*/cac:InvoiceLine/cac:InvoicePeriod'),
        deliveries: 'count(/*/cac:Delivery)',
        number: '/*/cbc:ID',
        total: '/*/cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount',
      }),
      {
        period: '2026-02-15 – 2026-03-15',
        linePeriod: '2026-02-15 – 2026-03-15',
        deliveries: '0',
        number: 'INV-2026-000002',
        total: '22.61',
      },
    );
    const pdf = pdfText(
      new Uint8Array(await (await t.api('GET', `/api/orders/${rebill.id}/invoice.pdf`)).arrayBuffer()),
    );
    assert.ok(pdf.includes('February 15, 2026 – March 15, 2026') && pdf.includes('Total (USD) $22.61'), pdf);
  });

  test('each revision: the same number, that revision’s buyer and a note naming the correction', async () => {
    const order = await recordOrder({ billingDetails: { country: 'GB', postalCode: 'SW1Y 4JH' } });
    t.clock.advance(86_400_000);
    const { token } = await signInByEmail(t, 'ada@example.com');
    const corrected = await portal(
      t,
      'PUT',
      `/orders/${order.id}/invoice`,
      {
        businessName: 'Lovelace Analytics Ltd',
        taxId: 'GB999999973',
        city: 'London',
        postalCode: 'NW1 5LR',
        isBusiness: true,
      },
      { token },
    );
    assert.equal(corrected.status, 200, await corrected.clone().text());

    const latest = await eInvoice(order.id);
    const first = await eInvoice(order.id, '?revision=1');
    assert.equal(await eInvoice(order.id, '?revision=2'), latest);
    const facts = {
      number: '/*/cbc:ID',
      issued: '/*/cbc:IssueDate',
      buyer: '/*/cac:AccountingCustomerParty//cac:PartyLegalEntity/cbc:RegistrationName',
      notes: 'count(/*/cbc:Note)',
      note: '/*/cbc:Note',
    };
    assert.deepEqual(await values(first, facts), {
      number: 'INV-2026-000001',
      issued: '2026-01-15',
      buyer: 'Ada Lovelace',
      notes: '0',
      note: '',
    });
    assert.deepEqual(await values(latest, facts), {
      number: 'INV-2026-000001',
      issued: '2026-01-15',
      buyer: 'Lovelace Analytics Ltd',
      notes: '1',
      note: "Revision 2 of invoice INV-2026-000001: the buyer's billing details were corrected on 2026-01-16.",
    });
    const response = await t.api('GET', `/api/orders/${order.id}/invoice.xml?revision=2`);
    assert.match(response.headers.get('content-disposition')!, /filename="Invoice-INV-2026-000001-2\.xml"/);
    assert.equal((await t.api('GET', `/api/orders/${order.id}/invoice.xml?revision=3`)).status, 404);
  });

  test('409 while seller details are missing, and 409 e_invoice_buyer_country_missing until the buyer adds one', async () => {
    const unset = await t.addStore('unset');
    const other = await recordOrder({}, unset);
    const missing = await t.api('GET', `/api/orders/${other.id}/invoice.xml`, undefined, { store: unset });
    assert.equal(missing.status, 409);
    assert.equal((await json(missing)).error.code, 'seller_details_missing');

    const order = await recordOrder({ customer: { email: 'ada@example.com', firstName: 'Ada' }, items: [item({})] });
    const countryless = await t.api('GET', `/api/orders/${order.id}/invoice.xml`);
    assert.equal(countryless.status, 409);
    assert.equal((await json(countryless)).error.code, 'e_invoice_buyer_country_missing');
    const { token } = await signInByEmail(t, 'ada@example.com');
    const fixed = await portal(t, 'PUT', `/orders/${order.id}/invoice`, { country: 'IE', city: 'Dublin' }, { token });
    assert.equal(fixed.status, 200, await fixed.clone().text());
    const xml = await eInvoice(order.id);
    assert.equal(await value(xml, '/*/cac:AccountingCustomerParty//cac:Country/cbc:IdentificationCode/text()'), 'IE');
  });

  test("writes amounts with the currency's decimals: JPY has none, and KWD's three are refused", async () => {
    const yen = await recordOrder({ currency: 'JPY', items: [item({ unitPrice: 1200, tax: 120, taxRate: 0.1 })] });
    const xml = await eInvoice(yen.id);
    assert.equal(
      await value(xml, '/*/cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount[@currencyID="JPY"]/text()'),
      '1320',
    );
    const dinar = await recordOrder({ currency: 'KWD', items: [item({ unitPrice: 1500 })] });
    const refused = await t.api('GET', `/api/orders/${dinar.id}/invoice.xml`);
    assert.equal(refused.status, 409);
    const body = await json(refused);
    assert.equal(body.error.code, 'e_invoice_unavailable');
    assert.equal(body.error.details.reason, 'currency_decimals');
  });

  test('is described in both OpenAPI documents as an application/xml download', async () => {
    const api = await json(await t.app.request('/api/openapi.json'));
    const merchant = api.paths['/orders/{orderId}/invoice.xml'].get;
    assert.ok(merchant.responses[200].content['application/xml']);
    assert.match(merchant.responses[409].description, /`e_invoice_buyer_country_missing`/);
    assert.ok(merchant.parameters.some((p: { name: string }) => p.name === 'revision'));
    const portalDoc = await json(await t.app.request('/portal/openapi.json'));
    const customer = portalDoc.paths['/{storeId}/orders/{orderId}/invoice.xml'].get;
    assert.ok(customer.responses[200].content['application/xml']);
    assert.match(customer.responses[409].description, /`seller_details_missing`/);
  });
});

describe('GET /portal/{store}/orders/{id}/invoice.xml', () => {
  test("gives the purchaser the latest revision, the merchant's XML", async () => {
    const order = await recordOrder();
    const { token } = await signInByEmail(t, 'ada@example.com');
    const response = await portal(t, 'GET', `/orders/${order.id}/invoice.xml`, undefined, { token });
    assert.match(response.headers.get('content-disposition')!, /^attachment; filename="Invoice-INV-2026-000001\.xml"/);
    assert.equal(response.headers.get('cache-control'), 'private, no-store');
    assert.equal(await xmlOf(response), await eInvoice(order.id));
  });

  test("is 404 for the gift's recipient, another account and another store, 401 without a session", async () => {
    const gift = await recordOrder({ gift: { recipient: { email: 'grace@example.com' } } });
    const other = await t.addStore('other');
    await setSeller(t, northwindSeller, other);
    await recordOrder({}, other);
    await recordOrder({ customer: { email: 'bob@example.com' } });
    const ada = await signInByEmail(t, 'ada@example.com');
    const grace = await signInByEmail(t, 'grace@example.com');
    const bob = await signInByEmail(t, 'bob@example.com');
    t.clock.advance(1000);
    const adaElsewhere = await signInByEmail(t, 'ada@example.com', { store: other });
    const path = `/orders/${gift.id}/invoice.xml`;
    await xmlOf(await portal(t, 'GET', path, undefined, { token: ada.token }));
    for (const [token, store] of [
      [grace.token, t.store],
      [bob.token, t.store],
      [adaElsewhere.token, other],
    ] as const) {
      const response = await portal(t, 'GET', path, undefined, { token, store });
      assert.equal(response.status, 404);
      assert.equal((await json(response)).error.code, 'not_found');
    }
    assert.equal((await portal(t, 'GET', path)).status, 401);
  });
});

describe('credit notes as e-invoices: /credit-notes/{id}.xml', () => {
  const refundOf = async (orderId: string, body: unknown) => {
    const response = await t.api('POST', `/api/orders/${orderId}/refunds`, body);
    assert.equal(response.status, 201, await response.clone().text());
    return (await json(response)).creditNote as { id: string; number: string };
  };
  const creditNoteXml = async (orderId: string, id: string) => {
    const response = await t.api('GET', `/api/orders/${orderId}/credit-notes/${id}.xml`);
    const xml = await xmlOf(response);
    assert.deepEqual(await en16931Violations(xml), []);
    return { xml, disposition: response.headers.get('content-disposition') };
  };
  const fields = {
    root: 'local-name(/*)',
    number: '/*/cbc:ID/text()',
    type: '/*/cbc:CreditNoteTypeCode/text()',
    corrects: '/*/cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID/text()',
    correctsIssued: '/*/cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate/text()',
    buyer: '/*/cac:AccountingCustomerParty//cac:PartyLegalEntity/cbc:RegistrationName/text()',
    lines: 'count(/*/cac:CreditNoteLine)',
    quantity: '/*/cac:CreditNoteLine[1]/cbc:CreditedQuantity/text()',
    net: '/*/cac:CreditNoteLine[1]/cbc:LineExtensionAmount/text()',
    tax: '/*/cac:TaxTotal/cbc:TaxAmount/text()',
    total: '/*/cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount/text()',
    prepaid: '/*/cac:LegalMonetaryTotal/cbc:PrepaidAmount/text()',
    payable: '/*/cac:LegalMonetaryTotal/cbc:PayableAmount/text()',
  };

  test('units refunded: a UBL CreditNote (381) naming the invoice it corrects, with the refund as its total', async () => {
    const order = await recordOrder({
      items: [
        item({ quantity: 3, unitPrice: 1000, tax: 570, taxRate: 0.19 }),
        item({ displayName: 'Guide', unitPrice: 500 }),
      ],
    });
    const note = await refundOf(order.id, {
      items: [{ itemId: order.items[0].id, quantity: 2 }],
      reason: 'Two seats unused',
    });
    const { xml, disposition } = await creditNoteXml(order.id, note.id);
    assert.match(disposition!, /^attachment; filename="Credit-note-INV-CN-2026-000001\.xml"/);
    const found = await values(xml, { ...fields, note1: '/*/cbc:Note[1]/text()', note2: '/*/cbc:Note[2]/text()' });
    assert.deepEqual(found, {
      root: 'CreditNote',
      number: note.number,
      type: '381',
      corrects: 'INV-2026-000001',
      correctsIssued: '2026-01-15',
      buyer: 'Ada Lovelace',
      lines: '1',
      quantity: '2',
      net: '20.00',
      tax: '3.80',
      total: '23.80',
      prepaid: '23.80',
      payable: '0.00',
      note1: 'Corrects invoice INV-2026-000001.',
      note2: 'Reason: Two seats unused',
    });
  });

  test('a refund by amount: a share of each line, one unit at the net amount given back, and a corrected buyer', async () => {
    const order = await recordOrder({ items: [item({ quantity: 2, tax: 1960, taxRate: 0.2 })] });
    const { token } = await signInByEmail(t, 'ada@example.com');
    const corrected = await portal(
      t,
      'PUT',
      `/orders/${order.id}/invoice`,
      { businessName: 'Lovelace Analytics Ltd', postalCode: 'NW1 5LR', isBusiness: true },
      { token },
    );
    assert.equal(corrected.status, 200, await corrected.clone().text());
    const note = await refundOf(order.id, { amount: 1200 });
    const { xml } = await creditNoteXml(order.id, note.id);
    const found = await values(xml, fields);
    assert.equal(found.buyer, 'Lovelace Analytics Ltd', 'the buyer of the revision it corrects');
    assert.equal(found.quantity, '1');
    assert.equal(found.total, '12.00');
    assert.equal(found.payable, '0.00');
    assert.equal(Number(found.net) + Number(found.tax), 12);
  });

  test("the purchaser's portal serves the merchant's XML; the recipient of a gift, another account and another store get 404", async () => {
    const order = await recordOrder({ gift: { recipient: { email: 'grace@example.com' } } });
    const note = await refundOf(order.id, {});
    const { xml } = await creditNoteXml(order.id, note.id);
    const path = `/orders/${order.id}/credit-notes/${note.id}.xml`;
    const ada = await signInByEmail(t, 'ada@example.com');
    assert.equal(await xmlOf(await portal(t, 'GET', path, undefined, { token: ada.token })), xml);
    await recordOrder({ customer: { email: 'bob@example.com' } });
    const grace = await signInByEmail(t, 'grace@example.com');
    const bob = await signInByEmail(t, 'bob@example.com');
    for (const token of [grace.token, bob.token]) {
      const response = await portal(t, 'GET', path, undefined, { token });
      assert.equal(response.status, 404, await response.clone().text());
    }
    const other = await recordOrder({});
    const elsewhere = await t.api('GET', `/api/orders/${other.id}/credit-notes/${note.id}.xml`);
    assert.equal(elsewhere.status, 404, "another order's credit note");
    const bad = await t.api('GET', `/api/orders/${order.id}/credit-notes/${note.id}.txt`);
    assert.equal(bad.status, 422);
  });

  test('is described in both OpenAPI documents as a PDF or an application/xml download', async () => {
    const api = await json(await t.app.request('/api/openapi.json'));
    const merchant = api.paths['/orders/{orderId}/credit-notes/{file}'].get;
    assert.deepEqual(Object.keys(merchant.responses[200].content).sort(), ['application/pdf', 'application/xml']);
    assert.match(merchant.responses[409].description, /`e_invoice_buyer_country_missing`/);
    const portalDoc = await json(await t.app.request('/portal/openapi.json'));
    const customer = portalDoc.paths['/{storeId}/orders/{orderId}/credit-notes/{file}'].get;
    assert.deepEqual(Object.keys(customer.responses[200].content).sort(), ['application/pdf', 'application/xml']);
  });
});

describe('e-invoice mapping', () => {
  test('writes minor units and rates exactly', () => {
    assert.deepEqual(
      [amount(1999, 2), amount(5, 2), amount(0, 2), amount(500, 0), amount(-120, 2)],
      ['19.99', '0.05', '0.00', '500', '-1.20'],
    );
    assert.deepEqual(
      [percent(190000), percent(77000), percent(55000), percent(0), percent(123)],
      ['19', '7.7', '5.5', '0', '0.0123'],
    );
  });

  test('a credit-note source becomes a UBL CreditNote (381) that refers to the invoice it corrects', async () => {
    const order = await recordOrder();
    const row = first(
      await t.db
        .select()
        .from(invoices)
        .where(and(eq(invoices.orderId, order.id), eq(invoices.revision, 1))),
    )!;
    const source = {
      ...(await invoiceSource(t.db, row)),
      kind: 'creditNote' as const,
      number: 'INV-CN-2026-000001',
      precedingInvoice: { number: row.number, issuedAt: row.issuedAt },
      prepaid: 0,
    };
    const xml = await renderUbl(toEInvoice(source));
    assert.deepEqual(await wellFormednessErrors(xml), []);
    assert.deepEqual(await en16931Violations(xml), []);
    const corrects = '/*/cac:BillingReference/cac:InvoiceDocumentReference';
    assert.deepEqual(
      await values(xml, {
        root: 'local-name(/*)',
        type: '/*/cbc:CreditNoteTypeCode',
        corrects: `concat(${corrects}/cbc:ID, " of ", ${corrects}/cbc:IssueDate)`,
        quantity: '/*/cac:CreditNoteLine/cbc:CreditedQuantity',
        payable: '/*/cac:LegalMonetaryTotal/cbc:PayableAmount',
      }),
      { root: 'CreditNote', type: '381', corrects: 'INV-2026-000001 of 2026-01-15', quantity: '2', payable: '108.00' },
    );
  });

  test("a document the library's schema refuses is 409 e_invoice_unavailable with its findings", async () => {
    const order = await recordOrder();
    const row = first(await t.db.select().from(invoices).where(eq(invoices.orderId, order.id)))!;
    const data = toEInvoice(await invoiceSource(t.db, row));
    data['ubl:Invoice']['cbc:IssueDate'] = '2026-13-45';
    await assert.rejects(renderUbl(data), (error: unknown) => {
      assert.ok(error instanceof DomainError);
      assert.equal(error.code, 'e_invoice_unavailable');
      assert.equal(error.status, 409);
      const details = error.details as { reason: string; problems: string[] };
      assert.equal(details.reason, 'rejected');
      assert.ok(
        details.problems.some((p) => p.includes('/ubl:Invoice/cbc:IssueDate')),
        details.problems.join('\n'),
      );
      return true;
    });
  });
});
