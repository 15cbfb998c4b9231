import { first } from '../../server/db/query';
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { accounts, portalTokens } from '../../server/db/schema';
import { hashSecret } from '../../server/lib/crypto';
import { HOUR, MINUTE, SECOND } from '../../server/lib/clock';
import { recordHits } from '../../server/services/sign-in/rate-limits';
import { createTestContext, json, type TestContext } from '../helpers/app';
import {
  allEmails,
  latestEmail,
  linkIn,
  portal,
  runLoginLinkWorker,
  setSetting,
  signInByEmail,
} from '../helpers/portal';

let t: TestContext;
beforeEach(async () => {
  t = await createTestContext({ config: { trustProxy: true } });
  const created = await t.api('POST', '/api/accounts', { email: 'ada@example.com', firstName: 'Ada', language: 'de' });
  assert.equal(created.status, 201);
  await setSetting(t, 'passwordLogin', 'true');
});

const ip = (address: string) => ({ headers: { 'x-forwarded-for': address } });
const askForReset = (email: string, address = '203.0.113.7') =>
  portal(t, 'POST', '/password-resets', { email }, ip(address));
const reset = (token: string, password: string, address = '203.0.113.7') =>
  portal(t, 'POST', '/sessions/password-reset', { token, password }, ip(address));
const login = (password: string) =>
  portal(t, 'POST', '/sessions/password', { email: 'ada@example.com', password }, ip('198.51.100.9'));

/** Asks for a reset link for Ada, lets the worker email it, and returns its token. */
async function resetToken(): Promise<string> {
  assert.equal((await askForReset('ada@example.com')).status, 202);
  await runLoginLinkWorker(t);
  return linkIn((await latestEmail(t, 'ada@example.com', 'password_reset'))?.textBody, 'portal_reset').searchParams.get(
    'portal_reset',
  )!;
}

const account = async () => first(await t.db.select().from(accounts).where(eq(accounts.email, 'ada@example.com')))!;

describe('POST /portal/{store}/password-resets', () => {
  test('answers 202 with the same body whether or not the account exists; only a known address gets an email', async () => {
    const known = await askForReset('Ada@Example.com');
    const unknown = await askForReset('nobody@example.com', '203.0.113.8');
    assert.equal(known.status, 202);
    assert.equal(unknown.status, 202);
    assert.equal(await known.text(), await unknown.text());
    assert.equal(await runLoginLinkWorker(t), 2);
    assert.deepEqual(
      (await allEmails(t)).map((e) => [e.toAddress, e.kind]),
      [['ada@example.com', 'password_reset']],
    );
  });

  test("emails a single-use link to the portal in the account's language, valid for an hour", async () => {
    await resetToken();
    const email = (await latestEmail(t, 'ada@example.com', 'password_reset'))!;
    const link = linkIn(email.textBody, 'portal_reset');
    assert.equal(`${link.origin}${link.pathname}`, 'https://portal.test/account/shop');
    assert.match(link.searchParams.get('portal_reset')!, /^pt_[A-Za-z0-9_-]{43}$/);
    assert.equal(link.searchParams.get('portal_token'), null, 'a reset link signs in only with a new password');
    assert.equal(email.language, 'de');
    assert.equal(email.subject, 'Neues Passwort für Store shop festlegen');
    assert.match(email.textBody!, /läuft in 60 Minuten ab/);
    const row = first(
      await t.db
        .select()
        .from(portalTokens)
        .where(eq(portalTokens.tokenHash, hashSecret(link.searchParams.get('portal_reset')!))),
    )!;
    assert.equal(row.purpose, 'password_reset');
    assert.equal(row.expiresAt.getTime() - row.createdAt.getTime(), HOUR);
    assert.ok(!email.textBody!.includes('portal_manage'), 'no management URL in a reset email');
  });

  test('is refused while the store does not offer passwords', async () => {
    await setSetting(t, 'passwordLogin', 'false');
    const response = await askForReset('ada@example.com');
    assert.equal(response.status, 403);
    assert.equal((await json(response)).error.code, 'password_login_disabled');
  });

  test('sends at most one link a minute to an address (known or not), with Retry-After', async () => {
    assert.equal((await askForReset('ada@example.com')).status, 202);
    const again = await askForReset('ada@example.com', '203.0.113.99');
    assert.equal(again.status, 429);
    assert.equal((await json(again)).error.code, 'password_reset_recently_sent');
    assert.ok(Number(again.headers.get('retry-after')) > 0);
    assert.equal((await askForReset('nobody@example.com')).status, 202);
    assert.equal((await askForReset('nobody@example.com')).status, 429);
    t.clock.advance(MINUTE);
    assert.equal((await askForReset('ada@example.com')).status, 202);
  });

  test('shares the per-network limit of emailed links', async () => {
    await recordHits(t.db, Array(300).fill('login-ip:203.0.113.7'), t.clock.now());
    const response = await askForReset('ada@example.com');
    assert.equal(response.status, 429);
    assert.equal((await json(response)).error.code, 'too_many_login_links_from_network');
  });

  test('a newer link makes the older unused one invalid', async () => {
    const first = await resetToken();
    t.clock.advance(MINUTE);
    const second = await resetToken();
    assert.equal((await reset(first, 'a brand new passphrase')).status, 410);
    assert.equal((await json(await reset(first, 'a brand new passphrase'))).error.code, 'token_superseded');
    assert.equal((await reset(second, 'a brand new passphrase')).status, 201);
  });
});

describe('POST /portal/{store}/sessions/password-reset', () => {
  test('sets the password, signs in, verifies the email and ends every other session', async () => {
    const other = await signInByEmail(t, 'ada@example.com');
    t.clock.advance(30 * MINUTE);
    const token = await resetToken();
    const response = await reset(token, 'a brand new passphrase');
    assert.equal(response.status, 201);
    const session = await json(response);
    assert.equal(session.account.email, 'ada@example.com');
    assert.equal(session.account.hasPassword, true);
    assert.match(response.headers.get('set-cookie') ?? '', /ap_device=/);
    assert.match((await account()).passwordHash!, /^scrypt\$/);
    assert.ok((await account()).emailVerifiedAt);

    const old = await portal(t, 'GET', '/me', undefined, { token: other.token });
    assert.equal(old.status, 401, 'the session from before the reset has ended');
    assert.equal((await portal(t, 'GET', '/me', undefined, { token: session.token })).status, 200);
    assert.equal((await login('a brand new passphrase')).status, 201);
  });

  test('works once: a second use, even with another password, is refused', async () => {
    const token = await resetToken();
    assert.equal((await reset(token, 'a brand new passphrase')).status, 201);
    const again = await reset(token, 'the attackers passphrase');
    assert.equal(again.status, 410);
    assert.equal((await json(again)).error.code, 'token_used');
    assert.equal((await login('the attackers passphrase')).status, 401);
  });

  test('of parallel uses of one link exactly one sets the password', async () => {
    const token = await resetToken();
    const answers = await Promise.all(
      ['first parallel passphrase', 'second parallel passphrase', 'third parallel passphrase'].map((p) =>
        reset(token, p),
      ),
    );
    assert.deepEqual(answers.map((r) => r.status).sort(), [201, 410, 410]);
  });

  test('a password that is too short is refused without using up the link', async () => {
    const token = await resetToken();
    const short = await reset(token, 'short');
    assert.equal(short.status, 422);
    assert.equal((await json(short)).error.details[0].field, 'password');
    assert.equal((await reset(token, 'a brand new passphrase')).status, 201);
  });

  test('an expired link says so; a made-up one, a login link and a link of another store are not valid', async () => {
    const token = await resetToken();
    t.clock.advance(HOUR + SECOND);
    const expired = await reset(token, 'a brand new passphrase');
    assert.equal(expired.status, 410);
    assert.equal((await json(expired)).error.code, 'token_expired');

    const madeUp = await reset('pt_madeupmadeupmadeupmadeupmadeupmadeupmadeupm', 'a brand new passphrase');
    assert.equal(madeUp.status, 401);
    assert.equal((await json(madeUp)).error.code, 'invalid_token');

    assert.equal((await portal(t, 'POST', '/login-links', { email: 'ada@example.com' })).status, 202);
    await runLoginLinkWorker(t);
    const loginToken = linkIn((await latestEmail(t, 'ada@example.com', 'login_link'))?.textBody).searchParams.get(
      'portal_token',
    )!;
    assert.equal((await reset(loginToken, 'a brand new passphrase')).status, 401, 'a login link is no reset link');

    const other = await t.addStore('other');
    await setSetting(t, 'passwordLogin', 'true', other);
    t.clock.advance(2 * MINUTE);
    const fresh = await resetToken();
    const elsewhere = await portal(
      t,
      'POST',
      '/sessions/password-reset',
      { token: fresh, password: 'a brand new passphrase' },
      { store: other },
    );
    assert.equal(elsewhere.status, 401);
  });

  test('counts attempts against the link and the network address', async () => {
    await recordHits(t.db, Array(600).fill('redeem-ip:203.0.113.7'), t.clock.now());
    const limited = await reset('pt_madeupmadeupmadeupmadeupmadeupmadeupmadeupm', 'a brand new passphrase');
    assert.equal(limited.status, 429);
    assert.equal((await json(limited)).error.code, 'too_many_sign_ins_from_network');
  });

  test('is refused once the store stopped offering passwords, and then sends no links either', async () => {
    const token = await resetToken();
    assert.equal((await askForReset('ada@example.com', '203.0.113.50')).status, 429);
    t.clock.advance(MINUTE);
    assert.equal((await askForReset('ada@example.com')).status, 202);
    await setSetting(t, 'passwordLogin', 'false');
    const before = (await allEmails(t)).length;
    await runLoginLinkWorker(t);
    assert.equal((await allEmails(t)).length, before, 'a request queued before the switch sends nothing');
    const response = await reset(token, 'a brand new passphrase');
    assert.equal(response.status, 403);
    assert.equal((await json(response)).error.code, 'password_login_disabled');
  });
});

describe('PUT /portal/{store}/me/password', () => {
  test('wrong current passwords count against the account: the 101st try in an hour is refused', async () => {
    const { token } = await signInByEmail(t, 'ada@example.com');
    assert.equal(
      (await portal(t, 'PUT', '/me/password', { password: 'correct horse battery' }, { token })).status,
      204,
    );
    t.clock.advance(20 * MINUTE);
    await recordHits(t.db, Array(99).fill('password-account:shop:ada@example.com'), t.clock.now());
    const wrong = await portal(
      t,
      'PUT',
      '/me/password',
      { password: 'another good phrase', currentPassword: 'a wrong guess' },
      { token },
    );
    assert.equal(wrong.status, 422);
    assert.equal((await json(wrong)).error.details[0].code, 'wrong_password');
    const limited = await portal(
      t,
      'PUT',
      '/me/password',
      { password: 'another good phrase', currentPassword: 'correct horse battery' },
      { token },
    );
    assert.equal(limited.status, 429);
    assert.equal((await json(limited)).error.code, 'too_many_password_failures');
    t.clock.advance(HOUR);
    const signedIn = await login('correct horse battery');
    assert.equal(signedIn.status, 201);
    await recordHits(t.db, Array(99).fill('password-account:shop:ada@example.com'), t.clock.now());
    const session = (await json(signedIn)).token;
    const change = (currentPassword: string) =>
      portal(t, 'PUT', '/me/password', { password: 'another good phrase', currentPassword }, { token: session });
    assert.equal((await change('correct horse battery')).status, 204, 'a right one takes its count back…');
    assert.equal((await change('another good phrase')).status, 204, '…so the next try is still heard');
  });
});
