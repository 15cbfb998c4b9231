import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { Hono } from 'hono';
import { floorReads } from '../../bench/lib/floor-reads';
import { floorWrites } from '../../bench/lib/floor-writes';
import { layeredReads, stackReads } from '../../bench/lib/stack-reads';
import { mountRoutes } from '../../server/app';
import { createTestContext, json } from '../helpers/app';
import { oneTimeOrder } from '../helpers/fixtures';
import { setSeller } from '../helpers/invoices';
import { portal, signInByEmail } from '../helpers/portal';
import { tablesOf } from '../helpers/sql';

const dir = mkdtempSync(join(tmpdir(), 'floor-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("bench:api's floor server", () => {
  test('reads the same tables in the same order as the app, for each read it stands for', async () => {
    const path = join(dir, 'portal.db');
    const appLog: { lines: string[] | null } = { lines: null };
    const t = await createTestContext({ databasePath: path, trace: (sql) => appLog.lines?.push(sql) });
    await setSeller(t);
    const order = await json(
      await t.api('POST', '/api/orders', oneTimeOrder({ gift: { recipient: { email: 'g@example.com' } } })),
    );
    const session = await signInByEmail(t, 'ada@example.com');
    const floorLog: string[] = [];
    const floor = floorReads(new Database(path, { verbose: (sql) => floorLog.push(String(sql)) }));
    const auth = t.store.auth;

    const cases = [
      {
        name: 'GET /api/orders/{id}',
        app: () => t.api('GET', `/api/orders/${order.id}`),
        floor: () => floor.order(auth, '127.0.0.1', order.id),
      },
      {
        name: 'GET /api/orders?accountId=',
        app: () => t.api('GET', `/api/orders?accountId=${order.accountId}`),
        floor: () => floor.ordersOfAccount(auth, '127.0.0.1', order.accountId),
      },
      {
        name: 'GET /portal/{store}/me',
        app: () => portal(t, 'GET', '/me', undefined, { token: session.token }),
        floor: () => floor.me(t.store.id, `Bearer ${session.token}`),
      },
    ];
    for (const c of cases) {
      appLog.lines = [];
      const response = await c.app();
      assert.equal(response.status, 200, c.name);
      const appTables = appLog.lines.map(tablesOf).filter(Boolean);
      appLog.lines = null;
      floorLog.length = 0;
      const body = c.floor();
      assert.ok(body, `${c.name}: the floor answers`);
      assert.deepEqual(floorLog.map(tablesOf).filter(Boolean), appTables, c.name);
    }
  });

  test("the stack's floor answers each read with the app's own body, and refuses what the app refuses", async () => {
    const t = await createTestContext();
    const order = await json(await t.api('POST', '/api/orders', oneTimeOrder()));
    const session = await signInByEmail(t, 'ada@example.com');
    const stack = stackReads(t.db, t.clock);
    const asMerchant = (auth: string) => ({ headers: { authorization: auth } });
    const cases = [
      [`/api/orders/${order.id}`, () => t.api('GET', `/api/orders/${order.id}`), t.store.auth],
      [
        `/api/orders?accountId=${order.accountId}`,
        () => t.api('GET', `/api/orders?accountId=${order.accountId}`),
        t.store.auth,
      ],
      [
        `/portal/${t.store.id}/me`,
        () => portal(t, 'GET', '/me', undefined, { token: session.token }),
        `Bearer ${session.token}`,
      ],
    ] as const;
    for (const [path, app, auth] of cases) {
      const fromStack = await stack.request(path, asMerchant(auth));
      assert.equal(fromStack.status, 200, path);
      assert.deepEqual(await fromStack.json(), await json(await app()), path);
    }
    assert.equal((await stack.request(`/api/orders/${order.id}`, asMerchant('Basic eDp5'))).status, 401);
    assert.equal((await stack.request(`/api/orders/ord_missing`, asMerchant(t.store.auth))).status, 404);
    assert.equal((await stack.request(`/portal/${t.store.id}/me`, asMerchant('Bearer pt_wrong'))).status, 401);
  });

  test("the portal's routes without the app-wide middleware answer as the app does, without that middleware's headers", async () => {
    const t = await createTestContext();
    const order = await json(await t.api('POST', '/api/orders', oneTimeOrder()));
    const session = await signInByEmail(t, 'ada@example.com');
    const routes = mountRoutes(new Hono(), t.deps);
    const cases = [
      [`/api/orders/${order.id}`, t.store.auth],
      [`/api/orders?accountId=${order.accountId}`, t.store.auth],
      [`/portal/${t.store.id}/me`, `Bearer ${session.token}`],
    ] as const;
    for (const [path, auth] of cases) {
      const init = { headers: { authorization: auth } };
      const [fromApp, fromRoutes] = [await t.app.request(path, init), await routes.request(path, init)];
      assert.equal(fromRoutes.status, 200, path);
      assert.deepEqual(await fromRoutes.json(), await fromApp.json(), path);
      // The app-wide middleware's own headers are what the routes alone lack; the routes' own stay.
      for (const header of ['x-request-id', 'x-content-type-options']) {
        assert.ok(fromApp.headers.get(header), `${path}: the app sends ${header}`);
        assert.equal(fromRoutes.headers.get(header), null, `${path}: the routes alone send no ${header}`);
      }
      assert.equal(fromRoutes.headers.get('cache-control'), fromApp.headers.get('cache-control'), path);
    }
  });

  test("the stack with the portal's layers answers with the app's bodies and headers, and refuses the paths the app refuses", async () => {
    const t = await createTestContext();
    const order = await json(await t.api('POST', '/api/orders', oneTimeOrder()));
    const session = await signInByEmail(t, 'ada@example.com');
    const layered = layeredReads(t.deps);
    const origin = 'https://shop.example';
    const cases = [
      [`/api/orders/${order.id}`, t.store.auth],
      [`/api/orders?accountId=${order.accountId}`, t.store.auth],
      [`/portal/${t.store.id}/me`, `Bearer ${session.token}`],
    ] as const;
    // Header names, less the ones whose presence depends on the origin (CORS, asserted apart).
    const names = (response: Response) =>
      [...response.headers.keys()].filter((name) => !name.startsWith('access-control-')).sort();
    for (const [path, auth] of cases) {
      const init = { headers: { authorization: auth, origin } };
      const [fromApp, fromLayers] = [await t.app.request(path, init), await layered.request(path, init)];
      assert.equal(fromLayers.status, 200, path);
      assert.deepEqual(await fromLayers.json(), await fromApp.json(), path);
      assert.deepEqual(names(fromLayers), names(fromApp), `${path}: the same headers`);
      for (const name of ['cache-control', 'vary', 'referrer-policy', 'x-frame-options'])
        assert.equal(fromLayers.headers.get(name), fromApp.headers.get(name), `${path}: ${name}`);
    }
    // The same 422 for a path or query the portal's schemas refuse, the same 404 for an unknown store.
    const merchant = { headers: { authorization: t.store.auth } };
    for (const refused of [`/api/orders/ord_${'x'.repeat(80)}`, '/api/orders?limit=0']) {
      const [appRefusal, layersRefusal] = [
        await t.app.request(refused, merchant),
        await layered.request(refused, merchant),
      ];
      assert.equal(layersRefusal.status, 422, refused);
      assert.deepEqual(await layersRefusal.json(), await appRefusal.json(), refused);
    }
    const unknownStore = { headers: { authorization: `Bearer ${session.token}` } };
    assert.equal((await layered.request('/portal/nope/me', unknownStore)).status, 404);
    assert.equal((await t.app.request('/portal/nope/me', unknownStore)).status, 404);
  });

  test('runs the same statements as the app for a login-link request, in one immediate transaction', async () => {
    const path = join(dir, 'writes.db');
    const appLog: { lines: string[] | null } = { lines: null };
    const t = await createTestContext({ databasePath: path, trace: (sql) => appLog.lines?.push(sql) });
    const floorLog: string[] = [];
    const floor = floorWrites(new Database(path, { verbose: (sql) => floorLog.push(String(sql)) }));
    // What a statement does, to what: reads by their tables, writes by their table, and the transaction.
    const statementOf = (sql: string) =>
      /^\s*(begin immediate|commit|rollback)\b/i.exec(sql)?.[1].toLowerCase() ??
      /^\s*insert into "?(\w+)/i.exec(sql)?.[1].replace(/^/, 'insert ') ??
      tablesOf(sql);

    appLog.lines = [];
    const response = await portal(t, 'POST', '/login-links', { email: 'Ada@Example.com' });
    assert.equal(response.status, 202, 'the app queues the request');
    const appStatements = appLog.lines.map(statementOf).filter(Boolean);
    appLog.lines = null;
    const body = floor.loginLink(t.store.id, '127.0.0.2', JSON.stringify({ email: 'Grace@Example.com' }));
    assert.ok(body, 'the floor answers');
    assert.deepEqual(floorLog.map(statementOf).filter(Boolean), appStatements);
    assert.deepEqual(
      appStatements.filter((s) => s.startsWith('insert')),
      ['insert rate_limit_hits', 'insert rate_limit_hits', 'insert login_link_requests'],
      'the request counts two limits and queues one request',
    );
  });
});
