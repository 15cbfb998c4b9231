import { first } from '../../server/db/query';
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { portalTokens } from '../../server/db/schema';
import { MINUTE, SECOND } from '../../server/lib/clock';
import { createTestContext, json, type TestContext, type TestStore } from '../helpers/app';
import { oneTimeOrder } from '../helpers/fixtures';
import { portal, signInByEmail } from '../helpers/portal';

let t: TestContext;
beforeEach(async () => {
  t = await createTestContext();
});

/** Records an order through the Server API and returns the merchant's view of it. */
async function recordOrder(overrides: Record<string, unknown> = {}, store?: TestStore) {
  const response = await t.api('POST', '/api/orders', oneTimeOrder(overrides), { store });
  assert.equal(response.status, 201, await response.clone().text());
  return json(response);
}

const giftToGrace = {
  gift: {
    recipient: { email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper' },
    message: 'Happy birthday!',
  },
};

describe('GET /portal/{store}/orders', () => {
  test("lists the account's own orders and received gifts, newest first, in pages", async () => {
    const oldest = await recordOrder({ completedAt: '2026-01-10T10:00:00.000Z' });
    const tieA = await recordOrder({ completedAt: '2026-01-12T10:00:00.000Z' });
    const tieB = await recordOrder({ completedAt: '2026-01-12T10:00:00.000Z' });
    const gift = await recordOrder({
      customer: { email: 'bob@example.com', firstName: 'Bob' },
      completedAt: '2026-01-11T10:00:00.000Z',
      gift: { recipient: { email: 'ada@example.com' } },
    });
    await recordOrder({ customer: { email: 'bob@example.com' } });
    const { token } = await signInByEmail(t, 'ada@example.com');

    const first = await portal(t, 'GET', '/orders?limit=2', undefined, { token });
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('cache-control'), 'no-store');
    const page1 = await json(first);
    const [newer, older] = [tieA, tieB].sort((a, b) => (a.id < b.id ? 1 : -1));
    assert.deepEqual(
      page1.data.map((o: { id: string }) => o.id),
      [newer.id, older.id],
    );
    assert.ok(page1.nextCursor);

    const second = await portal(t, 'GET', `/orders?limit=2&cursor=${page1.nextCursor}`, undefined, { token });
    assert.equal(second.status, 200);
    const page2 = await json(second);
    assert.deepEqual(
      page2.data.map((o: { id: string }) => o.id),
      [gift.id, oldest.id],
    );
    assert.deepEqual(
      page2.data.map((o: { role: string }) => o.role),
      ['gift_received', 'purchase'],
    );
    assert.equal(page2.nextCursor, null);
  });

  test('needs a session and rejects a made-up cursor', async () => {
    assert.equal((await portal(t, 'GET', '/orders')).status, 401);
    await recordOrder();
    const { token } = await signInByEmail(t, 'ada@example.com');
    const bad = await portal(t, 'GET', '/orders?cursor=nonsense', undefined, { token });
    assert.equal(bad.status, 400);
    assert.equal((await json(bad)).error.code, 'invalid_cursor');
  });

  test('shows nothing of another store, even for the same email', async () => {
    const other = await t.addStore('other');
    const foreign = await recordOrder({}, other);
    await recordOrder();
    const { token } = await signInByEmail(t, 'ada@example.com');
    const list = await json(await portal(t, 'GET', '/orders', undefined, { token }));
    assert.equal(list.data.length, 1);
    assert.notEqual(list.data[0].id, foreign.id);
    const cross = await portal(t, 'GET', `/orders/${foreign.id}`, undefined, { token });
    assert.equal(cross.status, 404);
    assert.equal(
      (await portal(t, 'GET', '/orders', undefined, { token, store: other })).status,
      401,
      'a session of one store is nothing at another',
    );
  });
});

describe('GET /portal/{store}/orders/{orderId}', () => {
  test('shows the owner of an ordinary order everything but raw download URLs and merchant fields', async () => {
    const order = await recordOrder();
    const { token } = await signInByEmail(t, 'ada@example.com');
    const response = await portal(t, 'GET', `/orders/${order.id}`, undefined, { token });
    assert.equal(response.status, 200);
    const text = await response.text();
    const view = JSON.parse(text);
    assert.equal(view.role, 'purchase');
    assert.equal(view.reference, order.reference);
    assert.deepEqual(view.amounts, { subtotal: 9800, discount: 800, tax: 1800, total: 10800 });
    assert.deepEqual(view.items[0], {
      id: order.items[0].id,
      displayName: 'Photo Toolkit',
      quantity: 2,
      unitPrice: 4900,
      subtotal: 9800,
      discount: 800,
      tax: 1800,
      total: 10800,
    });
    assert.deepEqual(view.payment, { brand: 'visa', last4: '4242' });
    assert.equal(view.invoiceNumber, order.invoiceNumber);
    assert.equal(view.gift, null);
    assert.deepEqual(view.fulfilments, [
      {
        id: order.fulfilments[0].id,
        itemId: order.items[0].id,
        name: null,
        revoked: false,
        type: 'license_key',
        licenseKey: 'TK-1111-2222',
      },
      {
        id: order.fulfilments[1].id,
        itemId: order.items[0].id,
        name: null,
        revoked: false,
        type: 'download',
        fileName: 'toolkit-3.2.zip',
        fileSize: 1048576,
      },
    ]);
    for (const secret of ['cdn.example', 'downloadUrl', 'customUserId', 'accountId', 'tok_visa']) {
      assert.ok(!text.includes(secret), `${secret} must not be in ${text}`);
    }
  });

  test("answers 404 for another account's order and for unknown ids alike", async () => {
    const bobs = await recordOrder({ customer: { email: 'bob@example.com' } });
    await recordOrder();
    const { token } = await signInByEmail(t, 'ada@example.com');
    const foreign = await portal(t, 'GET', `/orders/${bobs.id}`, undefined, { token });
    const unknown = await portal(t, 'GET', '/orders/ord_doesnotexist00000000', undefined, { token });
    assert.equal(foreign.status, 404);
    assert.equal(unknown.status, 404);
    assert.equal((await json(foreign)).error.code, (await json(unknown)).error.code);
  });
});

describe('gift privacy', () => {
  test('the purchaser sees what was bought, paid and for whom, but no fulfilment and no recipient email', async () => {
    const order = await recordOrder(giftToGrace);
    const { token } = await signInByEmail(t, 'ada@example.com');
    const response = await portal(t, 'GET', `/orders/${order.id}`, undefined, { token });
    assert.equal(response.status, 200);
    const text = await response.text();
    const view = JSON.parse(text);
    assert.equal(view.role, 'gift_sent');
    assert.equal(view.amounts.total, 10800);
    assert.equal(view.items[0].unitPrice, 4900);
    assert.deepEqual(view.payment, { brand: 'visa', last4: '4242' });
    assert.equal(view.invoiceNumber, order.invoiceNumber);
    assert.deepEqual(view.gift, {
      recipient: { firstName: 'Grace', lastName: 'Hopper' },
      sender: null,
      message: 'Happy birthday!',
    });
    assert.deepEqual(view.fulfilments, []);
    for (const secret of [
      'TK-1111-2222',
      'licenseKey',
      'toolkit-3.2.zip',
      'cdn.example',
      'grace@example.com',
      order.fulfilments[0].id,
    ]) {
      assert.ok(!text.includes(secret), `${secret} must not be in ${text}`);
    }
    const list = await (await portal(t, 'GET', '/orders', undefined, { token })).text();
    assert.ok(!list.includes('TK-1111-2222') && !list.includes('grace@example.com'), 'nor in the list');
  });

  test('the recipient sees items, fulfilments and the sender, but no amounts, payment, invoice or sender email', async () => {
    const order = await recordOrder(giftToGrace);
    const { token } = await signInByEmail(t, 'grace@example.com');
    const response = await portal(t, 'GET', `/orders/${order.id}`, undefined, { token });
    assert.equal(response.status, 200);
    const text = await response.text();
    const view = JSON.parse(text);
    assert.equal(view.role, 'gift_received');
    assert.equal(view.amounts, null);
    assert.deepEqual(view.items, [{ id: order.items[0].id, displayName: 'Photo Toolkit', quantity: 2 }]);
    assert.equal(view.payment, null);
    assert.equal(view.invoiceNumber, null);
    assert.deepEqual(view.gift, {
      recipient: null,
      sender: { firstName: 'Ada', lastName: 'Lovelace' },
      message: 'Happy birthday!',
    });
    assert.deepEqual(
      view.fulfilments.map((f: { type: string }) => f.type),
      ['license_key', 'download'],
    );
    assert.equal(view.fulfilments[0].licenseKey, 'TK-1111-2222');
    const forbidden = [
      'ada@example.com',
      'unitPrice',
      'subtotal',
      '"tax"',
      '"discount"',
      '"total"',
      '4900',
      '10800',
      'visa',
      '4242',
      `"invoiceNumber":"${order.invoiceNumber}"`,
      'cdn.example',
    ];
    for (const secret of forbidden) assert.ok(!text.includes(secret), `${secret} must not be in ${text}`);
    const list = await (await portal(t, 'GET', '/orders', undefined, { token })).text();
    assert.ok(!list.includes('10800') && !list.includes('ada@example.com'), 'nor in the list');
  });
});

/** A redirect target without its `md5` and `expires` signature (which must be there). */
function unsigned(location: string | null): string {
  const url = new URL(location ?? 'about:blank');
  assert.match(url.searchParams.get('md5') ?? '', /^[A-Za-z0-9_-]{22}$/, `signed: ${location}`);
  assert.match(url.searchParams.get('expires') ?? '', /^\d+$/, `signed: ${location}`);
  url.searchParams.delete('md5');
  url.searchParams.delete('expires');
  return url.href;
}

describe('download links', () => {
  async function downloadOf(order: { fulfilments: { id: string; type: string }[] }) {
    return order.fulfilments.find((f) => f.type === 'download')!.id;
  }

  test('POST …/downloads/{id}/link gives the owner a link that redirects for 5 minutes (± 1 s), reusable', async () => {
    const order = await recordOrder();
    const { token } = await signInByEmail(t, 'ada@example.com');
    const issued = t.clock.now().getTime();
    const response = await portal(t, 'POST', `/downloads/${await downloadOf(order)}/link`, undefined, { token });
    assert.equal(response.status, 201);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const link = await json(response);
    assert.match(link.url, /^https:\/\/portal\.test\/downloads\/pt_[A-Za-z0-9_-]{43}$/);
    assert.equal(link.expiresAt, new Date(issued + 5 * MINUTE).toISOString());
    const path = new URL(link.url).pathname;

    const first = await t.app.request(path);
    assert.equal(first.status, 302);
    // The file's URL, with an nginx secure_link signature that expires with the link (see downloads.test.ts).
    assert.equal(unsigned(first.headers.get('location')), 'https://cdn.example/toolkit-3.2.zip');
    assert.equal(
      new URL(first.headers.get('location')!).searchParams.get('expires'),
      String((issued + 5 * MINUTE) / 1000),
    );
    assert.equal(first.headers.get('cache-control'), 'no-store');
    assert.equal(first.headers.get('referrer-policy'), 'no-referrer');

    t.clock.advance(5 * MINUTE - SECOND);
    assert.equal((await t.app.request(path)).status, 302, 'used again just in time');

    t.clock.advance(2 * SECOND);
    const expired = await t.app.request(path);
    assert.equal(expired.status, 410);
    assert.equal(expired.headers.get('cache-control'), 'no-store');
    assert.equal((await json(expired)).error.code, 'link_expired');
    const page = await t.app.request(path, { headers: { accept: 'text/html' } });
    assert.equal(page.status, 410);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await page.text(), /expired/);
  });

  test("stores only the token's hash, tied to the fulfilment", async () => {
    const order = await recordOrder();
    const { token } = await signInByEmail(t, 'ada@example.com');
    const fulfilmentId = await downloadOf(order);
    const link = await json(await portal(t, 'POST', `/downloads/${fulfilmentId}/link`, undefined, { token }));
    const secret = new URL(link.url).pathname.split('/').at(-1)!;
    const row = first(await t.db.select().from(portalTokens).where(eq(portalTokens.purpose, 'download')))!;
    assert.equal(row.subjectId, fulfilmentId);
    assert.notEqual(row.tokenHash, secret);
    assert.ok(!JSON.stringify(await t.db.select().from(portalTokens)).includes(secret));
    assert.equal((await portal(t, 'POST', '/sessions', { token: secret })).status, 401, 'it does not sign anyone in');
  });

  test('made-up and tampered links answer 410 without a redirect', async () => {
    for (const path of ['/downloads/pt_' + 'x'.repeat(43), '/downloads/nonsense']) {
      const response = await t.app.request(path);
      assert.equal(response.status, 410, path);
      assert.equal(response.headers.get('location'), null);
    }
  });

  test("only the owner gets one: the gift's recipient yes, its purchaser no", async () => {
    const gift = await recordOrder(giftToGrace);
    const fulfilmentId = await downloadOf(gift);
    const purchaser = await signInByEmail(t, 'ada@example.com');
    const denied = await portal(t, 'POST', `/downloads/${fulfilmentId}/link`, undefined, { token: purchaser.token });
    assert.equal(denied.status, 404);
    const recipient = await signInByEmail(t, 'grace@example.com');
    const granted = await portal(t, 'POST', `/downloads/${fulfilmentId}/link`, undefined, { token: recipient.token });
    assert.equal(granted.status, 201);
    const redirect = await t.app.request(new URL((await json(granted)).url).pathname);
    assert.equal(unsigned(redirect.headers.get('location')), 'https://cdn.example/toolkit-3.2.zip');
  });

  test("no link for someone else's download, a licence key, another store's download, or without a session", async () => {
    const bobs = await recordOrder({ customer: { email: 'bob@example.com' } });
    const own = await recordOrder();
    const foreign = await recordOrder({}, await t.addStore('other'));
    const { token } = await signInByEmail(t, 'ada@example.com');
    const licenceKey = own.fulfilments.find((f: { type: string }) => f.type === 'license_key').id;
    for (const id of [await downloadOf(bobs), licenceKey, await downloadOf(foreign)]) {
      assert.equal((await portal(t, 'POST', `/downloads/${id}/link`, undefined, { token })).status, 404, id);
    }
    assert.equal((await portal(t, 'POST', `/downloads/${await downloadOf(own)}/link`)).status, 401);
    assert.equal((await t.db.select().from(portalTokens).where(eq(portalTokens.purpose, 'download'))).length, 0);
  });
});
