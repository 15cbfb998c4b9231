import type { TestContext, TestStore } from './app';

/** Creates the Basic/Pro plan family (monthly and yearly) and a one-time product in a store. */
export async function createCatalog(t: TestContext, store: TestStore = t.store) {
  const products = [
    {
      key: 'basic-monthly',
      name: 'Basic',
      kind: 'subscription',
      interval: 'month',
      prices: { USD: 900, EUR: 800, JPY: 1200 },
      family: 'studio',
      sortOrder: 1,
    },
    {
      key: 'pro-monthly',
      name: 'Pro',
      kind: 'subscription',
      interval: 'month',
      prices: { USD: 1900, EUR: 1700, JPY: 2500 },
      family: 'studio',
      sortOrder: 2,
    },
    {
      key: 'pro-yearly',
      name: 'Pro (yearly)',
      kind: 'subscription',
      interval: 'year',
      prices: { USD: 19000 },
      family: 'studio',
      sortOrder: 3,
    },
    { key: 'toolkit', name: 'Photo Toolkit', kind: 'one_time', prices: { USD: 4900 } },
  ];
  for (const product of products) {
    const response = await t.api('POST', '/api/products', product, { store });
    if (response.status !== 201) throw new Error(`catalog: ${response.status} ${await response.text()}`);
  }
}

/** A valid order body for a one-time purchase, with overrides. */
export function oneTimeOrder(overrides: Record<string, unknown> = {}) {
  return {
    customer: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', country: 'GB', language: 'en' },
    currency: 'USD',
    items: [
      {
        product: 'toolkit',
        displayName: 'Photo Toolkit',
        quantity: 2,
        unitPrice: 4900,
        discount: 800,
        tax: 1800,
        fulfilments: [
          { type: 'license_key', licenseKey: 'TK-1111-2222' },
          { type: 'download', url: 'https://cdn.example/toolkit-3.2.zip', fileSize: 1048576 },
        ],
      },
    ],
    paymentMethod: { token: 'tok_visa_secret_123', brand: 'visa', last4: '4242', expMonth: 12, expYear: 2030 },
    ...overrides,
  };
}

/** A valid order body that starts a Pro monthly subscription. */
export function subscriptionOrder(overrides: Record<string, unknown> = {}) {
  return oneTimeOrder({
    items: [{ product: 'pro-monthly', displayName: 'Pro (monthly)', quantity: 1, unitPrice: 1900, tax: 361 }],
    ...overrides,
  });
}
