const names: Record<string, string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  american_express: 'American Express',
  discover: 'Discover',
  diners: 'Diners Club',
  jcb: 'JCB',
  unionpay: 'UnionPay',
  maestro: 'Maestro',
  paypal: 'PayPal',
  sepa_debit: 'SEPA Direct Debit',
};

/** A payment brand as customers know it (`visa` → `Visa`); unknown brands as given. */
export function brandName(brand: string): string {
  return names[brand.toLowerCase()] ?? brand;
}
