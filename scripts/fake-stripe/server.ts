import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Stripe from 'stripe';
import { parseForm } from './form';
import { createRoutes, publishableRoutes, StripeFail, type FakeRequest } from './routes';
import { fakeId, FakeState, nowSeconds, type FakeEvent } from './state';

export interface FakeStripeOptions {
  port?: number;
  host?: string;
  /** Every answer waits this long, like Stripe's 300–500 ms for an off-session charge. */
  latencyMs?: number;
  /** Requests per second above which the fake answers 429, as Stripe's rate limiter does. */
  rateLimit?: number;
  /** Where events are posted, signed with `secret` the way Stripe signs them. */
  webhook?: { url: string; secret: string };
}

/** The keys the fake accepts by default (any `sk_test_…` / `pk_test_…` works). */
export const FAKE_KEYS = {
  secretKey: 'sk_test_fake',
  publishableKey: 'pk_test_fake',
  webhookSecret: 'whsec_fake',
} as const;

export interface FakeStripe {
  url: string;
  /** `host:port`, for `STRIPE_API_HOST`. */
  apiHost: string;
  port: number;
  state: FakeState;
  /** Every request served: method, path and idempotency key. */
  requests: { method: string; path: string; idempotencyKey: string | null }[];
  /** The next `count` requests fail with `status` (429, 500, 503) before reaching a route; `0` as status drops the connection. */
  failNext(count: number, status: number): void;
  setLatency(ms: number): void;
  /** Delivers events to a webhook endpoint from now on. */
  setWebhook(webhook: FakeStripeOptions['webhook']): void;
  /** Waits until every webhook posted so far has been answered. */
  deliveries(): Promise<void>;
  close(): Promise<void>;
}

const API_VERSION = Stripe.API_VERSION;

let stripeJs: string | undefined;
/** The stand-in for Stripe.js (stripe-js.js beside this module), served at `/v3/`. */
const standInStripeJs = () =>
  (stripeJs ??= readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), 'stripe-js.js'), 'utf8'));

/**
 * A local stand-in for the parts of Stripe's API the portal uses: customers,
 * payment methods, PaymentIntents (with search), SetupIntents, refunds, Stripe's
 * error shapes, idempotent replays by `Idempotency-Key`, the documented test cards
 * (cards.ts), optional latency and rate limiting, and signed webhook events.
 */
export async function startFakeStripe(options: FakeStripeOptions = {}): Promise<FakeStripe> {
  const state = new FakeState();
  const requests: FakeStripe['requests'] = [];
  const replays = new Map<string, { fingerprint: string; status: number; body: string }>();
  const pending = new Set<Promise<unknown>>();
  let latencyMs = options.latencyMs ?? 0;
  let webhook = options.webhook;
  let failures: { count: number; status: number } = { count: 0, status: 500 };
  let windowStart = Date.now();
  let windowCount = 0;

  const emit = (type: string, object: unknown) => {
    const event: FakeEvent = {
      id: fakeId('evt'),
      object: 'event',
      type,
      api_version: API_VERSION,
      created: nowSeconds(),
      livemode: false,
      data: { object: structuredClone(object) },
      pending_webhooks: webhook ? 1 : 0,
      request: { id: null, idempotency_key: null },
    };
    state.events.push(event);
    if (webhook) {
      const payload = JSON.stringify(event);
      const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: webhook.secret });
      const delivery = fetch(webhook.url, {
        method: 'POST',
        body: payload,
        headers: { 'content-type': 'application/json', 'stripe-signature': header },
      })
        .then((response) => response.arrayBuffer())
        .catch(() => undefined);
      pending.add(delivery);
      void delivery.finally(() => pending.delete(delivery));
    }
  };
  const routes = createRoutes(state, emit);
  const table = Object.entries(routes).map(([key, handler]) => {
    const [method, pattern] = key.split(' ');
    const regex = new RegExp(`^${pattern.replace(':id', '([^/]+)')}$`);
    return { key, method, regex, handler: handler as (req: FakeRequest) => unknown };
  });

  const answer = async (req: IncomingMessage, res: ServerResponse, status: number, body: unknown) => {
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    res.writeHead(status, {
      'content-type': 'application/json',
      'request-id': fakeId('req'),
      'stripe-version': API_VERSION,
      'access-control-allow-origin': '*',
    });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-origin': '*',
        'access-control-allow-headers': 'authorization, content-type',
        'access-control-allow-methods': 'GET, POST',
      });
      return res.end();
    }
    const text = await new Promise<string>((resolve) => {
      let data = '';
      req
        .setEncoding('utf8')
        .on('data', (chunk: string) => {
          data += chunk;
        })
        .on('end', () => resolve(data));
    });
    if (req.method === 'GET' && (url.pathname === '/v3' || url.pathname === '/v3/')) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'access-control-allow-origin': '*' });
      return res.end(standInStripeJs());
    }
    const idempotencyKey = (req.headers['idempotency-key'] as string | undefined) ?? null;
    requests.push({ method: req.method ?? 'GET', path: url.pathname, idempotencyKey });
    if (failures.count > 0) {
      failures.count--;
      if (failures.status === 0) return req.socket.destroy();
      return answer(
        req,
        res,
        failures.status,
        failures.status === 429
          ? {
              error: {
                type: 'invalid_request_error',
                code: 'rate_limit',
                message: 'Too many requests hit the API too quickly.',
              },
            }
          : { error: { type: 'api_error', message: 'An unknown error occurred (the fake was told to fail).' } },
      );
    }
    if (options.rateLimit && limited()) {
      return answer(req, res, 429, {
        error: {
          type: 'invalid_request_error',
          code: 'rate_limit',
          message: 'Too many requests hit the API too quickly.',
        },
      });
    }
    const key = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
    const publishable = /^pk_test_\w+$/.test(key);
    if (!publishable && !/^(?:sk|rk)_test_\w+$/.test(key)) {
      return answer(req, res, 401, {
        error: { type: 'invalid_request_error', message: `Invalid API Key provided: ${key.slice(0, 8)}***` },
      });
    }
    const route = table.find((r) => r.method === req.method && r.regex.test(url.pathname));
    if (!route)
      return answer(req, res, 404, {
        error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${url.pathname}).` },
      });
    if (publishable && !publishableRoutes.has(route.key)) {
      return answer(req, res, 401, {
        error: { type: 'invalid_request_error', message: 'This API call cannot be made with a publishable API key.' },
      });
    }
    const fingerprint = `${req.method} ${url.pathname} ${text}`;
    const replay = idempotencyKey ? replays.get(idempotencyKey) : undefined;
    if (replay) {
      if (replay.fingerprint !== fingerprint) {
        return answer(req, res, 400, {
          error: {
            type: 'idempotency_error',
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
          },
        });
      }
      return answer(req, res, replay.status, replay.body);
    }
    const params = parseForm(req.method === 'GET' ? url.searchParams.toString() : text);
    let status = 200;
    let body: string;
    try {
      body = JSON.stringify(
        route.handler({
          params,
          publishable,
          id: route.regex.exec(url.pathname)?.[1] && decodeURIComponent(route.regex.exec(url.pathname)![1]),
        }),
      );
    } catch (error) {
      if (!(error instanceof StripeFail)) throw error;
      status = error.status;
      body = JSON.stringify({ error: error.error });
    }
    if (idempotencyKey && req.method === 'POST') replays.set(idempotencyKey, { fingerprint, status, body });
    return answer(req, res, status, body);
  };

  const limited = () => {
    const now = Date.now();
    if (now - windowStart >= 1000) {
      windowStart = now;
      windowCount = 0;
    }
    return ++windowCount > options.rateLimit!;
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: { type: 'api_error', message: error instanceof Error ? error.message : String(error) },
        }),
      );
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `http://${host}:${port}`,
    apiHost: `${host}:${port}`,
    port,
    state,
    requests,
    failNext: (count, status) => {
      failures = { count, status };
    },
    setLatency: (ms) => {
      latencyMs = ms;
    },
    setWebhook: (next) => {
      webhook = next;
    },
    deliveries: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
