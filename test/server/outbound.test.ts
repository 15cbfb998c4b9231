import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test, type TestContext } from 'node:test';
import { addressPolicy, AddressRefusedError } from '../../server/lib/addresses';
import { createGuardedFetch, destinationRefusal, hostRefusal } from '../../server/lib/outbound';

async function server(t: TestContext, handle: (req: IncomingMessage, res: ServerResponse) => void) {
  const requests: IncomingMessage[] = [];
  const http = createServer((req, res) => {
    requests.push(req);
    handle(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  );
  return { port: (http.address() as AddressInfo).port, requests };
}

describe('createGuardedFetch', () => {
  test('outside production reaches loopback, sends method, headers and body, and does not follow redirects', async (t) => {
    const s = await server(t, (req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () =>
        res
          .writeHead(302, {
            location: 'http://169.254.169.254/',
            'x-got': `${req.method} ${req.headers['x-a']} ${body}`,
          })
          .end(),
      );
    });
    const response = await createGuardedFetch(addressPolicy(false))(`http://127.0.0.1:${s.port}/hook`, {
      method: 'POST',
      headers: { 'x-a': '1' },
      body: 'hello',
    });
    assert.equal(response.status, 302);
    assert.equal(response.headers.get('x-got'), 'POST 1 hello');
    assert.equal(s.requests.length, 1);
  });

  test('in production refuses loopback before connecting, by IP and by a name that resolves to it', async (t) => {
    const s = await server(t, (_req, res) => res.end('ok'));
    const fetch = createGuardedFetch(addressPolicy(true));
    for (const url of [
      `http://127.0.0.1:${s.port}/`,
      `http://[::ffff:127.0.0.1]:${s.port}/`,
      `http://localhost:${s.port}/`,
      `http://2130706433:${s.port}/`,
    ]) {
      await assert.rejects(
        fetch(url),
        (e: unknown) => e instanceof AddressRefusedError && /loopback/.test(e.message),
        url,
      );
    }
    assert.equal(s.requests.length, 0);
  });

  test('gives up when no answer comes in time, and when the body stalls', async (t) => {
    const s = await server(t, (req, res) => {
      if (req.url === '/stall') {
        res.writeHead(200);
        res.write('part');
      }
    });
    const fetch = createGuardedFetch(addressPolicy(false));
    await assert.rejects(
      fetch(`http://127.0.0.1:${s.port}/hang`, { headersTimeoutMs: 50 }),
      (e: Error) => e.name === 'TimeoutError',
    );
    const stalled = await fetch(`http://127.0.0.1:${s.port}/stall`, { idleTimeoutMs: 50 });
    assert.equal(stalled.status, 200);
    await assert.rejects(stalled.arrayBuffer());
  });
});

describe('hostRefusal and destinationRefusal', () => {
  test('hostRefusal judges IP hosts and localhost names from the URL alone', () => {
    const production = addressPolicy(true);
    assert.match(hostRefusal('http://2130706433:8080/hook', production)!, /127\.0\.0\.1: a loopback address/);
    assert.match(hostRefusal('https://[::ffff:10.0.0.1]/hook', production)!, /private/);
    assert.match(hostRefusal('http://localhost:3000/hook', production)!, /localhost: it resolves to 127\.0\.0\.1/);
    assert.match(hostRefusal('http://api.localhost/hook', production)!, /loopback/);
    assert.equal(hostRefusal('https://shop.example/hook', production), null);
    assert.equal(hostRefusal('http://localhost:3000/hook', addressPolicy(false)), null);
  });

  test('destinationRefusal resolves names and refuses when an address is internal', async () => {
    assert.match((await destinationRefusal('http://localhost:1/hook', addressPolicy(true)))!, /loopback/);
    assert.match((await destinationRefusal('http://[fe80::1]/hook', addressPolicy(true)))!, /link-local/);
    assert.equal(await destinationRefusal('http://127.0.0.1:1/hook', addressPolicy(false)), null);
  });
});
