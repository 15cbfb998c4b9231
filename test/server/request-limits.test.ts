import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { nestsDeeperThan } from '../../server/lib/json-depth';
import { MAX_JSON_DEPTH, MAX_URL_LENGTH } from '../../server/middleware/request-limits';
import { PORTAL_BODY_LIMIT } from '../../server/routes/portal';
import { API_BODY_LIMIT } from '../../server/routes/server-api';
import { createTestContext, json, type TestContext } from '../helpers/app';
import { oneTimeOrder } from '../helpers/fixtures';
import { portal, signInByEmail } from '../helpers/portal';

let t: TestContext;
beforeEach(async () => {
  t = await createTestContext();
});

/** A raw JSON text request to the Portal API (the body exactly as given). */
const portalText = (path: string, text: string, headers: Record<string, string> = {}) =>
  t.app.request(`/portal/${t.store.id}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: text,
  });

const nested = (depth: number, inner = '') => '['.repeat(depth) + inner + ']'.repeat(depth);

describe('Portal API request bodies', () => {
  test('a body over 16 KiB is refused with 413 payload_too_large, with CORS for an allowed origin', async () => {
    const response = await portalText(
      '/login-links',
      JSON.stringify({ email: `${'a'.repeat(PORTAL_BODY_LIMIT)}@example.com` }),
      { origin: 'https://shop.example' },
    );
    assert.equal(response.status, 413);
    assert.equal(response.headers.get('access-control-allow-origin'), 'https://shop.example');
    assert.deepEqual(await json(response), {
      error: {
        code: 'payload_too_large',
        message: `The request body is larger than ${PORTAL_BODY_LIMIT} bytes.`,
        details: { limit: PORTAL_BODY_LIMIT },
      },
    });
  });

  test('the largest account form a customer can send fits, even with every character escaped', async () => {
    assert.equal((await t.api('POST', '/api/accounts', { email: 'ada@example.com' })).status, 201);
    const { token } = await signInByEmail(t, 'ada@example.com');
    const wide = (n: number) => '€'.repeat(n);
    const form = JSON.stringify({
      firstName: wide(100),
      lastName: wide(100),
      phone: '1'.repeat(40),
      company: wide(200),
      // No country, so that the postal code's format is not checked against one.
      address: { line1: wide(200), line2: wide(200), city: wide(100), region: wide(100), postalCode: wide(20) },
      language: 'en-GB',
    });
    for (const body of [form, form.replaceAll('€', '\\u20ac')]) {
      assert.ok(Buffer.byteLength(body) < PORTAL_BODY_LIMIT / 2, `${Buffer.byteLength(body)} bytes`);
      const response = await t.app.request(`/portal/${t.store.id}/me`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body,
      });
      assert.equal(response.status, 200);
      assert.equal((await json(response)).company, wide(200));
    }
  });

  test(`JSON nested deeper than ${MAX_JSON_DEPTH} levels is refused with 400 invalid_json before it is parsed`, async () => {
    const deep = await portalText('/login-links', nested(MAX_JSON_DEPTH + 1));
    assert.equal(deep.status, 400);
    assert.equal((await json(deep)).error.code, 'invalid_json');
    // As deep as allowed: parsed, then refused by validation like any other wrong shape.
    assert.equal((await portalText('/login-links', nested(MAX_JSON_DEPTH))).status, 422);
    // Brackets inside strings are text.
    assert.equal((await portalText('/login-links', JSON.stringify({ email: '['.repeat(500) }))).status, 422);
  });

  test('malformed JSON is still a 400 invalid_json', async () => {
    const response = await portalText('/login-links', '{"email":');
    assert.equal(response.status, 400);
    assert.equal((await json(response)).error.code, 'invalid_json');
  });

  test('a normal request passes the limits untouched', async () => {
    assert.equal((await portal(t, 'POST', '/login-links', { email: 'ada@example.com' })).status, 202);
  });
});

describe('Server API request bodies', () => {
  test('a body over 1 MiB is refused with 413; one just under it reaches validation', async () => {
    const padding = (n: number) => JSON.stringify(oneTimeOrder({ reference: 'x'.repeat(n) }));
    const base = padding(0).length;
    const over = await t.api('POST', '/api/orders', padding(API_BODY_LIMIT - base + 1));
    assert.equal(over.status, 413);
    assert.equal((await json(over)).error.code, 'payload_too_large');
    const under = await t.api('POST', '/api/orders', padding(API_BODY_LIMIT - base));
    assert.equal(under.status, 422);
  });

  test('without credentials the body is never read: 401, however large it is', async () => {
    const response = await t.app.request('/api/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: nested(200_000),
    });
    assert.equal(response.status, 401);
    assert.equal((await json(response)).error.code, 'unauthorized');
  });

  test('deep nesting within the size limit is a 400 invalid_json', async () => {
    const response = await t.api('POST', '/api/orders', nested(100_000));
    assert.equal(response.status, 400);
    assert.equal((await json(response)).error.code, 'invalid_json');
  });
});

describe('URLs', () => {
  test(`a URL longer than ${MAX_URL_LENGTH} characters is refused with 414 uri_too_long, on every route`, async () => {
    for (const path of ['/api/accounts', `/portal/${t.store.id}/config`, '/health', '/metrics', '/no-such-route']) {
      const response = await t.app.request(`${path}?q=${'a'.repeat(MAX_URL_LENGTH)}`, {
        headers: { authorization: t.store.auth },
      });
      assert.equal(response.status, 414, path);
      assert.equal((await json(response)).error.code, 'uri_too_long');
    }
    const fine = await t.api('GET', `/api/accounts?customUserId=${'a'.repeat(200)}`);
    assert.equal(fine.status, 200);
  });

  test('a NUL character in the path or the query is a 400 bad_request (PostgreSQL text cannot hold one)', async () => {
    for (const path of [
      `/portal/${t.store.id}/orders/%00/invoice`,
      '/api/webhook-endpoints/x%00',
      '/api/accounts?email=a%00b',
    ]) {
      const response = await t.api('GET', path);
      assert.equal(response.status, 400, path);
      assert.equal((await json(response)).error.code, 'bad_request', path);
    }
  });
});

describe('NUL characters in JSON bodies', () => {
  test('a JSON string holding U+0000 is a 400 invalid_json; an escaped backslash before "u0000" is not one', async () => {
    const refused = await t.api('POST', '/api/accounts', { email: 'nul@example.com', firstName: 'a\u0000b' });
    assert.equal(refused.status, 400);
    assert.equal((await json(refused)).error.code, 'invalid_json');
    const text = await t.api('POST', '/api/accounts', { email: 'text@example.com', firstName: 'a\\u0000b' });
    assert.equal(text.status, 201, await text.clone().text());
    assert.equal((await json(text)).firstName, 'a\\u0000b');
  });
});

describe('nestsDeeperThan', () => {
  test('counts arrays and objects, not brackets in strings or escaped quotes', () => {
    assert.equal(nestsDeeperThan('[[{"a":[1]}]]', 4), false);
    assert.equal(nestsDeeperThan('[[{"a":[1]}]]', 3), true);
    assert.equal(nestsDeeperThan('{"a":"[[[[[[\\"[[[[","b":[]}', 1), true);
    assert.equal(nestsDeeperThan('{"a":"[[[[[[\\"[[[[","b":1}', 1), false);
    assert.equal(nestsDeeperThan('"\\\\"', 0), false);
    assert.equal(nestsDeeperThan('[][][][]', 1), false);
    assert.equal(nestsDeeperThan('', 0), false);
  });
});
