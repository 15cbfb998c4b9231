import { first } from '../../server/db/query';
import { and, eq } from 'drizzle-orm';
import { events, subscriptionCharges, subscriptions, testGatewayCharges } from '../../server/db/schema';
import type { PaymentGateway } from '../../server/payments/gateway';
import { encodeTestToken, type TestTokenBody } from '../../server/payments/test-gateway';
import { json, type TestContext, type TestStore } from './app';
import { createCatalog, subscriptionOrder } from './fixtures';
import { portal, signInByEmail } from './portal';

/** A valid test-gateway token with the given behaviour. */
export const testToken = (behaviour: TestTokenBody['behaviour'] = 'succeeds', last4 = '4242') =>
  encodeTestToken({ brand: 'visa', last4, expMonth: 12, expYear: 2030, behaviour });

export interface StartOptions {
  store?: TestStore;
  email?: string;
  language?: string;
  product?: string;
  currency?: string;
  quantity?: number;
  unitPrice?: number;
  taxRate?: number;
  behaviour?: TestTokenBody['behaviour'];
  /** Leave the payment method out: a manual-renewal subscription. */
  manual?: boolean;
  trialDays?: number;
}

/**
 * Records an order that starts a subscription, paid with a valid test token (saved,
 * so the subscription renews automatically unless `manual`). Returns its ids.
 */
export async function startSubscription(t: TestContext, options: StartOptions = {}) {
  const quantity = options.quantity ?? 1;
  const unitPrice = options.unitPrice ?? 1900;
  const taxRate = options.taxRate ?? 0.19;
  const net = quantity * unitPrice;
  const order = subscriptionOrder({
    customer: {
      email: options.email ?? 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      country: 'GB',
      language: options.language ?? 'en',
    },
    currency: options.currency ?? 'USD',
    items: [
      {
        product: options.product ?? 'pro-monthly',
        displayName: 'Plan',
        quantity,
        unitPrice,
        taxRate,
        tax: Math.round(net * taxRate),
        ...(options.trialDays && { subscription: { trialDays: options.trialDays } }),
      },
    ],
    ...(options.manual
      ? { paymentMethod: undefined, savePaymentMethod: false }
      : {
          paymentMethod: {
            token: testToken(options.behaviour),
            brand: 'visa',
            last4: '4242',
            expMonth: 12,
            expYear: 2030,
          },
        }),
  });
  const response = await t.api('POST', '/api/orders', order, { store: options.store });
  if (response.status !== 201) throw new Error(`order: ${response.status} ${await response.text()}`);
  const body = await json(response);
  return {
    orderId: body.id as string,
    accountId: body.accountId as string,
    subscriptionId: body.items[0].subscriptionId as string,
  };
}

/** A store with the studio catalog, a subscription and a signed-in customer. */
export async function subscribedCustomer(t: TestContext, options: StartOptions = {}) {
  if (!options.store) await createCatalog(t);
  const started = await startSubscription(t, options);
  const email = options.email ?? 'ada@example.com';
  let { token } = await signInByEmail(t, email, { store: options.store });
  /** A Portal API call on the subscription; signs in again when the clock moved past the session's life. */
  const call = async (method: string, path: string, body?: unknown): Promise<Response> => {
    const send = () =>
      portal(t, method, `/subscriptions/${started.subscriptionId}${path}`, body, { token, store: options.store });
    const response = await send();
    if (response.status !== 401) return response;
    ({ token } = await signInByEmail(t, email, { store: options.store }));
    return send();
  };
  return {
    ...started,
    get token() {
      return token;
    },
    call,
  };
}

/** The subscription row as stored. */
export const subscriptionRow = async (t: TestContext, id: string) =>
  first(await t.db.select().from(subscriptions).where(eq(subscriptions.id, id)))!;

/** Charges recorded for a subscription, and the test gateway's ledger size. */
export async function chargeCounts(t: TestContext, subscriptionId: string) {
  return {
    charges: await t.db
      .select()
      .from(subscriptionCharges)
      .where(eq(subscriptionCharges.subscriptionId, subscriptionId)),
    gateway: (await t.db.select().from(testGatewayCharges)).filter((c) => c.idempotencyKey.includes(subscriptionId)),
  };
}

/** Events of a type, oldest first, with parsed payloads. */
export async function eventsOf(t: TestContext, type: string, storeId = t.store.id) {
  return (
    await t.db
      .select()
      .from(events)
      .where(and(eq(events.storeId, storeId), eq(events.type, type)))
  )
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
    .map((e) => JSON.parse(e.payload) as { type: string; timestamp: string; data: any });
}

/** Sets a store's pause and immediate-cancel settings as the CLI would. */
export { setSetting } from './portal';

/**
 * Puts a gateway in front of the context's own with some calls replaced (`overrides`
 * gets the real gateway, to call through to it). Returns what puts the real one back.
 */
export function overrideGateway(
  t: TestContext,
  overrides: (real: PaymentGateway) => Partial<PaymentGateway>,
): () => void {
  const real = t.deps.gateway;
  t.deps.gateway = Object.assign(Object.create(real) as PaymentGateway, overrides(real));
  return () => {
    t.deps.gateway = real;
  };
}
