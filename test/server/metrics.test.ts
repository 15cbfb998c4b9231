import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import { readEnv } from '../../server/env';
import { SECOND } from '../../server/lib/clock';
import { createMetrics } from '../../server/lib/metrics';
import { GatewayUnavailableError } from '../../server/payments/gateway';
import { runRenewals } from '../../server/services/billing/renewals/run';
import { createTestContext, json } from '../helpers/app';
import { oneTimeOrder } from '../helpers/fixtures';
import { metricsText, parseSamples, scrape, valueOf } from '../helpers/metrics';
import { portal } from '../helpers/portal';
import { startSubscription, withCatalog } from '../helpers/renewals';
import { overrideGateway } from '../helpers/subscriptions';

const TOKEN = 'metrics-token-0123456789abcdef0123456789';

describe('GET /metrics: HTTP requests', () => {
  test('counts requests by method, route pattern and status, and times them in a histogram', async () => {
    const t = await createTestContext();
    assert.equal((await t.app.request('/health')).status, 200);
    assert.equal((await t.app.request('/health')).status, 200);
    assert.equal((await t.api('GET', '/api/accounts/acc_secretlookingid')).status, 404);
    assert.equal((await t.app.request('/no-such-route/acc_elsewhere')).status, 404);
    const text = await metricsText(t);
    const health = { method: 'GET', route: '/health', status: '200' };
    assert.equal(valueOf(text, 'portal_http_requests_total', health), 2);
    assert.equal(valueOf(text, 'portal_http_request_duration_seconds_count', health), 2);
    assert.equal(valueOf(text, 'portal_http_request_duration_seconds_bucket', { ...health, le: '+Inf' }), 2);
    assert.ok(valueOf(text, 'portal_http_request_duration_seconds_sum', health)! >= 0);
    const lowest = valueOf(text, 'portal_http_request_duration_seconds_bucket', { ...health, le: '0.001' });
    assert.ok(lowest !== undefined && lowest <= 2, 'the buckets are cumulative from 1 ms');
    assert.equal(
      valueOf(text, 'portal_http_requests_total', { method: 'GET', route: '/api/accounts/:accountId', status: '404' }),
      1,
    );
    assert.equal(
      valueOf(text, 'portal_http_requests_total', { method: 'GET', route: '(unmatched)', status: '404' }),
      1,
    );
    assert.doesNotMatch(text, /acc_secretlookingid|acc_elsewhere|no-such-route/, 'never a raw URL as a label');
  });

  test('labels a request a middleware refused with its pattern (the Server API without credentials)', async () => {
    const t = await createTestContext();
    assert.equal((await t.app.request('/api/accounts', { headers: {} })).status, 401);
    const text = await metricsText(t);
    const refused = parseSamples(text).filter(
      (s) => s.name === 'portal_http_requests_total' && s.labels.status === '401',
    );
    assert.deepEqual(
      refused.map((s) => [s.labels.route, s.value]),
      [['/api/*', 1]],
    );
  });

  test('each app counts in its own registry (many apps in one process, no double registration)', async () => {
    const one = await createTestContext();
    const other = await createTestContext();
    await one.app.request('/health');
    assert.equal(valueOf(await metricsText(one), 'portal_http_requests_total', { route: '/health' }), 1);
    assert.equal(valueOf(await metricsText(other), 'portal_http_requests_total', { route: '/health' }), undefined);
  });

  test('answers in the Prometheus text format, never cached', async () => {
    const response = await scrape(await createTestContext());
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.match(await response.text(), /^# HELP portal_http_requests_total /m);
  });
});

describe('GET /metrics: the app mounted in another copy of Hono', () => {
  test("answers as usual and counts the request under the unknown route (the match result is the other copy's)", async () => {
    const t = await createTestContext();
    // Hono's CommonJS build: the ESM app's route helper cannot read the match result it records.
    const { Hono } = createRequire(import.meta.url)('hono') as typeof import('hono');
    const site = new Hono().route('/', t.app);
    const response = await site.request(`/portal/${t.store.id}/config`);
    assert.equal(response.status, 200, await response.clone().text());
    const samples = parseSamples(await metricsText(t));
    assert.ok(
      samples.some((s) => s.name === 'portal_http_requests_total' && s.labels.route === '(unknown)'),
      'counted under (unknown)',
    );
  });
});

describe('the request histogram', () => {
  test('puts a time on a bound into that bucket, counts cumulatively, and a slower one only in +Inf', async () => {
    const metrics = createMetrics();
    for (const seconds of [0.0005, 0.001, 0.0011, 0.3, 12]) metrics.requestServed('POST', '/api/orders', 201, seconds);
    metrics.requestServed('BREW', '/api/orders', 404, 0.002);
    const text = await metrics.registry.metrics();
    const series = { method: 'POST', route: '/api/orders', status: '201' };
    const bucket = (le: string) => valueOf(text, 'portal_http_request_duration_seconds_bucket', { ...series, le });
    assert.deepEqual(['0.001', '0.0025', '0.25', '0.5', '10', '+Inf'].map(bucket), [2, 3, 3, 4, 4, 5]);
    assert.equal(valueOf(text, 'portal_http_request_duration_seconds_count', series), 5);
    assert.ok(Math.abs(valueOf(text, 'portal_http_request_duration_seconds_sum', series)! - 12.3026) < 1e-9);
    assert.equal(valueOf(text, 'portal_http_requests_total', { ...series }), 5);
    assert.equal(valueOf(text, 'portal_http_requests_total', { method: 'OTHER', status: '404' }), 1);
  });
});

describe('GET /metrics: outboxes', () => {
  test('reports the pending emails and webhook deliveries and how long the oldest has waited', async () => {
    const t = await createTestContext();
    let text = await metricsText(t);
    for (const outbox of ['email', 'webhook']) {
      assert.equal(valueOf(text, 'portal_outbox_pending', { outbox }), 0, outbox);
      assert.equal(valueOf(text, 'portal_outbox_oldest_pending_seconds', { outbox }), 0, outbox);
    }
    const endpoint = await t.api('POST', '/api/webhook-endpoints', { url: 'https://hooks.example/portal' });
    assert.equal(endpoint.status, 201);
    assert.equal((await t.api('POST', '/api/orders', oneTimeOrder())).status, 201);
    t.clock.advance(90 * SECOND);
    assert.equal(
      (await t.api('POST', '/api/orders', oneTimeOrder({ customer: { email: 'bob@example.com', country: 'GB' } })))
        .status,
      201,
    );
    t.clock.advance(30 * SECOND);
    text = await metricsText(t);
    for (const outbox of ['email', 'webhook']) {
      assert.ok(valueOf(text, 'portal_outbox_pending', { outbox })! >= 2, `${outbox}: both orders' items wait`);
      assert.equal(valueOf(text, 'portal_outbox_oldest_pending_seconds', { outbox }), 120, outbox);
    }
  });
});

describe('GET /metrics: renewals and charges', () => {
  test('counts a renewal run by result and its charges by kind and outcome (the test gateway)', async () => {
    const t = await withCatalog(await createTestContext());
    await startSubscription(t, { email: 'ada@example.com' });
    await startSubscription(t, { email: 'bob@example.com', behaviour: 'declines_charges' });
    t.clock.set('2026-02-15T12:00:00.000Z');
    const summary = await runRenewals(t.deps);
    assert.deepEqual([summary.renewed, summary.declined], [1, 1]);
    const text = await metricsText(t);
    assert.equal(valueOf(text, 'portal_renewal_results_total', { result: 'renewed' }), 1);
    assert.equal(valueOf(text, 'portal_renewal_results_total', { result: 'declined' }), 1);
    assert.equal(valueOf(text, 'portal_renewal_results_total', { result: 'deactivated' }), 0);
    assert.equal(valueOf(text, 'portal_charges_total', { kind: 'renewal', outcome: 'succeeded' }), 1);
    assert.equal(valueOf(text, 'portal_charges_total', { kind: 'renewal', outcome: 'declined' }), 1);
  });

  test('counts a charge the gateway could not answer as unavailable', async () => {
    const t = await withCatalog(await createTestContext());
    await startSubscription(t);
    overrideGateway(t, () => ({
      charge: async () => {
        throw new GatewayUnavailableError('down');
      },
    }));
    t.clock.set('2026-02-15T12:00:00.000Z');
    assert.equal((await runRenewals(t.deps)).deferred, 1);
    const text = await metricsText(t);
    assert.equal(valueOf(text, 'portal_charges_total', { kind: 'renewal', outcome: 'unavailable' }), 1);
    assert.equal(valueOf(text, 'portal_renewal_results_total', { result: 'deferred' }), 1);
  });
});

describe('GET /metrics: rate limits', () => {
  test('counts a refusal under the name of the limit that refused it', async () => {
    const t = await createTestContext();
    const ask = () => portal(t, 'POST', '/login-links', { email: 'ada@example.com' });
    assert.equal((await ask()).status, 202);
    assert.equal((await ask()).status, 429);
    assert.equal((await ask()).status, 429);
    const text = await metricsText(t);
    assert.equal(valueOf(text, 'portal_rate_limit_hits_total', { limit: 'login_link_email' }), 2);
    assert.doesNotMatch(text, /ada@example\.com/);
  });
});

describe('GET /metrics: protection', () => {
  const refusal = async (response: Response, status: number, code: string) => {
    assert.equal(response.status, status);
    assert.equal((await json(response)).error.code, code);
  };

  test('without METRICS_TOKEN, answers a loopback peer only, and not through a proxy', async () => {
    const t = await createTestContext();
    assert.equal((await scrape(t, {}, '127.0.0.1')).status, 200);
    assert.equal((await scrape(t, {}, '::1')).status, 200);
    assert.equal((await scrape(t, {}, '::ffff:127.0.0.1')).status, 200);
    await refusal(await scrape(t, {}, '203.0.113.7'), 403, 'forbidden');
    await refusal(await scrape(t, {}, '10.0.0.2'), 403, 'forbidden');
    await refusal(await scrape(t, { 'x-forwarded-for': '203.0.113.7' }, '127.0.0.1'), 403, 'forbidden');
    await refusal(await scrape(t, { forwarded: 'for=203.0.113.7' }, '127.0.0.1'), 403, 'forbidden');
    // An in-process request has no socket to vouch for it.
    await refusal(await t.app.request('/metrics'), 403, 'forbidden');
  });

  test('with METRICS_TOKEN, asks every caller, loopback too, for the bearer token', async () => {
    const t = await createTestContext({ config: { metricsToken: TOKEN } });
    const missing = await scrape(t, {}, '127.0.0.1');
    assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="metrics"');
    await refusal(missing, 401, 'unauthorized');
    await refusal(await scrape(t, { authorization: `Bearer ${TOKEN}x` }), 401, 'unauthorized');
    await refusal(await scrape(t, { authorization: `Bearer ${TOKEN.slice(0, -1)}` }), 401, 'unauthorized');
    await refusal(await scrape(t, { authorization: t.store.auth }), 401, 'unauthorized');
    const right = await scrape(t, { authorization: `Bearer ${TOKEN}` }, '203.0.113.7');
    assert.equal(right.status, 200);
    assert.match(await right.text(), /portal_http_requests_total/);
  });
});

describe('METRICS_TOKEN', () => {
  test('is read from the environment; unset or empty means loopback only', () => {
    assert.equal(readEnv({}).metricsToken, null);
    assert.equal(readEnv({ METRICS_TOKEN: '' }).metricsToken, null);
    assert.equal(readEnv({ METRICS_TOKEN: TOKEN }).metricsToken, TOKEN);
  });

  test('a short or malformed token stops the start with a message naming it (never the value)', () => {
    for (const value of ['short-token', `${'a'.repeat(40)} b`, `${'a'.repeat(40)}"`]) {
      assert.throws(
        () => readEnv({ METRICS_TOKEN: value }),
        (error: Error) => /METRICS_TOKEN: Use 32–256 letters/.test(error.message) && !error.message.includes(value),
      );
    }
  });
});
