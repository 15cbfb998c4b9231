import assert from 'node:assert/strict';
import { serve } from '@hono/node-server';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { parseTrustProxy, resolveClientIp } from '../../server/lib/client-ip';
import { limits } from '../../server/services/sign-in/limits';
import { createTestContext, json } from '../helpers/app';
import { portal } from '../helpers/portal';

describe('resolveClientIp', () => {
  const socket = '10.0.0.2';

  test("trusting no proxy: the socket's peer, whatever X-Forwarded-For says", () => {
    for (const trust of [false, 0]) {
      assert.equal(resolveClientIp(socket, '6.6.6.6', trust), socket);
      assert.equal(resolveClientIp(undefined, '6.6.6.6', trust), undefined);
    }
  });

  test('one hop (true or 1): the right-most entry, the one our proxy wrote', () => {
    for (const trust of [true, 1]) {
      assert.equal(resolveClientIp(socket, '203.0.113.9', trust), '203.0.113.9');
      assert.equal(resolveClientIp(socket, '6.6.6.6, 7.7.7.7, 203.0.113.9', trust), '203.0.113.9');
      assert.equal(resolveClientIp(socket, ' 6.6.6.6 ,203.0.113.9 ', trust), '203.0.113.9');
    }
  });

  test('N hops: the N-th entry from the right, or the left-most when there are fewer', () => {
    const header = '6.6.6.6, 203.0.113.9, 10.0.0.7';
    assert.equal(resolveClientIp(socket, header, 2), '203.0.113.9');
    assert.equal(resolveClientIp(socket, header, 3), '6.6.6.6');
    assert.equal(resolveClientIp(socket, header, 5), '6.6.6.6');
  });

  test("without X-Forwarded-For (or an empty one) the socket's peer is the client", () => {
    for (const trust of [1, ['10.0.0.2']]) {
      assert.equal(resolveClientIp(socket, undefined, trust), socket);
      assert.equal(resolveClientIp(socket, ' , ', trust), socket);
    }
  });

  test('a list of proxies: walks from the right past the proxies to the first other address', () => {
    const proxies = ['10.0.0.2', '10.0.0.7', '192.168.0.0/16'];
    assert.equal(resolveClientIp(socket, '203.0.113.9', proxies), '203.0.113.9');
    assert.equal(resolveClientIp(socket, '6.6.6.6, 203.0.113.9, 192.168.4.1, 10.0.0.7', proxies), '203.0.113.9');
    // All of them proxies: the left-most is as far as the chain goes.
    assert.equal(resolveClientIp(socket, '10.0.0.7, 192.168.1.1', proxies), '10.0.0.7');
  });

  test("a list of proxies: nothing in the header counts unless the socket's peer is one of them", () => {
    const proxies = ['10.0.0.2'];
    assert.equal(resolveClientIp('198.51.100.4', '6.6.6.6', proxies), '198.51.100.4');
    assert.equal(resolveClientIp(undefined, '6.6.6.6', proxies), undefined);
    assert.equal(resolveClientIp('::ffff:10.0.0.2', '203.0.113.9', proxies), '203.0.113.9');
  });

  test('IPv6 proxies and clients, and addresses written with ports', () => {
    const proxies = ['2001:db8::/32'];
    assert.equal(resolveClientIp('2001:db8::1', '2001:4860::8888, 2001:db8::5', proxies), '2001:4860::8888');
    assert.equal(resolveClientIp(socket, '[2001:4860::8888]:443', 1), '2001:4860::8888');
    assert.equal(resolveClientIp(socket, '203.0.113.9:5123', 1), '203.0.113.9');
  });
});

describe('parseTrustProxy (TRUST_PROXY)', () => {
  test('true and false keep their meaning; a number is a hop count; a list names the proxies', () => {
    assert.deepEqual(parseTrustProxy('true'), { value: 1 });
    assert.deepEqual(parseTrustProxy('false'), { value: 0 });
    assert.deepEqual(parseTrustProxy('1'), { value: 1 });
    assert.deepEqual(parseTrustProxy('0'), { value: 0 });
    assert.deepEqual(parseTrustProxy('2'), { value: 2 });
    assert.deepEqual(parseTrustProxy('10.0.0.1, 10.0.0.2,fd00::/8'), { value: ['10.0.0.1', '10.0.0.2', 'fd00::/8'] });
  });

  test('anything else is a problem described in words', () => {
    for (const bad of ['yes', '-1', '1.5', '10.0.0.1,', '10.0.0.300', '10.0.0.0/33', 'proxy.internal', '99']) {
      const parsed = parseTrustProxy(bad);
      assert.ok('problem' in parsed, bad);
      assert.match(parsed.problem, /hop count/);
    }
  });
});

describe('rate limits behind a proxy', () => {
  // Login links per network address; the limit's value lives in the sign-in limits.
  const perAddress = limits.loginLinkNetwork('any').rules[0].max;

  test('a client cannot spoof its address by writing X-Forwarded-For itself (TRUST_PROXY=1)', async () => {
    const t = await createTestContext({ config: { trustProxy: 1 } });
    // The proxy appends the real address, 203.0.113.9, after whatever the client sent.
    const ask = (n: number) =>
      portal(
        t,
        'POST',
        '/login-links',
        { email: `user${n}@example.com` },
        { headers: { 'x-forwarded-for': `6.6.${n >> 8}.${n & 255}, 203.0.113.9` } },
      );
    for (let n = 0; n < perAddress; n++) assert.equal((await ask(n)).status, 202);
    const limited = await ask(perAddress);
    assert.equal(limited.status, 429);
    assert.equal((await json(limited)).error.code, 'too_many_login_links_from_network');
  });

  test('with a list of proxies, a header is believed only from one of them (over a real socket)', async () => {
    const t = await createTestContext({ config: { trustProxy: ['127.0.0.1'] } });
    const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
    after(() => server.close());
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/portal/${t.store.id}/login-links`;
    const ask = (n: number, forwardedFor: string) =>
      fetch(base, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
        body: JSON.stringify({ email: `user${n}@example.com` }),
      });
    // The socket's peer, 127.0.0.1, is the trusted proxy: the client is the entry left of it.
    for (let n = 0; n < perAddress; n++)
      assert.equal((await ask(n, `6.6.${n >> 8}.${n & 255}, 203.0.113.9`)).status, 202);
    assert.equal((await ask(perAddress, '6.6.6.99, 203.0.113.9')).status, 429);
    assert.equal((await ask(perAddress + 1, '198.51.100.1')).status, 202);

    const untrusted = await createTestContext({ config: { trustProxy: ['10.9.9.9'] } });
    const direct = serve({ fetch: untrusted.app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
    after(() => direct.close());
    await once(direct, 'listening');
    const url = `http://127.0.0.1:${(direct.address() as AddressInfo).port}/portal/${untrusted.store.id}/login-links`;
    // Not from the proxy: every request counts against 127.0.0.1, whatever the header says.
    const statuses = [];
    for (let n = 0; n <= perAddress; n++) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `6.6.${n >> 8}.${n & 255}` },
        body: JSON.stringify({ email: `user${n}@example.com` }),
      });
      statuses.push(response.status);
    }
    assert.deepEqual(statuses, [...Array(perAddress).fill(202), 429]);
  });
});
