/**
 * `npm run bench:sessions`: 500 customers signed in at once, for 30 s, moving between
 * the widget's tabs (account, orders, subscriptions, payment methods), against the real
 * app in its own process (as `npm start` runs it: 128 MB heap, main.ts's HTTP limits),
 * next to a bare Hono hello world measured in the same run with as many connections.
 * The sessions are real: each was redeemed over HTTP from a pre-authenticated URL the
 * Server API issued. Target: no errors and no non-2xx answer. Exits 0 whenever it could
 * measure.
 *
 * Environment: BENCH_SESSIONS (500; also the number of connections), BENCH_DURATION (30),
 * BENCH_WARMUP (3), BENCH_ACCOUNTS (5000), BENCH_ORDERS (25000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envNumber } from './lib/env';
import { cycle, measure, type Measurement } from './lib/measure';
import { fmt, isClean, measurementTable, targetTable } from './lib/report';
import { expectOk, withServer } from './lib/run';
import type { ServerProcess } from './lib/server-process';
import { seedStore, type SeedResult } from './seed/store';

const config = {
  sessions: envNumber('BENCH_SESSIONS', 500),
  durationSeconds: envNumber('BENCH_DURATION', 30),
  warmupSeconds: envNumber('BENCH_WARMUP', 3),
  accounts: envNumber('BENCH_ACCOUNTS', 5000),
  orders: envNumber('BENCH_ORDERS', 25_000),
};

/** What the widget asks for as a customer goes through its tabs. */
const tabs = ['/me', '/orders?limit=20', '/subscriptions?limit=20', '/payment-methods'];

/**
 * Signs one customer in per sampled account the way a SaaS backend does it: the Server
 * API's pre-authenticated URL, redeemed by the browser. Each redemption comes from an
 * address of its own (the server trusts one proxy hop), as 500 customers' browsers
 * would, so the per-address limit on redemptions does not stop the setup.
 */
async function signIn(server: ServerProcess, seed: SeedResult): Promise<string[]> {
  const auth = `Basic ${Buffer.from(`${seed.credentials.user}:${seed.credentials.password}`).toString('base64')}`;
  return Promise.all(
    seed.sampleAccountIds.slice(0, config.sessions).map(async (accountId, i) => {
      const link = await fetch(`${server.url}/api/accounts/${accountId}/authenticate`, {
        headers: { authorization: auth },
      });
      if (link.status !== 200) throw new Error(`authenticate: ${link.status} ${await link.text()}`);
      const token = new URL(((await link.json()) as { url: string }).url).searchParams.get('portal_token');
      const session = await fetch(`${server.url}/portal/${seed.storeId}/sessions`, {
        method: 'POST',
        body: JSON.stringify({ token }),
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.9.${i >> 8}.${i & 255}` },
      });
      if (session.status !== 201) throw new Error(`sessions: ${session.status} ${await session.text()}`);
      return ((await session.json()) as { token: string }).token;
    }),
  );
}

async function measureSessions(server: ServerProcess, seed: SeedResult) {
  const tokens = await signIn(server, seed);
  await expectOk(
    `${server.url}/portal/${seed.storeId}/orders?limit=20`,
    { headers: { authorization: `Bearer ${tokens[0]}` } },
    (body, status) => status === 200 && Array.isArray(JSON.parse(body).data),
  );
  const nextToken = cycle(tokens, (token) => token);
  const nextTab = cycle(tabs, (tab) => `/portal/${seed.storeId}${tab}`);
  return measure({
    url: server.url,
    server,
    connections: config.sessions,
    durationSeconds: config.durationSeconds,
    warmupSeconds: config.warmupSeconds,
    name: `${tokens.length} sessions, GET me/orders/subscriptions/payment-methods`,
    path: nextTab,
    request: () => ({ headers: { authorization: `Bearer ${nextToken()}` } }),
  });
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'portal-bench-sessions-'));
  try {
    const path = join(dir, 'portal.db');
    console.log(`Seeding ${fmt.int(config.accounts)} accounts and ${fmt.int(config.orders)} orders…`);
    const seed = await seedStore({
      path,
      storeId: 'bench',
      accounts: config.accounts,
      orders: config.orders,
      sampleSize: config.sessions,
    });
    const load = {
      connections: config.sessions,
      durationSeconds: config.durationSeconds,
      warmupSeconds: config.warmupSeconds,
    };
    const hello = await withServer(new URL('./servers/hello.ts', import.meta.url), [], (server) =>
      measure({ ...load, url: server.url, server, name: 'GET / (hello world)', path: () => '/' }),
    );
    const portal = await withServer(
      new URL('./servers/api.ts', import.meta.url),
      [path],
      (server) => measureSessions(server, seed),
      { env: { BENCH_TRUST_PROXY: '1' } },
    );
    report(hello.result, portal.result, portal.stats.peakRss);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(hello: Measurement, sessions: Measurement, peakRss: number) {
  console.log(
    `\nAccount Portal: signed-in sessions benchmark (Node ${process.version}, 127.0.0.1, ` +
      `${config.sessions} connections, ${config.durationSeconds} s each)\n`,
  );
  console.log(measurementTable([hello, sessions], hello));
  for (const m of [hello, sessions].filter((m) => !isClean(m))) {
    console.log(
      `! ${m.name}: non-2xx by status ${JSON.stringify(m.non2xx)}, errors ${m.errors}, timeouts ${m.timeouts}`,
    );
  }
  console.log(`Portal server peak RSS ${fmt.mb(peakRss)}\n`);
  console.log(
    targetTable([
      {
        target: `${config.sessions} concurrent sessions for ${config.durationSeconds} s: 0 errors, 0 non-2xx`,
        measured: `${fmt.int(sessions.errors + sessions.timeouts)} errors, ${fmt.int(sessions.non2xxTotal)} non-2xx of ${fmt.int(sessions.responses)}`,
        pass: isClean(sessions),
      },
      {
        target: 'p50 / p99 latency',
        measured: `${fmt.ms(sessions.p50Ms)} / ${fmt.ms(sessions.p99Ms)} ms`,
        pass: undefined,
      },
      {
        target: 'throughput against hello world',
        measured: fmt.ratio(sessions.requestsPerSecond / hello.requestsPerSecond),
        pass: undefined,
      },
    ]),
  );
  console.log('\nPASS/FAIL compare the figures with the target of issue 10; the run exits 0 either way.');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
