import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { DefaultingServerResponse } from '../../server/lib/defaulting-response';

type Handler = (response: DefaultingServerResponse) => void;

describe('DefaultingServerResponse', () => {
  let server: Server;
  let base: string;
  const handlers = new Map<string, Handler>();

  before(async () => {
    server = createServer({ ServerResponse: DefaultingServerResponse }, (request, response) =>
      handlers.get(request.url ?? '')!(response as DefaultingServerResponse),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  /** The headers of the response `handler` gives, over HTTP. */
  async function headersOf(handler: Handler): Promise<Headers> {
    const path = `/${handlers.size}`;
    handlers.set(path, handler);
    const response = await fetch(`${base}${path}`);
    await response.text();
    return response.headers;
  }

  test('writes the defaults beside the head the route wrote', async () => {
    const headers = await headersOf((response) => {
      response.addDefaults([
        ['X-Frame-Options', 'SAMEORIGIN'],
        ['Cache-Control', 'no-store'],
      ]);
      response.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
    assert.equal(headers.get('content-type'), 'application/json');
    assert.equal(headers.get('x-frame-options'), 'SAMEORIGIN');
    assert.equal(headers.get('cache-control'), 'no-store');
  });

  test("the route's own header wins, whatever its case, and so does one set with setHeader", async () => {
    const headers = await headersOf((response) => {
      response.addDefaults([
        ['X-Frame-Options', 'SAMEORIGIN'],
        ['Cache-Control', 'no-store'],
      ]);
      response.setHeader('cache-control', 'public, max-age=60');
      response.writeHead(200, { 'x-frame-options': 'DENY' }).end();
    });
    assert.equal(headers.get('x-frame-options'), 'DENY');
    assert.equal(headers.get('cache-control'), 'public, max-age=60');
  });

  test('the first default given for a name wins (middleware gives them from the inside out)', async () => {
    const headers = await headersOf((response) => {
      response.addDefaults([['Cache-Control', 'no-store']]);
      response.addDefaults([
        ['Cache-Control', 'no-cache'],
        ['Referrer-Policy', 'no-referrer'],
      ]);
      response.writeHead(200).end();
    });
    assert.equal(headers.get('cache-control'), 'no-store');
    assert.equal(headers.get('referrer-policy'), 'no-referrer');
  });

  test("Vary fields are appended to the route's own Vary, or to one set with setHeader, or make one", async () => {
    const vary = (setUp: Handler) =>
      headersOf((response) => {
        response.addVary('Origin');
        setUp(response);
      }).then((headers) => headers.get('vary'));
    assert.equal(
      await vary((response) => response.writeHead(200, { Vary: 'Accept-Encoding' }).end()),
      'Accept-Encoding, Origin',
    );
    assert.equal(
      await vary((response) => {
        response.setHeader('Vary', 'Accept-Language');
        response.writeHead(200).end();
      }),
      'Accept-Language, Origin',
    );
    assert.equal(await vary((response) => response.writeHead(200).end()), 'Origin');
  });

  test('takes every form of writeHead: a reason phrase, a flat list, none (an implicit head)', async () => {
    const headers = await headersOf((response) => {
      response.addDefaults([['X-Content-Type-Options', 'nosniff']]);
      response.writeHead(201, 'Made', ['Content-Type', 'text/plain', 'X-Content-Type-Options', 'off']).end('ok');
    });
    assert.equal(headers.get('x-content-type-options'), 'off');
    assert.equal(headers.get('content-type'), 'text/plain');
    const implicit = await headersOf((response) => {
      response.addDefaults([['X-Content-Type-Options', 'nosniff']]);
      response.statusCode = 202;
      response.end('implicit');
    });
    assert.equal(implicit.get('x-content-type-options'), 'nosniff');
  });

  test('without defaults the head is written as given', async () => {
    const headers = await headersOf((response) => response.writeHead(200, { 'X-Own': '1' }).end());
    assert.equal(headers.get('x-own'), '1');
    assert.equal(headers.get('x-frame-options'), null);
  });
});
