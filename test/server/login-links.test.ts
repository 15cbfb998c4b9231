import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { DAY, HOUR, SECOND } from '../../server/lib/clock';
import { clearExpiredEmailBodies } from '../../server/email/outbox';
import { createTestContext, json, type TestContext } from '../helpers/app';
import { allEmails, latestEmail, linkIn, portal, setSetting, tokenIn } from '../helpers/portal';

let t: TestContext;
beforeEach(async () => {
  t = createTestContext({ config: { trustProxy: true } });
  await t.api('POST', '/api/accounts', { email: 'ada@example.com', firstName: 'Ada', language: 'de' });
});

describe('POST /portal/{store}/login-links', () => {
  test('answers 202 with the same body whether or not the account exists', async () => {
    const known = await portal(t, 'POST', '/login-links', { email: 'Ada@Example.com' });
    const unknown = await portal(t, 'POST', '/login-links', { email: 'nobody@example.com' });
    assert.equal(known.status, 202);
    assert.equal(unknown.status, 202);
    assert.equal(await known.text(), await unknown.text());
    assert.equal(allEmails(t).length, 1, 'only the known address gets an email');
    assert.equal(allEmails(t)[0].toAddress, 'ada@example.com');
  });

  test('emails a link to the hosted page built from PUBLIC_BASE_URL, in the account\'s language', async () => {
    await portal(t, 'POST', '/login-links', { email: 'ada@example.com' }, { headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example' } });
    const email = latestEmail(t, 'ada@example.com', 'login_link')!;
    const link = linkIn(email.textBody);
    assert.equal(`${link.origin}${link.pathname}`, 'https://portal.test/account/shop');
    assert.match(link.searchParams.get('portal_token')!, /^pt_[A-Za-z0-9_-]{43}$/);
    assert.ok(email.htmlBody!.includes(link.toString().replaceAll('&', '&#38;')));
    assert.ok(!email.htmlBody!.includes('evil.example'));
    assert.equal(email.language, 'de');
    assert.match(email.subject, /Anmeldelink/);
    assert.ok(linkIn(email.textBody, 'portal_manage'), 'the login email carries the management URL too');
  });

  test('uses the store\'s portal URL when it has one', async () => {
    setSetting(t, 'portalUrl', 'https://shop.example/account?tab=1');
    await portal(t, 'POST', '/login-links', { email: 'ada@example.com' });
    const link = linkIn(latestEmail(t, 'ada@example.com')!.textBody);
    assert.equal(link.origin + link.pathname, 'https://shop.example/account');
    assert.equal(link.searchParams.get('tab'), '1');
  });

  test('returnTo puts the portal route into the link\'s fragment', async () => {
    await portal(t, 'POST', '/login-links', { email: 'ada@example.com', returnTo: '/orders/ord_abc123' });
    const link = linkIn(latestEmail(t, 'ada@example.com')!.textBody);
    assert.equal(link.hash, '#/orders/ord_abc123');
    assert.ok(link.searchParams.get('portal_token'));
    t.clock.advance(61 * SECOND);
    const bad = await portal(t, 'POST', '/login-links', { email: 'ada@example.com', returnTo: 'https://evil.example' });
    assert.equal(bad.status, 422);
  });

  test('a new request makes the earlier unused link invalid', async () => {
    await portal(t, 'POST', '/login-links', { email: 'ada@example.com' });
    const first = tokenIn(latestEmail(t, 'ada@example.com')!.textBody);
    t.clock.advance(61 * SECOND);
    await portal(t, 'POST', '/login-links', { email: 'ada@example.com' });
    const second = tokenIn(latestEmail(t, 'ada@example.com')!.textBody);
    assert.notEqual(first, second);
    const old = await portal(t, 'POST', '/sessions', { token: first });
    assert.equal(old.status, 410);
    assert.equal((await json(old)).error.code, 'token_superseded');
    assert.equal((await portal(t, 'POST', '/sessions', { token: second })).status, 201);
  });

  test('the email\'s bodies are kept until its longest-lived link expires, then cleared', async () => {
    const sent = t.clock.now().getTime();
    await portal(t, 'POST', '/login-links', { email: 'ada@example.com' });
    const email = latestEmail(t, 'ada@example.com', 'login_link')!;
    // The management URL (65 days) outlives the login link (24 hours).
    assert.equal(email.bodyExpiresAt?.getTime(), sent + 65 * DAY);
    t.clock.set(sent + 65 * DAY - 1);
    assert.equal(clearExpiredEmailBodies(t.db, t.clock.now()), 0);
    assert.ok(latestEmail(t, 'ada@example.com', 'login_link')!.textBody);
    t.clock.set(sent + 65 * DAY);
    assert.equal(clearExpiredEmailBodies(t.db, t.clock.now()), 1);
    const cleared = latestEmail(t, 'ada@example.com', 'login_link')!;
    assert.deepEqual([cleared.textBody, cleared.htmlBody, cleared.subject], [null, null, email.subject]);

    setSetting(t, 'managementUrlTtlDays', '1');
    setSetting(t, 'loginLinkTtlSeconds', String(7 * 86_400));
    await portal(t, 'POST', '/login-links', { email: 'ada@example.com' });
    assert.equal(latestEmail(t, 'ada@example.com', 'login_link')!.bodyExpiresAt?.getTime(), t.clock.now().getTime() + 7 * DAY,
      'a login link that outlives the management URL sets the time');
  });

  test('refuses a missing or malformed email', async () => {
    assert.equal((await portal(t, 'POST', '/login-links', { email: 'nope' })).status, 422);
    assert.equal((await portal(t, 'POST', '/login-links', {})).status, 422);
    assert.equal((await portal(t, 'POST', '/login-links', { email: 'a@example.com', extra: 1 })).status, 422);
    const unknownStore = await t.app.request('/portal/nostore/login-links', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'a@example.com' }),
    });
    assert.equal(unknownStore.status, 404);
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

  test('300 per IP address per hour (a large office or a carrier\'s gateway shares one), with their own code', async () => {
    for (let i = 0; i < 300; i++) assert.equal((await ask(`person${i}@example.com`)).status, 202);
    const limited = await ask('person300@example.com');
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    assert.equal((await json(limited)).error.code, 'too_many_login_links_from_network');
    assert.equal((await ask('person300@example.com', '203.0.113.2')).status, 202, 'another address is not limited');
  });
});
