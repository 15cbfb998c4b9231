/**
 * `npm run bench:portal`: the Portal API under load, against a bare Hono hello world
 * measured in the same run. Authenticated `GET /portal/{store}/me` (throughput and
 * p99, target ≥ 0.40× hello world) and `POST /portal/{store}/login-links` (p99,
 * target ≤ 10 ms: the email itself is sent later by the worker), and 200 login-link
 * requests alternating an address with an account and one without (their medians,
 * target: less than 10 % apart, so timing does not tell which emails have accounts).
 * The login-link request's floor (bench/lib/floor-writes: its statements as raw prepared
 * better-sqlite3 in one immediate transaction, on node:http, checkpointed as the server
 * is) is measured in the same run, and its p99 printed beside the portal's.
 * Each server runs in its own process; exits 0 whenever it could measure.
 *
 * The login-link worker does not run during the load (its work is not on the request's
 * path); afterwards it answers up to 2,000 of the queued requests and its rate is
 * printed. BENCH_LOGIN_LINK_WORKER=1 runs it inside the portal server during the load
 * instead, as in production, where it shares the process with the requests.
 *
 * Environment: BENCH_ACCOUNTS (20000), BENCH_DURATION (10), BENCH_WARMUP (3), BENCH_CONNECTIONS (10),
 * BENCH_PROFILE=1 (CPU-profile the portal server and print where its time goes), BENCH_LOGIN_LINK_WORKER=1.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../server/db/client';
import { systemClock } from '../server/lib/clock';
import { mapInOrder } from '../server/lib/in-order';
import { insertAccount } from '../server/services/accounts';
import { startSession } from '../server/services/sign-in';
import { createStore } from '../server/services/stores';
import { printProfile } from './lib/cpu-profile';
import { envFlag, envNumber } from './lib/env';
import { cycle, measure, type Measurement } from './lib/measure';
import { timeKnownAndUnknown, type KnownUnknownTiming } from './lib/known-unknown';
import { drainLoginLinks, type DrainMeasurement } from './lib/login-link-drain';
import { fmt, isClean, measurementTable, targetTable } from './lib/report';
import { expectOk, withServer } from './lib/run';
import type { ServerProcess } from './lib/server-process';

const config = {
  accounts: envNumber('BENCH_ACCOUNTS', 20_000),
  durationSeconds: envNumber('BENCH_DURATION', 10),
  warmupSeconds: envNumber('BENCH_WARMUP', 3),
  connections: envNumber('BENCH_CONNECTIONS', 10),
  profile: envFlag('BENCH_PROFILE'),
  workerInServer: envFlag('BENCH_LOGIN_LINK_WORKER'),
};
const targets = { meRatio: 0.4, loginLinkP99Ms: 10, knownUnknownPercent: 10 };
/** Accounts kept apart for the known-versus-unknown comparison (100 pairs and 10 to warm up). */
const PROBE_ACCOUNTS = 110;

/** A store with accounts, and one live session per account (tokens as the widget would hold them). */
async function seed(path: string) {
  const db = openDatabase(path);
  const { store } = await createStore(db, systemClock, { id: 'bench', name: 'Bench Store' });
  const emails: string[] = [];
  const tokens = await db.transaction((tx) =>
    mapInOrder(
      Array.from({ length: config.accounts }, (_, i) => i),
      async (i) => {
        const now = systemClock.now();
        const account = await insertAccount(
          tx,
          store.id,
          { email: `customer${i}@bench.example`, firstName: 'Bench', language: 'en' },
          now,
          'merchant',
        );
        emails.push(account.email);
        return (await startSession(tx, store, { accountId: account.id, via: 'login', deviceId: null }, now)).token;
      },
    ),
  );
  const probeEmails = await db.transaction((tx) =>
    mapInOrder(
      Array.from({ length: PROBE_ACCOUNTS }, (_, i) => i),
      async (i) =>
        (
          await insertAccount(
            tx,
            store.id,
            { email: `probe${i}@bench.example`, firstName: 'Probe', language: 'en' },
            systemClock.now(),
            'merchant',
          )
        ).email,
    ),
  );
  db.$client.close();
  return { tokens, emails, probeEmails };
}

async function measurePortal(server: ServerProcess, data: Awaited<ReturnType<typeof seed>>) {
  const load = {
    url: server.url,
    server,
    connections: config.connections,
    durationSeconds: config.durationSeconds,
    warmupSeconds: config.warmupSeconds,
  };
  await expectOk(
    `${server.url}/portal/bench/me`,
    { headers: { authorization: `Bearer ${data.tokens[0]}` } },
    (body, status) => status === 200 && JSON.parse(body).email === data.emails[0],
  );
  const nextToken = cycle(data.tokens, (token) => token);
  const me = await measure({
    ...load,
    name: 'GET /portal/{store}/me',
    path: () => '/portal/bench/me',
    request: () => ({ headers: { authorization: `Bearer ${nextToken()}` } }),
  });
  const knownUnknown = await timeKnownAndUnknown(server.url, data.probeEmails);
  const loginLinks = await measureLoginLinks(server, data, '');
  return { me, loginLinks, knownUnknown };
}

/**
 * Every login-link request comes from its own address and asks for a different address, so
 * the limits (one link per email a minute, 300 per IP an hour) let each one do the whole
 * job: the known accounts first, then addresses without one (the request does the same
 * work for both). Numbered across servers, so the floor's requests are new ones too.
 */
let requested = 0;
const loginLink = (emails: string[]) => () => {
  const n = ++requested;
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
    },
    body: JSON.stringify({ email: n < emails.length ? emails[n] : `load${n}@nobody.bench.example` }),
  };
};

/** One client at a time shows the latency of the request itself; ten show it under saturation. */
async function measureLoginLinks(server: ServerProcess, data: Awaited<ReturnType<typeof seed>>, label: string) {
  const load = {
    url: server.url,
    server,
    durationSeconds: config.durationSeconds,
    warmupSeconds: 0,
    path: () => '/portal/bench/login-links',
    request: loginLink(data.emails),
  };
  const single = await measure({ ...load, connections: 1, name: `${label}POST login-links (1 connection)` });
  const loaded = await measure({
    ...load,
    connections: config.connections,
    name: `${label}POST login-links (${config.connections} connections)`,
  });
  return { single, loaded };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'portal-bench-'));
  try {
    const path = join(dir, 'portal.db');
    console.log(`Seeding ${fmt.int(config.accounts)} accounts with a session each…`);
    const data = await seed(path);
    const hello = await withServer(new URL('./servers/hello.ts', import.meta.url), [], (server) =>
      measure({
        url: server.url,
        server,
        connections: config.connections,
        durationSeconds: config.durationSeconds,
        warmupSeconds: config.warmupSeconds,
        name: 'GET / (hello world)',
        path: () => '/',
      }),
    );
    const profileDir = join(dir, 'profile');
    const portal = await withServer(
      new URL('./servers/api.ts', import.meta.url),
      [path],
      (server) => measurePortal(server, data),
      {
        env: { BENCH_TRUST_PROXY: '1', BENCH_LOGIN_LINK_WORKER: config.workerInServer ? '1' : '0' },
        nodeFlags: config.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
      },
    );
    // The same write with nothing but its statements (bench/lib/floor-writes), in the same run.
    const floor = await withServer(new URL('./servers/floor.ts', import.meta.url), [path], (server) =>
      measureLoginLinks(server, data, 'floor: '),
    );
    const drain = await drainLoginLinks(path, 2_000);
    report(
      hello.result,
      portal.result.me,
      portal.result.loginLinks,
      floor.result,
      portal.stats.peakRss,
      requested,
      data.emails.length,
      portal.result.knownUnknown,
      drain,
    );
    if (config.profile) printProfile(join(profileDir, readdirSync(profileDir)[0]), 30);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(
  hello: Measurement,
  me: Measurement,
  loginLinks: { single: Measurement; loaded: Measurement },
  floorLinks: { single: Measurement; loaded: Measurement },
  peakRss: number,
  requested: number,
  emails: number,
  knownUnknown: KnownUnknownTiming,
  drain: DrainMeasurement,
) {
  console.log(
    `\nAccount Portal: Portal API benchmark (Node ${process.version}, 127.0.0.1, ${config.connections} connections, ` +
      `${config.durationSeconds} s per endpoint)\n`,
  );
  const rows = [hello, me, floorLinks.single, floorLinks.loaded, loginLinks.single, loginLinks.loaded];
  console.log(measurementTable(rows, hello));
  for (const m of rows.filter((m) => !isClean(m))) {
    console.log(
      `! ${m.name}: non-2xx by status ${JSON.stringify(m.non2xx)}, errors ${m.errors}, timeouts ${m.timeouts}`,
    );
  }
  if (requested > emails) {
    console.log(
      `${fmt.int(requested)} login-link requests for ${fmt.int(emails)} accounts: the last ${fmt.int(requested - emails)} ` +
        'asked for addresses without an account.',
    );
  }
  console.log(`Portal server peak RSS ${fmt.mb(peakRss)}`);
  console.log(
    `login-links one at a time, ${knownUnknown.pairs} known / ${knownUnknown.pairs} unknown alternating: median ` +
      `${fmt.ms(knownUnknown.knownMedianMs)} ms known, ${fmt.ms(knownUnknown.unknownMedianMs)} ms unknown`,
  );
  console.log(
    config.workerInServer
      ? 'login-link worker: ran inside the portal server during the load (as in production).'
      : "login-link worker: not running during the load; its work is off the request's path.",
  );
  if (drain.answered > 0) {
    console.log(
      `login-link worker afterwards: ${fmt.int(drain.answered)} of ${fmt.int(drain.pending)} queued requests answered in ` +
        `${fmt.seconds(drain.seconds)} (${fmt.int(drain.answered / drain.seconds)}/s, ${fmt.ms((drain.seconds * 1000) / drain.answered)} ms each)`,
    );
  }
  console.log('');
  const ratio = me.requestsPerSecond / hello.requestsPerSecond;
  console.log(
    targetTable([
      {
        target: `GET /me ≥ ${targets.meRatio}× hello world`,
        measured: fmt.ratio(ratio),
        pass: isClean(me) ? ratio >= targets.meRatio : undefined,
      },
      ...[
        [loginLinks.single, floorLinks.single],
        [loginLinks.loaded, floorLinks.loaded],
      ].map(([m, floor]) => ({
        target: `${m.name}: p99 ≤ ${targets.loginLinkP99Ms} ms`,
        measured: `${fmt.ms(m.p99Ms)} ms (floor ${fmt.ms(floor.p99Ms)} ms)`,
        pass: isClean(m) ? m.p99Ms <= targets.loginLinkP99Ms : undefined,
      })),
      {
        target: `login-links known vs unknown: medians < ${targets.knownUnknownPercent} % apart`,
        measured: `${knownUnknown.differencePercent.toFixed(1)} %`,
        pass: knownUnknown.differencePercent < targets.knownUnknownPercent,
      },
    ]),
  );
  console.log('\nPASS/FAIL compare the figures with the targets of issue 3; the run exits 0 either way.');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
