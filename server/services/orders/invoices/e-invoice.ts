import type { Invoice } from '@e-invoice-eu/core';
import { brandName } from '../../../lib/card-brands';
import { problem } from '../../../lib/errors';
import { minorUnitDigits } from '../../../lib/money';
import type { SellerDetails } from '../../../lib/seller';
import type { InvoiceBuyer } from './issue';

/**
 * Which EN 16931 document a source becomes: an invoice (UNTDID 1001 type code
 * 380) or a credit note (381, which the library writes as a UBL `CreditNote`).
 */
export type EInvoiceKind = 'invoice' | 'creditNote';

/** A line of the document, amounts in minor units of the document's currency. */
export interface EInvoiceLine {
  description: string;
  /** The seller's item identifier (BT-155): the product key. */
  productKey: string | null;
  quantity: number;
  unitPrice: number;
  /** The discount on the whole line (a line allowance, BG-27). */
  discount: number;
  tax: number;
  /** The line's tax rate in parts per million; null when unknown. */
  taxRatePpm: number | null;
  period: { start: Date; end: Date } | null;
}

/**
 * Everything an EN 16931 document says, in our terms. Invoices build it from an
 * invoice revision (`invoiceSource`); a credit note would build it from a refund,
 * with `kind: 'creditNote'` and the invoice it corrects as `precedingInvoice`.
 */
export interface EInvoiceSource {
  kind: EInvoiceKind;
  number: string;
  issuedAt: Date;
  currency: string;
  /** Free-text notes (BT-22), in English. */
  notes: string[];
  /** Our order reference (BT-14, the sales order reference). */
  orderReference: string;
  /** The invoice a credit note corrects (BG-3). */
  precedingInvoice: { number: string; issuedAt: Date } | null;
  /** The date of supply (BT-72), or the period a renewal pays for (BG-14). */
  supply: { date: Date } | { start: Date; end: Date };
  seller: SellerDetails;
  buyer: InvoiceBuyer;
  lines: EInvoiceLine[];
  /** What paid (brand and last four digits), when something did. */
  payment: { brand: string | null; last4: string | null } | null;
  /** What was paid already (BT-113), in minor units. */
  prepaid: number;
  /** A business buyer with a tax id was charged no tax and accounts for it (VAT category AE). */
  reverseCharge: boolean;
}

type Ubl = Invoice['ubl:Invoice'];
type Currency = Ubl['cbc:DocumentCurrencyCode'];
type SellerParty = Ubl['cac:AccountingSupplierParty']['cac:Party'];
type BuyerParty = Ubl['cac:AccountingCustomerParty']['cac:Party'];
type Country = BuyerParty['cac:PostalAddress']['cac:Country']['cbc:IdentificationCode'];
type Line = Ubl['cac:InvoiceLine'][number];
type TaxCategory = Line['cac:Item']['cac:ClassifiedTaxCategory'];
type Category = 'S' | 'Z' | 'AE' | 'O';
type Vat = { category: Category; percent: string | null };

/** What every part of a document is written with: its amounts, currency and the VAT of its lines. */
interface Writer {
  money: (minor: number) => string;
  currency: Currency;
  vatOf: (line: EInvoiceLine) => Vat;
}

/** Why a category applies, for the categories EN 16931 wants a reason for (BT-120, BT-121). */
const exemptions: Partial<Record<Category, { code: string; text: string }>> = {
  AE: { code: 'VATEX-EU-AE', text: 'Reverse charge' },
  O: { code: 'VATEX-EU-O', text: 'Not subject to VAT' },
};

/**
 * The document in the shape of `@e-invoice-eu/core`'s invoice schema (UBL
 * element names, EN 16931 semantics). The VAT category of each line follows from
 * the order: AE (reverse charge) for a business buyer with a tax id charged no
 * tax, O (not subject to VAT) when no line carried tax, otherwise S (standard
 * rated, at the line's rate) for a taxed line and Z (zero rated) for an untaxed
 * one. Fails with `409` when EN 16931 cannot carry the document: a currency with
 * more than two decimals, or a buyer without a country.
 */
export function toEInvoice(source: EInvoiceSource): Invoice {
  const digits = minorUnitDigits(source.currency);
  if (digits > 2) throw problem('e_invoice_unavailable', { reason: 'currency_decimals', currency: source.currency });
  if (!source.buyer.country) throw problem('e_invoice_buyer_country_missing');
  const w: Writer = {
    money: (minor) => amount(minor, digits),
    currency: source.currency as Currency,
    vatOf: vatOfLines(source),
  };
  const outsideScope = source.lines.some((l) => w.vatOf(l).category === 'O');
  return {
    'ubl:Invoice': {
      'cbc:ID': source.number,
      'cbc:IssueDate': isoDate(source.issuedAt),
      'cbc:InvoiceTypeCode': source.kind === 'creditNote' ? '381' : '380',
      ...(source.notes.length > 0 && { 'cbc:Note': source.notes }),
      'cbc:DocumentCurrencyCode': w.currency,
      ...references(source),
      'cac:AccountingSupplierParty': { 'cac:Party': sellerParty(source.seller, outsideScope) },
      'cac:AccountingCustomerParty': { 'cac:Party': buyerParty(source.buyer, outsideScope) },
      ...('date' in source.supply && { 'cac:Delivery': { 'cbc:ActualDeliveryDate': isoDate(source.supply.date) } }),
      ...paymentMeans(source),
      ...totals(source, w),
      // An order has at least one item, so the list is never empty.
      'cac:InvoiceLine': source.lines.map((line, index) => invoiceLine(line, index, w)) as Ubl['cac:InvoiceLine'],
    },
  };
}

/** The VAT category and rate of each line of a document (see {@link toEInvoice}). */
function vatOfLines(source: EInvoiceSource): (line: EInvoiceLine) => Vat {
  const taxed = source.lines.some((l) => l.tax > 0);
  return (line) => {
    if (source.reverseCharge) return { category: 'AE', percent: '0' };
    if (!taxed) return { category: 'O', percent: null };
    if (line.tax === 0) return { category: 'Z', percent: '0' };
    return { category: 'S', percent: percent(line.taxRatePpm ?? 0) };
  };
}

const lineNet = (line: EInvoiceLine) => line.quantity * line.unitPrice - line.discount;

/** The invoicing period (BG-14), our order (BT-14) and, for a credit note, the invoice it corrects (BG-3). */
function references(
  source: EInvoiceSource,
): Pick<Ubl, 'cac:InvoicePeriod' | 'cac:OrderReference' | 'cac:BillingReference'> {
  const { supply, precedingInvoice } = source;
  return {
    ...('start' in supply && {
      'cac:InvoicePeriod': { 'cbc:StartDate': isoDate(supply.start), 'cbc:EndDate': isoDate(supply.end) },
    }),
    'cac:OrderReference': { 'cbc:SalesOrderID': source.orderReference },
    ...(precedingInvoice && {
      'cac:BillingReference': [
        {
          'cac:InvoiceDocumentReference': {
            'cbc:ID': precedingInvoice.number,
            'cbc:IssueDate': isoDate(precedingInvoice.issuedAt),
          },
        },
      ],
    }),
  };
}

/** The VAT total with its breakdown (BG-23) and the document totals (BG-22). */
function totals(source: EInvoiceSource, w: Writer): Pick<Ubl, 'cac:TaxTotal' | 'cac:LegalMonetaryTotal'> {
  const net = source.lines.reduce((sum, l) => sum + lineNet(l), 0);
  const tax = source.lines.reduce((sum, l) => sum + l.tax, 0);
  const { money, currency } = w;
  return {
    'cac:TaxTotal': [
      {
        'cbc:TaxAmount': money(tax),
        'cbc:TaxAmount@currencyID': currency,
        'cac:TaxSubtotal': vatBreakdown(source.lines, w),
      },
    ],
    'cac:LegalMonetaryTotal': {
      'cbc:LineExtensionAmount': money(net),
      'cbc:LineExtensionAmount@currencyID': currency,
      'cbc:TaxExclusiveAmount': money(net),
      'cbc:TaxExclusiveAmount@currencyID': currency,
      'cbc:TaxInclusiveAmount': money(net + tax),
      'cbc:TaxInclusiveAmount@currencyID': currency,
      ...(source.prepaid > 0 && {
        'cbc:PrepaidAmount': money(source.prepaid),
        'cbc:PrepaidAmount@currencyID': currency,
      }),
      'cbc:PayableAmount': money(net + tax - source.prepaid),
      'cbc:PayableAmount@currencyID': currency,
    },
  };
}

function taxCategory({ category, percent }: Vat): TaxCategory {
  return {
    'cbc:ID': category,
    ...(percent !== null && { 'cbc:Percent': percent }),
    'cac:TaxScheme': { 'cbc:ID': 'VAT' },
  };
}

function invoiceLine(line: EInvoiceLine, index: number, w: Writer): Line {
  const { money, currency } = w;
  return {
    'cbc:ID': String(index + 1),
    'cbc:InvoicedQuantity': String(line.quantity),
    // C62: "one" — items are counted in units.
    'cbc:InvoicedQuantity@unitCode': 'C62',
    'cbc:LineExtensionAmount': money(lineNet(line)),
    'cbc:LineExtensionAmount@currencyID': currency,
    ...(line.period && {
      'cac:InvoicePeriod': { 'cbc:StartDate': isoDate(line.period.start), 'cbc:EndDate': isoDate(line.period.end) },
    }),
    ...(line.discount > 0 && {
      'cac:AllowanceCharge': [
        {
          'cbc:ChargeIndicator': 'false',
          // UNTDID 5189 code 95: "Discount".
          'cbc:AllowanceChargeReasonCode': '95',
          'cbc:AllowanceChargeReason': 'Discount',
          'cbc:Amount': money(line.discount),
          'cbc:Amount@currencyID': currency,
        },
      ],
    }),
    'cac:Item': {
      'cbc:Name': line.description,
      ...(line.productKey && { 'cac:SellersItemIdentification': { 'cbc:ID': line.productKey } }),
      'cac:ClassifiedTaxCategory': taxCategory(w.vatOf(line)),
    },
    'cac:Price': { 'cbc:PriceAmount': money(line.unitPrice), 'cbc:PriceAmount@currencyID': currency },
  };
}

/** One VAT breakdown (BG-23) per category and rate: the lines' net amounts and the tax they carried. */
function vatBreakdown(lines: EInvoiceLine[], w: Writer) {
  const groups = new Map<string, { vat: Vat; net: number; tax: number }>();
  for (const line of lines) {
    const vat = w.vatOf(line);
    const key = `${vat.category}:${vat.percent}`;
    const group = groups.get(key) ?? { vat, net: 0, tax: 0 };
    group.net += lineNet(line);
    group.tax += line.tax;
    groups.set(key, group);
  }
  return [...groups.values()].map(({ vat, net, tax }) => {
    const exemption = exemptions[vat.category];
    return {
      'cbc:TaxableAmount': w.money(net),
      'cbc:TaxableAmount@currencyID': w.currency,
      'cbc:TaxAmount': w.money(tax),
      'cbc:TaxAmount@currencyID': w.currency,
      'cac:TaxCategory': {
        ...taxCategory(vat),
        ...(exemption && { 'cbc:TaxExemptionReasonCode': exemption.code, 'cbc:TaxExemptionReason': exemption.text }),
      },
    };
  });
}

/** Whether a tax id is a VAT identifier: EN 16931 wants those with their country prefix (BR-CO-9). */
const isVatId = (id: string) => /^[A-Z]{2}[0-9A-Z]/.test(id.replace(/[\s.-]/g, '').toUpperCase());

function address(
  a: Pick<SellerDetails, 'addressLine1' | 'addressLine2' | 'city' | 'postalCode' | 'state' | 'country'>,
) {
  return {
    ...(a.addressLine1 && { 'cbc:StreetName': a.addressLine1 }),
    ...(a.addressLine2 && { 'cbc:AdditionalStreetName': a.addressLine2 }),
    ...(a.city && { 'cbc:CityName': a.city }),
    ...(a.postalCode && { 'cbc:PostalZone': a.postalCode }),
    ...(a.state && { 'cbc:CountrySubentity': a.state }),
    'cac:Country': { 'cbc:IdentificationCode': a.country as Country },
  };
}

/**
 * The seller (BG-4), reached by its email (BT-34, scheme EM). Its VAT id is the
 * seller VAT identifier (BT-31) — unless it has no country prefix, or the
 * document is not subject to VAT (BR-O-2 forbids BT-31 then): then it is the tax
 * registration identifier (BT-32).
 */
function sellerParty(seller: SellerDetails, outsideScope: boolean): SellerParty {
  const vatId = seller.vatId;
  const scheme = vatId !== null && isVatId(vatId) && !outsideScope ? 'VAT' : 'TAX';
  return {
    'cbc:EndpointID': seller.email!,
    'cbc:EndpointID@schemeID': 'EM',
    'cac:PostalAddress': address(seller),
    ...(vatId && { 'cac:PartyTaxScheme': [{ 'cbc:CompanyID': vatId, 'cac:TaxScheme': { 'cbc:ID': scheme } }] }),
    'cac:PartyLegalEntity': {
      'cbc:RegistrationName': seller.legalName!,
      ...(seller.registrationNumber && { 'cbc:CompanyID': seller.registrationNumber }),
    },
    'cac:Contact': { 'cbc:ElectronicMail': seller.email! },
  };
}

/**
 * The buyer (BG-7) as the invoice revision shows them, reached by email. A tax id
 * with a country prefix is the buyer's VAT identifier (BT-48), except on a
 * document not subject to VAT (BR-O-2); otherwise it is the buyer's legal
 * registration identifier (BT-47), which BR-AE-2 also accepts.
 */
function buyerParty(buyer: InvoiceBuyer, outsideScope: boolean): BuyerParty {
  const taxId = buyer.taxId;
  const asVat = taxId !== null && isVatId(taxId) && !outsideScope;
  return {
    'cbc:EndpointID': buyer.buyerEmail,
    'cbc:EndpointID@schemeID': 'EM',
    'cac:PostalAddress': address(buyer),
    ...(taxId && asVat && { 'cac:PartyTaxScheme': { 'cbc:CompanyID': taxId, 'cac:TaxScheme': { 'cbc:ID': 'VAT' } } }),
    'cac:PartyLegalEntity': {
      'cbc:RegistrationName': buyer.businessName ?? buyer.buyerName ?? buyer.buyerEmail,
      ...(taxId && !asVat && { 'cbc:CompanyID': taxId }),
    },
    'cac:Contact': {
      ...(buyer.businessName && buyer.buyerName && { 'cbc:Name': buyer.buyerName }),
      'cbc:ElectronicMail': buyer.buyerEmail,
    },
  };
}

/**
 * How it was paid (BG-16): a card as UNTDID 4461 code 48 with its brand and last
 * four digits (BG-18 — never more of the number), SEPA direct debit as 59, any
 * other named method as ZZZ (mutually defined) with its name.
 */
function paymentMeans(source: EInvoiceSource): Pick<Ubl, 'cac:PaymentMeans'> {
  const brand = source.payment?.brand;
  if (!brand || source.prepaid === 0) return {};
  const name = brandName(brand);
  const last4 = source.payment?.last4;
  const means: NonNullable<Ubl['cac:PaymentMeans']>[number] =
    brand === 'sepa_debit' || !last4
      ? { 'cbc:PaymentMeansCode': brand === 'sepa_debit' ? '59' : 'ZZZ', 'cbc:PaymentMeansCode@name': name }
      : {
          'cbc:PaymentMeansCode': '48',
          'cbc:PaymentMeansCode@name': name,
          'cac:CardAccount': { 'cbc:PrimaryAccountNumberID': last4, 'cbc:NetworkID': name },
        };
  return { 'cac:PaymentMeans': [means] };
}

/** Minor units as a decimal amount with the currency's digits (`1999` → `19.99`, `500` JPY → `500`). */
export function amount(minor: number, digits: number): string {
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  const sign = minor < 0 ? '-' : '';
  return digits === 0 ? `${sign}${text}` : `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** A rate in parts per million as a percentage (`190000` → `19`, `77000` → `7.7`). */
export function percent(ppm: number): string {
  const whole = Math.floor(ppm / 10_000);
  const fraction = String(ppm % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}

const isoDate = (at: Date) => at.toISOString().slice(0, 10);
