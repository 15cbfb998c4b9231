import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { npmStartNodeFlags, startServer, type RunningServer } from '../helpers/server-process';
import { chunked, emptyObjectsArray, nestedArrays, rawRequest, type RawResponse } from '../helpers/raw-http';

const MiB = 1024 * 1024;
const credentials = Buffer.from('demo-user:demo-secret-123').toString('base64');
const REQUEST_TIMEOUT_SECONDS = 3;

let server: RunningServer;
let port: number;

/** Polls `/health` every 50 ms for as long as the attacks run; any miss or slow answer is kept. */
function watchHealth() {
  const misses: string[] = [];
  let slowestMs = 0;
  let answered = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const response = await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(5_000) });
        if (response.status !== 200) misses.push(`status ${response.status}`);
        await response.arrayBuffer();
        answered += 1;
      } catch (error) {
        misses.push(String(error));
      }
      slowestMs = Math.max(slowestMs, performance.now() - started);
      await sleep(50);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { misses, slowestMs, answered };
    },
  };
}

const post = (path: string, headers: string[]) =>
  [`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Content-Type: application/json', ...headers].join('\r\n');

function assertJsonError(response: RawResponse, status: number, code: string) {
  assert.equal(response.status, status, JSON.stringify(response));
  assert.match(response.headers['content-type'] ?? '', /application\/json/);
  assert.equal(JSON.parse(response.body).error.code, code, response.body);
}

const dir = mkdtempSync(join(tmpdir(), 'portal-limits-'));
let health: ReturnType<typeof watchHealth>;

before(async () => {
  server = await startServer(
    {
      DATABASE_PATH: join(dir, 'portal.db'),
      DEMO_API_USER: 'demo-user',
      DEMO_API_PASSWORD: 'demo-secret-123',
      // Short, so that the slow clients below are cut off within the test.
      REQUEST_TIMEOUT_SECONDS: String(REQUEST_TIMEOUT_SECONDS),
    },
    undefined,
    { nodeFlags: npmStartNodeFlags() },
  );
  port = Number(new URL(server.url).port);
  health = watchHealth();
});

after(async () => {
  await health?.stop();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const loginLinks = '/portal/demo/login-links';

describe('npm start (128 MB heap) under requests meant to exhaust it, without signing in', () => {
  test('a 64 MiB body is refused with 413, whether its length is declared, chunked or a lie', async () => {
    const declared = await rawRequest({
      port,
      head: post(loginLinks, [`Content-Length: ${64 * MiB}`]),
      body: emptyObjectsArray(64 * MiB),
    });
    assertJsonError(declared, 413, 'payload_too_large');

    const streamed = await rawRequest({
      port,
      head: post(loginLinks, ['Transfer-Encoding: chunked']),
      body: chunked(emptyObjectsArray(64 * MiB)),
    });
    assertJsonError(streamed, 413, 'payload_too_large');
    assert.ok(streamed.sentBytes < 8 * MiB, `the server stopped reading early: ${streamed.sentBytes} bytes went out`);

    // Claims 20 bytes and sends 64 MiB: Node takes 20 as the body and refuses the rest as malformed HTTP.
    const lying = await rawRequest({
      port,
      head: post(loginLinks, ['Content-Length: 20']),
      body: emptyObjectsArray(64 * MiB),
    });
    assert.ok(lying.status !== null && lying.status >= 400 && lying.status < 500, JSON.stringify(lying));
    assert.equal(typeof JSON.parse(lying.body).error.code, 'string');
  });

  test('6 MiB of [{},{},…] is refused with 413 before anything parses it', async () => {
    const declared = await rawRequest({
      port,
      head: post(loginLinks, [`Content-Length: ${6 * MiB}`]),
      body: emptyObjectsArray(6 * MiB),
    });
    assertJsonError(declared, 413, 'payload_too_large');
    const streamed = await rawRequest({
      port,
      head: post(loginLinks, ['Transfer-Encoding: chunked']),
      body: chunked(emptyObjectsArray(6 * MiB, 4096)),
    });
    assertJsonError(streamed, 413, 'payload_too_large');
  });

  test("JSON nested 100,000 deep is refused: 413 on the Portal API, 400 within the Server API's 1 MiB", async () => {
    const deep = nestedArrays(100_000);
    assertJsonError(
      await rawRequest({ port, head: post(loginLinks, [`Content-Length: ${deep.length}`]), body: [deep] }),
      413,
      'payload_too_large',
    );
    const deepOrder = await rawRequest({
      port,
      head: post('/api/orders', [`Authorization: Basic ${credentials}`, `Content-Length: ${deep.length}`]),
      body: [deep],
    });
    assertJsonError(deepOrder, 400, 'invalid_json');
    const deepLink = nestedArrays(1000);
    assertJsonError(
      await rawRequest({ port, head: post(loginLinks, [`Content-Length: ${deepLink.length}`]), body: [deepLink] }),
      400,
      'invalid_json',
    );
  });

  test('a 1 MB query string gets 431 from the HTTP parser, a URL over 8 kB 414 from the app, both as JSON', async () => {
    const huge = await rawRequest({
      port,
      head: `GET /portal/demo/config?q=${'a'.repeat(MiB)} HTTP/1.1\r\nHost: 127.0.0.1`,
    });
    assertJsonError(huge, 431, 'headers_too_large');
    const long = await rawRequest({
      port,
      head: `GET /api/accounts?customUserId=${'a'.repeat(10_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic ${credentials}`,
    });
    assertJsonError(long, 414, 'uri_too_long');
  });

  test('200 clients that trickle their bodies are answered 408 and disconnected when the request timeout passes', async () => {
    const started = performance.now();
    // 10 bytes of a 10,000-byte body every 250 ms: 250 s for the whole body.
    const slow = await Promise.all(
      Array.from({ length: 200 }, () =>
        rawRequest({
          port,
          head: post(loginLinks, ['Content-Length: 10000']),
          body: Array.from({ length: 1000 }, () => Buffer.from(' '.repeat(10))),
          delayMs: 250,
          timeoutMs: 20_000,
        }),
      ),
    );
    const tookSeconds = (performance.now() - started) / 1000;
    for (const response of slow) assertJsonError(response, 408, 'request_timeout');
    // Their bodies would take 250 s; a busy machine may add a few seconds to the timeout.
    assert.ok(tookSeconds < REQUEST_TIMEOUT_SECONDS + 10, `the slow clients were held for ${tookSeconds.toFixed(1)} s`);
  });

  test('the server answered /health throughout, and is up and working afterwards', async () => {
    const { misses, slowestMs, answered } = await health.stop();
    assert.deepEqual(misses, [], `/health missed while under attack:\n${server.output()}`);
    assert.ok(answered > 10, `/health answered ${answered} times`);
    assert.ok(slowestMs < 3_000, `/health took up to ${slowestMs.toFixed(0)} ms`);

    assert.equal(server.process.exitCode, null, server.output());
    assert.equal(server.process.signalCode, null, server.output());
    const afterwards = await fetch(`${server.url}/health`);
    assert.equal(afterwards.status, 200);
    const signIn = await fetch(`${server.url}${loginLinks}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ada@example.com' }),
    });
    assert.equal(signIn.status, 202);
  });
});
