/**
 * Browser-side helpers for the widget tests: a fresh store per test (so settings and
 * themes never leak between tests), customers with orders made through the real
 * Server API, and the local email outbox.
 */
export interface TestStore {
  id: string;
  auth: string;
  /** Where the store's portal server is mounted: '' for the test gateway's, `/stripe-portal` for the Stripe one. */
  base?: string;
  /** The fake Stripe API of a Stripe store. */
  stripeUrl?: string;
}

export async function newStore(settings: Record<string, unknown> = {}): Promise<TestStore> {
  const response = await fetch('/__test/stores', { method: 'POST', body: JSON.stringify({ settings }) });
  return response.json();
}

/** A Server API call as the store (what the merchant's backend would do). */
export async function serverApi<T = any>(store: TestStore, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${store.base ?? ''}/api${path}`, {
    method,
    headers: { authorization: store.auth, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (response.status === 204 ? undefined : response.json()) as T;
}

let counter = 0;
/** A unique email address for a new customer. */
export const uniqueEmail = (name = 'customer') =>
  `${name}.${Date.now().toString(36)}${(counter++).toString(36)}@example.com`;

/** Records a one-time order with a licence key, a download and instructions; returns the order. */
export function orderWithFulfilments(store: TestStore, email: string, overrides: Record<string, unknown> = {}) {
  return serverApi(store, 'POST', '/orders', {
    customer: { email, firstName: 'Ada', lastName: 'Lovelace', country: 'GB' },
    currency: 'USD',
    items: [
      {
        product: 'photo-toolkit-3',
        displayName: 'Photo Toolkit 3',
        quantity: 1,
        unitPrice: 4900,
        discount: 500,
        tax: 836,
        fulfilments: [
          { type: 'license_key', licenseKey: 'PTK3-AAAA-BBBB-CCCC' },
          { type: 'download', url: `${location.origin}/demo/files/photo-toolkit-3.zip`, fileSize: 1800 },
          { type: 'instructions', instructions: 'Open Photo Toolkit and choose Help → Register.' },
        ],
      },
      { product: 'brush-library', displayName: 'Brush Library', quantity: 2, unitPrice: 1900, tax: 722 },
    ],
    ...overrides,
  });
}

/** What a test-gateway card does: as `TestTokenBody['behaviour']` in server/payments/test-gateway.ts. */
export type TestCardBehaviour =
  'succeeds' | 'declines_charges' | 'insufficient_funds' | 'declined_at_setup' | 'expired';

/**
 * A token the built-in test gateway accepts, made the way the server's
 * `encodeTestToken` makes it: `tok_test_` + base64url(JSON { v: 1, brand, last4,
 * expMonth, expYear, behaviour, nonce }).
 */
export function testToken(
  card: { brand?: string; last4?: string; expMonth?: number; expYear?: number; behaviour?: TestCardBehaviour } = {},
): string {
  const body = {
    v: 1,
    brand: card.brand ?? 'visa',
    last4: card.last4 ?? '4242',
    expMonth: card.expMonth ?? 12,
    expYear: card.expYear ?? 2034,
    behaviour: card.behaviour ?? 'succeeds',
    nonce: Math.random().toString(36).slice(2),
  };
  return `tok_test_${btoa(JSON.stringify(body)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

/** A pre-authenticated portal URL for an account. */
export async function authUrlFor(store: TestStore, accountId: string): Promise<string> {
  return (await serverApi<{ url: string }>(store, 'GET', `/accounts/${accountId}/authenticate`)).url;
}

/** A pre-authenticated URL whose session the merchant limited (capabilities, landing route, lifetime). */
export async function limitedAuthUrlFor(
  store: TestStore,
  accountId: string,
  limits: { capabilities?: string[]; landingRoute?: string; sessionLifetimeSeconds?: number },
): Promise<string> {
  return (await serverApi<{ url: string }>(store, 'POST', `/accounts/${accountId}/authenticate`, limits)).url;
}

export interface OutboxEmail {
  id: string;
  to: string;
  subject: string;
  text: string;
  kind: string;
  links: string[];
}

/** The newest email to `to` in the local outbox. */
export async function latestEmail(to: string): Promise<OutboxEmail | undefined> {
  const emails = (await (await fetch(`/dev/outbox.json?to=${encodeURIComponent(to)}`)).json()) as OutboxEmail[];
  return emails[0];
}

/**
 * The newest email of `kind` to `to`, waiting for it: login links are emailed by a
 * worker a moment after the request was answered.
 */
export async function emailFor(to: string, kind: string, timeout = 4000): Promise<OutboxEmail> {
  const start = performance.now();
  for (;;) {
    const email = await latestEmail(to);
    if (email?.kind === kind) return email;
    if (performance.now() - start > timeout) throw new Error(`Timed out waiting for an email (${kind}) to ${to}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Makes the server treat a session as expired from now on. */
export async function expireSession(token: string): Promise<void> {
  await fetch('/__test/sessions/expire', { method: 'POST', body: JSON.stringify({ token }) });
}

/** The session token the widget keeps in sessionStorage for a store. */
export function storedSessionToken(storeId: string): string | null {
  const key = Object.keys(sessionStorage).find((k) => k.endsWith(`:${storeId}`));
  return key ? (JSON.parse(sessionStorage.getItem(key)!) as { token: string }).token : null;
}

/**
 * Waits until `predicate` holds, or fails after `timeout` ms. Polls on a timer, not
 * on animation frames: a test page the runner keeps in the background gets none.
 */
export async function until(predicate: () => unknown, timeout = 4000, what = 'condition'): Promise<void> {
  const start = performance.now();
  while (!predicate()) {
    if (performance.now() - start > timeout) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

/** Everything inside an element's shadow roots, flattened to text. */
export function deepText(node: Node): string {
  let text = '';
  const walk = (n: Node) => {
    if (n.nodeType === Node.TEXT_NODE) text += n.textContent;
    if (n instanceof Element && n.shadowRoot) n.shadowRoot.childNodes.forEach(walk);
    n.childNodes.forEach(walk);
  };
  walk(node);
  return text.replace(/\s+/g, ' ');
}

/** The first element matching `selector` in any shadow root below `root`. */
export function deepQuery<T extends Element = HTMLElement>(root: Element | ShadowRoot, selector: string): T | null {
  if (root instanceof Element && root.shadowRoot) {
    const inside = deepQuery<T>(root.shadowRoot, selector);
    if (inside) return inside;
  }
  const direct = root.querySelector<T>(selector);
  if (direct) return direct;
  for (const el of root.querySelectorAll('*')) {
    if (el.shadowRoot) {
      const found = deepQuery<T>(el.shadowRoot, selector);
      if (found) return found;
    }
  }
  return null;
}

/** `oneEvent` typed by the portal's event map (`ap-signed-in` → ApSignedInEvent). */
export function nextEvent<K extends keyof GlobalEventHandlersEventMap>(
  el: EventTarget,
  name: K,
): Promise<GlobalEventHandlersEventMap[K]> {
  return new Promise((resolve) =>
    el.addEventListener(name, (event) => resolve(event as GlobalEventHandlersEventMap[K]), { once: true }),
  );
}

/** Monthly plans of one family (`studio`), in the order given: `[key, name, USD price]`. */
export async function planFamily(
  store: TestStore,
  plans: readonly (readonly [string, string, number])[],
): Promise<void> {
  for (const [index, [key, name, price]] of plans.entries()) {
    await serverApi(store, 'POST', '/products', {
      key,
      name,
      kind: 'subscription',
      interval: 'month',
      prices: { USD: price },
      family: 'studio',
      sortOrder: index + 1,
    });
  }
}

export interface Started {
  accountId: string;
  subscriptionId: string;
}

export interface SubscribeOptions {
  email?: string;
  product?: string;
  unitPrice?: number;
  /** No saved payment method: the subscription renews manually. */
  manual?: boolean;
  behaviour?: TestCardBehaviour;
  completedAt?: string;
}

/** An order that starts a subscription, paid with a test-gateway Visa 4242 (saved, so it renews automatically, unless `manual`). */
export async function subscribe(store: TestStore, options: SubscribeOptions = {}): Promise<Started> {
  const unitPrice = options.unitPrice ?? 1900;
  const card = { brand: 'visa', last4: '4242', expMonth: 12, expYear: 2034 };
  const order = await serverApi<{ accountId: string; items: { subscriptionId: string }[] }>(store, 'POST', '/orders', {
    customer: {
      email: options.email ?? uniqueEmail('ada'),
      firstName: 'Ada',
      lastName: 'Lovelace',
      country: 'GB',
      language: 'en',
    },
    currency: 'USD',
    ...(options.completedAt && { completedAt: options.completedAt }),
    items: [
      {
        product: options.product ?? 'pro-monthly',
        displayName: 'Plan',
        quantity: 1,
        unitPrice,
        tax: Math.round(unitPrice * 0.19),
        taxRate: 0.19,
      },
    ],
    ...(options.manual
      ? { savePaymentMethod: false }
      : { paymentMethod: { token: testToken({ ...card, behaviour: options.behaviour ?? 'succeeds' }), ...card } }),
  });
  return { accountId: order.accountId, subscriptionId: order.items[0].subscriptionId };
}

/** A fresh store of the Portal API that runs the Stripe gateway against the fake Stripe API. */
export async function newStripeStore(): Promise<TestStore> {
  return (await fetch('/__test/stripe/stores', { method: 'POST' })).json();
}

/** Runs the Stripe portal's renewals now (what the scheduler does). */
export async function runStripeRenewals(): Promise<Record<string, number>> {
  return (await fetch('/__test/stripe/renewals', { method: 'POST' })).json();
}

/** A card made a Stripe PaymentMethod the way Stripe.js does it in the browser: with the publishable key, straight to Stripe. */
export async function stripeCard(store: TestStore, number: string): Promise<string> {
  const response = await fetch(`${store.stripeUrl}/v1/payment_methods`, {
    method: 'POST',
    headers: { authorization: 'Bearer pk_test_fake', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      type: 'card',
      'card[number]': number,
      'card[exp_month]': '12',
      'card[exp_year]': '2034',
    }),
  });
  return ((await response.json()) as { id: string }).id;
}

/**
 * An order of a Stripe store that starts a subscription, whose card (`number`) the
 * merchant then attaches: it renews automatically with it.
 */
export async function subscribeWithStripe(
  store: TestStore,
  number: string,
  options: { email?: string; product?: string; unitPrice?: number; completedAt?: string } = {},
): Promise<Started> {
  const started = await subscribe(store, { ...options, manual: true });
  await serverApi(store, 'POST', `/accounts/${started.accountId}/payment-methods`, {
    token: await stripeCard(store, number),
    subscriptionIds: [started.subscriptionId],
    makeDefault: true,
  });
  return started;
}
