import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import postgres from 'postgres';
import { encodeTestToken } from '../../server/payments/test-gateway';
import { basic } from '../helpers/app';
import { startPostgres, type Postgres } from '../helpers/postgres';
import { startServer, type RunningServer } from '../helpers/server-process';

/**
 * Three server processes (`server/main.ts`, as `npm start` runs it) on one PostgreSQL
 * database: they migrate it once between them, serve the same store, share their
 * workers' jobs without doing one twice, survive one of them killed with -9, and say
 * on `/health` when the database is gone. A cluster of its own (not in test:pg).
 */
const REPLICAS = 3;
const ORDERS = 300;
/** How many acknowledgements to wait for before replica 0 is killed. */
const KILL_AFTER = 100;

let cluster: Postgres;
let url: string;
let replicas: RunningServer[] = [];
let auth: string;
let apiUser: string;
/** What the merchant's webhook endpoint received: each delivery's `webhook-id` and event type. */
const received: { id: string; type: string; orderId?: string }[] = [];
let receiver: Server;

before(async () => {
  cluster = await startPostgres();
  const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
  await admin.unsafe('create database portal');
  await admin.end();
  url = cluster.url.replace(/\/postgres$/, '/portal');
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const event = JSON.parse(body) as { type: string; data: { id?: string } };
      received.push({ id: String(request.headers['webhook-id']), type: event.type, orderId: event.data.id });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
});

after(async () => {
  await Promise.all(replicas.map((replica) => replica.stop()));
  if (process.env.REPLICAS_LOG)
    writeFileSync(process.env.REPLICAS_LOG, replicas.map((r) => r.output()).join('\n-----\n'));
  receiver?.close();
  await cluster?.stop();
});

/** A replica: the development server (so that webhooks may go to loopback), its demo on a free port. */
const startReplica = () =>
  startServer({ DATABASE_URL: url, DATABASE_POOL_SIZE: '5', THEME_EDITOR: '', RENEWAL_INTERVAL_SECONDS: '5' });

/** A Server API request to a replica, as the store's merchant. */
const api = (base: string, method: string, path: string, body?: unknown, authorization = auth) =>
  fetch(`${base}${path}`, {
    method,
    headers: { authorization, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });

const order = (i: number) => ({
  customer: { email: `replica-${i % 50}@example.com` },
  currency: 'EUR',
  items: [{ product: 'replica-test', displayName: `Replica order ${i}`, quantity: 1, unitPrice: 100 + i }],
});

/** POSTs order `i` (idempotency key `replica-i`) to a replica; its id once answered, else why not. */
async function send(base: string, i: number): Promise<{ id?: string; status?: number; failure?: string }> {
  try {
    const response = await fetch(`${base}/api/orders`, {
      method: 'POST',
      body: JSON.stringify(order(i)),
      headers: { authorization: auth, 'content-type': 'application/json', 'idempotency-key': `replica-${i}` },
    });
    const body = (await response.json()) as { id?: string };
    return { id: body.id, status: response.status };
  } catch (error) {
    return { failure: String((error as Error).cause ?? error) };
  }
}

/** Sends order `i` again until it is answered, waiting out a key the killed replica left claimed (409). */
async function sendUntilAnswered(base: string, i: number) {
  let result = await send(base, i);
  const deadline = Date.now() + 60_000;
  while ((result.failure || result.status === 409 || result.status === 408) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    result = await send(base, i);
  }
  return result;
}

/** Every order of the store with its invoice number, paging through a replica's Server API. */
async function listOrders(base: string) {
  const seen: { id: string; displayName: string; invoiceNumber: string | null }[] = [];
  let cursor: string | null = null;
  do {
    const response: Response = await fetch(`${base}/api/orders?limit=100${cursor ? `&cursor=${cursor}` : ''}`, {
      headers: { authorization: auth },
    });
    assert.equal(response.status, 200);
    const page = (await response.json()) as {
      data: { id: string; invoiceNumber: string | null; items: { displayName: string }[] }[];
      nextCursor: string | null;
    };
    for (const o of page.data)
      seen.push({ id: o.id, displayName: o.items[0].displayName, invoiceNumber: o.invoiceNumber });
    cursor = page.nextCursor;
  } while (cursor);
  return seen;
}

/** Waits until `done` holds, checking every 200 ms, for at most `ms`. */
async function waitFor(what: string, done: () => boolean, ms: number) {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const completedOrders = () => new Set(received.filter((r) => r.type === 'order.completed').map((r) => r.orderId));

describe(`${REPLICAS} replicas on one PostgreSQL database`, () => {
  test('started together, they migrate the empty database once and all serve', async () => {
    replicas = await Promise.all(Array.from({ length: REPLICAS }, startReplica));
    const migrated = replicas.filter((replica) => /PostgreSQL: applied migrations/.test(replica.output()));
    assert.equal(migrated.length, 1, replicas.map((replica) => replica.output()).join('\n---\n'));
    for (const replica of replicas) {
      const health = await fetch(`${replica.url}/health`);
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { ok: true, database: 'ok' });
    }
    // The CLI works on the same database (DATABASE_URL), not on a SQLite file.
    const cli = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'server/cli/main.ts', 'store', 'create', 'replicas', '--name', 'Replica Store'],
      {
        env: { ...process.env, DATABASE_URL: url, DATABASE_PATH: '/nonexistent/portal.db' },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(cli.stderr, /Database: PostgreSQL postgres:\/\/portal@127\.0\.0\.1:\d+\/portal \(DATABASE_URL\)/);
    const user = /API user: +(\S+)/.exec(cli.stdout)![1];
    const password = /API password: +(\S+)/.exec(cli.stdout)![1];
    apiUser = user;
    auth = basic({ user, password });
    const listed = await fetch(`${replicas[2].url}/api/orders`, { headers: { authorization: auth } });
    assert.equal(listed.status, 200, 'a replica knows the store the CLI created');
  });

  test('an order taken by one replica is read by the others; webhooks go out once, whichever replica sends them', async () => {
    const endpoint = await fetch(`${replicas[1].url}/api/webhook-endpoints`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks` }),
    });
    assert.equal(endpoint.status, 201, await endpoint.clone().text());
    const results = await Promise.all(Array.from({ length: ORDERS }, (_, i) => send(replicas[i % REPLICAS].url, i)));
    assert.deepEqual(
      new Set(results.map((r) => r.status)),
      new Set([201]),
      JSON.stringify(results.find((r) => r.status !== 201)),
    );
    for (const [i, result] of results.slice(0, 5).entries()) {
      const other = replicas[(i + 1) % REPLICAS];
      const read = await fetch(`${other.url}/api/orders/${result.id}`, { headers: { authorization: auth } });
      assert.equal(read.status, 200, `order ${i} from another replica`);
    }
    await waitFor('every order.completed webhook', () => completedOrders().size >= ORDERS, 60_000);
    const ids = received.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, 'no event delivered twice');
  });

  test('a customer signs in on one replica, reads and writes on the others, and signing out ends it on all', async () => {
    const order = await api(replicas[0].url, 'POST', '/api/orders', {
      customer: { email: 'portal-customer@example.com' },
      currency: 'EUR',
      items: [{ product: 'replica-test', displayName: 'Portal order', quantity: 1, unitPrice: 500 }],
    });
    assert.equal(order.status, 201);
    const accountId = ((await order.json()) as { accountId: string }).accountId;
    const issued = await api(replicas[1].url, 'GET', `/api/accounts/${accountId}/authenticate`);
    assert.equal(issued.status, 200, await issued.clone().text());
    const token = new URL(((await issued.json()) as { url: string }).url).searchParams.get('portal_token');
    const signedIn = await fetch(`${replicas[2].url}/portal/replicas/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    assert.equal(signedIn.status, 201, await signedIn.clone().text());
    const bearer = { authorization: `Bearer ${((await signedIn.json()) as { token: string }).token}` };
    const orders = await fetch(`${replicas[0].url}/portal/replicas/orders`, { headers: bearer });
    assert.equal(orders.status, 200);
    assert.equal(((await orders.json()) as { data: unknown[] }).data.length, 1);
    const renamed = await fetch(`${replicas[1].url}/portal/replicas/me`, {
      method: 'PATCH',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: JSON.stringify({ firstName: 'Grace' }),
    });
    assert.equal(renamed.status, 200, await renamed.clone().text());
    const me = await fetch(`${replicas[2].url}/portal/replicas/me`, { headers: bearer });
    assert.equal(((await me.json()) as { firstName: string }).firstName, 'Grace');
    const out = await fetch(`${replicas[0].url}/portal/replicas/sessions/current`, {
      method: 'DELETE',
      headers: bearer,
    });
    assert.equal(out.status, 204);
    for (const replica of replicas) {
      assert.equal((await fetch(`${replica.url}/portal/replicas/me`, { headers: bearer })).status, 401);
    }
  });

  test('renewals: the workers of all replicas renew 30 due subscriptions, each period charged once', async () => {
    const product = await api(replicas[0].url, 'POST', '/api/products', {
      key: 'pro-monthly',
      name: 'Pro',
      kind: 'subscription',
      interval: 'month',
      prices: { EUR: 1700 },
    });
    assert.equal(product.status, 201, await product.clone().text());
    const periodEnded = new Date(Date.now() - 32 * 86_400_000).toISOString();
    const SUBSCRIPTIONS = 30;
    const started = await Promise.all(
      Array.from({ length: SUBSCRIPTIONS }, async (_, i) => {
        const response = await api(replicas[i % REPLICAS].url, 'POST', '/api/orders', {
          customer: { email: `subscriber-${i}@example.com` },
          currency: 'EUR',
          items: [{ product: 'pro-monthly', displayName: 'Pro', quantity: 1, unitPrice: 1700 }],
          paymentMethod: {
            token: encodeTestToken({
              brand: 'visa',
              last4: '4242',
              expMonth: 12,
              expYear: 2035,
              behaviour: 'succeeds',
            }),
            brand: 'visa',
            last4: '4242',
            expMonth: 12,
            expYear: 2035,
          },
          completedAt: periodEnded,
        });
        assert.equal(response.status, 201, await response.clone().text());
        return ((await response.json()) as { items: { subscriptionId: string }[] }).items[0].subscriptionId;
      }),
    );
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const renewed = async () =>
        await sql<{ subscription_id: string; period_index: number; n: number }[]>`
          select subscription_id, period_index, count(*)::int as n from subscription_charges
          where kind = 'renewal' and status = 'succeeded' group by subscription_id, period_index`;
      const deadline = Date.now() + 60_000;
      while ((await renewed()).length < SUBSCRIPTIONS && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 500));
      const rows = await renewed();
      assert.deepEqual(new Set(rows.map((r) => r.subscription_id)), new Set(started), 'every subscription renewed');
      assert.ok(
        rows.every((r) => r.n === 1),
        `no period charged twice: ${JSON.stringify(rows.filter((r) => r.n !== 1))}`,
      );
      const [{ keys, charges }] = await sql<{ keys: number; charges: number }[]>`
        select count(distinct idempotency_key)::int as keys, count(*)::int as charges from test_gateway_charges`;
      assert.equal(charges, keys, 'the gateway was asked once per charge');
    } finally {
      await sql.end();
    }
  });

  test('replica 0 killed with -9 under load: the others answer every order once, finish its jobs, number invoices without gaps', async () => {
    const acknowledged = new Map<number, string>();
    let killed = false;
    const firstRound = await Promise.all(
      Array.from({ length: ORDERS }, async (_, n) => {
        const i = ORDERS + n;
        const result = await send(replicas[n % REPLICAS].url, i);
        if (result.status === 201 && result.id) acknowledged.set(i, result.id);
        if (!killed && acknowledged.size >= KILL_AFTER) {
          killed = true;
          replicas[0].process.kill('SIGKILL');
        }
        return result;
      }),
    );
    await replicas[0].stop();
    assert.equal(replicas[0].process.signalCode, 'SIGKILL');
    assert.ok(
      firstRound.some((r) => r.failure),
      'some requests were cut off by the kill',
    );
    const survivors = replicas.slice(1);
    const secondRound = await Promise.all(
      Array.from({ length: ORDERS }, (_, n) => sendUntilAnswered(survivors[n % survivors.length].url, ORDERS + n)),
    );
    for (const [n, result] of secondRound.entries()) {
      assert.equal(result.status, 201, `order ${ORDERS + n}: ${JSON.stringify(result)}`);
      const before = acknowledged.get(ORDERS + n);
      if (before) assert.equal(result.id, before, `order ${ORDERS + n} was recorded again`);
    }
    const orders = await listOrders(survivors[0].url);
    const sent = orders.filter((o) => o.displayName.startsWith('Replica order '));
    assert.equal(sent.length, 2 * ORDERS, 'one order per request, none twice');
    assert.equal(new Set(sent.map((o) => o.displayName)).size, 2 * ORDERS);
    // Every order the store has (the subscriptions' and their renewals' too) numbered 1…n.
    const numbers = orders.map((o) => Number(o.invoiceNumber?.split('-').at(-1))).sort((a, b) => a - b);
    assert.deepEqual(
      numbers,
      Array.from({ length: orders.length }, (_, i) => i + 1),
      'invoice numbers 1…n, no gaps',
    );
    // The killed replica's deliveries in flight are retried by the others once their lease lapses.
    await waitFor(
      'every order.completed webhook after the kill',
      () => sent.every((o) => completedOrders().has(o.id)),
      120_000,
    );
  });

  test('rate limits hold across replicas: 60 wrong passwords from one address over the two left, 30 are checked', async () => {
    const wrong = basic({ user: apiUser, password: 'wrong' });
    const statuses = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        api(replicas[1 + (i % 2)].url, 'GET', '/api/orders', undefined, wrong).then((r) => r.status),
      ),
    );
    assert.equal(statuses.filter((status) => status === 401).length, 30, JSON.stringify(statuses));
    assert.equal(statuses.filter((status) => status === 429).length, 30);
    const right = await api(replicas[2].url, 'GET', '/api/orders', undefined, auth);
    assert.equal(right.status, 429, 'the address waits on every replica, even with the right password');
  });

  test('/health says 503 when the database is gone, and the replicas stay up', async () => {
    await cluster.stop();
    for (const replica of replicas.slice(1)) {
      const health = await fetch(`${replica.url}/health`);
      assert.equal(health.status, 503);
      assert.deepEqual(await health.json(), { ok: false, database: 'unreachable' });
      assert.equal(replica.process.exitCode, null, 'still running');
    }
  });
});
