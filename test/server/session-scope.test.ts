import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import {
  capabilities,
  capabilityNames,
  permissions,
  permissionsOf,
  type Capability,
  type Permission,
} from '../../server/contract';
import { HOUR, MINUTE, SECOND } from '../../server/lib/clock';
import { createTestContext, json, type TestContext } from '../helpers/app';
import { portal, setSetting } from '../helpers/portal';
import { subscribedCustomer } from '../helpers/subscriptions';

let t: TestContext;
let accountId: string;
beforeEach(async () => {
  t = await createTestContext();
  accountId = (await json(await t.api('POST', '/api/accounts', { email: 'ada@example.com', firstName: 'Ada' }))).id;
});

/** Asks the Server API for a pre-authenticated URL with `limits` (as JSON) and redeems it. */
async function scopedSession(limits: Record<string, unknown>, account = accountId) {
  const issued = await t.api('POST', `/api/accounts/${account}/authenticate`, limits);
  assert.equal(issued.status, 200, await issued.clone().text());
  const token = new URL((await json(issued)).url).searchParams.get('portal_token');
  const response = await portal(t, 'POST', '/sessions', { token });
  assert.equal(response.status, 201);
  return (await json(response)) as { token: string; scope: Record<string, unknown> };
}

describe('POST and GET /api/accounts/{id}/authenticate with limits', () => {
  test('the session a URL starts carries its capabilities, landing route and lifetime', async () => {
    const session = await scopedSession({
      capabilities: ['no-cancel', 'no-payment-methods'],
      landingRoute: '/subscriptions',
      sessionLifetimeSeconds: 900,
    });
    const expected = {
      capabilities: ['no-cancel', 'no-payment-methods'],
      permissions: permissionsOf(['no-cancel', 'no-payment-methods']),
      landingRoute: '/subscriptions',
      expiresAt: new Date(t.clock.now().getTime() + 900 * SECOND).toISOString(),
    };
    assert.deepEqual(session.scope, expected);
    assert.ok(!expected.permissions.includes('subscriptions:cancel'));
    const current = await portal(t, 'GET', '/sessions/current', undefined, { token: session.token });
    assert.equal(current.status, 200);
    assert.deepEqual(await json(current), expected);
  });

  test('GET takes the same limits as query parameters, capabilities comma-separated', async () => {
    const issued = await t.api(
      'GET',
      `/api/accounts/${accountId}/authenticate?capabilities=read-only,orders-only&landingRoute=/orders&sessionLifetimeSeconds=600`,
    );
    assert.equal(issued.status, 200);
    const token = new URL((await json(issued)).url).searchParams.get('portal_token');
    const { scope } = await json(await portal(t, 'POST', '/sessions', { token }));
    assert.deepEqual(scope.capabilities, ['read-only', 'orders-only']);
    assert.deepEqual(scope.permissions, ['orders:read']);
    assert.equal(scope.landingRoute, '/orders');
  });

  test('POST /api/accounts/authenticate gives every URL the same limits', async () => {
    const other = (await json(await t.api('POST', '/api/accounts', { email: 'grace@example.com' }))).id;
    const issued = await t.api('POST', '/api/accounts/authenticate', {
      accountIds: [accountId, other],
      capabilities: ['read-only'],
    });
    assert.equal(issued.status, 200);
    for (const { url } of (await json(issued)).data) {
      const token = new URL(url).searchParams.get('portal_token');
      assert.deepEqual((await json(await portal(t, 'POST', '/sessions', { token }))).scope.capabilities, ['read-only']);
    }
  });

  test('without limits, a URL starts a session that may do everything until the store’s cap', async () => {
    const { url } = await json(await t.api('GET', `/api/accounts/${accountId}/authenticate`));
    const token = new URL(url).searchParams.get('portal_token');
    const { scope } = await json(await portal(t, 'POST', '/sessions', { token }));
    assert.deepEqual(scope, {
      capabilities: [],
      permissions: [...permissions],
      landingRoute: null,
      expiresAt: new Date(t.clock.now().getTime() + 12 * HOUR).toISOString(),
    });
  });

  test('refuses what it cannot honour, naming the field', async () => {
    const refused = async (limits: Record<string, unknown>, field: string) => {
      const response = await t.api('POST', `/api/accounts/${accountId}/authenticate`, limits);
      assert.equal(response.status, 422, JSON.stringify(limits));
      const { error } = await json(response);
      assert.equal(error.code, 'validation_failed');
      assert.ok(
        error.details.some((d: { field: string }) => d.field.startsWith(field)),
        JSON.stringify(error.details),
      );
    };
    await refused({ capabilities: ['no-refunds'] }, 'capabilities');
    await refused({ landingRoute: 'https://evil.example/' }, 'landingRoute');
    await refused({ landingRoute: '/orders/../admin' }, 'landingRoute');
    await refused({ sessionLifetimeSeconds: 30 }, 'sessionLifetimeSeconds');
    await refused({ sessionLifetimeSeconds: 12 * 3600 + 1 }, 'sessionLifetimeSeconds');
    await refused({ urlLifetimeSeconds: 86_401 }, 'urlLifetimeSeconds');
    await refused({ capabilities: ['orders-only'], landingRoute: '/subscriptions' }, 'landingRoute');
    await refused({ capabilities: ['no-cancel'], landingRoute: '/subscriptions/sub_1/cancel' }, 'landingRoute');
    await refused({ capabilities: ['no-payment-methods'], landingRoute: '/payment-methods' }, 'landingRoute');
    await refused({ capabilities: ['orders-only'], landingRoute: '/account/activity' }, 'landingRoute');
    const get = await t.api('GET', `/api/accounts/${accountId}/authenticate?capabilities=read-only,admin`);
    assert.equal(get.status, 422);
  });

  test("a lifetime is bounded by the store's sessionMaxSeconds as it is now", async () => {
    await setSetting(t, 'sessionMaxSeconds', '3600');
    const longer = await t.api('POST', `/api/accounts/${accountId}/authenticate`, { sessionLifetimeSeconds: 3601 });
    assert.equal(longer.status, 422);
    const issued = await t.api('POST', `/api/accounts/${accountId}/authenticate`, { sessionLifetimeSeconds: 3600 });
    await setSetting(t, 'sessionMaxSeconds', '1800');
    const token = new URL((await json(issued)).url).searchParams.get('portal_token');
    const { scope } = await json(await portal(t, 'POST', '/sessions', { token }));
    assert.equal(scope.expiresAt, new Date(t.clock.now().getTime() + 1800 * SECOND).toISOString());
  });

  test('urlLifetimeSeconds shortens how long the URL can be redeemed', async () => {
    const issued = await json(
      await t.api('POST', `/api/accounts/${accountId}/authenticate`, { urlLifetimeSeconds: 300 }),
    );
    assert.equal(issued.expiresAt, new Date(t.clock.now().getTime() + 300 * SECOND).toISOString());
    t.clock.advance(301 * SECOND);
    const token = new URL(issued.url).searchParams.get('portal_token');
    assert.equal((await portal(t, 'POST', '/sessions', { token })).status, 410);
  });

  test('is in the Server API document, GET with query parameters and POST with a body', async () => {
    const doc = await json(await t.app.request('/api/openapi.json'));
    const path = doc.paths['/accounts/{accountId}/authenticate'];
    assert.deepEqual(
      path.get.parameters.filter((p: { in: string }) => p.in === 'query').map((p: { name: string }) => p.name),
      ['capabilities', 'landingRoute', 'sessionLifetimeSeconds', 'urlLifetimeSeconds'],
    );
    assert.equal(path.post.operationId, 'createAuthenticateUrl');
    assert.deepEqual(doc.components.schemas.Capability.enum, capabilityNames);
  });
});

describe('a shortened session lifetime', () => {
  test('ends the session at its time however busy it is (± 1 s)', async () => {
    const { token } = await scopedSession({ sessionLifetimeSeconds: 300 });
    for (let i = 0; i < 4; i++) {
      t.clock.advance(MINUTE);
      assert.equal((await portal(t, 'GET', '/me', undefined, { token })).status, 200);
    }
    t.clock.advance(MINUTE - SECOND);
    assert.equal((await portal(t, 'GET', '/me', undefined, { token })).status, 200);
    t.clock.advance(2 * SECOND);
    const ended = await portal(t, 'GET', '/me', undefined, { token });
    assert.equal(ended.status, 401);
    assert.equal((await json(ended)).error.code, 'session_expired');
  });
});

interface DocumentedOperation {
  method: string;
  path: string;
  security: Record<string, string[]>[];
  permission: string | undefined;
}

const signOut = (o: DocumentedOperation) => o.method === 'DELETE' && o.path === '/{storeId}/sessions/current';

/** Every operation of the Portal API's document, with the permission it declares; signing out last. */
async function portalOperations(): Promise<DocumentedOperation[]> {
  const doc = await json(await t.app.request('/portal/openapi.json'));
  return Object.entries(doc.paths as Record<string, Record<string, Record<string, unknown>>>)
    .flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        security: operation.security as Record<string, string[]>[],
        permission: operation['x-session-permission'] as string | undefined,
      })),
    )
    .sort((a, b) => Number(signOut(a)) - Number(signOut(b)));
}

/** The operation's URL at the test store, every other path parameter a made-up id. */
const urlOf = (path: string) => path.replace('{storeId}', 'shop').replace(/\{[^}]+\}/g, 'x_made_up');

/** The session limits to try every operation with: each capability alone, and two together. */
const scopes: Capability[][] = [...capabilityNames.map((name) => [name]), ['read-only', 'orders-only']];

describe('capabilities on every Portal API operation (from the route table)', () => {
  test('every route of the Portal API is in its document, and every one that needs a session names what it needs', async () => {
    const operations = await portalOperations();
    const documented = new Set(operations.map((o) => `${o.method} ${o.path.replace(/\{(\w+)\}/g, ':$1')}`));
    const served = t.app.routes
      .filter((r) => r.method !== 'ALL' && r.path.startsWith('/portal/:storeId/'))
      .map((r) => `${r.method} ${r.path.slice('/portal'.length)}`);
    assert.ok(served.length > 30);
    assert.deepEqual(
      served.filter((route) => !documented.has(route)),
      [],
      'a Portal API route outside the document escapes the checks',
    );
    for (const operation of operations) {
      const name = `${operation.method} ${operation.path}`;
      if (operation.security.length === 0) {
        assert.equal(operation.permission, undefined, name);
        continue;
      }
      assert.ok(
        operation.permission === 'signed-in' || permissions.includes(operation.permission as Permission),
        `${name} declares x-session-permission`,
      );
    }
  });

  for (const scope of scopes) {
    test(`a session with ${scope.join(' and ')} is refused exactly what the capability takes away`, async () => {
      const { token } = await scopedSession({ capabilities: scope });
      const operations = (await portalOperations()).filter((o) => o.security.length > 0);
      const refused: string[] = [];
      for (const { method, path, permission } of operations) {
        const name = `${method} ${path}`;
        const body = method === 'GET' || method === 'DELETE' ? undefined : {};
        const response = await t.app.request(`/portal${urlOf(path)}`, {
          method,
          headers: { authorization: `Bearer ${token}`, ...(body && { 'content-type': 'application/json' }) },
          body: body && JSON.stringify(body),
        });
        const denying = scope.filter(
          (name) =>
            permission !== 'signed-in' && (capabilities[name].denies as readonly string[]).includes(permission!),
        );
        if (denying.length > 0) {
          assert.equal(response.status, 403, name);
          const { error } = await json(response);
          assert.equal(error.code, 'session_not_permitted', name);
          assert.deepEqual(error.details, { permission, capabilities: denying }, name);
          refused.push(name);
        } else if (response.status === 403) {
          assert.notEqual((await json(response)).error.code, 'session_not_permitted', `${name} is allowed`);
        }
      }
      assert.ok(refused.length > 0, 'every capability takes something away');
      if (scope.includes('read-only')) {
        assert.ok(refused.includes('PATCH /{storeId}/me') && refused.includes('POST /{storeId}/payment-methods/setup'));
      }
    });
  }

  test('a session without capabilities is refused nothing', async () => {
    const { url } = await json(await t.api('GET', `/api/accounts/${accountId}/authenticate`));
    const { token } = await json(
      await portal(t, 'POST', '/sessions', { token: new URL(url).searchParams.get('portal_token') }),
    );
    for (const { method, path } of (await portalOperations()).filter((o) => o.security.length > 0)) {
      const response = await t.app.request(`/portal${urlOf(path)}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: method === 'GET' || method === 'DELETE' ? undefined : '{}',
      });
      if (response.status === 403) assert.notEqual((await json(response)).error.code, 'session_not_permitted');
    }
  });
});

describe('the subscription views of a limited session', () => {
  test('offer only the actions the session may take', async () => {
    await setSetting(t, 'pauseEnabled', 'true');
    const customer = await subscribedCustomer(t);
    const full = await json(await customer.call('GET', ''));
    assert.equal(full.actions.cancel, true);
    assert.equal(full.actions.pause, true);
    assert.ok(full.pauseOptions);
    const { token } = await scopedSession({ capabilities: ['no-cancel', 'no-pause'] }, customer.accountId);
    const limited = await json(
      await portal(t, 'GET', `/subscriptions/${customer.subscriptionId}`, undefined, { token }),
    );
    assert.deepEqual(limited.actions, { ...full.actions, cancel: false, cancelImmediately: false, pause: false });
    assert.equal(limited.pauseOptions, null);
    const listed = await json(await portal(t, 'GET', '/subscriptions', undefined, { token }));
    assert.deepEqual(listed.data[0].actions, limited.actions);
    const cancel = await portal(
      t,
      'POST',
      `/subscriptions/${customer.subscriptionId}/cancel`,
      { reason: 'other' },
      {
        token,
      },
    );
    assert.equal(cancel.status, 403);
    const readOnly = await scopedSession({ capabilities: ['read-only'] }, customer.accountId);
    const looked = await json(
      await portal(t, 'GET', `/subscriptions/${customer.subscriptionId}`, undefined, { token: readOnly.token }),
    );
    assert.ok(Object.values(looked.actions).every((open) => open === false));
  });

  test('a limited session of one store is worthless at another', async () => {
    const other = await t.addStore('other');
    const { token } = await scopedSession({ capabilities: ['read-only'] });
    assert.equal((await portal(t, 'GET', '/sessions/current', undefined, { token, store: other })).status, 401);
  });
});
