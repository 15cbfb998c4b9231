import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { openDatabase } from '../../server/db/client';
import { systemClock } from '../../server/lib/clock';
import { createStore } from '../../server/services/stores';
import { basic } from '../helpers/app';
import { npmStartNodeFlags, startServer } from '../helpers/server-process';
import { IDEMPOTENCY_CLAIM_MS } from '../../server/services/idempotency';

const ORDERS = 1000;
/** How many acknowledgements to wait for before the process is killed. */
const KILL_AFTER = 300;

const dir = mkdtempSync(join(tmpdir(), 'portal-crash-'));
after(() => rmSync(dir, { recursive: true, force: true }));
// A production server (no demo to seed, no demo site to start) over a store made beforehand.
const env = { DATABASE_PATH: join(dir, 'portal.db'), NODE_ENV: 'production', ALLOW_TEST_GATEWAY: 'true' };
const auth = await (async () => {
  const db = openDatabase(env.DATABASE_PATH);
  const { credentials } = await createStore(db, systemClock, { id: 'crash', name: 'Crash Test Store' });
  db.$client.close();
  return basic(credentials);
})();

const order = (i: number) => ({
  customer: { email: `crash-${i % 97}@example.com` },
  currency: 'EUR',
  items: [{ product: 'crash-test', displayName: `Crash order ${i}`, quantity: 1, unitPrice: 100 + i }],
});

/** POSTs order `i` with its idempotency key; the order's id once the answer is complete, else why not. */
async function send(
  url: string,
  i: number,
): Promise<{ id?: string; status?: number; replayed?: boolean; failure?: string }> {
  try {
    // fetch opens a connection per request in flight (no per-origin cap), so all of them really are concurrent.
    const response = await fetch(`${url}/api/orders`, {
      method: 'POST',
      body: JSON.stringify(order(i)),
      headers: { authorization: auth, 'content-type': 'application/json', 'idempotency-key': `crash-${i}` },
    });
    const body = (await response.json()) as { id?: string };
    return { id: body.id, status: response.status, replayed: response.headers.get('idempotent-replayed') === 'true' };
  } catch (error) {
    return { failure: String((error as Error).cause ?? error) };
  }
}

/**
 * Sends order `i` again until it is answered, as a merchant's retry loop would: a
 * few tries after a cut-off or a timeout, and after `Retry-After` while the key is
 * still claimed by a request the crash cut off (it lapses after IDEMPOTENCY_CLAIM_MS).
 */
async function sendUntilAnswered(url: string, i: number) {
  let result = await send(url, i);
  const deadline = Date.now() + IDEMPOTENCY_CLAIM_MS + 30_000;
  for (
    let attempt = 1;
    (attempt < 5 && (result.failure || result.status === 408)) || (result.status === 409 && Date.now() < deadline);
    attempt++
  ) {
    if (result.status === 409) await new Promise((resolve) => setTimeout(resolve, 1000));
    result = await send(url, i);
  }
  return result;
}

async function listCrashOrders(url: string) {
  const seen: { id: string; displayName: string }[] = [];
  let cursor: string | null = null;
  do {
    const response: Response = await fetch(`${url}/api/orders?limit=100${cursor ? `&cursor=${cursor}` : ''}`, {
      headers: { authorization: auth },
    });
    assert.equal(response.status, 200);
    const page = (await response.json()) as {
      data: { id: string; items: { displayName: string }[] }[];
      nextCursor: string | null;
    };
    for (const o of page.data)
      if (o.items[0]?.displayName.startsWith('Crash order '))
        seen.push({ id: o.id, displayName: o.items[0].displayName });
    cursor = page.nextCursor;
  } while (cursor);
  return seen;
}

describe('POST /api/orders across a crash (kill -9)', () => {
  test(`${ORDERS} concurrent orders, killed mid-way and all sent again: every acknowledged order exists exactly once`, async () => {
    const first = await startServer(env, undefined, { nodeFlags: npmStartNodeFlags() });
    const acknowledged = new Map<number, string>();
    let killed = false;
    const firstRound = await Promise.all(
      Array.from({ length: ORDERS }, async (_, i) => {
        const result = await send(first.url, i);
        if (result.status === 201 && result.id) acknowledged.set(i, result.id);
        if (!killed && acknowledged.size >= KILL_AFTER) {
          killed = true;
          first.process.kill('SIGKILL');
        }
        return result;
      }),
    );
    await first.stop();
    assert.equal(first.process.signalCode, 'SIGKILL');
    assert.ok(
      acknowledged.size >= KILL_AFTER && acknowledged.size < ORDERS,
      `${acknowledged.size} acknowledged before the kill`,
    );
    assert.ok(
      firstRound.some((r) => r.failure),
      'some requests were cut off by the kill',
    );
    // 408: the server was too busy to read the whole request in time, and recorded nothing.
    const unexpected = firstRound.find((r) => !r.failure && r.status !== 201 && r.status !== 408);
    assert.equal(unexpected, undefined, JSON.stringify(unexpected));

    const second = await startServer(env, undefined, { nodeFlags: npmStartNodeFlags() });
    try {
      const secondRound = await Promise.all(Array.from({ length: ORDERS }, (_, i) => sendUntilAnswered(second.url, i)));
      for (const [i, result] of secondRound.entries()) {
        assert.equal(result.status, 201, `order ${i}: ${JSON.stringify(result)}`);
        if (acknowledged.has(i)) {
          assert.equal(result.id, acknowledged.get(i), `order ${i} was recorded again`);
          assert.equal(result.replayed, true);
        }
      }
      const orders = await listCrashOrders(second.url);
      assert.equal(orders.length, ORDERS);
      const byName = new Map(orders.map((o) => [o.displayName, o.id]));
      assert.equal(byName.size, ORDERS, 'one order per request, none twice');
      for (const [i, id] of acknowledged) assert.equal(byName.get(`Crash order ${i}`), id);
      for (const [i, result] of secondRound.entries()) assert.equal(byName.get(`Crash order ${i}`), result.id);
    } finally {
      assert.equal(await second.stop(), 0, second.output());
    }
  });
});
