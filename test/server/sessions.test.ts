import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { HOUR, MINUTE, SECOND } from '../../server/lib/clock';
import { recordHits } from '../../server/services/sign-in/rate-limits';
import { purgeExpiredTokens } from '../../server/services/sign-in/tokens';
import { createTestContext, json, type TestContext } from '../helpers/app';
import { latestEmail, portal, runLoginLinkWorker, setSetting, signInByEmail, tokenIn } from '../helpers/portal';

let t: TestContext;
let accountId: string;
beforeEach(async () => {
  t = await createTestContext({ config: { trustProxy: true } });
  accountId = (
    await json(
      await t.api('POST', '/api/accounts', {
        email: 'ada@example.com',
        firstName: 'Ada',
        customUserId: 'merchant-internal-7',
        billingDetails: { country: 'GB', postalCode: 'SW1A 1AA', taxId: 'GB123' },
      }),
    )
  ).id;
});

async function requestToken(email = 'ada@example.com') {
  assert.equal((await portal(t, 'POST', '/login-links', { email })).status, 202);
  await runLoginLinkWorker(t);
  return tokenIn((await latestEmail(t, email, 'login_link'))!.textBody);
}

describe('POST /portal/{store}/sessions', () => {
  test('redeems a login link for a session and marks the email verified', async () => {
    const token = await requestToken();
    const response = await portal(t, 'POST', '/sessions', { token });
    assert.equal(response.status, 201);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    const session = await json(response);
    assert.match(session.token, /^st_[A-Za-z0-9_-]{43}$/);
    assert.equal(session.expiresAt, new Date(t.clock.now().getTime() + 30 * MINUTE).toISOString());
    assert.equal(session.account.id, accountId);
    assert.equal(session.account.emailVerifiedAt, t.clock.now().toISOString());
    assert.equal('customUserId' in session.account, false, "the merchant's own id is not shown to the customer");
    const cookie = response.headers.get('set-cookie')!;
    for (const part of ['ap_device=dv_', 'HttpOnly', 'Secure', 'SameSite=None', 'Partitioned', 'Path=/portal/shop']) {
      assert.ok(cookie.includes(part), `${part} in ${cookie}`);
    }
  });

  test('a token works once', async () => {
    const token = await requestToken();
    assert.equal((await portal(t, 'POST', '/sessions', { token })).status, 201);
    const again = await portal(t, 'POST', '/sessions', { token });
    assert.equal(again.status, 410);
    assert.equal((await json(again)).error.code, 'token_used');
  });

  test('exactly one of 20 parallel redemptions wins', async () => {
    const token = await requestToken();
    const responses = await Promise.all(Array.from({ length: 20 }, () => portal(t, 'POST', '/sessions', { token })));
    const statuses = responses.map((r) => r.status).sort();
    assert.deepEqual(statuses, [201, ...Array(19).fill(410)]);
  });

  test('a GET of the link never consumes the token', async () => {
    const token = await requestToken();
    assert.equal((await t.app.request(`/account/shop?portal_token=${token}`)).status, 200);
    assert.equal((await portal(t, 'GET', `/sessions?token=${token}`)).status, 404);
    assert.equal((await portal(t, 'POST', '/sessions', { token })).status, 201);
  });

  test("a login link expires after 24 h (± 1 s), or the store's setting", async () => {
    const token = await requestToken();
    t.clock.advance(24 * HOUR - SECOND);
    assert.equal((await portal(t, 'POST', '/sessions', { token })).status, 201);

    t.clock.advance(2 * MINUTE);
    const late = await requestToken();
    t.clock.advance(24 * HOUR + SECOND);
    const expired = await portal(t, 'POST', '/sessions', { token: late });
    assert.equal(expired.status, 410);
    assert.equal((await json(expired)).error.code, 'token_expired');

    await setSetting(t, 'loginLinkTtlSeconds', '3600');
    const short = await requestToken();
    t.clock.advance(HOUR + SECOND);
    assert.equal((await portal(t, 'POST', '/sessions', { token: short })).status, 410);
  });

  test('made-up tokens and tokens of another store are rejected alike', async () => {
    const other = await t.addStore('other');
    const token = await requestToken();
    const cross = await portal(t, 'POST', '/sessions', { token }, { store: other });
    const madeUp = await portal(t, 'POST', '/sessions', { token: 'pt_' + 'x'.repeat(43) });
    assert.equal(cross.status, 401);
    assert.equal(madeUp.status, 401);
    assert.deepEqual(await json(cross), await json(madeUp));
    assert.equal((await portal(t, 'POST', '/sessions', { token })).status, 201, 'still valid at its own store');
  });
});

describe('sign-in attempt limits', () => {
  const madeUp = (i: number) => `pt_${String(i).padStart(43, 'x')}`;
  const redeem = (token: string, ip = '203.0.113.5') =>
    portal(t, 'POST', '/sessions', { token }, { headers: { 'x-forwarded-for': ip } });

  test('failed redemptions count against the address: 600 in 10 minutes, then 429 with its own code', async () => {
    await recordHits(t.db, Array(595).fill('redeem-ip:203.0.113.5'), t.clock.now());
    for (let i = 0; i < 5; i++) {
      const failed = await redeem(madeUp(i));
      assert.equal(failed.status, 401);
      assert.equal((await json(failed)).error.code, 'invalid_token');
    }
    const limited = await redeem(madeUp(5));
    assert.equal(limited.status, 429, 'the five failures were counted');
    assert.equal(limited.headers.get('retry-after'), '600');
    const body = await json(limited);
    assert.equal(body.error.code, 'too_many_sign_ins_from_network');
    assert.doesNotMatch(body.error.message, /link was sent/, 'nobody is told a link was sent');
    assert.equal((await redeem(madeUp(6), '203.0.113.6')).status, 401, 'another address is not limited');
    t.clock.advance(10 * MINUTE);
    assert.equal((await redeem(madeUp(7))).status, 401);
  });

  test('one token is tried at most 20 times in 10 minutes, from any address', async () => {
    const token = await requestToken();
    assert.equal((await redeem(token, '198.51.100.0')).status, 201);
    for (let i = 1; i < 20; i++) assert.equal((await redeem(token, `198.51.100.${i}`)).status, 410);
    const limited = await redeem(token, '198.51.100.20');
    assert.equal(limited.status, 429);
    assert.equal((await json(limited)).error.code, 'too_many_link_attempts');
    for (let i = 0; i < 20; i++) assert.equal((await redeem(madeUp(0), `192.0.2.${i}`)).status, 401);
    assert.equal((await redeem(madeUp(0), '192.0.2.20')).status, 429, 'made-up tokens are counted as well');
  });

  test('failed management-URL sign-ins count too', async () => {
    await setSetting(t, 'emailVerificationRequired', 'true');
    const url = new URL((await json(await t.api('GET', `/api/accounts/${accountId}/management-url`))).url);
    const token = url.searchParams.get('portal_manage')!;
    for (let i = 0; i < 20; i++) {
      const refused = await portal(
        t,
        'POST',
        '/sessions/management',
        { token },
        { headers: { 'x-forwarded-for': `192.0.2.${i}` } },
      );
      assert.equal(refused.status, 403);
    }
    const limited = await portal(
      t,
      'POST',
      '/sessions/management',
      { token },
      { headers: { 'x-forwarded-for': '192.0.2.99' } },
    );
    assert.equal(limited.status, 429);
    assert.equal((await json(limited)).error.code, 'too_many_link_attempts');
  });
});

describe('sessions', () => {
  test('GET /me returns the signed-in account with billing details', async () => {
    const { token } = await signInByEmail(t, 'ada@example.com');
    const me = await portal(t, 'GET', '/me', undefined, { token });
    assert.equal(me.status, 200);
    const account = await json(me);
    assert.equal(account.email, 'ada@example.com');
    assert.equal(account.billingDetails.taxId, 'GB123');
    assert.equal(account.hasPassword, false);
    assert.equal((await portal(t, 'GET', '/me')).status, 401);
    assert.equal(
      (await json(await portal(t, 'GET', '/me', undefined, { token: 'st_nope' }))).error.code,
      'invalid_session',
    );
  });

  test('expire after 30 idle minutes (± 1 s) and slide with use', async () => {
    const { token } = await signInByEmail(t, 'ada@example.com');
    t.clock.advance(30 * MINUTE - SECOND);
    assert.equal((await portal(t, 'GET', '/me', undefined, { token })).status, 200, 'used just in time: slides');
    t.clock.advance(30 * MINUTE - SECOND);
    assert.equal((await portal(t, 'GET', '/me', undefined, { token })).status, 200);
    t.clock.advance(30 * MINUTE + SECOND);
    const expired = await portal(t, 'GET', '/me', undefined, { token });
    assert.equal(expired.status, 401);
    assert.equal((await json(expired)).error.code, 'session_expired');
  });

  test('end at the 12 h cap however busy they are', async () => {
    const { token } = await signInByEmail(t, 'ada@example.com');
    for (let elapsed = 0; elapsed < 12 * HOUR - 20 * MINUTE; elapsed += 20 * MINUTE) {
      t.clock.advance(20 * MINUTE);
      assert.equal((await portal(t, 'GET', '/me', undefined, { token })).status, 200);
    }
    t.clock.advance(20 * MINUTE);
    assert.equal((await json(await portal(t, 'GET', '/me', undefined, { token }))).error.code, 'session_expired');
  });

  test('store settings change the idle and absolute lifetimes', async () => {
    await setSetting(t, 'sessionIdleSeconds', '300');
    const { token, expiresAt } = await signInByEmail(t, 'ada@example.com');
    assert.equal(expiresAt, new Date(t.clock.now().getTime() + 5 * MINUTE).toISOString());
    t.clock.advance(5 * MINUTE + SECOND);
    assert.equal((await portal(t, 'GET', '/me', undefined, { token })).status, 401);
  });

  test('sign-out ends the session', async () => {
    const { token } = await signInByEmail(t, 'ada@example.com');
    assert.equal((await portal(t, 'DELETE', '/sessions/current', undefined, { token })).status, 204);
    const after = await portal(t, 'GET', '/me', undefined, { token });
    assert.equal((await json(after)).error.code, 'invalid_session');
  });

  test("the merchant ends all of an account's sessions", async () => {
    const first = await signInByEmail(t, 'ada@example.com');
    t.clock.advance(61 * SECOND);
    const second = await signInByEmail(t, 'ada@example.com');
    const response = await t.api('DELETE', `/api/accounts/${accountId}/sessions`);
    assert.equal(response.status, 200);
    assert.deepEqual(await json(response), { ended: 2 });
    for (const { token } of [first, second])
      assert.equal((await portal(t, 'GET', '/me', undefined, { token })).status, 401);
  });

  test("ending an account's access ends its links and remembered devices too, so nobody signs straight back in", async () => {
    const { token: session, deviceCookie } = await signInByEmail(t, 'ada@example.com');
    const managementUrl = await json(await t.api('GET', `/api/accounts/${accountId}/management-url`));
    const manage = new URL(managementUrl.url).searchParams.get('portal_manage')!;
    const authenticate = new URL(
      (await json(await t.api('GET', `/api/accounts/${accountId}/authenticate`))).url,
    ).searchParams.get('portal_token')!;
    assert.equal((await t.api('POST', `/api/accounts/${accountId}/invitations`)).status, 202);
    const invitation = tokenIn((await latestEmail(t, 'ada@example.com', 'invitation'))!.textBody);
    t.clock.advance(61 * SECOND);
    const loginLink = await requestToken();

    const response = await t.api('DELETE', `/api/accounts/${accountId}/sessions`);
    assert.equal(response.status, 200);
    assert.deepEqual(await json(response), { ended: 1 });

    assert.equal((await portal(t, 'GET', '/me', undefined, { token: session })).status, 401);
    const back = await portal(
      t,
      'POST',
      '/sessions/management',
      { token: manage },
      { headers: { cookie: deviceCookie } },
    );
    assert.equal(back.status, 401, 'the old management URL and the remembered device do not sign in');
    assert.equal((await json(back)).error.code, 'invalid_token');
    for (const token of [authenticate, invitation, loginLink]) {
      const refused = await portal(t, 'POST', '/sessions', { token });
      assert.equal(refused.status, 401, 'pre-authenticated URL, invitation and login link stop working');
      assert.equal((await json(refused)).error.code, 'invalid_token');
    }
    const fresh = new URL(
      (await json(await t.api('GET', `/api/accounts/${accountId}/management-url`))).url,
    ).searchParams.get('portal_manage');
    const forgotten = await portal(
      t,
      'POST',
      '/sessions/management',
      { token: fresh },
      { headers: { cookie: deviceCookie } },
    );
    assert.equal(forgotten.status, 403, 'even a new management URL does not recognise the device');
    assert.equal((await json(forgotten)).error.code, 'login_link_required');
    t.clock.advance(61 * SECOND);
    assert.ok((await signInByEmail(t, 'ada@example.com')).token, 'a new login link still signs in');
  });

  test("ending access of an unknown or another store's account is a 404", async () => {
    assert.equal((await t.api('DELETE', '/api/accounts/acc_unknown000000000000/sessions')).status, 404);
    const other = await t.addStore('other');
    assert.equal(
      (await t.api('DELETE', `/api/accounts/${accountId}/sessions`, undefined, { store: other })).status,
      404,
    );
  });

  test('a session of one store is worthless at another', async () => {
    const other = await t.addStore('other');
    const { token } = await signInByEmail(t, 'ada@example.com');
    const response = await portal(t, 'GET', '/me', undefined, { token, store: other });
    assert.equal(response.status, 401);
    assert.equal((await json(response)).error.code, 'invalid_session');
  });
});

describe('housekeeping', () => {
  test('expired tokens are deleted a week after they expire, not before', async () => {
    const token = await requestToken();
    t.clock.advance(24 * HOUR + 7 * 24 * HOUR - SECOND);
    assert.equal(await purgeExpiredTokens(t.db, t.clock.now()), 0);
    assert.equal((await json(await portal(t, 'POST', '/sessions', { token }))).error.code, 'token_expired');
    t.clock.advance(2 * SECOND);
    assert.equal(await purgeExpiredTokens(t.db, t.clock.now()), 1);
    assert.equal((await json(await portal(t, 'POST', '/sessions', { token }))).error.code, 'invalid_token');
  });
});
