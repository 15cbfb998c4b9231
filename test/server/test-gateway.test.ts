import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { beforeEach, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { createApp } from '../../server/app';
import { paymentSetups, testGatewayCharges, testGatewayRefunds } from '../../server/db/schema';
import { DAY, MINUTE } from '../../server/lib/clock';
import { PaymentDeclinedError, type PaymentGateway } from '../../server/payments/gateway';
import { testCards, type TestCard } from '../../server/payments/test-cards';
import { decodeTestToken, encodeTestToken, type TestGateway } from '../../server/payments/test-gateway';
import { createTestContext, type TestContext } from '../helpers/app';
import { oneTimeOrder } from '../helpers/fixtures';
import { portal, signInByEmail } from '../helpers/portal';

let t: TestContext;
let gateway: TestGateway;
beforeEach(async () => {
  t = await createTestContext();
  gateway = t.deps.gateway as TestGateway;
});

const tokenFor = (card: TestCard, expiry = { expMonth: 12, expYear: 2034 }) =>
  encodeTestToken({ brand: card.brand, last4: card.number.slice(-4), behaviour: card.behaviour, ...expiry });

const cardWith = (behaviour: TestCard['behaviour']) => testCards.find((c) => c.behaviour === behaviour)!;

/** The decline a promise rejects with, or undefined when it resolves. */
async function declineOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    assert.ok(error instanceof PaymentDeclinedError, String(error));
    return error.code;
  }
}

const charge = (token: string, idempotencyKey: string, amount = 1900) =>
  gateway.charge({ idempotencyKey, token, amount, currency: 'USD', description: 'Pro (monthly)' });

const ledger = async () => await t.db.select().from(testGatewayCharges);

describe('TestGateway', () => {
  test('retrieveMethod shows brand, last 4 and expiry of the cards that save, and refuses the others', async () => {
    const expected: Record<TestCard['behaviour'], string | undefined> = {
      succeeds: undefined,
      declines_charges: undefined,
      insufficient_funds: undefined,
      declined_at_setup: 'card_declined',
      expired: 'expired_card',
    };
    for (const card of testCards) {
      const token = tokenFor(card);
      assert.equal(await declineOf(gateway.retrieveMethod(token)), expected[card.behaviour], card.number);
      if (expected[card.behaviour]) continue;
      assert.deepEqual(await gateway.retrieveMethod(token), {
        type: 'card',
        brand: card.brand,
        last4: card.number.slice(-4),
        expMonth: 12,
        expYear: 2034,
      });
    }
    assert.equal(
      await declineOf(gateway.retrieveMethod(tokenFor(testCards[0], { expMonth: 12, expYear: 2025 }))),
      'expired_card',
    );
    assert.equal(await declineOf(gateway.retrieveMethod('tok_test_garbage')), 'invalid_token');
    assert.equal(await declineOf(gateway.retrieveMethod('pm_from_another_processor')), 'invalid_token');
  });

  test('charge follows each documented card', async () => {
    const expected: Record<TestCard['behaviour'], string | null> = {
      succeeds: null,
      declines_charges: 'card_declined',
      insufficient_funds: 'insufficient_funds',
      declined_at_setup: 'card_declined',
      expired: null,
    };
    for (const [index, card] of testCards.entries()) {
      const result = await charge(tokenFor(card), `renewal:sub_${index}:0:0`);
      const code = expected[card.behaviour];
      if (code === null) {
        assert.equal(result.status, 'succeeded', card.number);
        assert.match(result.status === 'succeeded' ? result.chargeId : '', /^chg_/);
      } else {
        assert.deepEqual(result.status === 'declined' && [result.status, result.code], ['declined', code], card.number);
        assert.ok(result.status === 'declined' && result.message.length > 0);
      }
    }
    const invalid = await charge('tok_test_nonsense', 'renewal:sub_x:0:0');
    assert.equal(invalid.status === 'declined' && invalid.code, 'invalid_token');
  });

  test('charges are idempotent by key: the same key answers the first result and adds no ledger row', async () => {
    const token = tokenFor(cardWith('succeeds'));
    const first = await charge(token, 'renewal:sub_1:3:0');
    const again = await charge(token, 'renewal:sub_1:3:0', 99_999);
    assert.equal(first.status, 'succeeded');
    assert.deepEqual(again, first);
    assert.equal((await ledger()).length, 1);
    assert.equal((await ledger())[0].amount, 1900, 'the first request is what was charged');
    const parallel = await Promise.all(Array.from({ length: 10 }, () => charge(token, 'renewal:sub_1:4:0')));
    assert.equal(new Set(parallel.map((r) => (r.status === 'declined' ? r.code : r.chargeId))).size, 1);
    assert.equal((await ledger()).length, 2);
    const declined = tokenFor(cardWith('declines_charges'));
    const d1 = await charge(declined, 'renewal:sub_2:0:0');
    assert.deepEqual(await charge(declined, 'renewal:sub_2:0:0'), d1);
    assert.equal((await ledger()).length, 3);
  });

  test('a card declines with expired_card once the clock passes the end of its expiry month', async () => {
    const token = tokenFor(cardWith('succeeds'), { expMonth: 2, expYear: 2026 });
    t.clock.set('2026-02-28T23:59:59.999Z');
    const last = await charge(token, 'renewal:sub_1:0:0');
    assert.equal(last.status, 'succeeded');
    t.clock.set('2026-03-01T00:00:00.000Z');
    const after = await charge(token, 'renewal:sub_1:1:0');
    assert.equal(after.status === 'declined' && after.code, 'expired_card');
    assert.equal(await declineOf(gateway.retrieveMethod(token)), 'expired_card');
    assert.deepEqual(await charge(token, 'renewal:sub_1:0:0'), last, 'an earlier key still answers its result');
  });

  test('refund gives back at most what a charge took, idempotently by key, and keeps a ledger', async () => {
    const paid = await charge(tokenFor(cardWith('succeeds')), 'renewal:sub_1:0:0', 1900);
    assert.equal(paid.status, 'succeeded');
    const chargeId = paid.status === 'succeeded' ? paid.chargeId : '';
    const refund = (idempotencyKey: string, amount: number, currency = 'USD') =>
      gateway.refund({ idempotencyKey, chargeId, amount, currency });
    const first = await refund('refund:re_1', 1000);
    assert.equal(first.status, 'succeeded');
    assert.match(first.status === 'succeeded' ? first.refundId : '', /^re_/);
    assert.deepEqual(await refund('refund:re_1', 1000), first, 'the same key answers the first result');
    const parallel = await Promise.all(Array.from({ length: 5 }, () => refund('refund:re_2', 500)));
    assert.equal(new Set(parallel.map((r) => (r.status === 'failed' ? r.code : r.refundId))).size, 1);
    const over = await refund('refund:re_3', 401);
    assert.equal(over.status === 'failed' && over.code, 'exceeds_charge', '1000 + 500 + 401 is more than 1900');
    assert.equal((await refund('refund:re_4', 400, 'EUR')).status === 'failed', true);
    assert.equal((await refund('refund:re_5', 400)).status, 'succeeded', 'exactly what is left');
    const unknown = await gateway.refund({
      idempotencyKey: 'refund:re_6',
      chargeId: 'chg_nope',
      amount: 1,
      currency: 'USD',
    });
    assert.equal(unknown.status === 'failed' && unknown.code, 'unknown_charge');
    const rows = await t.db.select().from(testGatewayRefunds);
    assert.equal(rows.length, 6, 'one row per key, refusals included');
    assert.equal(
      rows.filter((r) => r.status === 'succeeded').reduce((s, r) => s + r.amount, 0),
      1900,
    );
    const listed = await gateway.listRefunds(chargeId);
    assert.deepEqual(
      listed.map((r) => [r.idempotencyKey, r.amount, r.currency, r.status]),
      [
        ['refund:re_1', 1000, 'USD', 'succeeded'],
        ['refund:re_2', 500, 'USD', 'succeeded'],
        ['refund:re_5', 400, 'USD', 'succeeded'],
      ],
      'its refunds oldest first, refusals left out',
    );
    assert.equal(listed[0].refundId, first.refundId);
    assert.deepEqual(await gateway.listRefunds('chg_nope'), []);
  });

  test('createSetup points at its own setup page in the requested language; tokens round-trip', async () => {
    const { url } = await gateway.createSetup({
      setupId: 'setup_abc',
      storeId: 'shop',
      accountId: 'acc_1',
      parentOrigins: [],
      language: 'de',
    });
    assert.equal(url, 'https://portal.test/gateway/test/setup/setup_abc?lang=de');
    const token = encodeTestToken({
      brand: 'amex',
      last4: '0005',
      expMonth: 1,
      expYear: 2030,
      behaviour: 'succeeds',
      nonce: 'n1',
    });
    assert.deepEqual(decodeTestToken(token), {
      v: 1,
      nonce: 'n1',
      brand: 'amex',
      last4: '0005',
      expMonth: 1,
      expYear: 2030,
      behaviour: 'succeeds',
    });
    assert.equal(decodeTestToken(`${token.slice(0, -4)}!!!!`), undefined);
  });
});

/** The CSP's directives by name. */
function directives(csp: string | null): Map<string, string[]> {
  assert.ok(csp, 'the page has a Content-Security-Policy');
  return new Map(
    csp
      .split(';')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [name = '', ...values] = part.split(/\s+/);
        return [name, values];
      }),
  );
}

/** A signed-in customer's new setup id. */
async function newSetup(): Promise<string> {
  const order = await t.api('POST', '/api/orders', oneTimeOrder());
  assert.equal(order.status, 201);
  const session = await signInByEmail(t, 'ada@example.com');
  const response = await portal(t, 'POST', '/payment-methods/setup', {}, { token: session.token });
  assert.equal(response.status, 201, await response.clone().text());
  return (await response.json()).setupId;
}

describe('GET /gateway/test/setup/{setupId}', () => {
  test("serves the card form framed only by the store's origins and the portal, with a strict policy", async () => {
    const setupId = await newSetup();
    const response = await t.app.request(`/gateway/test/setup/${setupId}?lang=en`);
    assert.equal(response.status, 200);
    const csp = directives(response.headers.get('content-security-policy'));
    assert.deepEqual(csp.get('frame-ancestors'), ['https://shop.example', 'https://portal.test']);
    assert.deepEqual(csp.get('script-src'), ["'self'"]);
    assert.deepEqual(csp.get('connect-src'), ["'none'"]);
    assert.deepEqual(csp.get('form-action'), ["'none'"]);
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const html = await response.text();
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1];
    assert.deepEqual(csp.get('style-src'), [`'sha256-${createHash('sha256').update(style).digest('base64')}'`]);
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.deepEqual(
      scripts.map(([, attributes]) => attributes.trim()),
      ['type="application/json" id="setup-data"', 'type="module" src="/gateway/test/setup.js"'],
    );
    assert.equal(scripts[1][2], '', 'no inline script');
    const data = JSON.parse(scripts[0][2]);
    assert.equal(data.setupId, setupId);
    assert.deepEqual(data.parentOrigins, ['https://shop.example', 'https://portal.test']);
    assert.deepEqual(
      data.cards,
      testCards.map(({ number, brand, behaviour }) => ({ number, brand, behaviour })),
    );
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
    assert.doesNotMatch(html, /<input[^>]*\sname=/, 'fields have no names, so nothing could ever be submitted');
    assert.doesNotMatch(html, /<form[^>]*\s(action|method)=/);
    for (const id of ['card-number', 'card-expiry', 'card-cvc', 'card-name'])
      assert.match(html, new RegExp(`<label for="${id}">`));
    assert.match(html, /Test mode — use these cards/);
    assert.match(html, /4242 4242 4242 4242/);
    assert.match(html, /3782 822463 10005/);
  });

  test("speaks German with ?lang=de or the browser's preference", async () => {
    const setupId = await newSetup();
    const asked = await (await t.app.request(`/gateway/test/setup/${setupId}?lang=de`)).text();
    assert.match(asked, /<html lang="de" dir="ltr">/);
    assert.match(asked, /Testmodus — verwenden Sie diese Karten/);
    assert.match(asked, /Kartennummer/);
    const preferred = await (
      await t.app.request(`/gateway/test/setup/${setupId}`, { headers: { 'accept-language': 'de-CH' } })
    ).text();
    assert.match(preferred, /<html lang="de" dir="ltr">/);
  });

  test('an unknown, expired or used setup shows a plain message without form or script', async () => {
    const unknown = await t.app.request('/gateway/test/setup/setup_nope');
    assert.equal(unknown.status, 404);
    assert.match(await unknown.clone().text(), /This card form does not exist/);
    const setupId = await newSetup();
    t.clock.advance(30 * MINUTE);
    const expired = await t.app.request(`/gateway/test/setup/${setupId}`);
    assert.equal(expired.status, 410);
    assert.match(await expired.clone().text(), /has expired/);
    await t.db
      .update(paymentSetups)
      .set({ status: 'completed', expiresAt: new Date(t.clock.now().getTime() + DAY) })
      .where(eq(paymentSetups.id, setupId));
    const used = await t.app.request(`/gateway/test/setup/${setupId}?lang=de`);
    assert.equal(used.status, 410);
    for (const response of [unknown, expired, used]) {
      const html = await response.text();
      assert.doesNotMatch(html, /<script|<form|<input/);
      assert.equal(response.headers.get('cache-control'), 'no-store');
    }
  });

  test("GET /gateway/test/setup.js is the page's script, revalidated by ETag", async () => {
    const response = await t.app.request('/gateway/test/setup.js');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/javascript/);
    const body = await response.text();
    assert.match(body, /tok_test_/);
    assert.match(body, /ap-payment-method-cancel/);
    assert.doesNotMatch(body, /fetch\(|XMLHttpRequest|sendBeacon/, 'the script never sends anything over the network');
    const etag = response.headers.get('etag')!;
    assert.equal((await t.app.request('/gateway/test/setup.js', { headers: { 'if-none-match': etag } })).status, 304);
  });

  test('exists only while the test gateway is in use (also in production when it is allowed)', async () => {
    const staging = await createTestContext({ config: { production: true } });
    assert.equal((await staging.app.request('/gateway/test/setup.js')).status, 200);
    const acme: PaymentGateway = {
      name: 'acme',
      isTest: false,
      createSetup: async () => ({ url: 'https://acme.example/setup' }),
      retrieveMethod: async () => {
        throw new Error('not used');
      },
      charge: async () => ({ status: 'succeeded', chargeId: 'ch_1' }),
      findCharge: async () => null,
      retrieveCharge: async () => ({ status: 'succeeded', chargeId: 'ch_1' }),
      authenticateCharge: async () => ({ status: 'succeeded', chargeId: 'ch_1' }),
      cancelCharge: async () => null,
      detachMethod: async () => {},
      forgetCustomer: async () => {},
      refund: async () => ({ status: 'succeeded', refundId: 're_1' }),
      listRefunds: async () => [],
    };
    const production = createApp({ ...staging.deps, gateway: acme });
    assert.equal((await production.request('/gateway/test/setup.js')).status, 404);
    assert.equal((await production.request('/gateway/test/setup/setup_x')).status, 404);
  });
});
