import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { loginLinkRequests } from '../../server/db/schema';
import { createDeps } from '../../server/deps';
import { clearExpiredEmailBodies } from '../../server/email/outbox';
import { DAY, FakeClock, HOUR, SECOND } from '../../server/lib/clock';
import { silentLogger } from '../../server/lib/logger';
import {
  createLoginLinkWorker,
  LOGIN_LINK_MAX_ATTEMPTS,
  LOGIN_LINK_RETRY_SCHEDULE_MS,
} from '../../server/services/sign-in';
import { createTestContext, json, openAgain, reopenable, type TestContext } from '../helpers/app';
import { allEmails, latestEmail, linkIn, portal, runLoginLinkWorker, setSetting, tokenIn } from '../helpers/portal';
import { closeDatabase, failInserts } from '../helpers/engine-sql';

let t: TestContext;
beforeEach(async () => {
  t = await createTestContext({ config: { trustProxy: true } });
  assert.equal(
    (await t.api('POST', '/api/accounts', { email: 'ada@example.com', firstName: 'Ada', language: 'de' })).status,
    201,
  );
});

describe('POST /portal/{store}/login-links', () => {
  test('answers 202 with the same body whether or not the account exists', async () => {
    const known = await portal(t, 'POST', '/login-links', { email: 'Ada@Example.com' });
    const unknown = await portal(t, 'POST', '/login-links', { email: 'nobody@example.com' });
    assert.equal(known.status, 202);
    assert.equal(unknown.status, 202);
    assert.equal(await known.text(), await unknown.text());
    assert.equal(await runLoginLinkWorker(t), 2);
    assert.equal((await allEmails(t)).length, 1, 'only the known address gets an email');
    assert.equal((await allEmails(t))[0].toAddress, 'ada@example.com');
  });

  test("emails a link to the hosted page built from PUBLIC_BASE_URL, in the account's language", async () => {
    const response = await portal(
      t,
      'POST',
      '/login-links',
      { email: 'ada@example.com' },
      { headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example' } },
    );
    assert.equal(response.status, 202);
    await runLoginLinkWorker(t);
    const email = (await latestEmail(t, 'ada@example.com', 'login_link'))!;
    const link = linkIn(email.textBody);
    assert.equal(`${link.origin}${link.pathname}`, 'https://portal.test/account/shop');
    assert.match(link.searchParams.get('portal_token')!, /^pt_[A-Za-z0-9_-]{43}$/);
    assert.ok(email.htmlBody!.includes(link.toString().replaceAll('&', '&#38;')));
    assert.ok(!email.htmlBody!.includes('evil.example'));
    assert.equal(email.language, 'de');
    assert.match(email.subject, /Anmeldelink/);
    assert.ok(linkIn(email.textBody, 'portal_manage'), 'the login email carries the management URL too');
  });

  test("uses the store's portal URL when it has one", async () => {
    await setSetting(t, 'portalUrl', 'https://shop.example/account?tab=1');
    assert.equal((await portal(t, 'POST', '/login-links', { email: 'ada@example.com' })).status, 202);
    await runLoginLinkWorker(t);
    const link = linkIn((await latestEmail(t, 'ada@example.com'))!.textBody);
    assert.equal(link.origin + link.pathname, 'https://shop.example/account');
    assert.equal(link.searchParams.get('tab'), '1');
  });

  test("returnTo puts the portal route into the link's fragment", async () => {
    assert.equal(
      (await portal(t, 'POST', '/login-links', { email: 'ada@example.com', returnTo: '/orders/ord_abc123' })).status,
      202,
    );
    await runLoginLinkWorker(t);
    const link = linkIn((await latestEmail(t, 'ada@example.com'))!.textBody);
    assert.equal(link.hash, '#/orders/ord_abc123');
    assert.ok(link.searchParams.get('portal_token'));
    t.clock.advance(61 * SECOND);
    const bad = await portal(t, 'POST', '/login-links', { email: 'ada@example.com', returnTo: 'https://evil.example' });
    assert.equal(bad.status, 422);
  });

  test('a new request makes the earlier unused link invalid', async () => {
    assert.equal((await portal(t, 'POST', '/login-links', { email: 'ada@example.com' })).status, 202);
    await runLoginLinkWorker(t);
    const first = tokenIn((await latestEmail(t, 'ada@example.com'))!.textBody);
    t.clock.advance(61 * SECOND);
    assert.equal((await portal(t, 'POST', '/login-links', { email: 'ada@example.com' })).status, 202);
    await runLoginLinkWorker(t);
    const second = tokenIn((await latestEmail(t, 'ada@example.com'))!.textBody);
    assert.notEqual(first, second);
    const old = await portal(t, 'POST', '/sessions', { token: first });
    assert.equal(old.status, 410);
    assert.equal((await json(old)).error.code, 'token_superseded');
    assert.equal((await portal(t, 'POST', '/sessions', { token: second })).status, 201);
  });

  test("the email's bodies are kept until its longest-lived link expires, then cleared", async () => {
    const sent = t.clock.now().getTime();
    assert.equal((await portal(t, 'POST', '/login-links', { email: 'ada@example.com' })).status, 202);
    await runLoginLinkWorker(t);
    const email = (await latestEmail(t, 'ada@example.com', 'login_link'))!;
    // The management URL (65 days) outlives the login link (24 hours).
    assert.equal(email.bodyExpiresAt?.getTime(), sent + 65 * DAY);
    t.clock.set(sent + 65 * DAY - 1);
    assert.equal(await clearExpiredEmailBodies(t.db, t.clock.now()), 0);
    assert.ok((await latestEmail(t, 'ada@example.com', 'login_link'))!.textBody);
    t.clock.set(sent + 65 * DAY);
    assert.equal(await clearExpiredEmailBodies(t.db, t.clock.now()), 1);
    const cleared = (await latestEmail(t, 'ada@example.com', 'login_link'))!;
    assert.deepEqual([cleared.textBody, cleared.htmlBody, cleared.subject], [null, null, email.subject]);

    await setSetting(t, 'managementUrlTtlDays', '1');
    await setSetting(t, 'loginLinkTtlSeconds', String(7 * 86_400));
    assert.equal((await portal(t, 'POST', '/login-links', { email: 'ada@example.com' })).status, 202);
    await runLoginLinkWorker(t);
    assert.equal(
      (await latestEmail(t, 'ada@example.com', 'login_link'))!.bodyExpiresAt?.getTime(),
      t.clock.now().getTime() + 7 * DAY,
      'a login link that outlives the management URL sets the time',
    );
  });

  test('refuses a missing or malformed email', async () => {
    assert.equal((await portal(t, 'POST', '/login-links', { email: 'nope' })).status, 422);
    assert.equal((await portal(t, 'POST', '/login-links', {})).status, 422);
    assert.equal((await portal(t, 'POST', '/login-links', { email: 'a@example.com', extra: 1 })).status, 422);
    const unknownStore = await t.app.request('/portal/nostore/login-links', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'a@example.com' }),
    });
    assert.equal(unknownStore.status, 404);
  });
});

describe('the login-link worker', () => {
  test('the email goes out once the worker has answered the request; an unknown address gets none', async () => {
    assert.equal((await portal(t, 'POST', '/login-links', { email: 'ada@example.com' })).status, 202);
    assert.equal((await portal(t, 'POST', '/login-links', { email: 'nobody@example.com' })).status, 202);
    assert.equal((await allEmails(t)).length, 0, 'the request itself only queues it');
    assert.equal((await t.db.select().from(loginLinkRequests)).length, 2);
    assert.equal(await runLoginLinkWorker(t), 2);
    assert.deepEqual(
      (await allEmails(t)).map((e) => [e.toAddress, e.kind]),
      [['ada@example.com', 'login_link']],
    );
    assert.equal(
      (await t.db.select().from(loginLinkRequests)).length,
      0,
      'answered requests are deleted, addresses and all',
    );
    assert.equal(await runLoginLinkWorker(t), 0);
    assert.equal((await allEmails(t)).length, 1, 'nothing is sent twice');
  });

  test('a known and an unknown address do the same database work in the request, none of it reading accounts', async () => {
    const statements: string[] = [];
    t = await createTestContext({ config: { trustProxy: true }, trace: (sql) => statements.push(sql) });
    assert.equal((await t.api('POST', '/api/accounts', { email: 'ada@example.com', firstName: 'Ada' })).status, 201);
    // Values (addresses, ids, times) differ from request to request; the statements must not.
    const shape = (sql: string) => sql.replace(/'(?:[^']|'')*'/g, '?').replace(/\b\d+(?:\.\d+)?\b/g, '?');
    const work = async (email: string, ip: string) => {
      statements.length = 0;
      const response = await portal(t, 'POST', '/login-links', { email }, { headers: { 'x-forwarded-for': ip } });
      assert.equal(response.status, 202);
      return statements.map(shape);
    };
    await work('warm@example.com', '198.51.100.1');
    const known = await work('ada@example.com', '198.51.100.2');
    const unknown = await work('nobody@example.com', '198.51.100.3');
    assert.ok(known.length > 0);
    assert.deepEqual(known, unknown);
    assert.deepEqual(
      known.filter((sql) => /\baccounts\b/.test(sql)),
      [],
      'the request never reads accounts',
    );
  });

  test('a queued request survives a restart and is answered by the next process', async (context) => {
    const before = await createTestContext(reopenable(context));
    assert.equal(
      (await before.api('POST', '/api/accounts', { email: 'ada@example.com', firstName: 'Ada' })).status,
      201,
    );
    assert.equal((await portal(before, 'POST', '/login-links', { email: 'ada@example.com' })).status, 202);
    await closeDatabase(before.db);

    const db = await openAgain(before.db);
    context.after(() => closeDatabase(db));
    const deps = createDeps({
      db,
      clock: new FakeClock(before.clock.now()),
      logger: silentLogger,
      config: before.deps.config,
    });
    assert.equal(await createLoginLinkWorker(deps).runOnce(), 1);
    const after = { ...before, db, deps } as TestContext;
    const email = await latestEmail(after, 'ada@example.com', 'login_link');
    assert.ok(email, 'the email was queued after the restart');
    assert.ok(tokenIn(email.textBody));
  });

  test('a request that fails is tried again after the backoff, and given up after the last attempt', async () => {
    const worker = createLoginLinkWorker(t.deps, { random: () => 0.5 });
    // Issuing the link fails while this trigger exists, as a full disk or a bug would.
    let stopFailing = await failInserts(t.db, 'portal_tokens', 'disk full');
    assert.equal((await portal(t, 'POST', '/login-links', { email: 'ada@example.com' })).status, 202);
    assert.equal(await worker.runOnce(), 1);
    const [row] = await t.db.select().from(loginLinkRequests);
    assert.equal(row.attempts, 1);
    assert.deepEqual(row.nextAttemptAt, new Date(t.clock.now().getTime() + LOGIN_LINK_RETRY_SCHEDULE_MS[0]));
    assert.equal((await allEmails(t)).length, 0, 'nothing half-done: the failed attempt rolled back');
    t.clock.advance(LOGIN_LINK_RETRY_SCHEDULE_MS[0] - 1);
    assert.equal(await worker.runOnce(), 0, 'not before the backoff');
    await stopFailing();
    t.clock.advance(1);
    assert.equal(await worker.runOnce(), 1);
    assert.equal((await allEmails(t)).length, 1, 'the second attempt sent it');

    stopFailing = await failInserts(t.db, 'portal_tokens', 'disk full');
    t.clock.advance(61 * SECOND);
    assert.equal((await portal(t, 'POST', '/login-links', { email: 'ada@example.com' })).status, 202);
    for (let attempt = 1; attempt <= LOGIN_LINK_MAX_ATTEMPTS; attempt++) {
      assert.equal(await worker.runOnce(), 1, `attempt ${attempt}`);
      t.clock.advance(HOUR);
    }
    assert.equal((await t.db.select().from(loginLinkRequests)).length, 0, 'given up after the last attempt');
    assert.equal((await allEmails(t)).length, 1);
  });

  test('two workers at once answer each request exactly once', async () => {
    for (let i = 0; i < 6; i++) {
      const email = `person${i}@example.com`;
      assert.equal((await t.api('POST', '/api/accounts', { email })).status, 201);
      assert.equal((await portal(t, 'POST', '/login-links', { email })).status, 202);
    }
    const [a, b] = [createLoginLinkWorker(t.deps, { batchSize: 4 }), createLoginLinkWorker(t.deps, { batchSize: 4 })];
    const handled = await Promise.all([a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce()]);
    assert.equal(
      handled.reduce((sum, n) => sum + n, 0),
      6,
    );
    assert.equal((await allEmails(t)).length, 6);
    assert.equal(new Set((await allEmails(t)).map((e) => e.toAddress)).size, 6);
  });
});

describe('login-link rate limits', () => {
  const ask = (email: string, ip = '203.0.113.1') =>
    portal(t, 'POST', '/login-links', { email }, { headers: { 'x-forwarded-for': ip } });

  test('one per email per 60 s, with Retry-After, known and unknown alike', async () => {
    for (const email of ['ada@example.com', 'nobody@example.com']) {
      assert.equal((await ask(email)).status, 202);
      t.clock.advance(20 * SECOND);
      const limited = await ask(email);
      assert.equal(limited.status, 429, email);
      assert.equal(limited.headers.get('retry-after'), '40');
      assert.equal((await json(limited)).error.code, 'login_link_recently_sent');
      t.clock.advance(40 * SECOND);
      assert.equal((await ask(email)).status, 202);
      t.clock.set('2026-01-15T12:00:00Z');
    }
  });

  test('five per email per hour', async () => {
    for (let i = 0; i < 5; i++) {
      assert.equal((await ask('nobody@example.com', `198.51.100.${i}`)).status, 202);
      t.clock.advance(61 * SECOND);
    }
    const sixth = await ask('nobody@example.com', '198.51.100.9');
    assert.equal(sixth.status, 429);
    assert.ok(Number(sixth.headers.get('retry-after')) > 60 * 50);
    t.clock.advance(HOUR);
    assert.equal((await ask('nobody@example.com')).status, 202);
  });

  test("300 per IP address per hour (a large office or a carrier's gateway shares one), with their own code", async () => {
    for (let i = 0; i < 300; i++) assert.equal((await ask(`person${i}@example.com`)).status, 202);
    const limited = await ask('person300@example.com');
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    assert.equal((await json(limited)).error.code, 'too_many_login_links_from_network');
    assert.equal((await ask('person300@example.com', '203.0.113.2')).status, 202, 'another address is not limited');
  });
});
