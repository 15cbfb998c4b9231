import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, test } from 'node:test';
import {
  clientErrorResponse,
  guardHttpServer,
  httpServerOptions,
  MAX_HEADER_BYTES,
} from '../../server/lib/http-server';
import { DefaultingServerResponse } from '../../server/lib/defaulting-response';
import { rawRequest } from '../helpers/raw-http';

const limits = { requestTimeoutMs: 30_000, maxConnections: 3 };
let server: Server | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  if (!server) return;
  server.closeAllConnections();
  await new Promise((resolve) => server!.close(resolve));
  server = undefined;
});

/** A Node HTTP server set up as main.ts sets up its own, answering every request with 200 "ok". */
async function listen(): Promise<number> {
  server = createServer(httpServerOptions(limits), (_request, response) => response.end('ok'));
  guardHttpServer(server, limits);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

describe('httpServerOptions', () => {
  test('bounds the time to send headers and the whole request, and the header size; responses take defaults', () => {
    assert.deepEqual(httpServerOptions({ requestTimeoutMs: 30_000, maxConnections: 10 }), {
      requestTimeout: 30_000,
      headersTimeout: 10_000,
      connectionsCheckingInterval: 1000,
      maxHeaderSize: MAX_HEADER_BYTES,
      ServerResponse: DefaultingServerResponse,
    });
    // Node refuses a headers timeout longer than the request timeout.
    assert.equal(httpServerOptions({ requestTimeoutMs: 2_000, maxConnections: 10 }).headersTimeout, 2_000);
  });
});

describe('guardHttpServer', () => {
  test('requests the parser refuses are answered in the JSON error shape', async () => {
    const port = await listen();
    const garbage = await rawRequest({ port, head: 'HELLO THERE' });
    assert.equal(garbage.status, 400);
    assert.equal(JSON.parse(garbage.body).error.code, 'bad_request');
    const huge = await rawRequest({ port, head: `GET /?q=${'a'.repeat(MAX_HEADER_BYTES)} HTTP/1.1\r\nHost: x` });
    assert.equal(huge.status, 431);
    assert.equal(huge.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(JSON.parse(huge.body).error.code, 'headers_too_large');
    const fine = await rawRequest({ port, head: 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close' });
    assert.equal(fine.status, 200);
  });

  test('a refused client that goes on sending is not reset: the answer is sent, the rest read and discarded', async () => {
    const port = await listen();
    // A client that keeps writing after the server's end, as a browser uploading a body does.
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    sockets.push(socket);
    await once(socket, 'connect');
    let error: string | undefined;
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code;
    });
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString();
    });
    // The body is 20 bytes (answered 200); what follows is not HTTP (answered 400).
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 20\r\n\r\n' + '{},'.repeat(10));
    while (!received.includes('bad_request')) await once(socket, 'data');
    assert.match(received, /^HTTP\/1\.1 200[^]*HTTP\/1\.1 400/);
    // Closing at once would make every further byte draw a reset.
    const piece = Buffer.alloc(64 * 1024, '{},');
    for (let i = 0; i < 32 && !error; i++) {
      socket.write(piece);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.equal(error, undefined);
    assert.equal(socket.destroyed, false);
  });

  test('connections past the cap are closed at once; those already open are still served', async () => {
    const port = await listen();
    for (let i = 0; i < limits.maxConnections; i++) {
      const socket = connect(port, '127.0.0.1');
      sockets.push(socket);
      await once(socket, 'connect');
    }
    // Give the server a moment to count the open ones.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const refused = await rawRequest({ port, head: 'GET / HTTP/1.1\r\nHost: x', timeoutMs: 2_000 });
    assert.equal(refused.status, null);
    assert.notEqual(refused.error, 'timeout');
    sockets[0].write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    const [answer] = (await once(sockets[0], 'data')) as [Buffer];
    assert.match(answer.toString(), /^HTTP\/1\.1 200/);
  });
});

describe('clientErrorResponse', () => {
  test('a timed-out request is a 408 request_timeout that closes the connection', () => {
    const response = clientErrorResponse('ERR_HTTP_REQUEST_TIMEOUT', limits);
    assert.match(response, /^HTTP\/1\.1 408 Request Timeout\r\n/);
    assert.match(response, /\r\nConnection: close\r\n/);
    const body = response.slice(response.indexOf('\r\n\r\n') + 4);
    assert.match(response, new RegExp(`\\r\\nContent-Length: ${Buffer.byteLength(body)}\\r\\n`));
    assert.equal(JSON.parse(body).error.code, 'request_timeout');
  });
});
