import { first } from '../../server/db/query';
import assert from 'node:assert/strict';
import { describe, test, type TestContext as NodeTestContext } from 'node:test';
import { eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import type { Db } from '../../server/db/client';
import { events, webhookDeliveries, webhookEndpoints } from '../../server/db/schema';
import { DAY, FakeClock, SECOND } from '../../server/lib/clock';
import { DomainError } from '../../server/lib/errors';
import { silentLogger, type Logger } from '../../server/lib/logger';
import { createWebhookEndpoint } from '../../server/webhooks/endpoints';
import {
  createWebhookWorker,
  WEBHOOK_MAX_ATTEMPTS,
  WEBHOOK_RETRY_SCHEDULE_MS,
  webhookRetryDelayMs,
  type WebhookWorkerOptions,
} from '../../server/webhooks/worker';
import { newWebhookSecret, signPayload } from '../../server/webhooks/sign';
import { createTestContext, json, openAgain, reopenable, type TestContext, type TestStore } from '../helpers/app';
import { closeDatabase } from '../helpers/engine-sql';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';

interface CreatedEndpoint {
  id: string;
  url: string;
  secret: string;
  eventTypes: string[];
  disabledAt: string | null;
  disabledReason: string | null;
}

/** A receiver that is closed when the test ends. */
async function receiver(t: NodeTestContext): Promise<WebhookReceiver> {
  const r = await startWebhookReceiver();
  t.after(() => r.close());
  return r;
}

async function addEndpoint(
  ctx: TestContext,
  body: Record<string, unknown>,
  store?: TestStore,
): Promise<CreatedEndpoint> {
  const response = await ctx.api('POST', '/api/webhook-endpoints', body, { store });
  assert.equal(response.status, 201);
  return json<CreatedEndpoint>(response);
}

async function addAccount(ctx: TestContext, email: string, store?: TestStore) {
  const response = await ctx.api('POST', '/api/accounts', { email }, { store });
  assert.equal(response.status, 201);
  return json<{ id: string; email: string }>(response);
}

/** A worker over the test context with no jitter unless told otherwise. */
function worker(ctx: { db: Db; clock: FakeClock }, options: WebhookWorkerOptions = {}, logger: Logger = silentLogger) {
  return createWebhookWorker(
    { db: ctx.db, clock: ctx.clock, logger, config: { production: false } },
    { random: () => 0.5, timeoutMs: 5000, ...options },
  );
}

const deliveriesOf = async (db: Db) => await db.select().from(webhookDeliveries);

describe('webhook signing', () => {
  test('signPayload matches the standardwebhooks implementation', () => {
    const secret = newWebhookSecret();
    assert.match(secret, /^whsec_[A-Za-z0-9+/]+=*$/);
    const keyBytes = Buffer.from(secret.slice('whsec_'.length), 'base64').length;
    assert.ok(keyBytes >= 24 && keyBytes <= 32, `key is ${keyBytes} bytes`);
    const body = JSON.stringify({ type: 'account.created', data: { name: 'Zoë 🚀' } });
    const expected = new Webhook(secret).sign('evt_123', new Date(1_700_000_000_000), body);
    assert.equal(signPayload(secret, 'evt_123', 1_700_000_000, body), expected);
  });

  test('secrets are random', () => {
    assert.notEqual(newWebhookSecret(), newWebhookSecret());
  });
});

describe('POST /api/webhook-endpoints', () => {
  test('returns the whsec_ secret once; list and get never include it', async () => {
    const ctx = await createTestContext();
    const created = await addEndpoint(ctx, { url: 'https://shop.example/hooks', description: 'ERP sync' });
    assert.match(created.id, /^we_/);
    assert.match(created.secret, /^whsec_/);
    assert.deepEqual(created.eventTypes, []);
    assert.equal(created.disabledAt, null);

    const list = await ctx.api('GET', '/api/webhook-endpoints');
    assert.equal(list.status, 200);
    const listText = await list.text();
    assert.ok(!listText.includes(created.secret));
    assert.ok(!listText.includes('"secret"'));
    assert.deepEqual(
      JSON.parse(listText).data.map((e: CreatedEndpoint) => e.id),
      [created.id],
    );

    const one = await ctx.api('GET', `/api/webhook-endpoints/${created.id}`);
    assert.equal(one.status, 200);
    const oneBody = await json(one);
    assert.equal(oneBody.secret, undefined);
    assert.equal(oneBody.description, 'ERP sync');
    assert.equal(oneBody.url, 'https://shop.example/hooks');
  });

  test('rejects bad URLs, unknown event types and unknown fields with 422, writing nothing', async () => {
    const ctx = await createTestContext();
    const url = 'https://shop.example/hooks';
    const bad = [
      {},
      { url: 'not a url' },
      { url: 'ftp://shop.example/hooks' },
      { url: '/hooks' },
      { url: 'javascript:alert(1)' },
      { url: 'https://user:pass@shop.example/hooks' },
      { url: `https://shop.example/${'a'.repeat(2000)}` },
      { url, eventTypes: ['account.exploded'] },
      { url, eventTypes: ['*'] },
      { url, eventTypes: 'account.created' },
      { url, secret: 'whsec_mine' },
    ];
    for (const body of bad) {
      const response = await ctx.api('POST', '/api/webhook-endpoints', body);
      assert.equal(response.status, 422, JSON.stringify(body).slice(0, 100));
      assert.equal((await json(response)).error.code, 'validation_failed');
    }
    assert.equal((await ctx.db.select().from(webhookEndpoints)).length, 0);
  });

  test('the service validates too, for callers other than the API', async () => {
    const ctx = await createTestContext();
    await assert.rejects(
      async () => await createWebhookEndpoint(ctx.deps, 'shop', { url: 'ftp://x.example' }),
      (e: unknown) => e instanceof DomainError && e.status === 422,
    );
    await assert.rejects(
      async () => await createWebhookEndpoint(ctx.deps, 'shop', { url: 'https://x.example', eventTypes: ['nope'] }),
      (e: unknown) => e instanceof DomainError && e.status === 422,
    );
    const { endpoint } = await createWebhookEndpoint(ctx.deps, 'shop', {
      url: 'https://x.example',
      eventTypes: ['account.created', 'account.created'],
    });
    assert.deepEqual(endpoint.eventTypes, ['account.created']);
  });

  test("another store's endpoint is a 404, is not listed and gets none of this store's events", async (t) => {
    const ctx = await createTestContext();
    const other = await ctx.addStore('other');
    const shopReceiver = await receiver(t);
    const otherReceiver = await receiver(t);
    const mine = await addEndpoint(ctx, { url: shopReceiver.url });
    const theirs = await addEndpoint(ctx, { url: otherReceiver.url }, other);

    assert.equal((await ctx.api('GET', `/api/webhook-endpoints/${theirs.id}`)).status, 404);
    assert.equal((await ctx.api('DELETE', `/api/webhook-endpoints/${theirs.id}`)).status, 404);
    assert.equal((await ctx.api('GET', '/api/webhook-endpoints/we_doesnotexist0000')).status, 404);
    const list = await json(await ctx.api('GET', '/api/webhook-endpoints'));
    assert.deepEqual(
      list.data.map((e: CreatedEndpoint) => e.id),
      [mine.id],
    );

    await addAccount(ctx, 'ada@example.com', other);
    assert.equal(await worker(ctx).runOnce(), 1);
    assert.equal(shopReceiver.requests.length, 0);
    assert.equal(otherReceiver.requests.length, 1);
  });

  test('DELETE removes the endpoint and drops its pending deliveries; events stay', async (t) => {
    const ctx = await createTestContext();
    const gone = await receiver(t);
    const kept = await receiver(t);
    const doomed = await addEndpoint(ctx, { url: gone.url });
    await addEndpoint(ctx, { url: kept.url });
    await addAccount(ctx, 'ada@example.com');
    assert.equal((await deliveriesOf(ctx.db)).length, 2);

    const response = await ctx.api('DELETE', `/api/webhook-endpoints/${doomed.id}`);
    assert.equal(response.status, 204);
    assert.equal((await ctx.api('GET', `/api/webhook-endpoints/${doomed.id}`)).status, 404);
    assert.equal((await ctx.api('DELETE', `/api/webhook-endpoints/${doomed.id}`)).status, 404);
    assert.equal((await deliveriesOf(ctx.db)).length, 1);
    assert.equal((await ctx.db.select().from(events)).length, 1);

    assert.equal(await worker(ctx).runOnce(), 1);
    assert.equal(gone.requests.length, 0);
    assert.equal(kept.requests.length, 1);
  });

  test('in production refuses URLs whose host is internal, however it is written, with 422 and writes nothing', async () => {
    const ctx = await createTestContext({ config: { production: true } });
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://2130706433/hook',
      'http://0177.0.0.1/hook',
      'http://0x7f.1/hook',
      'http://[::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://localhost:3000/hook',
      'http://10.0.0.5/hook',
      'https://172.16.0.1/hook',
      'https://192.168.1.10/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://100.64.0.1/hook',
      'http://0.0.0.0/hook',
      'http://[fe80::1]/hook',
      'http://[fd00::1]/hook',
      'http://224.0.0.1/hook',
    ]) {
      const response = await ctx.api('POST', '/api/webhook-endpoints', { url });
      assert.equal(response.status, 422, url);
      const body = await json(response);
      assert.equal(body.error.code, 'validation_failed', url);
      assert.equal(body.error.details[0].code, 'forbidden_address', url);
      assert.match(body.error.details[0].message, /^Refused to connect to /, url);
    }
    assert.equal((await ctx.db.select().from(webhookEndpoints)).length, 0);
    assert.equal((await ctx.api('POST', '/api/webhook-endpoints', { url: 'https://93.184.215.14/hook' })).status, 201);
  });

  test('outside production a loopback receiver is fine, an internal network is not', async () => {
    const ctx = await createTestContext();
    assert.equal((await ctx.api('POST', '/api/webhook-endpoints', { url: 'http://localhost:3000/hook' })).status, 201);
    assert.equal((await ctx.api('POST', '/api/webhook-endpoints', { url: 'http://[::1]:3000/hook' })).status, 201);
    assert.equal((await ctx.api('POST', '/api/webhook-endpoints', { url: 'http://169.254.169.254/' })).status, 422);
    assert.equal((await ctx.api('POST', '/api/webhook-endpoints', { url: 'http://10.0.0.5/' })).status, 422);
  });

  test('is described in the OpenAPI document', async () => {
    const ctx = await createTestContext();
    const doc = await json(await ctx.app.request('/api/openapi.json'));
    assert.ok(doc.paths['/webhook-endpoints']?.post);
    assert.ok(doc.paths['/webhook-endpoints/{endpointId}']?.delete);
  });
});

describe('webhook delivery', () => {
  test('account.created arrives signed with Standard Webhooks headers that standardwebhooks verifies', async (t) => {
    // The clock starts at the real time because standardwebhooks rejects timestamps more than 5 minutes off.
    const ctx = await createTestContext({ now: new Date().toISOString() });
    const r = await receiver(t);
    const endpoint = await addEndpoint(ctx, { url: r.url });
    const created = await ctx.api('POST', '/api/accounts', { email: 'Zoe@Example.com', firstName: 'Zoë 🚀' });
    assert.equal(created.status, 201);
    const account = await json(created);

    assert.equal(await worker(ctx).runOnce(), 1);
    assert.equal(r.requests.length, 1);
    const [request] = r.requests;
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/webhooks');
    assert.equal(request.headers['content-type'], 'application/json');
    const event = first(await ctx.db.select().from(events))!;
    assert.equal(request.headers['webhook-id'], event.id);
    assert.equal(request.headers['webhook-timestamp'], String(Math.floor(ctx.clock.now().getTime() / 1000)));
    assert.equal(request.body, event.payload);

    const verified = new Webhook(endpoint.secret).verify(request.body, request.headers as Record<string, string>);
    assert.deepEqual(verified, { type: 'account.created', timestamp: ctx.clock.now().toISOString(), data: account });
    assert.throws(() =>
      new Webhook(newWebhookSecret()).verify(request.body, request.headers as Record<string, string>),
    );

    const [delivery] = await deliveriesOf(ctx.db);
    assert.equal(delivery.status, 'delivered');
    assert.equal(delivery.attempts, 1);
    assert.equal(delivery.lastStatusCode, 200);
    assert.equal(delivery.leaseUntil, null);
    assert.equal(await worker(ctx).runOnce(), 0);
  });

  test('each endpoint gets only the event types it subscribed to (empty means all)', async (t) => {
    const ctx = await createTestContext();
    const [all, createdOnly, updatedOnly] = [await receiver(t), await receiver(t), await receiver(t)];
    await addEndpoint(ctx, { url: all.url, eventTypes: [] });
    await addEndpoint(ctx, { url: createdOnly.url, eventTypes: ['account.created'] });
    await addEndpoint(ctx, { url: updatedOnly.url, eventTypes: ['account.updated', 'order.completed'] });
    const account = await addAccount(ctx, 'ada@example.com');
    const update = await ctx.api('PATCH', `/api/accounts/${account.id}`, { firstName: 'Ada' });
    assert.equal(update.status, 200);

    assert.equal(await worker(ctx).runOnce(), 4);
    const types = (rec: WebhookReceiver) => rec.requests.map((q) => JSON.parse(q.body).type).sort();
    assert.deepEqual(types(all), ['account.created', 'account.updated']);
    assert.deepEqual(types(createdOnly), ['account.created']);
    assert.deepEqual(types(updatedOnly), ['account.updated']);
  });

  test('retries on the 5 s … 10 h schedule with the same webhook-id, then gives up after 8 attempts', async (t) => {
    const ctx = await createTestContext();
    const r = await receiver(t);
    r.answer(...Array<number>(WEBHOOK_MAX_ATTEMPTS).fill(500));
    const endpoint = await addEndpoint(ctx, { url: r.url });
    await addAccount(ctx, 'ada@example.com');
    const w = worker(ctx);
    const sentAt = [Math.floor(ctx.clock.now().getTime() / 1000)];

    assert.equal(await w.runOnce(), 1);
    for (const [index, delay] of WEBHOOK_RETRY_SCHEDULE_MS.entries()) {
      ctx.clock.advance(delay - 1);
      assert.equal(await w.runOnce(), 0, `nothing is sent before retry ${index + 1} is due`);
      ctx.clock.advance(1);
      sentAt.push(Math.floor(ctx.clock.now().getTime() / 1000));
      assert.equal(await w.runOnce(), 1, `retry ${index + 1} is sent when due`);
    }
    ctx.clock.advance(7 * DAY);
    assert.equal(await w.runOnce(), 0);

    assert.equal(WEBHOOK_MAX_ATTEMPTS, 8);
    assert.equal(r.requests.length, 8);
    const eventId = first(await ctx.db.select().from(events))!.id;
    const signer = new Webhook(endpoint.secret);
    r.requests.forEach((request, i) => {
      assert.equal(request.headers['webhook-id'], eventId);
      assert.equal(request.headers['webhook-timestamp'], String(sentAt[i]));
      assert.equal(
        request.headers['webhook-signature'],
        signer.sign(eventId, new Date(sentAt[i] * 1000), request.body),
      );
    });
    const [delivery] = await deliveriesOf(ctx.db);
    assert.equal(delivery.status, 'failed');
    assert.equal(delivery.attempts, 8);
    assert.equal(delivery.lastStatusCode, 500);
    assert.equal(delivery.leaseUntil, null);
  });

  test('retry delays carry ±10% jitter', async (t) => {
    assert.equal(
      webhookRetryDelayMs(1, () => 0),
      4500,
    );
    assert.equal(
      webhookRetryDelayMs(1, () => 0.5),
      5000,
    );
    assert.equal(
      webhookRetryDelayMs(1, () => 0.999_999),
      5500,
    );
    assert.equal(
      webhookRetryDelayMs(7, () => 0.5),
      10 * 3600 * SECOND,
    );
    assert.equal(webhookRetryDelayMs(8), undefined);
    assert.equal(webhookRetryDelayMs(0), undefined);

    const ctx = await createTestContext();
    const r = await receiver(t);
    r.answer(503, 503, 503, 503, 503);
    await addEndpoint(ctx, { url: r.url });
    for (let i = 0; i < 5; i++) await addAccount(ctx, `user${i}@example.com`);
    assert.equal(
      await createWebhookWorker({
        db: ctx.db,
        clock: ctx.clock,
        logger: silentLogger,
        config: { production: false },
      }).runOnce(),
      5,
    );
    const now = ctx.clock.now().getTime();
    for (const delivery of await deliveriesOf(ctx.db)) {
      const delay = delivery.nextAttemptAt.getTime() - now;
      assert.ok(delay >= 4500 && delay <= 5500, `delay ${delay} ms`);
    }
  });

  test('a 410 disables the endpoint and fails its pending deliveries', async (t) => {
    const ctx = await createTestContext();
    const r = await receiver(t);
    r.answer(410);
    const endpoint = await addEndpoint(ctx, { url: r.url });
    await addAccount(ctx, 'ada@example.com');
    await addAccount(ctx, 'bob@example.com');

    assert.equal(await worker(ctx, { batchSize: 1 }).runOnce(), 1);
    const view = await json<CreatedEndpoint>(await ctx.api('GET', `/api/webhook-endpoints/${endpoint.id}`));
    assert.equal(view.disabledAt, ctx.clock.now().toISOString());
    assert.match(view.disabledReason ?? '', /410/);
    assert.deepEqual(
      (await deliveriesOf(ctx.db)).map((d) => d.status),
      ['failed', 'failed'],
    );

    ctx.clock.advance(DAY);
    await addAccount(ctx, 'cy@example.com');
    assert.equal(await worker(ctx).runOnce(), 0);
    assert.equal((await deliveriesOf(ctx.db)).length, 2, 'no delivery is queued for a disabled endpoint');
    assert.equal(r.requests.length, 1);
  });

  test('a delivery whose endpoint was disabled after it was queued is not sent', async (t) => {
    const ctx = await createTestContext();
    const r = await receiver(t);
    const endpoint = await addEndpoint(ctx, { url: r.url });
    await addAccount(ctx, 'ada@example.com');
    await ctx.db
      .update(webhookEndpoints)
      .set({ disabledAt: ctx.clock.now(), disabledReason: 'test' })
      .where(eq(webhookEndpoints.id, endpoint.id));

    assert.equal(await worker(ctx).runOnce(), 0);
    assert.equal(r.requests.length, 0);
    assert.equal((await deliveriesOf(ctx.db))[0].status, 'failed');
  });

  test('redirects are failures and are never followed', async (t) => {
    const ctx = await createTestContext();
    const r = await receiver(t);
    const target = await receiver(t);
    r.answer({ status: 302, headers: { location: target.url } }, { status: 307, headers: { location: target.url } });
    await addEndpoint(ctx, { url: r.url });
    await addAccount(ctx, 'ada@example.com');
    const w = worker(ctx);

    assert.equal(await w.runOnce(), 1);
    let [delivery] = await deliveriesOf(ctx.db);
    assert.equal(delivery.status, 'pending');
    assert.equal(delivery.attempts, 1);
    assert.equal(delivery.lastStatusCode, 302);
    assert.match(delivery.lastError ?? '', /redirect/i);
    ctx.clock.advance(5 * SECOND);
    assert.equal(await w.runOnce(), 1);
    [delivery] = await deliveriesOf(ctx.db);
    assert.equal(delivery.lastStatusCode, 307);
    assert.equal(target.requests.length, 0);
    assert.equal(r.requests.length, 2);
  });

  test('a receiver that never answers times out, and the next try succeeds with the same webhook-id', async (t) => {
    const ctx = await createTestContext();
    const r = await receiver(t);
    r.answer('hang');
    await addEndpoint(ctx, { url: r.url });
    await addAccount(ctx, 'ada@example.com');
    const w = worker(ctx, { timeoutMs: 200 });

    const started = performance.now();
    assert.equal(await w.runOnce(), 1);
    assert.ok(performance.now() - started < 5000);
    let [delivery] = await deliveriesOf(ctx.db);
    assert.equal(delivery.status, 'pending');
    assert.equal(delivery.lastStatusCode, null);
    assert.match(delivery.lastError ?? '', /timed out after 200 ms/i);

    ctx.clock.advance(5 * SECOND);
    assert.equal(await w.runOnce(), 1);
    [delivery] = await deliveriesOf(ctx.db);
    assert.equal(delivery.status, 'delivered');
    assert.equal(delivery.attempts, 2);
    assert.equal(r.requests.length, 2);
    assert.equal(r.requests[0].headers['webhook-id'], r.requests[1].headers['webhook-id']);
  });

  test('a refused connection is a failed attempt', async () => {
    const ctx = await createTestContext();
    const closed = await startWebhookReceiver();
    await closed.close();
    await addEndpoint(ctx, { url: closed.url });
    await addAccount(ctx, 'ada@example.com');
    assert.equal(await worker(ctx).runOnce(), 1);
    const [delivery] = await deliveriesOf(ctx.db);
    assert.equal(delivery.status, 'pending');
    assert.equal(delivery.attempts, 1);
    assert.match(delivery.lastError ?? '', /ECONNREFUSED/);
  });

  test('in production a delivery to a loopback address is refused before connecting: a failed attempt, retried on schedule', async (t) => {
    const ctx = await createTestContext();
    const r = await receiver(t);
    // Registered while loopback was allowed (or before the check existed); the worker runs in production.
    await addEndpoint(ctx, { url: r.url });
    await addEndpoint(ctx, { url: r.url.replace('127.0.0.1', 'localhost') });
    await addAccount(ctx, 'ada@example.com');
    const production = createWebhookWorker(
      { db: ctx.db, clock: ctx.clock, logger: silentLogger, config: { production: true } },
      { random: () => 0.5, timeoutMs: 5000 },
    );
    assert.equal(await production.runOnce(), 2);
    assert.equal(r.requests.length, 0, 'nothing reached the receiver');
    const deliveries = await deliveriesOf(ctx.db);
    assert.equal(deliveries.length, 2);
    for (const delivery of deliveries) {
      assert.equal(delivery.status, 'pending');
      assert.equal(delivery.attempts, 1);
      assert.equal(delivery.lastStatusCode, null);
      assert.equal(delivery.nextAttemptAt.getTime(), ctx.clock.now().getTime() + WEBHOOK_RETRY_SCHEDULE_MS[0]);
    }
    const errors = deliveries.map((d) => d.lastError).sort();
    assert.match(errors[0]!, /^Refused to connect to 127\.0\.0\.1: a loopback address\.$/);
    assert.match(
      errors[1]!,
      /^Refused to connect to localhost: it resolves to (127\.0\.0\.1|::1), a loopback address\.$/,
    );

    assert.equal(await worker(ctx).runOnce(), 0, 'nothing is due before the next try');
    ctx.clock.advance(WEBHOOK_RETRY_SCHEDULE_MS[0]);
    assert.equal(await worker(ctx).runOnce(), 2, 'outside production the same deliveries go through');
    assert.equal(r.requests.length, 2);
  });

  test('a delivery claimed by a worker that crashed is sent after a restart once the lease expires', async (t) => {
    const r = await receiver(t);
    const before = await createTestContext(reopenable(t));
    await addEndpoint(before, { url: r.url });
    await addAccount(before, 'ada@example.com');

    // The "crashed" worker claims the delivery and then never hears back; its process is gone.
    const crashed = worker(before, { fetch: () => new Promise<Response>(() => {}) });
    void crashed.runOnce();
    // The claim is its own transaction, committed before the request goes out (which never answers).
    let leased = false;
    for (let turn = 0; turn < 100 && !leased; turn++) {
      await new Promise((resolve) => setImmediate(resolve));
      leased = Boolean((await deliveriesOf(before.db))[0].leaseUntil);
    }
    assert.ok(leased, 'the crashed worker holds the lease');
    await closeDatabase(before.db);

    const db = await openAgain(before.db);
    t.after(() => closeDatabase(db));
    const clock = new FakeClock(before.clock.now());
    const restarted = worker({ db, clock });
    assert.equal(await restarted.runOnce(), 0, 'the lease still holds');
    clock.advance(60 * SECOND);
    assert.equal(await restarted.runOnce(), 1);
    assert.equal(r.requests.length, 1);
    const [delivery] = await deliveriesOf(db);
    assert.equal(delivery.status, 'delivered');
    assert.equal(delivery.attempts, 1);
  });

  test('two workers on one database, and overlapping rounds, never send a delivery twice', async (t) => {
    const r = await receiver(t);
    const ctx = await createTestContext(reopenable(t));
    t.after(() => closeDatabase(ctx.db));
    await addEndpoint(ctx, { url: r.url });
    for (let i = 0; i < 7; i++) await addAccount(ctx, `user${i}@example.com`);
    const secondDb = await openAgain(ctx.db);
    t.after(() => closeDatabase(secondDb));
    const first = worker(ctx, { batchSize: 2 });
    const second = worker({ db: secondDb, clock: ctx.clock }, { batchSize: 2 });

    const counts: number[] = [];
    for (let round = 0; round < 3; round++) {
      counts.push(...(await Promise.all([first.runOnce(), second.runOnce(), first.runOnce(), second.runOnce()])));
    }
    assert.equal(
      counts.reduce((a, b) => a + b, 0),
      7,
    );
    // The first round's four claims take all seven between them, none more than its batch; which
    // one gets the odd one out is the engine's business (PostgreSQL's claims run side by side).
    assert.deepEqual(counts.slice(0, 4).sort(), [1, 2, 2, 2]);
    assert.equal(r.requests.length, 7);
    assert.equal(new Set(r.requests.map((q) => q.headers['webhook-id'])).size, 7);
    assert.ok((await deliveriesOf(ctx.db)).every((d) => d.status === 'delivered' && d.attempts === 1));
  });

  test('start() delivers in the background and stop() waits for the round in flight', async (t) => {
    const ctx = await createTestContext();
    const r = await receiver(t);
    await addEndpoint(ctx, { url: r.url });
    const w = worker(ctx, { pollIntervalMs: 5 });
    w.start();
    t.after(() => w.stop());
    await addAccount(ctx, 'ada@example.com');
    await r.waitForRequests(1);
    await w.stop();
    assert.equal((await deliveriesOf(ctx.db))[0].status, 'delivered');

    await addAccount(ctx, 'bob@example.com');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(r.requests.length, 1, 'nothing is sent after stop()');
  });

  test('logs never contain the secret or the payload', async (t) => {
    const ctx = await createTestContext();
    const lines: string[] = [];
    const record = (message: string, fields?: Record<string, unknown>) => {
      lines.push(message + JSON.stringify(fields));
    };
    const logger: Logger = { info: record, warn: record, error: record };
    const r = await receiver(t);
    r.answer(500, 'hang', 410);
    const endpoint = await addEndpoint(ctx, { url: r.url });
    await addAccount(ctx, 'ada.secretive@example.com');
    const w = worker(ctx, { timeoutMs: 100 }, logger);
    for (let i = 0; i < 3; i++) {
      assert.equal(await w.runOnce(), 1);
      ctx.clock.advance(10 * 60 * SECOND);
    }
    assert.ok(lines.length >= 3);
    const logged = lines.join('\n');
    assert.ok(!logged.includes(endpoint.secret.slice('whsec_'.length)));
    assert.ok(!logged.includes('ada.secretive'));
    assert.ok(!logged.includes(r.requests[0].body));
  });
});
