import type { z } from '@hono/zod-openapi';
import type { accountCreateInput } from '../server/schemas/accounts';
import type { productCreateInput } from '../server/schemas/catalog';
import type { customerInput, orderCreateInput } from '../server/schemas/orders';

/** The demo store's id. */
export const DEMO_STORE_ID = 'demo';

/**
 * The demo customer with the richest history: several orders over a year and a
 * half, a Studio Pro subscription, licence keys, downloads, and a gift they sent.
 */
export const DEMO_CUSTOMER_EMAIL = 'ada@example.com';

/** The recipient of the demo's gift order (sent by the demo customer). */
export const DEMO_GIFT_RECIPIENT_EMAIL = 'grace@example.com';

/** The demo SaaS user: an account the merchant created with its own user id (`customUserId`). */
export const DEMO_SAAS_USER_EMAIL = 'liam.obrien@example.net';
export const DEMO_SAAS_USER_ID = 'nw-user-1042';

/** The origins the demo pages are served from (a different port than the API, to prove cross-origin embedding). */
export const DEMO_ORIGINS = ['http://127.0.0.1:8788', 'http://localhost:8788'];

/** The plan family of the demo's subscription plans. */
export const DEMO_PLAN_FAMILY = 'studio';

export const demoStore = {
  id: DEMO_STORE_ID,
  name: 'Northwind Software',
  allowedOrigins: DEMO_ORIGINS,
  portalUrl: null,
  settings: { invoicePrefix: 'NW' },
};

/** The demo store's legal seller details, printed on its invoices. */
export const demoSeller = {
  legalName: 'Northwind Software GmbH',
  addressLine1: 'Friedrichstraße 68',
  addressLine2: null,
  city: 'Berlin',
  postalCode: '10117',
  state: null,
  country: 'DE',
  vatId: 'DE123456789',
  registrationNumber: 'HRB 123456 B',
  email: 'billing@northwind.example',
  footer: 'Commerzbank Berlin · IBAN DE89 3704 0044 0532 0130 00 · BIC COBADEFFXXX\nThank you for your order!',
};

/** The files in demo/files/ that download fulfilments point to. */
export const demoFiles = {
  toolkit: 'photo-toolkit-3.zip',
  fontGuide: 'font-pack-pro-guide.pdf',
  releaseNotes: 'studio-release-notes.md',
} as const;

type ProductBody = z.input<typeof productCreateInput>;
export type CustomerBody = z.input<typeof customerInput>;
export type BillingBody = NonNullable<z.input<typeof orderCreateInput>['billingDetails']>;

const tiers = [
  {
    tier: 'basic',
    name: 'Studio Basic',
    usd: 900,
    eur: 800,
    about: 'Editing, presets and 50 GB of cloud storage for one person.',
  },
  {
    tier: 'pro',
    name: 'Studio Pro',
    usd: 1900,
    eur: 1700,
    about: 'Everything in Basic plus RAW processing, layers and 1 TB of storage.',
  },
  {
    tier: 'business',
    name: 'Studio Business',
    usd: 4900,
    eur: 4500,
    about: 'Pro for teams: shared libraries, seat management and priority support. Priced per seat.',
  },
];

// Yearly plans cost ten months: two months free, as most SaaS price pages do.
const plans: ProductBody[] = tiers.flatMap(({ tier, name, usd, eur, about }, index) => [
  {
    key: `studio-${tier}-monthly`,
    name: `${name} (monthly)`,
    kind: 'subscription',
    interval: 'month',
    prices: { USD: usd, EUR: eur },
    family: DEMO_PLAN_FAMILY,
    sortOrder: index * 10 + 1,
    description: about,
  },
  {
    key: `studio-${tier}-yearly`,
    name: `${name} (yearly)`,
    kind: 'subscription',
    interval: 'year',
    prices: { USD: usd * 10, EUR: eur * 10 },
    family: DEMO_PLAN_FAMILY,
    sortOrder: index * 10 + 2,
    description: about,
  },
]);

const oneTimeProducts: ProductBody[] = [
  {
    key: 'photo-toolkit-3',
    name: 'Photo Toolkit 3',
    kind: 'one_time',
    prices: { USD: 4900, EUR: 4500 },
    description: 'Presets, retouching tools and batch export for Northwind Studio.',
  },
  {
    key: 'font-pack-pro',
    name: 'Font Pack Pro',
    kind: 'one_time',
    prices: { USD: 2900, EUR: 2700 },
    description: 'Twelve type families licensed for print, web and apps.',
  },
  {
    key: 'brush-library',
    name: 'Brush Library',
    kind: 'one_time',
    prices: { USD: 1900, EUR: 1700 },
    description: '300 natural-media brushes for Northwind Studio.',
  },
];

/** The demo catalog: the Studio plans (Basic / Pro / Business, monthly and yearly) and three one-time products. */
export const demoProducts: ProductBody[] = [...plans, ...oneTimeProducts];

export type ProductKey =
  | `studio-${'basic' | 'pro' | 'business'}-${'monthly' | 'yearly'}`
  | 'photo-toolkit-3'
  | 'font-pack-pro'
  | 'brush-library';

/** The catalog price of a product in a currency (the data above is the single source). */
export function listPrice(key: ProductKey, currency: 'USD' | 'EUR'): { name: string; unitPrice: number } {
  const product = demoProducts.find((p) => p.key === key);
  const unitPrice = product?.prices[currency];
  if (!product || unitPrice === undefined) throw new Error(`The demo catalog has no ${currency} price for ${key}.`);
  return { name: product.name, unitPrice };
}

/** A demo customer: contact data as their first order carries it, how they pay, and what tax applies. */
export interface DemoCustomer {
  customer: CustomerBody;
  billingDetails?: BillingBody;
  currency: 'USD' | 'EUR';
  /** VAT / sales tax rate of the customer's country, as a fraction. */
  taxRate: number;
  /** The customer's card: brand, last four digits, and expiry in months from now. */
  card: { brand: string; last4: string; expiresInMonths: number };
}

export const demoCustomers = {
  ada: {
    customer: {
      email: DEMO_CUSTOMER_EMAIL,
      firstName: 'Ada',
      lastName: 'Lovelace',
      phone: '+44 20 7946 0958',
      address: { line1: "12 St James's Square", city: 'London', postalCode: 'SW1Y 4JH' },
      country: 'GB',
      language: 'en',
    },
    billingDetails: { country: 'GB', postalCode: 'SW1Y 4JH' },
    currency: 'USD',
    taxRate: 0.2,
    card: { brand: 'visa', last4: '4242', expiresInMonths: 26 },
  },
  grace: {
    customer: {
      email: DEMO_GIFT_RECIPIENT_EMAIL,
      firstName: 'Grace',
      lastName: 'Hopper',
      address: { line1: '300 Park Avenue', city: 'New York', region: 'NY', postalCode: '10022' },
      country: 'US',
      language: 'en',
    },
    billingDetails: { country: 'US', state: 'NY', postalCode: '10022' },
    currency: 'USD',
    taxRate: 0,
    card: { brand: 'amex', last4: '0005', expiresInMonths: 18 },
  },
  jonas: {
    customer: {
      email: 'jonas.becker@example.org',
      firstName: 'Jonas',
      lastName: 'Becker',
      country: 'DE',
      language: 'de',
    },
    billingDetails: { country: 'DE', postalCode: '80331' },
    currency: 'EUR',
    taxRate: 0.19,
    card: { brand: 'mastercard', last4: '4444', expiresInMonths: -1 },
  },
  lea: {
    customer: {
      email: 'lea.schneider@example.org',
      firstName: 'Lea',
      lastName: 'Schneider',
      company: 'Schneider & Vogel GmbH',
      phone: '+49 30 901820',
      address: { line1: 'Torstraße 140', city: 'Berlin', postalCode: '10119' },
      country: 'DE',
      language: 'de',
    },
    billingDetails: {
      country: 'DE',
      postalCode: '10119',
      businessName: 'Schneider & Vogel GmbH',
      taxId: 'DE811907980',
      isBusiness: true,
    },
    currency: 'EUR',
    taxRate: 0.19,
    card: { brand: 'visa', last4: '1881', expiresInMonths: 0 },
  },
  kenji: {
    customer: {
      email: 'kenji.tanaka@example.net',
      firstName: 'Kenji',
      lastName: 'Tanaka',
      country: 'JP',
      language: 'ja',
    },
    billingDetails: { country: 'JP', postalCode: '150-0002' },
    currency: 'USD',
    taxRate: 0.1,
    card: { brand: 'jcb', last4: '0505', expiresInMonths: 30 },
  },
  sofia: {
    customer: {
      email: 'sofia.rossi@example.com',
      firstName: 'Sofia',
      lastName: 'Rossi',
      country: 'IT',
      language: 'it',
    },
    billingDetails: { country: 'IT', postalCode: '20121' },
    currency: 'EUR',
    taxRate: 0.22,
    card: { brand: 'mastercard', last4: '5100', expiresInMonths: 40 },
  },
  liam: {
    customer: { email: DEMO_SAAS_USER_EMAIL, firstName: 'Liam', lastName: "O'Brien", country: 'IE', language: 'en' },
    billingDetails: { country: 'IE', postalCode: 'D02 X285' },
    currency: 'EUR',
    taxRate: 0.23,
    card: { brand: 'visa', last4: '0077', expiresInMonths: 14 },
  },
  clara: {
    customer: {
      email: 'clara.weber@example.com',
      firstName: 'Clara',
      lastName: 'Weber',
      country: 'AT',
      language: 'de',
    },
    billingDetails: { country: 'AT', postalCode: '1010' },
    currency: 'EUR',
    taxRate: 0.2,
    card: { brand: 'visa', last4: '3220', expiresInMonths: 22 },
  },
} satisfies Record<string, DemoCustomer>;

export type CustomerHandle = keyof typeof demoCustomers;

/**
 * Accounts the merchant created through the Server API before the customer bought
 * anything (as a SaaS does at sign-up), with the merchant's own user id.
 */
export const demoSignups: { daysAgo: number; account: z.input<typeof accountCreateInput> }[] = [
  {
    daysAgo: 40,
    account: {
      ...demoCustomers.liam.customer,
      customUserId: DEMO_SAAS_USER_ID,
      billingDetails: demoCustomers.liam.billingDetails,
    },
  },
];
