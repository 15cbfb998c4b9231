import { first } from '../../server/db/query';
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { events, paymentMethods, subscriptions } from '../../server/db/schema';
import { HOUR, MINUTE, SECOND } from '../../server/lib/clock';
import { encodeTestToken, type TestTokenBody } from '../../server/payments/test-gateway';
import { SETUP_LIMITS } from '../../server/services/billing/payment-methods/setups';
import { createTestContext, type TestContext, type TestStore } from '../helpers/app';
import { createCatalog, subscriptionOrder } from '../helpers/fixtures';
import { portal, signInByEmail } from '../helpers/portal';

let t: TestContext;
/** Every token handed to the server in a test, and every response text it answered: none may contain one. */
let tokens: string[];
let seen: string[];

beforeEach(async () => {
  t = await createTestContext();
  tokens = [];
  seen = [];
  await createCatalog(t);
});

afterEach(async () => {
  const eventPayloads = (await t.db.select().from(events)).map((e) => e.payload);
  for (const token of tokens) {
    for (const text of [...seen, ...eventPayloads])
      assert.ok(!text.includes(token), `a processor token leaked into: ${text.slice(0, 200)}`);
  }
});

/** A test token the gateway accepts (or refuses, by behaviour); remembered so no response may contain it. */
function testToken(overrides: Partial<Omit<TestTokenBody, 'v'>> = {}): string {
  const token = encodeTestToken({
    brand: 'visa',
    last4: '4242',
    expMonth: 12,
    expYear: 2034,
    behaviour: 'succeeds',
    ...overrides,
  });
  tokens.push(token);
  return token;
}

/** Reads a response's body (recording its text), after asserting its status. */
async function expect(response: Response, status: number): Promise<any> {
  const text = await response.text();
  seen.push(text);
  assert.equal(response.status, status, text);
  return text ? JSON.parse(text) : undefined;
}

/** Records an order starting a Pro subscription for `email`: with a saved test card, or manual renewal (`token: null`). */
async function buy(email: string, options: { token?: string | null; store?: TestStore; product?: string } = {}) {
  const token = options.token === undefined ? testToken({ nonce: `order-${email}-${tokens.length}` }) : options.token;
  const body = subscriptionOrder({
    customer: { email, firstName: 'Ada', language: 'en' },
    items: [{ product: options.product ?? 'pro-monthly', displayName: 'Pro', quantity: 1, unitPrice: 1900, tax: 361 }],
    ...(token
      ? { paymentMethod: { token, brand: 'visa', last4: '4242', expMonth: 12, expYear: 2034 } }
      : { paymentMethod: undefined }),
  });
  const order = await expect(await t.api('POST', '/api/orders', body, { store: options.store }), 201);
  const subs = await expect(
    await t.api('GET', `/api/subscriptions?accountId=${order.accountId}`, undefined, { store: options.store }),
    200,
  );
  const started = subs.data.find((s: { orderId: string }) => s.orderId === order.id);
  return { accountId: order.accountId as string, subscriptionId: started.id as string };
}

/**
 * Attaches a method through the Server API: a test token carrying the card details
 * the body names (the processor's word wins). A card that has expired by now was
 * saved while it was valid: it is attached valid and its expiry set afterwards.
 */
async function attach(accountId: string, body: Record<string, unknown>, store?: TestStore) {
  const card = Object.fromEntries(
    Object.entries(body).filter(([key]) => ['brand', 'last4', 'expMonth', 'expYear'].includes(key)),
  );
  const expired =
    typeof body.expYear === 'number' &&
    typeof body.expMonth === 'number' &&
    Date.UTC(body.expYear, body.expMonth, 1) <= t.clock.now().getTime();
  const token =
    (body.token as string | undefined) ??
    testToken({ nonce: `attach-${tokens.length}`, ...card, ...(expired && { expYear: 2034 }) });
  if (!tokens.includes(token)) tokens.push(token);
  const saved = await expect(
    await t.api('POST', `/api/accounts/${accountId}/payment-methods`, { token, ...body }, { store }),
    201,
  );
  if (!expired) return saved;
  await t.db
    .update(paymentMethods)
    .set({ expMonth: body.expMonth as number, expYear: body.expYear as number })
    .where(eq(paymentMethods.id, saved.id));
  return { ...saved, expMonth: body.expMonth, expYear: body.expYear, expired: true };
}

async function list(token: string, store?: TestStore) {
  return (await expect(await portal(t, 'GET', '/payment-methods', undefined, { token, store }), 200)).data as any[];
}

const subscriptionRow = async (id: string) =>
  first(await t.db.select().from(subscriptions).where(eq(subscriptions.id, id)))!;
const eventsOf = async (type: string) =>
  (await t.db.select().from(events).where(eq(events.type, type))).map((e) => JSON.parse(e.payload).data);

describe('GET /portal/{store}/payment-methods', () => {
  test('lists the saved methods default first, with expiry flags and the subscriptions each pays for', async () => {
    const { accountId, subscriptionId } = await buy('ada@example.com');
    const soon = await attach(accountId, { brand: 'mastercard', last4: '4444', expMonth: 2, expYear: 2026 });
    const old = await attach(accountId, { brand: 'visa', last4: '1111', expMonth: 12, expYear: 2025 });
    const session = await signInByEmail(t, 'ada@example.com');
    const methods = await list(session.token);
    assert.deepEqual(
      methods.map((m) => [m.last4, m.isDefault, m.expired, m.expiresSoon]),
      [
        ['4242', true, false, false],
        ['4444', false, false, true],
        ['1111', false, true, false],
      ],
    );
    assert.deepEqual(methods[0].subscriptions, [{ id: subscriptionId, productName: 'Pro' }]);
    assert.deepEqual(methods[1].subscriptions, []);
    assert.deepEqual(Object.keys(methods[0]).sort(), [
      'brand',
      'createdAt',
      'expMonth',
      'expYear',
      'expired',
      'expiresSoon',
      'id',
      'isDefault',
      'last4',
      'subscriptions',
      'successorId',
      'type',
    ]);
    assert.ok([soon.id, old.id].every((id) => methods.some((m) => m.id === id)));
  });

  test('a card expiring within 60 days is flagged as expiring soon, one later is not', async () => {
    const { accountId } = await buy('ada@example.com');
    await attach(accountId, { last4: '0003', expMonth: 3, expYear: 2026 });
    // Valid through 31 March: 60 days before 1 April is 31 January.
    t.clock.set('2026-01-30T23:50:00.000Z');
    const session = await signInByEmail(t, 'ada@example.com');
    t.clock.set('2026-01-30T23:59:59.000Z');
    assert.equal((await list(session.token)).find((m) => m.last4 === '0003').expiresSoon, false);
    t.clock.set('2026-01-31T00:00:00.000Z');
    assert.equal((await list(session.token)).find((m) => m.last4 === '0003').expiresSoon, true);
  });

  test("needs a session, shows only the account's own methods, and nothing of another store", async () => {
    await expect(await portal(t, 'GET', '/payment-methods'), 401);
    await buy('ada@example.com');
    const bob = await buy('bob@example.com');
    const other = await t.addStore('other');
    await createCatalog(t, other);
    const foreign = await buy('ada@example.com', { store: other });
    const session = await signInByEmail(t, 'ada@example.com');
    const methods = await list(session.token);
    assert.equal(methods.length, 1);
    const bobs = await expect(await t.api('GET', `/api/accounts/${bob.accountId}/payment-methods`), 200);
    const foreigns = await expect(
      await t.api('GET', `/api/accounts/${foreign.accountId}/payment-methods`, undefined, { store: other }),
      200,
    );
    for (const id of [bobs.data[0].id, foreigns.data[0].id]) {
      await expect(await portal(t, 'PUT', `/payment-methods/${id}/default`, undefined, { token: session.token }), 404);
      await expect(await portal(t, 'DELETE', `/payment-methods/${id}`, undefined, { token: session.token }), 404);
    }
    await expect(await portal(t, 'GET', '/payment-methods', undefined, { token: session.token, store: other }), 401);
  });
});

describe('PUT /portal/{store}/payment-methods/{id}/default', () => {
  test('makes the method the only default and emits payment_method.updated', async () => {
    const { accountId } = await buy('ada@example.com');
    const second = await attach(accountId, { last4: '5555' });
    const session = await signInByEmail(t, 'ada@example.com');
    const body = await expect(
      await portal(t, 'PUT', `/payment-methods/${second.id}/default`, undefined, { token: session.token }),
      200,
    );
    assert.deepEqual(
      body.data.map((m: any) => [m.id === second.id, m.isDefault]),
      [
        [true, true],
        [false, false],
      ],
    );
    const updated = await eventsOf('payment_method.updated');
    assert.equal(updated.length, 1);
    assert.equal(updated[0].id, second.id);
    assert.equal(updated[0].isDefault, true);
  });
});

describe('DELETE /portal/{store}/payment-methods/{id}', () => {
  test('removes a method softly, moves its subscriptions to the default and tells the gateway', async () => {
    const { accountId, subscriptionId } = await buy('ada@example.com');
    const original = await subscriptionRow(subscriptionId);
    const second = await attach(accountId, { last4: '5555' });
    const session = await signInByEmail(t, 'ada@example.com');
    await expect(
      await portal(
        t,
        'PUT',
        `/subscriptions/${subscriptionId}/payment-method`,
        { paymentMethodId: second.id },
        { token: session.token },
      ),
      200,
    );
    const detached: string[] = [];
    t.deps.gateway.detachMethod = async (token) => {
      detached.push(token);
    };
    const body = await expect(
      await portal(t, 'DELETE', `/payment-methods/${second.id}`, undefined, { token: session.token }),
      200,
    );
    assert.deepEqual(
      body.data.map((m: any) => m.id),
      [original.paymentMethodId],
    );
    assert.deepEqual(body.data[0].subscriptions, [{ id: subscriptionId, productName: 'Pro' }]);
    const row = first(await t.db.select().from(paymentMethods).where(eq(paymentMethods.id, second.id)))!;
    assert.ok(row.removedAt, 'kept, marked removed');
    assert.deepEqual(detached, [row.processorToken]);
    const sub = await subscriptionRow(subscriptionId);
    assert.equal(sub.paymentMethodId, original.paymentMethodId);
    assert.equal(sub.version, original.version + 2, 'each switch is a change');
    assert.deepEqual(
      (await eventsOf('payment_method.removed')).map((m) => m.id),
      [second.id],
    );
    assert.equal((await eventsOf('subscription.updated')).at(-1).paymentMethodId, original.paymentMethodId);
    await expect(await portal(t, 'DELETE', `/payment-methods/${second.id}`, undefined, { token: session.token }), 404);
  });

  test('removing the default makes another method (an unexpired one first) the default and moves the subscriptions there', async () => {
    const { accountId, subscriptionId } = await buy('ada@example.com');
    const defaultId = (await subscriptionRow(subscriptionId)).paymentMethodId!;
    await attach(accountId, { last4: '1111', expMonth: 1, expYear: 2025 });
    const fresh = await attach(accountId, { last4: '2222' });
    const session = await signInByEmail(t, 'ada@example.com');
    const body = await expect(
      await portal(t, 'DELETE', `/payment-methods/${defaultId}`, undefined, { token: session.token }),
      200,
    );
    assert.deepEqual(
      body.data.map((m: any) => [m.last4, m.isDefault]),
      [
        ['2222', true],
        ['1111', false],
      ],
    );
    assert.equal((await subscriptionRow(subscriptionId)).paymentMethodId, fresh.id);
    assert.deepEqual(
      (await eventsOf('payment_method.updated')).map((m) => [m.id, m.isDefault]),
      [[fresh.id, true]],
    );
  });

  test('each method names the one that would take over if it were removed, and removing it does just that', async () => {
    const { accountId, subscriptionId } = await buy('ada@example.com');
    const defaultId = (await subscriptionRow(subscriptionId)).paymentMethodId!;
    const session = await signInByEmail(t, 'ada@example.com');
    assert.deepEqual(
      (await list(session.token)).map((m) => m.successorId),
      [null],
      'the only method has none',
    );
    t.clock.advance(MINUTE);
    const older = await attach(accountId, { last4: '3333' });
    t.clock.advance(MINUTE);
    const newer = await attach(accountId, { last4: '4444' });
    t.clock.advance(MINUTE);
    const expired = await attach(accountId, { last4: '1111', expMonth: 1, expYear: 2025 });
    const successors = (methods: any[]) => Object.fromEntries(methods.map((m) => [m.id, m.successorId]));
    // The default's successor is the newest unexpired method; everyone else's is the default.
    assert.deepEqual(successors(await list(session.token)), {
      [defaultId]: newer.id,
      [older.id]: defaultId,
      [newer.id]: defaultId,
      [expired.id]: defaultId,
    });
    const body = await expect(
      await portal(t, 'DELETE', `/payment-methods/${defaultId}`, undefined, { token: session.token }),
      200,
    );
    assert.deepEqual(
      body.data.filter((m: any) => m.isDefault).map((m: any) => m.id),
      [newer.id],
    );
    assert.equal((await subscriptionRow(subscriptionId)).paymentMethodId, newer.id);
    assert.deepEqual(successors(body.data), { [newer.id]: older.id, [older.id]: newer.id, [expired.id]: newer.id });
  });

  test('refuses to remove the only method an auto-renewing subscription depends on (409, naming it)', async () => {
    const { subscriptionId } = await buy('ada@example.com');
    const methodId = (await subscriptionRow(subscriptionId)).paymentMethodId!;
    const session = await signInByEmail(t, 'ada@example.com');
    const body = await expect(
      await portal(t, 'DELETE', `/payment-methods/${methodId}`, undefined, { token: session.token }),
      409,
    );
    assert.equal(body.error.code, 'payment_method_in_use');
    assert.match(body.error.message, /Pro/);
    assert.deepEqual(body.error.details.subscriptions, [{ id: subscriptionId, productName: 'Pro' }]);
    assert.equal((await list(session.token)).length, 1);
    assert.equal((await subscriptionRow(subscriptionId)).paymentMethodId, methodId);
    assert.equal((await eventsOf('payment_method.removed')).length, 0);
  });

  test('removes the only method when nothing renewing depends on it (a pending cancellation, a manual subscription)', async () => {
    const { subscriptionId } = await buy('ada@example.com');
    const methodId = (await subscriptionRow(subscriptionId)).paymentMethodId!;
    await t.db
      .update(subscriptions)
      .set({ cancelAtPeriodEnd: true, nextChargeAt: null })
      .where(eq(subscriptions.id, subscriptionId));
    const session = await signInByEmail(t, 'ada@example.com');
    const body = await expect(
      await portal(t, 'DELETE', `/payment-methods/${methodId}`, undefined, { token: session.token }),
      200,
    );
    assert.deepEqual(body.data, []);
    assert.equal((await subscriptionRow(subscriptionId)).paymentMethodId, null);
  });

  test('answers 409 subscription_busy while a subscription that would move is being charged', async () => {
    const { accountId, subscriptionId } = await buy('ada@example.com');
    await attach(accountId, { last4: '5555' });
    const methodId = (await subscriptionRow(subscriptionId)).paymentMethodId!;
    await t.db
      .update(subscriptions)
      .set({ lockedUntil: new Date(t.clock.now().getTime() + MINUTE) })
      .where(eq(subscriptions.id, subscriptionId));
    const session = await signInByEmail(t, 'ada@example.com');
    const body = await expect(
      await portal(t, 'DELETE', `/payment-methods/${methodId}`, undefined, { token: session.token }),
      409,
    );
    assert.equal(body.error.code, 'subscription_busy');
    assert.equal((await list(session.token)).length, 2, 'nothing removed');
  });
});

describe('PUT /portal/{store}/subscriptions/{id}/payment-method', () => {
  test('switches a manual-renewal subscription to a saved method and turns on automatic renewal', async () => {
    const { accountId, subscriptionId } = await buy('ada@example.com', { token: null });
    const before = await subscriptionRow(subscriptionId);
    assert.equal(before.autoRenew, false);
    const method = await attach(accountId, { last4: '5555' });
    const session = await signInByEmail(t, 'ada@example.com');
    const body = await expect(
      await portal(
        t,
        'PUT',
        `/subscriptions/${subscriptionId}/payment-method`,
        { paymentMethodId: method.id },
        { token: session.token },
      ),
      200,
    );
    assert.equal(body.id, subscriptionId);
    assert.equal(body.autoRenew, true, "the portal's subscription view");
    assert.equal(body.renewal, 'automatic');
    assert.deepEqual([body.paymentMethod.id, body.paymentMethod.last4], [method.id, '5555']);
    const after = await subscriptionRow(subscriptionId);
    assert.equal(after.version, before.version + 1);
    assert.equal(after.lockedUntil, null);
    assert.deepEqual(
      (await eventsOf('subscription.updated')).map((s) => [s.id, s.autoRenew, s.paymentMethodId]),
      [[subscriptionId, true, method.id]],
    );
    assert.deepEqual(
      (await eventsOf('payment_method.updated')).map((m) => m.id),
      [method.id],
    );
    assert.deepEqual((await list(session.token))[0].subscriptions, [{ id: subscriptionId, productName: 'Pro' }]);
    await expect(
      await portal(
        t,
        'PUT',
        `/subscriptions/${subscriptionId}/payment-method`,
        { paymentMethodId: method.id },
        { token: session.token },
      ),
      200,
    );
    assert.equal(
      (await subscriptionRow(subscriptionId)).version,
      after.version,
      'choosing the same method again changes nothing',
    );
    assert.equal((await eventsOf('subscription.updated')).length, 1);
  });

  test("refuses other people's subscriptions and methods, removed or expired methods and ended subscriptions", async () => {
    const { accountId, subscriptionId } = await buy('ada@example.com');
    const bob = await buy('bob@example.com');
    const bobsMethod = (await subscriptionRow(bob.subscriptionId)).paymentMethodId!;
    const expired = await attach(accountId, { last4: '1111', expMonth: 12, expYear: 2025 });
    const session = await signInByEmail(t, 'ada@example.com');
    const put = (subId: string, paymentMethodId: string) =>
      portal(t, 'PUT', `/subscriptions/${subId}/payment-method`, { paymentMethodId }, { token: session.token });
    const ownMethod = (await subscriptionRow(subscriptionId)).paymentMethodId!;
    await expect(await put(bob.subscriptionId, ownMethod), 404);
    await expect(await put(subscriptionId, bobsMethod), 404);
    assert.equal((await expect(await put(subscriptionId, expired.id), 422)).error.code, 'payment_method_expired');
    await t.db
      .update(subscriptions)
      .set({ status: 'canceled', endedAt: t.clock.now() })
      .where(eq(subscriptions.id, subscriptionId));
    assert.equal((await expect(await put(subscriptionId, ownMethod), 409)).error.code, 'subscription_ended');
    await expect(
      await portal(t, 'PUT', `/subscriptions/${subscriptionId}/payment-method`, { paymentMethodId: ownMethod }),
      401,
    );
  });
});

/** Starts a setup as the signed-in customer. */
async function startSetup(token: string, body: Record<string, unknown> = {}, store?: TestStore) {
  return expect(await portal(t, 'POST', '/payment-methods/setup', body, { token, store }), 201);
}

const complete = (session: string, setupId: string, token: string) =>
  portal(t, 'POST', '/payment-methods', { setupId, token }, { token: session });

describe('POST /portal/{store}/payment-methods/setup and POST /portal/{store}/payment-methods', () => {
  test('setup → token → saved: the first method becomes the default', async () => {
    const order = await expect(
      await t.api('POST', '/api/orders', { ...subscriptionOrder(), paymentMethod: undefined }),
      201,
    );
    const session = await signInByEmail(t, 'ada@example.com');
    const setup = await startSetup(session.token);
    assert.match(setup.setupId, /^setup_[0-9a-z]{20}$/);
    assert.equal(setup.url, `https://portal.test/gateway/test/setup/${setup.setupId}?lang=en`);
    assert.equal(setup.expiresAt, new Date(t.clock.now().getTime() + 30 * MINUTE).toISOString());
    const saved = await expect(
      await complete(
        session.token,
        setup.setupId,
        testToken({ brand: 'mastercard', last4: '4444', expMonth: 8, expYear: 2031 }),
      ),
      201,
    );
    assert.deepEqual(
      { ...saved, id: undefined, createdAt: undefined },
      {
        id: undefined,
        createdAt: undefined,
        type: 'card',
        brand: 'mastercard',
        last4: '4444',
        expMonth: 8,
        expYear: 2031,
        expired: false,
        expiresSoon: false,
        isDefault: true,
        subscriptions: [],
        successorId: null,
      },
    );
    assert.deepEqual(
      (await eventsOf('payment_method.created')).map((m) => [m.id, m.accountId]),
      [[saved.id, order.accountId]],
    );
    assert.equal((await list(session.token)).length, 1);
  });

  test('makeDefault and subscriptionIds: the new method becomes the default and pays for the listed subscriptions', async () => {
    const manual = await buy('ada@example.com', { token: null });
    const auto = await buy('ada@example.com', { product: 'basic-monthly' });
    const session = await signInByEmail(t, 'ada@example.com');
    const setup = await startSetup(session.token, { makeDefault: true, subscriptionIds: [manual.subscriptionId] });
    const saved = await expect(await complete(session.token, setup.setupId, testToken({ last4: '0005' })), 201);
    assert.equal(saved.isDefault, true);
    assert.deepEqual(saved.subscriptions, [{ id: manual.subscriptionId, productName: 'Pro' }]);
    assert.equal(
      (await subscriptionRow(manual.subscriptionId)).autoRenew,
      true,
      'a manual subscription now renews automatically',
    );
    assert.notEqual(
      (await subscriptionRow(auto.subscriptionId)).paymentMethodId,
      saved.id,
      'unlisted subscriptions keep theirs',
    );
    assert.deepEqual(
      (await list(session.token)).map((m) => [m.last4, m.isDefault]),
      [
        ['0005', true],
        ['4242', false],
      ],
    );
  });

  test('a setup is single use', async () => {
    await buy('ada@example.com');
    const session = await signInByEmail(t, 'ada@example.com');
    const setup = await startSetup(session.token);
    await expect(await complete(session.token, setup.setupId, testToken({ last4: '1881' })), 201);
    const again = await expect(await complete(session.token, setup.setupId, testToken({ last4: '0000' })), 409);
    assert.equal(again.error.code, 'setup_used');
    assert.deepEqual((await list(session.token)).map((m) => m.last4).sort(), ['1881', '4242']);
  });

  test('a setup expires after 30 minutes (valid a second before, refused a second after)', async () => {
    await buy('ada@example.com');
    const session = await signInByEmail(t, 'ada@example.com');
    const early = await startSetup(session.token);
    const late = await startSetup(session.token);
    t.clock.advance(30 * MINUTE - SECOND);
    await expect(await complete(session.token, early.setupId, testToken({ last4: '1111' })), 201);
    t.clock.advance(2 * SECOND);
    const refused = await expect(await complete(session.token, late.setupId, testToken({ last4: '2222' })), 410);
    assert.equal(refused.error.code, 'setup_expired');
  });

  test("another account's or another store's setup is refused as unknown", async () => {
    await buy('ada@example.com');
    await buy('bob@example.com');
    const other = await t.addStore('other');
    await createCatalog(t, other);
    await buy('ada@example.com', { store: other });
    const ada = await signInByEmail(t, 'ada@example.com');
    const bob = await signInByEmail(t, 'bob@example.com');
    // The login link of the other store must be the newest email to Ada.
    t.clock.advance(SECOND);
    const adaElsewhere = await signInByEmail(t, 'ada@example.com', { store: other });
    const setup = await startSetup(ada.token);
    assert.equal(
      (await expect(await complete(bob.token, setup.setupId, testToken({ last4: '3333' })), 404)).error.code,
      'setup_not_found',
    );
    const cross = await portal(
      t,
      'POST',
      '/payment-methods',
      { setupId: setup.setupId, token: testToken({ last4: '3333' }) },
      { token: adaElsewhere.token, store: other },
    );
    await expect(cross, 404);
    await expect(await complete(ada.token, setup.setupId, testToken({ last4: '3333' })), 201);
  });

  test('refused test cards answer 402 payment_declined with the decline code; the setup stays open', async () => {
    await buy('ada@example.com');
    const session = await signInByEmail(t, 'ada@example.com');
    const setup = await startSetup(session.token);
    const cases: Array<[string, string]> = [
      [testToken({ last4: '0002', behaviour: 'declined_at_setup' }), 'card_declined'],
      [testToken({ last4: '0069', behaviour: 'expired' }), 'expired_card'],
      [testToken({ last4: '4242', expMonth: 12, expYear: 2025 }), 'expired_card'],
      ['tok_test_bm90LWEtdG9rZW4', 'invalid_token'],
      ['pm_card_from_elsewhere', 'invalid_token'],
    ];
    for (const [token, code] of cases) {
      tokens.push(token);
      const body = await expect(await complete(session.token, setup.setupId, token), 402);
      assert.equal(body.error.code, 'payment_declined');
      assert.equal(body.error.details.declineCode, code);
      assert.ok(body.error.message.length > 10);
    }
    assert.equal((await list(session.token)).length, 1, 'nothing saved');
    await expect(await complete(session.token, setup.setupId, testToken({ last4: '9999' })), 201);
  });

  test('at most 10 setups started and 10 cards checked per account per hour (429 with Retry-After); other accounts unaffected', async () => {
    await buy('ada@example.com');
    await buy('bob@example.com');
    const ada = await signInByEmail(t, 'ada@example.com');
    const bob = await signInByEmail(t, 'bob@example.com');
    const setups = [];
    for (let i = 0; i < SETUP_LIMITS.started.max; i++) setups.push(await startSetup(ada.token));
    const refused = await portal(t, 'POST', '/payment-methods/setup', {}, { token: ada.token });
    const body = await expect(refused, 429);
    assert.equal(body.error.code, 'rate_limited');
    assert.equal(refused.headers.get('retry-after'), String(HOUR / SECOND));
    await startSetup(bob.token);
    // Declined cards count as much as saved ones: a session cannot be used to test cards.
    const declining = testToken({ last4: '0002', behaviour: 'declined_at_setup' });
    for (let i = 0; i < SETUP_LIMITS.checked.max; i++)
      await expect(await complete(ada.token, setups[0].setupId, declining), 402);
    const limited = await expect(await complete(ada.token, setups[1].setupId, testToken({ last4: '1111' })), 429);
    assert.equal(limited.error.code, 'rate_limited');
    assert.equal((await list(ada.token)).length, 1, 'nothing saved, the gateway not asked');
    t.clock.advance(HOUR);
    const later = await signInByEmail(t, 'ada@example.com');
    await expect(
      await complete(later.token, (await startSetup(later.token)).setupId, testToken({ last4: '1111' })),
      201,
    );
  });

  test("setup refuses subscriptions that are not the account's or have ended; the page language follows the account or the request", async () => {
    const ada = await buy('ada@example.com');
    const bob = await buy('bob@example.com');
    const session = await signInByEmail(t, 'ada@example.com');
    await expect(
      await portal(
        t,
        'POST',
        '/payment-methods/setup',
        { subscriptionIds: [bob.subscriptionId] },
        { token: session.token },
      ),
      404,
    );
    await t.db
      .update(subscriptions)
      .set({ status: 'deactivated', endedAt: t.clock.now() })
      .where(eq(subscriptions.id, ada.subscriptionId));
    await expect(
      await portal(
        t,
        'POST',
        '/payment-methods/setup',
        { subscriptionIds: [ada.subscriptionId] },
        { token: session.token },
      ),
      409,
    );
    const german = await startSetup(session.token, { language: 'de' });
    assert.match(german.url, /\?lang=de$/);
    const arabic = await startSetup(session.token, { language: 'ar' });
    assert.match(arabic.url, /\?lang=ar$/, 'every portal language, not only English and German');
    await expect(await portal(t, 'POST', '/payment-methods/setup', { language: 'xx' }, { token: session.token }), 422);
    await expect(await portal(t, 'POST', '/payment-methods/setup', { extra: 1 }, { token: session.token }), 422);
    await expect(await portal(t, 'POST', '/payment-methods/setup', {}), 401);
  });
});

describe('Server API /api/accounts/{id}/payment-methods', () => {
  test('POST attaches a processor token as default for the listed subscriptions (manual ones turn automatic)', async () => {
    const { accountId, subscriptionId } = await buy('ada@example.com', { token: null });
    const method = await attach(accountId, {
      brand: 'visa',
      last4: '7777',
      expMonth: 4,
      expYear: 2031,
      makeDefault: true,
      subscriptionIds: [subscriptionId],
    });
    assert.equal(method.isDefault, true);
    assert.equal(method.token, undefined);
    const sub = await subscriptionRow(subscriptionId);
    assert.equal(sub.paymentMethodId, method.id);
    assert.equal(sub.autoRenew, true);
    const bob = await buy('bob@example.com');
    const refused = await t.api('POST', `/api/accounts/${accountId}/payment-methods`, {
      token: testToken({ last4: '8888' }),
      subscriptionIds: [bob.subscriptionId],
    });
    await expect(refused, 404);
    const listed = await expect(await t.api('GET', `/api/accounts/${accountId}/payment-methods`), 200);
    assert.deepEqual(
      listed.data.map((m: any) => m.last4),
      ['7777'],
      'nothing saved when a subscription is refused',
    );
  });

  test("DELETE removes with the portal's rules: 409 for the only method a renewing subscription needs, 404 across stores", async () => {
    const { accountId, subscriptionId } = await buy('ada@example.com');
    const only = (await subscriptionRow(subscriptionId)).paymentMethodId!;
    const refused = await expect(await t.api('DELETE', `/api/accounts/${accountId}/payment-methods/${only}`), 409);
    assert.equal(refused.error.code, 'payment_method_in_use');
    const second = await attach(accountId, { last4: '5555' });
    const other = await t.addStore('other');
    await expect(
      await t.api('DELETE', `/api/accounts/${accountId}/payment-methods/${only}`, undefined, { store: other }),
      404,
    );
    await expect(await t.api('DELETE', `/api/accounts/${accountId}/payment-methods/${only}`), 204);
    assert.equal((await subscriptionRow(subscriptionId)).paymentMethodId, second.id);
    const listed = await expect(await t.api('GET', `/api/accounts/${accountId}/payment-methods`), 200);
    assert.deepEqual(
      listed.data.map((m: any) => [m.id, m.isDefault]),
      [[second.id, true]],
    );
  });
});
