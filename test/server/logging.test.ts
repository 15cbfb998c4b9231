import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readEnv } from '../../server/env';
import { createLogger, type LogLevel } from '../../server/lib/logger';
import { createTestContext, json } from '../helpers/app';
import { portal, signInByEmail } from '../helpers/portal';

/** A JSON logger whose lines are kept, with the level each was written at. */
function capturingLogger(format: 'json' | 'text' = 'json') {
  const lines: { level: LogLevel; line: string }[] = [];
  return { logger: createLogger({ format, sink: (level, line) => lines.push({ level, line }) }), lines };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('createLogger', () => {
  test('LOG_FORMAT=json writes one JSON object per line: time, level, msg, then the fields', () => {
    const { logger, lines } = capturingLogger();
    logger.info('renewals: renewed=2', { ms: 12, store: 'shop' });
    logger.error('unhandled error', { error: new Error('disk full'), msg: 'not the message', level: 'debug' });
    assert.deepEqual(
      lines.map((l) => l.level),
      ['info', 'error'],
    );
    for (const { line } of lines) assert.doesNotMatch(line, /\n/);
    const [info, error] = lines.map((l) => JSON.parse(l.line));
    assert.deepEqual(Object.keys(info), ['time', 'level', 'msg', 'ms', 'store']);
    assert.ok(!Number.isNaN(Date.parse(info.time)) && info.time.endsWith('Z'));
    assert.deepEqual([info.level, info.msg, info.ms, info.store], ['info', 'renewals: renewed=2', 12, 'shop']);
    assert.deepEqual([error.level, error.msg, error.error], ['error', 'unhandled error', 'disk full']);
  });

  test('a field that cannot be written does not cost the line', () => {
    const { logger, lines } = capturingLogger();
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    logger.warn('odd', { cycle });
    assert.deepEqual(JSON.parse(lines[0].line).msg, 'odd');
  });

  test('the text format stays as it was', () => {
    const { logger, lines } = capturingLogger('text');
    logger.warn('payment gateway unavailable', { subscriptionId: 'sub_1', error: new Error('down') });
    logger.info('plain');
    assert.deepEqual(
      lines.map((l) => l.line),
      ['[warn] payment gateway unavailable subscriptionId="sub_1" error=down', '[info] plain'],
    );
  });

  test("a failed query's error says its cause and code, never its parameters", () => {
    const failed = new Error(
      'Failed query: insert into "accounts" ("id", "email") values ($1, $2)\nparams: acc_1,someone@example.com',
      {
        cause: Object.assign(
          new Error('duplicate key value violates unique constraint "accounts_store_email_unique"'),
          {
            code: '23505',
          },
        ),
      },
    );
    for (const format of ['text', 'json'] as const) {
      const { logger, lines } = capturingLogger(format);
      logger.error('unhandled error', { error: failed });
      assert.match(lines[0].line, /insert into \\?"accounts\\?".*duplicate key value.*code 23505/);
      assert.doesNotMatch(lines[0].line, /someone@example\.com|acc_1|params/, format);
    }
  });
});

describe('X-Request-Id', () => {
  test('a sane incoming id goes back in the response header', async () => {
    const t = await createTestContext();
    for (const id of ['abc-123', 'Req_1.2-x', 'a'.repeat(64)]) {
      const response = await t.app.request('/health', { headers: { 'x-request-id': id } });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('x-request-id'), id);
    }
  });

  test('an insane incoming id is replaced by a generated one', async () => {
    const t = await createTestContext();
    for (const id of ['a'.repeat(65), 'has space', 'slash/ed', '<script>', 'ünïcode', '']) {
      const response = await t.app.request('/health', { headers: { 'x-request-id': id } });
      const sent = response.headers.get('x-request-id') ?? '';
      assert.match(sent, UUID, JSON.stringify(id));
    }
  });

  test('every answer carries one, errors and unknown routes too, and each request its own', async () => {
    const t = await createTestContext();
    const answers = [
      await t.app.request('/health'),
      await t.app.request('/health'),
      await t.app.request('/no-such-route'),
      await t.app.request('/api/accounts'),
      await portal(t, 'GET', '/me'),
    ];
    assert.deepEqual(
      answers.map((r) => r.status),
      [200, 200, 404, 401, 401],
    );
    const ids = answers.map((r) => r.headers.get('x-request-id') ?? '');
    for (const id of ids) assert.match(id, UUID);
    assert.equal(new Set(ids).size, ids.length);
  });
});

describe('X-Request-Id across origins', () => {
  test("the Portal API lets the store's pages read it (for a support request)", async () => {
    const t = await createTestContext();
    const response = await portal(t, 'GET', '/config', undefined, { headers: { origin: 'https://shop.example' } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('access-control-expose-headers') ?? '', /\bX-Request-Id\b/);
    assert.match(response.headers.get('x-request-id') ?? '', UUID);
  });
});

describe('request logs', () => {
  test('by default, requests write no log line (quiet as before)', async () => {
    const { logger, lines } = capturingLogger();
    const t = await createTestContext({ logger });
    await t.app.request('/health');
    await t.api('GET', '/api/accounts/acc_missing');
    assert.deepEqual(lines, []);
  });

  test('LOG_REQUESTS writes a line per request with its route pattern, status and request id', async () => {
    const { logger, lines } = capturingLogger();
    const t = await createTestContext({ logger, config: { logRequests: true } });
    const response = await t.api('GET', '/api/accounts/acc_missing', undefined, {
      headers: { 'x-request-id': 'trace-42' },
    });
    assert.equal(response.status, 404);
    const logged = lines.map((l) => JSON.parse(l.line));
    assert.equal(logged.length, 1);
    const [line] = logged;
    assert.deepEqual(
      [line.msg, line.method, line.route, line.status, line.requestId],
      ['request', 'GET', '/api/accounts/:accountId', 404, 'trace-42'],
    );
    assert.equal(typeof line.ms, 'number');
    assert.doesNotMatch(lines[0].line, /acc_missing/, 'the pattern, not the path');
  });

  test("the error handler's line carries the request id", async () => {
    const { logger, lines } = capturingLogger();
    const t = await createTestContext({ logger });
    t.app.get('/boom/:id', () => {
      throw new Error('exploded');
    });
    const response = await t.app.request('/boom/tok_in_path', { headers: { 'x-request-id': 'req-500' } });
    assert.equal(response.status, 500);
    assert.equal((await json(response)).error.code, 'internal_error');
    assert.equal(response.headers.get('x-request-id'), 'req-500');
    const [line] = lines.map((l) => JSON.parse(l.line));
    assert.deepEqual(
      [line.level, line.msg, line.requestId, line.route, line.error],
      ['error', 'unhandled error', 'req-500', '/boom/:id', 'exploded'],
    );
    assert.doesNotMatch(lines[0].line, /tok_in_path/);
  });

  test('never a token, a password, a cookie, an Authorization header or a body', async () => {
    const { logger, lines } = capturingLogger();
    const t = await createTestContext({ logger, config: { logRequests: true } });
    assert.equal((await t.api('POST', '/api/accounts', { email: 'ada@example.com' })).status, 201);
    const session = await signInByEmail(t, 'ada@example.com');
    const secrets = [t.store.credentials.password, t.store.auth, session.token, session.deviceCookie];
    const loginToken = 'ltok_not_a_real_login_token_1234567890';
    const answers = [
      await t.api('GET', '/api/accounts'),
      await t.api('POST', '/api/accounts', { email: 'grace@example.com', firstName: 'Body-Secret-Name' }),
      await portal(t, 'POST', '/sessions', { token: loginToken }),
      await portal(t, 'GET', '/me', undefined, { token: session.token, headers: { cookie: session.deviceCookie } }),
      await t.app.request(`/account/${t.store.id}?portal_token=${loginToken}`),
      await t.app.request('/api/accounts', { headers: { authorization: 'Basic dXNlcjpodW50ZXIy' } }),
    ];
    assert.deepEqual(
      answers.map((r) => r.status),
      [200, 201, 401, 200, 200, 401],
    );
    const written = lines.map((l) => l.line).join('\n');
    assert.ok(lines.length >= answers.length, 'a line per request');
    for (const secret of [...secrets, loginToken, 'dXNlcjpodW50ZXIy', 'hunter2', 'Body-Secret-Name', 'grace@'])
      assert.ok(!written.includes(secret), `${secret} is not in the log`);
    assert.doesNotMatch(written, /authorization|cookie|bearer|basic /i);
  });
});

describe('LOG_FORMAT and LOG_REQUESTS', () => {
  test('default to text lines and no request lines', () => {
    assert.deepEqual([readEnv({}).logFormat, readEnv({}).logRequests], ['text', false]);
    const env = readEnv({ LOG_FORMAT: 'json', LOG_REQUESTS: 'true' });
    assert.deepEqual([env.logFormat, env.logRequests], ['json', true]);
    assert.equal(readEnv({ LOG_REQUESTS: '1' }).logRequests, true);
  });

  test('refuse other values with a message naming the variable', () => {
    assert.throws(() => readEnv({ LOG_FORMAT: 'xml' }), /LOG_FORMAT/);
    assert.throws(() => readEnv({ LOG_REQUESTS: 'yes' }), /LOG_REQUESTS/);
  });
});
