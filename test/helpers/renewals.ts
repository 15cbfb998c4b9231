import { first } from '../../server/db/query';
import { and, asc, eq } from 'drizzle-orm';
import {
  emails,
  events,
  invoices,
  orders,
  subscriptionCharges,
  subscriptions,
  testGatewayCharges,
} from '../../server/db/schema';
import { encodeTestToken, type TestTokenBody } from '../../server/payments/test-gateway';
import { runRenewals } from '../../server/services/billing/renewals/run';
import type { RenewalSummary } from '../../server/services/billing/renewals/run';
import { json, type TestContext } from './app';
import { createCatalog, subscriptionOrder } from './fixtures';

/** A valid test-gateway token that behaves as asked when charged. */
export function testToken(behaviour: TestTokenBody['behaviour'] = 'succeeds', last4 = '4242'): string {
  return encodeTestToken({ brand: 'visa', last4, expMonth: 12, expYear: 2035, behaviour });
}

export interface StartOptions {
  email?: string;
  plan?: 'pro-monthly' | 'basic-monthly' | 'pro-yearly';
  behaviour?: TestTokenBody['behaviour'];
  /** Manual renewal: no payment method is saved. */
  manual?: boolean;
  trialDays?: number;
  quantity?: number;
  unitPrice?: number;
  taxRate?: number;
  language?: string;
  completedAt?: string;
}

/** Records an order through the Server API that starts one subscription; returns its ids. */
export async function startSubscription(t: TestContext, options: StartOptions = {}) {
  const plan = options.plan ?? 'pro-monthly';
  const quantity = options.quantity ?? 1;
  const unitPrice = options.trialDays
    ? 0
    : (options.unitPrice ?? (plan === 'pro-yearly' ? 19000 : plan === 'pro-monthly' ? 1900 : 900));
  const taxRate = options.taxRate ?? 0.19;
  const body = subscriptionOrder({
    customer: {
      email: options.email ?? 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      country: 'GB',
      language: options.language ?? 'en',
    },
    items: [
      {
        product: plan,
        displayName: plan,
        quantity,
        unitPrice,
        taxRate,
        tax: Math.round(unitPrice * quantity * taxRate),
        ...(options.trialDays && { subscription: { trialDays: options.trialDays } }),
      },
    ],
    paymentMethod: { token: testToken(options.behaviour), brand: 'visa', last4: '4242', expMonth: 12, expYear: 2035 },
    savePaymentMethod: !options.manual,
    ...(options.completedAt && { completedAt: options.completedAt }),
  });
  const response = await t.api('POST', '/api/orders', body);
  if (response.status !== 201) throw new Error(`order: ${response.status} ${await response.text()}`);
  const order = await json(response);
  const sub = await subscriptionRow(t, order.items[0].subscriptionId);
  return {
    subscriptionId: sub.id,
    accountId: sub.accountId,
    paymentMethodId: sub.paymentMethodId,
    orderId: order.id as string,
  };
}

/** A test context with the catalog created. */
export async function withCatalog(t: TestContext): Promise<TestContext> {
  await createCatalog(t);
  return t;
}

export const subscriptionRow = async (t: TestContext, id: string) =>
  first(await t.db.select().from(subscriptions).where(eq(subscriptions.id, id)))!;

export const chargesOf = async (t: TestContext, id: string) =>
  await t.db
    .select()
    .from(subscriptionCharges)
    .where(eq(subscriptionCharges.subscriptionId, id))
    .orderBy(asc(subscriptionCharges.createdAt), asc(subscriptionCharges.attempt));

/** The test gateway's ledger: what the "processor" actually charged. */
export const gatewayCharges = async (t: TestContext) => await t.db.select().from(testGatewayCharges);

/** Events of a type (all stores), oldest first, with parsed payloads. */
export async function eventsOf(t: TestContext, type: string) {
  return (await t.db.select().from(events).where(eq(events.type, type)).orderBy(asc(events.createdAt))).map(
    (row) => JSON.parse(row.payload) as { type: string; timestamp: string; data: any },
  );
}

export const emailsOf = async (t: TestContext, kind: string) =>
  await t.db.select().from(emails).where(eq(emails.kind, kind)).orderBy(asc(emails.createdAt));

export const ordersOfKind = async (t: TestContext, kind: 'purchase' | 'rebill' | 'plan_change') =>
  (
    await t.db
      .select({ order: orders })
      .from(orders)
      .innerJoin(invoices, and(eq(invoices.orderId, orders.id), eq(invoices.revision, 1)))
      .where(eq(orders.kind, kind))
      .orderBy(asc(invoices.sequence))
  ).map((r) => r.order);

/** Runs renewal passes until one does nothing more; returns the summaries. */
export async function renewUntilIdle(t: TestContext, maxPasses = 20): Promise<RenewalSummary[]> {
  const passes: RenewalSummary[] = [];
  for (let i = 0; i < maxPasses; i++) {
    const summary = await runRenewals(t.deps);
    passes.push(summary);
    const { examined: _examined, busy: _busy, ...rest } = summary;
    if (Object.values(rest).every((n) => n === 0)) return passes;
  }
  throw new Error('renewals did not settle');
}

export const iso = (date: Date | null | undefined) => date?.toISOString() ?? null;
