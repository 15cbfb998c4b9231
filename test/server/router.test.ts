import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Result, Router } from 'hono/router';
import { TrieRouter } from 'hono/router/trie-router';
import { PortalRouter } from '../../server/lib/router';
import { createTestContext, type TestContext } from '../helpers/app';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND'];

/** A match as handlers with their parameters, whichever of Hono's two result formats the router gave. */
function answer<T>(router: Router<T>, method: string, path: string): [T, Record<string, string>][] {
  const [handlers, stash] = router.match(method, path) as Result<T> & [unknown, string[] | undefined];
  return handlers.map(([handler, params]) => [
    handler,
    Object.fromEntries(
      Object.entries(params as Record<string, string | number>).map(([name, value]) => [
        name,
        stash ? stash[value as number] : (value as string),
      ]),
    ),
  ]);
}

/** A value for a parameter with its own pattern, such as `:file{[a-z]{2}\.json}`. */
function valueFor(regex: string): string {
  const value = ['x1', 'entry-abcd1234.js', 'de.json', 'de-AT.json'].find((v) => new RegExp(`^(?:${regex})$`).test(v));
  assert.ok(value, `a value for ${regex}`);
  return value;
}

/** The pattern with its parameters filled in (those with their own pattern, with a value that fits it). */
function fill(pattern: string, param: string): string {
  let out = '';
  for (let i = 0; i < pattern.length;) {
    const name = /^:\w+/.exec(pattern.slice(i));
    if (!name) {
      out += pattern[i++];
      continue;
    }
    i += name[0].length;
    if (pattern[i] !== '{') {
      out += param;
      continue;
    }
    let depth = 0;
    const start = i;
    do depth += pattern[i] === '{' ? 1 : pattern[i] === '}' ? -1 : 0;
    while (depth > 0 && ++i < pattern.length);
    out += valueFor(pattern.slice(start + 1, i++));
  }
  return out;
}

/** Paths a route's pattern matches: its parameters and wildcards filled in a few ways, and near misses. */
function pathsOf(pattern: string): string[] {
  const filled = (param: string, wildcard: string) =>
    fill(pattern, param).replace(/\/\*$/, wildcard).replace(/\*/g, wildcard.slice(1));
  return [filled('abc', ''), filled('ord_1', '/a/b'), `${filled('x', '')}/`, `${filled('x', '')}/extra`];
}

describe('PortalRouter', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });

  test("answers every route's paths (and their near misses) as the TrieRouter does, on its fast path", () => {
    const portal = new PortalRouter<unknown>();
    const trie = new TrieRouter<unknown>();
    for (const route of t.app.routes) {
      portal.add(route.method, route.path, route.handler);
      trie.add(route.method, route.path, route.handler);
    }
    const paths = new Set([
      '/',
      '//',
      '/nowhere',
      '/api',
      '/api/',
      '/portal',
      '/portal/shop',
      '/portal/openapi.json/x',
    ]);
    // (Hono asks for a path starting with a slash: `/*` filled with nothing is `/`, already there.)
    for (const route of t.app.routes) for (const path of pathsOf(route.path)) if (path.startsWith('/')) paths.add(path);
    let compared = 0;
    for (const path of paths) {
      for (const method of METHODS) {
        assert.deepEqual(answer(portal, method, path), answer(trie, method, path), `${method} ${path}`);
        compared++;
      }
    }
    assert.ok(compared > 2000, `${compared} requests compared`);
    // The app's own route set stays fit for the RegExpRouter (a route that is not would fall back silently).
    assert.equal(portal.name, 'PortalRouter');
    t.app.router.match('GET', '/health');
    assert.equal(t.app.router.name, 'PortalRouter');
  });

  test('the same static path asked again gets the same answer', () => {
    const router = new PortalRouter<string>();
    router.add('ALL', '*', 'everything');
    router.add('GET', '/portal/openapi.json', 'document');
    router.add('GET', '/portal/:storeId/me', 'me');
    assert.deepEqual(answer(router, 'GET', '/portal/openapi.json'), [
      ['everything', {}],
      ['document', {}],
    ]);
    assert.deepEqual(answer(router, 'GET', '/portal/openapi.json'), answer(router, 'GET', '/portal/openapi.json'));
    assert.deepEqual(answer(router, 'GET', '/portal/shop/me'), [
      ['everything', {}],
      ['me', { storeId: 'shop' }],
    ]);
    assert.deepEqual(answer(router, 'POST', '/portal/openapi.json'), [['everything', {}]]);
  });

  test('a route set the RegExpRouter refuses goes to the TrieRouter whole', () => {
    const router = new PortalRouter<string>();
    router.add('GET', '/files/:name{[a-z]+}', 'named');
    router.add('GET', '/files/:id/raw', 'raw');
    assert.deepEqual(answer(router, 'GET', '/files/abc'), [['named', { name: 'abc' }]]);
    assert.equal(router.name, 'PortalRouter (TrieRouter)');
    assert.deepEqual(answer(router, 'GET', '/files/12/raw'), [['raw', { id: '12' }]]);
  });

  test('takes no route once it has answered', () => {
    const router = new PortalRouter<string>();
    router.add('GET', '/a', 'a');
    router.match('GET', '/a');
    assert.throws(() => router.add('GET', '/b', 'b'), /already built/);
  });
});
