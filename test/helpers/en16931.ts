import { values } from './ubl';

/**
 * The EN 16931 business rules the tests check on a UBL document, by their ids in
 * the standard: calculations (BR-CO-10, -13 … -18), the VAT categories S, Z, AE
 * and O (rules 02, 05, 08, 09, 10 of each; BR-O-11), VAT identifier prefixes
 * (BR-CO-09), line allowances (BR-41, BR-42) and prices (BR-27). This is our own
 * reading of the rules, written for the documents this project makes; it is not
 * the official CEN Schematron, which needs an XSLT 2.0 processor.
 */
export const checkedRules = [
  'BR-CO-09',
  'BR-CO-10',
  'BR-CO-13',
  'BR-CO-14',
  'BR-CO-15',
  'BR-CO-16',
  'BR-CO-17',
  'BR-CO-18',
  'BR-S-02',
  'BR-S-05',
  'BR-S-08',
  'BR-S-10',
  'BR-Z-02',
  'BR-Z-05',
  'BR-Z-08',
  'BR-Z-09',
  'BR-Z-10',
  'BR-AE-02',
  'BR-AE-05',
  'BR-AE-08',
  'BR-AE-09',
  'BR-AE-10',
  'BR-O-02',
  'BR-O-05',
  'BR-O-08',
  'BR-O-09',
  'BR-O-10',
  'BR-O-11',
  'BR-27',
  'BR-41',
  'BR-42',
] as const;

/** An amount in hundredths (EN 16931 amounts have at most two decimals). */
const cents = (text: string) => (text === '' ? 0 : Math.round(Number(text) * 100));

interface Breakdown {
  taxable: number;
  tax: number;
  category: string;
  percent: string;
  exemption: string;
}

interface Line {
  net: number;
  category: string;
  percent: string;
  price: number;
  allowancesWithoutReason: number;
  allowancesWithoutAmount: number;
}

const party = (role: string) => `/*/cac:${role}/cac:Party`;

/** The document's totals, VAT breakdowns, lines and party identifiers, read in two passes. */
async function read(xml: string) {
  const shape = await values(xml, {
    root: 'local-name(/*)',
    breakdowns: 'count(/*/cac:TaxTotal/cac:TaxSubtotal)',
    lines: 'count(/*/cac:InvoiceLine | /*/cac:CreditNoteLine)',
  });
  const line = shape.root === 'CreditNote' ? 'cac:CreditNoteLine' : 'cac:InvoiceLine';
  const total = (name: string) => `/*/cac:LegalMonetaryTotal/cbc:${name}`;
  const expressions: Record<string, string> = {
    lineTotal: total('LineExtensionAmount'),
    taxExclusive: total('TaxExclusiveAmount'),
    taxInclusive: total('TaxInclusiveAmount'),
    allowances: total('AllowanceTotalAmount'),
    charges: total('ChargeTotalAmount'),
    prepaid: total('PrepaidAmount'),
    rounding: total('PayableRoundingAmount'),
    payable: total('PayableAmount'),
    taxTotal: '/*/cac:TaxTotal[cac:TaxSubtotal]/cbc:TaxAmount',
    sellerVat: `${party('AccountingSupplierParty')}/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID="VAT"]/cbc:CompanyID`,
    sellerTaxRegistration: `${party('AccountingSupplierParty')}/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID!="VAT"]/cbc:CompanyID`,
    buyerVat: `${party('AccountingCustomerParty')}/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID="VAT"]/cbc:CompanyID`,
    buyerLegalId: `${party('AccountingCustomerParty')}/cac:PartyLegalEntity/cbc:CompanyID`,
  };
  for (let i = 1; i <= Number(shape.breakdowns); i++) {
    const b = `/*/cac:TaxTotal/cac:TaxSubtotal[${i}]`;
    Object.assign(expressions, {
      [`b${i}taxable`]: `${b}/cbc:TaxableAmount`,
      [`b${i}tax`]: `${b}/cbc:TaxAmount`,
      [`b${i}category`]: `${b}/cac:TaxCategory/cbc:ID`,
      [`b${i}percent`]: `${b}/cac:TaxCategory/cbc:Percent`,
      [`b${i}exemption`]: `concat(${b}/cac:TaxCategory/cbc:TaxExemptionReasonCode, ${b}/cac:TaxCategory/cbc:TaxExemptionReason)`,
    });
  }
  for (let i = 1; i <= Number(shape.lines); i++) {
    const l = `/*/${line}[${i}]`;
    const allowances = `${l}/cac:AllowanceCharge[cbc:ChargeIndicator="false"]`;
    Object.assign(expressions, {
      [`l${i}net`]: `${l}/cbc:LineExtensionAmount`,
      [`l${i}category`]: `${l}/cac:Item/cac:ClassifiedTaxCategory/cbc:ID`,
      [`l${i}percent`]: `${l}/cac:Item/cac:ClassifiedTaxCategory/cbc:Percent`,
      [`l${i}price`]: `${l}/cac:Price/cbc:PriceAmount`,
      [`l${i}noReason`]: `count(${allowances}[not(cbc:AllowanceChargeReason) and not(cbc:AllowanceChargeReasonCode)])`,
      [`l${i}noAmount`]: `count(${allowances}[not(cbc:Amount)])`,
    });
  }
  const v = await values(xml, expressions);
  const vat: Breakdown[] = Array.from({ length: Number(shape.breakdowns) }, (_, i) => ({
    taxable: cents(v[`b${i + 1}taxable`]),
    tax: cents(v[`b${i + 1}tax`]),
    category: v[`b${i + 1}category`],
    percent: v[`b${i + 1}percent`],
    exemption: v[`b${i + 1}exemption`],
  }));
  const items: Line[] = Array.from({ length: Number(shape.lines) }, (_, i) => ({
    net: cents(v[`l${i + 1}net`]),
    category: v[`l${i + 1}category`],
    percent: v[`l${i + 1}percent`],
    price: cents(v[`l${i + 1}price`]),
    allowancesWithoutReason: Number(v[`l${i + 1}noReason`]),
    allowancesWithoutAmount: Number(v[`l${i + 1}noAmount`]),
  }));
  const list = (text: string) => (text === '' ? [] : [text]);
  return {
    totals: v,
    vat,
    items,
    ids: {
      sellerVat: list(v.sellerVat),
      sellerTaxRegistration: list(v.sellerTaxRegistration),
      buyerVat: list(v.buyerVat),
      buyerLegalId: list(v.buyerLegalId),
    },
  };
}

/** The checked rules (see {@link checkedRules}) that a UBL invoice or credit note breaks, each with what is wrong. */
export async function en16931Violations(xml: string): Promise<string[]> {
  const { totals: t, vat, items, ids } = await read(xml);
  const [lineTotal, taxExclusive, taxInclusive, allowances, charges, prepaid, rounding, payable, taxTotal] = [
    t.lineTotal,
    t.taxExclusive,
    t.taxInclusive,
    t.allowances,
    t.charges,
    t.prepaid,
    t.rounding,
    t.payable,
    t.taxTotal,
  ].map(cents);
  const found: string[] = [];
  const rule = (id: (typeof checkedRules)[number], holds: boolean, what: string) => {
    if (!holds) found.push(`${id}: ${what}`);
  };
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

  rule('BR-CO-10', lineTotal === sum(items.map((l) => l.net)), `line total ${lineTotal} ≠ Σ line net amounts`);
  rule('BR-CO-13', taxExclusive === lineTotal - allowances + charges, `tax exclusive ${taxExclusive}`);
  rule('BR-CO-14', taxTotal === sum(vat.map((b) => b.tax)), `VAT total ${taxTotal} ≠ Σ breakdown tax`);
  rule('BR-CO-15', taxInclusive === taxExclusive + taxTotal, `tax inclusive ${taxInclusive}`);
  rule('BR-CO-16', payable === taxInclusive - prepaid + rounding, `payable ${payable}`);
  rule('BR-CO-18', vat.length > 0, 'no VAT breakdown');
  for (const b of vat) {
    if (b.percent !== '') {
      const expected = Math.round((b.taxable * Number(b.percent)) / 100);
      rule('BR-CO-17', b.tax === expected, `${b.category} ${b.percent}%: tax ${b.tax} ≠ ${expected}`);
    }
    const matching = items.filter((l) => l.category === b.category && (b.category !== 'S' || l.percent === b.percent));
    const id = `BR-${b.category}-08` as (typeof checkedRules)[number];
    if (checkedRules.includes(id)) rule(id, b.taxable === sum(matching.map((l) => l.net)), `${b.category} taxable`);
    if (b.category === 'S') rule('BR-S-10', b.exemption === '', 'S with an exemption reason');
    if (b.category === 'Z') rule('BR-Z-10', b.exemption === '', 'Z with an exemption reason');
    if (b.category === 'AE') rule('BR-AE-10', b.exemption !== '', 'AE without an exemption reason');
    if (b.category === 'O') rule('BR-O-10', b.exemption !== '', 'O without an exemption reason');
    if (b.category === 'Z') rule('BR-Z-09', b.tax === 0, 'Z with tax');
    if (b.category === 'AE') rule('BR-AE-09', b.tax === 0, 'AE with tax');
    if (b.category === 'O') rule('BR-O-09', b.tax === 0, 'O with tax');
  }
  const has = (category: string) => items.some((l) => l.category === category);
  for (const l of items) {
    if (l.category === 'S') rule('BR-S-05', Number(l.percent) > 0, 'S line without a rate above 0');
    if (l.category === 'Z') rule('BR-Z-05', l.percent === '0', 'Z line rate');
    if (l.category === 'AE') rule('BR-AE-05', l.percent === '0', 'AE line rate');
    if (l.category === 'O') rule('BR-O-05', l.percent === '', 'O line with a rate');
    rule('BR-27', l.price >= 0, 'negative item price');
    rule('BR-41', l.allowancesWithoutAmount === 0, 'line allowance without an amount');
    rule('BR-42', l.allowancesWithoutReason === 0, 'line allowance without a reason');
  }
  const sellerId = ids.sellerVat.length + ids.sellerTaxRegistration.length > 0;
  if (has('S')) rule('BR-S-02', sellerId, 'no seller VAT identifier or tax registration');
  if (has('Z')) rule('BR-Z-02', sellerId, 'no seller VAT identifier or tax registration');
  if (has('AE')) {
    rule('BR-AE-02', ids.sellerVat.length > 0, 'no seller VAT identifier');
    rule('BR-AE-02', ids.buyerVat.length + ids.buyerLegalId.length > 0, 'no buyer VAT or legal identifier');
  }
  if (has('O')) {
    rule(
      'BR-O-02',
      ids.sellerVat.length + ids.buyerVat.length === 0,
      'a VAT identifier on a document not subject to VAT',
    );
    rule(
      'BR-O-11',
      vat.every((b) => b.category === 'O'),
      'O beside other categories',
    );
  }
  for (const id of [...ids.sellerVat, ...ids.buyerVat]) rule('BR-CO-09', /^[A-Z]{2}/.test(id), `${id} has no prefix`);
  return found;
}
