import { first } from '../../server/db/query';
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { accounts } from '../../server/db/schema';
import { HOUR, MINUTE } from '../../server/lib/clock';
import { recordHits } from '../../server/services/sign-in/rate-limits';
import { createTestContext, json, type TestContext } from '../helpers/app';
import { portal, setSetting, signInByEmail } from '../helpers/portal';

let t: TestContext;
beforeEach(async () => {
  t = await createTestContext({ config: { trustProxy: true } });
  assert.equal((await t.api('POST', '/api/accounts', { email: 'ada@example.com' })).status, 201);
});

const login = (email: string, password: string, ip = '203.0.113.7') =>
  portal(t, 'POST', '/sessions/password', { email, password }, { headers: { 'x-forwarded-for': ip } });

describe('password login', () => {
  test('is off by default', async () => {
    const response = await login('ada@example.com', 'correct horse battery');
    assert.equal(response.status, 403);
    assert.equal((await json(response)).error.code, 'password_login_disabled');
    const { token } = await signInByEmail(t, 'ada@example.com');
    assert.equal(
      (await portal(t, 'PUT', '/me/password', { password: 'correct horse battery' }, { token })).status,
      403,
    );
  });

  test('a signed-in customer sets a password (scrypt-hashed) and signs in with it', async () => {
    await setSetting(t, 'passwordLogin', 'true');
    const { token } = await signInByEmail(t, 'ada@example.com');
    assert.equal((await portal(t, 'PUT', '/me/password', { password: 'short' }, { token })).status, 422);
    assert.equal(
      (await portal(t, 'PUT', '/me/password', { password: 'correct horse battery' }, { token })).status,
      204,
    );
    const stored = first(await t.db.select().from(accounts).where(eq(accounts.email, 'ada@example.com')))!;
    assert.match(stored.passwordHash!, /^scrypt\$32768\$8\$1\$/);
    assert.ok(!stored.passwordHash!.includes('correct horse'));
    assert.equal((await json(await portal(t, 'GET', '/me', undefined, { token }))).hasPassword, true);

    const response = await login('ADA@example.com', 'correct horse battery');
    assert.equal(response.status, 201);
    assert.equal((await json(response)).account.email, 'ada@example.com');
  });

  test('changing a password later needs the current one', async () => {
    await setSetting(t, 'passwordLogin', 'true');
    const { token } = await signInByEmail(t, 'ada@example.com');
    assert.equal(
      (await portal(t, 'PUT', '/me/password', { password: 'correct horse battery' }, { token })).status,
      204,
    );
    t.clock.advance(20 * MINUTE);
    const without = await portal(t, 'PUT', '/me/password', { password: 'another good phrase' }, { token });
    assert.equal(without.status, 422);
    assert.equal((await json(without)).error.details[0].field, 'currentPassword');
    const withIt = await portal(
      t,
      'PUT',
      '/me/password',
      { password: 'another good phrase', currentPassword: 'correct horse battery' },
      { token },
    );
    assert.equal(withIt.status, 204);
  });

  test('a wrong email and a wrong password get the same answer', async () => {
    await setSetting(t, 'passwordLogin', 'true');
    const { token } = await signInByEmail(t, 'ada@example.com');
    assert.equal(
      (await portal(t, 'PUT', '/me/password', { password: 'correct horse battery' }, { token })).status,
      204,
    );
    const wrongPassword = await login('ada@example.com', 'wrong horse battery');
    const wrongEmail = await login('nobody@example.com', 'correct horse battery');
    const noPassword = await login('grace@example.com', 'whatever it is');
    for (const response of [wrongPassword, wrongEmail, noPassword]) assert.equal(response.status, 401);
    const bodies = await Promise.all([wrongPassword, wrongEmail, noPassword].map((r) => r.text()));
    assert.equal(new Set(bodies).size, 1);
    assert.equal(JSON.parse(bodies[0]).error.code, 'invalid_credentials');
  });

  test('allows at most 100 failures per account per hour', async () => {
    await setSetting(t, 'passwordLogin', 'true');
    await recordHits(t.db, Array(99).fill('password-account:shop:ada@example.com'), t.clock.now());
    assert.equal((await login('ada@example.com', 'guess number 100', '198.51.100.1')).status, 401);
    const blocked = await login('ada@example.com', 'guess number 101', '198.51.100.2');
    assert.equal(blocked.status, 429);
    assert.ok(Number(blocked.headers.get('retry-after')) <= 3600);
    const unknown = await login('nobody@example.com', 'a guess', '198.51.100.3');
    assert.equal(unknown.status, 401, 'other accounts are not affected');
    t.clock.advance(HOUR);
    assert.equal((await login('ada@example.com', 'guess number 102', '198.51.100.4')).status, 401);
  });

  test('limits failures per IP address', async () => {
    await setSetting(t, 'passwordLogin', 'true');
    for (let i = 0; i < 30; i++) await recordHits(t.db, ['password-ip:203.0.113.7'], t.clock.now());
    assert.equal((await login('nobody@example.com', 'any guess')).status, 429);
    assert.equal((await login('nobody@example.com', 'any guess', '203.0.113.8')).status, 401);
  });

  test('of 200 parallel guesses from one address only as many as the limit allows are checked; the rest get 429', async () => {
    await setSetting(t, 'passwordLogin', 'true');
    const { token } = await signInByEmail(t, 'ada@example.com');
    assert.equal(
      (await portal(t, 'PUT', '/me/password', { password: 'correct horse battery' }, { token })).status,
      204,
    );
    // 25 of the 30 failures allowed in 15 minutes are used up, so five guesses remain (and five scrypt hashes keep the test quick).
    await recordHits(t.db, Array(25).fill('password-ip:203.0.113.7'), t.clock.now());
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => login('ada@example.com', `guess number ${i}`)),
    );
    const statuses = responses.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 401).length, 5, 'each attempt is counted before its hash runs');
    assert.equal(statuses.filter((s) => s === 429).length, 195);
    const limited = responses.find((r) => r.status === 429)!;
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    assert.equal((await json(limited)).error.code, 'too_many_password_failures_from_network');
  });

  test('a correct password does not count as a failure', async () => {
    await setSetting(t, 'passwordLogin', 'true');
    const { token } = await signInByEmail(t, 'ada@example.com');
    assert.equal(
      (await portal(t, 'PUT', '/me/password', { password: 'correct horse battery' }, { token })).status,
      204,
    );
    for (let i = 0; i < 29; i++) await recordHits(t.db, ['password-ip:203.0.113.7'], t.clock.now());
    assert.equal((await login('ada@example.com', 'correct horse battery')).status, 201);
    assert.equal((await login('ada@example.com', 'correct horse battery')).status, 201);
    assert.equal((await login('ada@example.com', 'the 30th failure')).status, 401);
    const blocked = await login('ada@example.com', 'correct horse battery');
    assert.equal(blocked.status, 429, 'once the limit is reached, even the right password waits');
    assert.equal((await json(blocked)).error.code, 'too_many_password_failures_from_network');
  });

  test('too many failures for one account have their own code', async () => {
    await setSetting(t, 'passwordLogin', 'true');
    await recordHits(t.db, Array(100).fill('password-account:shop:ada@example.com'), t.clock.now());
    const blocked = await login('ada@example.com', 'any guess', '198.51.100.1');
    assert.equal(blocked.status, 429);
    assert.equal((await json(blocked)).error.code, 'too_many_password_failures');
  });
});
