/** Reference data the seeder draws from: countries, names and a one-time product catalog. */

export interface Country {
  code: string;
  currency: string;
  /** VAT / GST rate applied to items bought from this country. */
  taxRate: number;
  language: string;
  /** Share of customers from this country. */
  weight: number;
  regions: readonly string[];
  cities: readonly string[];
  postalCode: (n: number) => string;
  /** Prefix of a business tax id (VAT number), when the country has one. */
  taxIdPrefix?: string;
}

const digits = (n: number, length: number) => String(n % 10 ** length).padStart(length, '0');

export const countries: readonly Country[] = [
  {
    code: 'US',
    currency: 'USD',
    taxRate: 0,
    language: 'en',
    weight: 38,
    regions: ['CA', 'NY', 'TX', 'WA', 'IL', 'MA'],
    cities: ['San Francisco', 'New York', 'Austin', 'Seattle', 'Chicago', 'Boston'],
    postalCode: (n) => digits(n, 5),
  },
  {
    code: 'DE',
    currency: 'EUR',
    taxRate: 0.19,
    language: 'de',
    weight: 12,
    regions: [],
    cities: ['Berlin', 'Hamburg', 'München', 'Köln', 'Leipzig'],
    postalCode: (n) => digits(n, 5),
    taxIdPrefix: 'DE',
  },
  {
    code: 'GB',
    currency: 'GBP',
    taxRate: 0.2,
    language: 'en',
    weight: 10,
    regions: [],
    cities: ['London', 'Manchester', 'Bristol', 'Edinburgh'],
    postalCode: (n) => `SW${n % 20} ${n % 10}AA`,
    taxIdPrefix: 'GB',
  },
  {
    code: 'FR',
    currency: 'EUR',
    taxRate: 0.2,
    language: 'fr',
    weight: 7,
    regions: [],
    cities: ['Paris', 'Lyon', 'Marseille', 'Lille'],
    postalCode: (n) => digits(n, 5),
    taxIdPrefix: 'FR',
  },
  {
    code: 'CA',
    currency: 'CAD',
    taxRate: 0.05,
    language: 'en',
    weight: 6,
    regions: ['ON', 'QC', 'BC', 'AB'],
    cities: ['Toronto', 'Montréal', 'Vancouver', 'Calgary'],
    postalCode: (n) => `M${n % 10}V ${n % 10}K${n % 7}`,
  },
  {
    code: 'AU',
    currency: 'AUD',
    taxRate: 0.1,
    language: 'en',
    weight: 5,
    regions: ['NSW', 'VIC', 'QLD'],
    cities: ['Sydney', 'Melbourne', 'Brisbane'],
    postalCode: (n) => digits(n, 4),
  },
  {
    code: 'NL',
    currency: 'EUR',
    taxRate: 0.21,
    language: 'nl',
    weight: 4,
    regions: [],
    cities: ['Amsterdam', 'Rotterdam', 'Utrecht'],
    postalCode: (n) => `${1000 + (n % 9000)} AB`,
    taxIdPrefix: 'NL',
  },
  {
    code: 'ES',
    currency: 'EUR',
    taxRate: 0.21,
    language: 'es',
    weight: 4,
    regions: [],
    cities: ['Madrid', 'Barcelona', 'Valencia'],
    postalCode: (n) => digits(n, 5),
    taxIdPrefix: 'ES',
  },
  {
    code: 'IT',
    currency: 'EUR',
    taxRate: 0.22,
    language: 'it',
    weight: 4,
    regions: [],
    cities: ['Roma', 'Milano', 'Torino'],
    postalCode: (n) => digits(n, 5),
    taxIdPrefix: 'IT',
  },
  {
    code: 'AT',
    currency: 'EUR',
    taxRate: 0.2,
    language: 'de',
    weight: 4,
    regions: [],
    cities: ['Wien', 'Graz', 'Salzburg'],
    postalCode: (n) => digits(n, 4),
    taxIdPrefix: 'ATU',
  },
  {
    code: 'JP',
    currency: 'JPY',
    taxRate: 0.1,
    language: 'ja',
    weight: 4,
    regions: [],
    cities: ['Tokyo', 'Osaka', 'Kyoto'],
    postalCode: (n) => `${digits(n, 3)}-${digits(n >> 3, 4)}`,
  },
];

export const firstNames = [
  'Ada',
  'Alan',
  'Grace',
  'Linus',
  'Margaret',
  'Dennis',
  'Barbara',
  'Ken',
  'Frances',
  'Edsger',
  'Radia',
  'Donald',
  'Katherine',
  'John',
  'Hedy',
  'Tim',
  'Sophie',
  'Lukas',
  'Emma',
  'Noah',
  'Mia',
  'Leon',
  'Hannah',
  'Paul',
  'Léa',
  'Hugo',
  'Chloé',
  'Yuki',
  'Haruto',
  'Olivia',
  'Liam',
  'Amelia',
  'Oliver',
  'Isla',
  'Jack',
  'Lucía',
  'Mateo',
  'Giulia',
  'Marco',
  'Sanne',
] as const;

export const lastNames = [
  'Lovelace',
  'Turing',
  'Hopper',
  'Torvalds',
  'Hamilton',
  'Ritchie',
  'Liskov',
  'Thompson',
  'Allen',
  'Dijkstra',
  'Perlman',
  'Knuth',
  'Johnson',
  'Backus',
  'Lamarr',
  'Berners-Lee',
  'Müller',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Weber',
  'Martin',
  'Bernard',
  'Dubois',
  'Tanaka',
  'Suzuki',
  'Smith',
  'Jones',
  'Taylor',
  'Brown',
  'García',
  'Fernández',
  'Rossi',
  'Bianchi',
  'de Vries',
  'Jansen',
  'Wilson',
  'Campbell',
  'Nguyen',
  'Kowalski',
] as const;

export const emailDomains = ['example.com', 'example.org', 'example.net', 'mail.example', 'studio.example'] as const;

export const streets = [
  'Market Street',
  'Hauptstraße',
  'High Street',
  'Rue de la Paix',
  'Main Street',
  'Calle Mayor',
] as const;

export const cardBrands = [
  ['visa', 50],
  ['mastercard', 30],
  ['amex', 8],
  ['paypal', 12],
] as const;

/** What buying a product delivers. */
export type Delivery = 'license_key' | 'download' | 'license_and_download' | 'instructions' | 'none';

export interface CatalogProduct {
  key: string;
  name: string;
  description: string;
  /** Price in USD cents; other currencies are derived from it. */
  usd: number;
  delivery: Delivery;
  /** Relative popularity. */
  weight: number;
  /** Release file for downloads. */
  file?: { name: string; size: number };
}

export const catalog: readonly CatalogProduct[] = [
  {
    key: 'photo-toolkit',
    name: 'Photo Toolkit',
    description: 'The complete photo editing suite.',
    usd: 4900,
    delivery: 'license_and_download',
    weight: 30,
    file: { name: 'photo-toolkit-3.2.zip', size: 187_432_960 },
  },
  {
    key: 'raw-converter',
    name: 'RAW Converter',
    description: 'Batch RAW conversion.',
    usd: 2900,
    delivery: 'license_key',
    weight: 14,
  },
  {
    key: 'noise-plugin',
    name: 'Noise Reduction Plugin',
    description: 'AI noise reduction for Photo Toolkit.',
    usd: 3900,
    delivery: 'license_key',
    weight: 10,
  },
  {
    key: 'film-presets',
    name: 'Film Preset Pack',
    description: '48 analogue film looks.',
    usd: 1900,
    delivery: 'download',
    weight: 12,
    file: { name: 'film-presets-v2.zip', size: 12_582_912 },
  },
  {
    key: 'portrait-presets',
    name: 'Portrait Preset Pack',
    description: '32 portrait looks.',
    usd: 1900,
    delivery: 'download',
    weight: 8,
    file: { name: 'portrait-presets.zip', size: 9_437_184 },
  },
  {
    key: 'grading-handbook',
    name: 'Colour Grading Handbook',
    description: 'The e-book, PDF and EPUB.',
    usd: 2400,
    delivery: 'download',
    weight: 6,
    file: { name: 'colour-grading-handbook.pdf', size: 24_117_248 },
  },
  {
    key: 'masterclass',
    name: 'Editing Masterclass',
    description: 'Twelve-week online course.',
    usd: 9900,
    delivery: 'instructions',
    weight: 5,
  },
  {
    key: 'team-5',
    name: 'Photo Toolkit Team (5 seats)',
    description: 'Five licences under one invoice.',
    usd: 19900,
    delivery: 'license_key',
    weight: 3,
  },
  {
    key: 'priority-support',
    name: 'Priority Support (1 year)',
    description: 'Answers within four working hours.',
    usd: 14900,
    delivery: 'none',
    weight: 4,
  },
  {
    key: 'sticker-pack',
    name: 'Sticker Pack',
    description: 'Stickers, shipped.',
    usd: 500,
    delivery: 'none',
    weight: 8,
  },
];

const rates: Record<string, number> = { USD: 1, EUR: 0.92, GBP: 0.79, CAD: 1.36, AUD: 1.52, JPY: 1.5 };

/** Catalog prices in every seeded currency (JPY has no minor unit, so its "cents" are yen). */
export function pricesFor(usd: number): Record<string, number> {
  return Object.fromEntries(
    Object.entries(rates).map(([currency, rate]) => [
      currency,
      currency === 'JPY' ? Math.round((usd * rate) / 100) * 100 : Math.round((usd * rate) / 100) * 100 - 1,
    ]),
  );
}
