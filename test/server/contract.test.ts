import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, test } from 'node:test';
import { errorCodes, errors, isErrorCode } from '../../server/contract';
import { problem, problemSaying } from '../../server/lib/errors';
import { createTestContext, json } from '../helpers/app';

/** The TypeScript files under a folder, as paths from the repository's root. */
const sources = (folder: string) =>
  (readdirSync(folder, { recursive: true }) as string[])
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(folder, file));

/** Every module specifier a file imports from, and whether the import is for types only. */
function importsOf(file: string): { from: string; typeOnly: boolean }[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)\s+(type\s+)?[^'";]*?from\s+'([^']+)'/gm)].map(([, type, from]) => ({
    from,
    typeOnly: Boolean(type),
  }));
}

const resolved = (file: string, from: string) => normalize(join(dirname(file), from));

describe('server/contract', () => {
  test('imports nothing from outside server/contract/', () => {
    for (const file of sources('server/contract')) {
      for (const { from } of importsOf(file)) {
        assert.ok(from.startsWith('./'), `${file} imports ${from}`);
      }
    }
  });

  test('the widget imports server code only as types, except the contract', () => {
    const runtime = sources('widget').flatMap((file) =>
      importsOf(file)
        .filter(({ from, typeOnly }) => !typeOnly && resolved(file, from).startsWith('server/'))
        .map(({ from }) => ({ file, target: resolved(file, from) })),
    );
    assert.deepEqual(
      runtime.filter(({ target }) => !target.startsWith('server/contract')),
      [],
    );
    assert.ok(runtime.length > 0, 'the widget uses the contract');
  });

  test('every code has a 4xx or 5xx status and a message that is a sentence', () => {
    assert.ok(errorCodes.length >= 50);
    for (const code of errorCodes) {
      assert.match(code, /^[a-z]+(_[a-z]+)*$/);
      const { status, message } = errors[code];
      assert.ok(status >= 400 && status < 600, code);
      assert.match(message, /^[A-Z].*[.)]$/, code);
    }
    assert.ok(isErrorCode('subscription_busy'));
    assert.ok(!isErrorCode('payment_unavailable') && !isErrorCode('toString'));
  });

  test('problem() takes the status and the message from the contract; problemSaying() only the status', () => {
    const busy = problem('subscription_busy', { subscriptionId: 'sub_1' }, { 'Retry-After': '2' });
    assert.deepEqual(
      [busy.status, busy.code, busy.message],
      [409, 'subscription_busy', errors.subscription_busy.message],
    );
    assert.deepEqual(busy.details, { subscriptionId: 'sub_1' });
    assert.deepEqual(busy.headers, { 'Retry-After': '2' });
    const taken = problemSaying('product_exists', 'A product with key "pro" already exists.');
    assert.deepEqual([taken.status, taken.message], [409, 'A product with key "pro" already exists.']);
    assert.equal(problemSaying('payment_declined', null).message, errors.payment_declined.message);
  });

  test('server code builds errors with problem(): DomainError is constructed in server/lib/errors.ts only', () => {
    const constructing = sources('server').filter(
      (file) => file !== join('server', 'lib', 'errors.ts') && readFileSync(file, 'utf8').includes('new DomainError('),
    );
    assert.deepEqual(constructing, []);
  });

  test('every code in the contract is one the server sends (no code is listed without a use)', () => {
    const server = sources('server')
      .filter((file) => !file.startsWith(join('server', 'contract')))
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    const unused = errorCodes.filter((code) => !server.includes(`'${code}'`));
    assert.deepEqual(unused, []);
  });
});

describe('OpenAPI error documentation', () => {
  for (const url of ['/api/openapi.json', '/portal/openapi.json']) {
    test(`GET ${url} lists, under each error status, contract codes of that status`, async () => {
      const t = await createTestContext();
      const response = await t.app.request(url);
      assert.equal(response.status, 200);
      const doc = await json(response);
      let documented = 0;
      for (const [path, operations] of Object.entries<
        Record<string, { responses: Record<string, { description: string }> }>
      >(doc.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          for (const [status, { description }] of Object.entries(operation.responses)) {
            if (Number(status) < 400) continue;
            const codes = [...description.matchAll(/^- `([a-z_]+)`: /gm)].map(([, code]) => code);
            assert.ok(codes.length > 0, `${method} ${path} ${status} lists its codes`);
            for (const code of codes) {
              assert.ok(isErrorCode(code), `${method} ${path}: ${code} is in the contract`);
              assert.equal(errors[code].status, Number(status), `${method} ${path}: ${code} is a ${status}`);
              assert.ok(description.includes(errors[code].message), `${method} ${path}: ${code} with its message`);
            }
            documented += codes.length;
          }
        }
      }
      assert.ok(documented > 50);
    });
  }

  test("a route documents each of its codes under the code's own status", async () => {
    const t = await createTestContext();
    const doc = await json(await t.app.request('/portal/openapi.json'));
    const { responses } = doc.paths['/{storeId}/subscriptions/{subscriptionId}/change'].post;
    assert.match(responses[409].description, /`quote_used`/);
    assert.match(responses[409].description, /`subscription_busy`/);
    assert.match(responses[410].description, /`quote_expired`/);
    assert.match(responses[503].description, /`gateway_unavailable`/);
    assert.match(responses[401].description, /`session_expired`/);
  });
});
