import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { DAY, HOUR, MINUTE, SECOND } from '../../server/lib/clock';
import { createTestContext, json, type TestContext } from '../helpers/app';
import { createCatalog, subscriptionOrder } from '../helpers/fixtures';
import {
  allEmails,
  latestEmail,
  linkIn,
  portal,
  runLoginLinkWorker,
  setSetting,
  signInByEmail,
  tokenIn,
} from '../helpers/portal';

let t: TestContext;
let accountId: string;
beforeEach(async () => {
  t = await createTestContext();
  accountId = (await json(await t.api('POST', '/api/accounts', { email: 'ada@example.com', firstName: 'Ada' }))).id;
});

describe('GET /api/accounts/{id}/authenticate', () => {
  test('returns a single-use portal URL valid 24 h that signs that account in', async () => {
    const response = await t.api('GET', `/api/accounts/${accountId}/authenticate`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    const { url, expiresAt } = await json(response);
    assert.equal(expiresAt, new Date(t.clock.now().getTime() + 24 * HOUR).toISOString());
    const withTab = new URL(`${url}#/subscriptions`);
    assert.equal(withTab.origin + withTab.pathname, 'https://portal.test/account/shop');
    assert.equal(withTab.hash, '#/subscriptions');
    const token = withTab.searchParams.get('portal_token')!;
    const session = await portal(t, 'POST', '/sessions', { token });
    assert.equal(session.status, 201);
    const body = await json(session);
    assert.equal(body.account.id, accountId);
    assert.equal(body.account.emailVerifiedAt, null, 'the merchant vouches for the user, not for the mailbox');
    assert.equal((await portal(t, 'POST', '/sessions', { token })).status, 410);
  });

  test('expires after 24 h (± 1 s)', async () => {
    const early = new URL((await json(await t.api('GET', `/api/accounts/${accountId}/authenticate`))).url);
    const late = new URL((await json(await t.api('GET', `/api/accounts/${accountId}/authenticate`))).url);
    t.clock.advance(24 * HOUR - SECOND);
    assert.equal((await portal(t, 'POST', '/sessions', { token: early.searchParams.get('portal_token') })).status, 201);
    t.clock.advance(2 * SECOND);
    assert.equal((await portal(t, 'POST', '/sessions', { token: late.searchParams.get('portal_token') })).status, 410);
  });

  test('works for that store only and several ids may be asked at once', async () => {
    const other = await t.addStore('other');
    assert.equal(
      (await t.api('GET', `/api/accounts/${accountId}/authenticate`, undefined, { store: other })).status,
      404,
    );
    const { url } = await json(await t.api('GET', `/api/accounts/${accountId}/authenticate`));
    const token = new URL(url).searchParams.get('portal_token');
    assert.equal((await portal(t, 'POST', '/sessions', { token }, { store: other })).status, 401);

    const grace = (await json(await t.api('POST', '/api/accounts', { email: 'grace@example.com' }))).id;
    const many = await t.api('POST', '/api/accounts/authenticate', { accountIds: [accountId, grace] });
    assert.equal(many.status, 200);
    const { data } = await json(many);
    assert.deepEqual(
      data.map((d: { accountId: string }) => d.accountId),
      [accountId, grace],
    );
    const graceToken = new URL(data[1].url).searchParams.get('portal_token');
    assert.equal(
      (await json(await portal(t, 'POST', '/sessions', { token: graceToken }))).account.email,
      'grace@example.com',
    );
    assert.equal(
      (await t.api('POST', '/api/accounts/authenticate', { accountIds: [accountId, 'acc_unknown000000000000'] }))
        .status,
      404,
    );
  });
});

describe('DELETE /api/accounts/{id}/authenticate-urls/{urlId}', () => {
  const issue = async (store = t.store) => {
    const response = await t.api('GET', `/api/accounts/${accountId}/authenticate`, undefined, { store });
    assert.equal(response.status, 200);
    const body = await json(response);
    assert.match(body.id, /^tok_[0-9a-z]{20}$/);
    return { id: body.id as string, token: new URL(body.url).searchParams.get('portal_token')! };
  };
  const revoke = (id: string, account = accountId, store = t.store) =>
    t.api('DELETE', `/api/accounts/${account}/authenticate-urls/${id}`, undefined, { store });

  test('revokes a URL the merchant issued: it no longer signs in', async () => {
    const { id, token } = await issue();
    const kept = await issue();
    const response = await revoke(id);
    assert.equal(response.status, 204);
    const refused = await portal(t, 'POST', '/sessions', { token });
    assert.equal(refused.status, 401);
    assert.equal((await json(refused)).error.code, 'invalid_token');
    assert.equal((await portal(t, 'POST', '/sessions', { token: kept.token })).status, 201, 'other URLs keep working');
    assert.equal((await revoke(id)).status, 404, 'it is gone');
  });

  test('the ids of several URLs at once can be revoked as well', async () => {
    const many = await t.api('POST', '/api/accounts/authenticate', { accountIds: [accountId] });
    assert.equal(many.status, 200);
    const [link] = (await json(many)).data;
    assert.equal((await revoke(link.id)).status, 204);
    assert.equal(
      (await portal(t, 'POST', '/sessions', { token: new URL(link.url).searchParams.get('portal_token') })).status,
      401,
    );
  });

  test("an unknown id, another account's or another store's URL, or another kind of link is a 404", async () => {
    assert.equal((await revoke('tok_unknown00000000000000')).status, 404);
    const grace = await t.api('POST', '/api/accounts', { email: 'grace@example.com' });
    assert.equal(grace.status, 201);
    const { id, token } = await issue();
    assert.equal((await revoke(id, (await json(grace)).id)).status, 404);
    const other = await t.addStore('other');
    const elsewhere = await t.api('POST', '/api/accounts', { email: 'ada@example.com' }, { store: other });
    assert.equal(elsewhere.status, 201);
    assert.equal((await revoke(id, (await json(elsewhere)).id, other)).status, 404);
    assert.equal((await revoke(id, accountId, other)).status, 404);
    assert.equal((await portal(t, 'POST', '/sessions', { token })).status, 201, 'none of that touched it');
  });

  test('revoking a used URL changes nothing', async () => {
    const { id, token } = await issue();
    const session = await portal(t, 'POST', '/sessions', { token });
    assert.equal(session.status, 201);
    assert.equal((await revoke(id)).status, 204);
    assert.equal((await portal(t, 'GET', '/me', undefined, { token: (await json(session)).token })).status, 200);
  });

  test('is in the OpenAPI document', async () => {
    const response = await t.app.request('/api/openapi.json');
    assert.equal(response.status, 200);
    const doc = await json(response);
    const route = doc.paths['/accounts/{accountId}/authenticate-urls/{urlId}']?.delete;
    assert.ok(route, 'documented');
    assert.ok(route.responses['204'] && route.responses['404']);
    assert.match(JSON.stringify(doc.components.schemas.AuthenticateUrl), /"id":\{"type":"string"/);
  });
});

describe('POST /api/accounts/{id}/invitations', () => {
  test('emails an invitation valid 7 days that verifies the email', async () => {
    const response = await t.api('POST', `/api/accounts/${accountId}/invitations`);
    assert.equal(response.status, 202);
    assert.equal((await json(response)).expiresAt, new Date(t.clock.now().getTime() + 7 * DAY).toISOString());
    const email = (await latestEmail(t, 'ada@example.com', 'invitation'))!;
    assert.match(email.subject, /account is ready/);
    assert.ok(linkIn(email.textBody, 'portal_manage'));
    t.clock.advance(7 * DAY - SECOND);
    const session = await portal(t, 'POST', '/sessions', { token: tokenIn(email.textBody) });
    assert.equal(session.status, 201);
    assert.notEqual((await json(session)).account.emailVerifiedAt, null);
  });

  test("the invitation's bodies are kept until its longest-lived link expires", async () => {
    await t.api('POST', `/api/accounts/${accountId}/invitations`);
    const now = t.clock.now().getTime();
    assert.equal(
      (await latestEmail(t, 'ada@example.com', 'invitation'))!.bodyExpiresAt?.getTime(),
      now + 65 * DAY,
      'the management URL',
    );
    await setSetting(t, 'managementUrlTtlDays', '2');
    t.clock.advance(30 * MINUTE);
    await t.api('POST', `/api/accounts/${accountId}/invitations`);
    assert.equal(
      (await latestEmail(t, 'ada@example.com', 'invitation'))!.bodyExpiresAt?.getTime(),
      t.clock.now().getTime() + 7 * DAY,
      'the invitation link, when it outlives the management URL',
    );
  });

  test('an invitation expires after 7 days', async () => {
    assert.equal((await t.api('POST', `/api/accounts/${accountId}/invitations`)).status, 202);
    t.clock.advance(7 * DAY + SECOND);
    const token = tokenIn((await latestEmail(t, 'ada@example.com', 'invitation'))!.textBody);
    assert.equal((await portal(t, 'POST', '/sessions', { token })).status, 410);
  });

  test('more than 5 in 30 minutes is a 429', async () => {
    for (let i = 0; i < 5; i++) {
      assert.equal((await t.api('POST', `/api/accounts/${accountId}/invitations`)).status, 202);
      t.clock.advance(MINUTE);
    }
    const sixth = await t.api('POST', `/api/accounts/${accountId}/invitations`);
    assert.equal(sixth.status, 429);
    assert.equal(sixth.headers.get('retry-after'), String(25 * 60));
    assert.equal((await json(sixth)).error.code, 'too_many_invitations');
    t.clock.advance(25 * MINUTE);
    assert.equal((await t.api('POST', `/api/accounts/${accountId}/invitations`)).status, 202);
  });

  test('inviteOnSubscription invites the subscriber when an order starts a subscription', async () => {
    await createCatalog(t);
    assert.equal(
      (await t.api('POST', '/api/orders', subscriptionOrder({ customer: { email: 'first@example.com' } }))).status,
      201,
    );
    assert.equal((await allEmails(t)).filter((e) => e.kind === 'invitation').length, 0, 'off by default');
    await setSetting(t, 'inviteOnSubscription', 'true');
    assert.equal(
      (await t.api('POST', '/api/orders', subscriptionOrder({ customer: { email: 'second@example.com' } }))).status,
      201,
    );
    assert.ok(await latestEmail(t, 'second@example.com', 'invitation'));
    const oneTime = await t.api('POST', '/api/orders', {
      ...subscriptionOrder(),
      items: [{ product: 'toolkit', displayName: 'T', quantity: 1, unitPrice: 100 }],
      customer: { email: 'third@example.com' },
    });
    assert.equal(oneTime.status, 201);
    assert.equal(await latestEmail(t, 'third@example.com', 'invitation'), undefined, 'no subscription, no invitation');
  });
});

describe('management URLs', () => {
  async function managementToken() {
    const { url, expiresAt } = await json(await t.api('GET', `/api/accounts/${accountId}/management-url`));
    assert.equal(expiresAt, new Date(t.clock.now().getTime() + 65 * DAY).toISOString());
    return new URL(url).searchParams.get('portal_manage')!;
  }

  test('do not let an unverified customer in while verification is required', async () => {
    const token = await managementToken();
    const response = await portal(t, 'POST', '/sessions/management', { token });
    assert.equal(response.status, 403);
    const body = await json(response);
    assert.equal(body.error.code, 'email_not_verified');
    assert.equal(body.error.details.emailHint, 'a••@example.com');
  });

  test('sign in on a device that signed in before, and ask for a login link elsewhere', async () => {
    const { deviceCookie } = await signInByEmail(t, 'ada@example.com');
    const token = await managementToken();
    const known = await portal(t, 'POST', '/sessions/management', { token }, { headers: { cookie: deviceCookie } });
    assert.equal(known.status, 201);
    assert.equal((await json(known)).account.id, accountId);
    const rotated = known.headers.get('set-cookie')!.split(';')[0];
    assert.notEqual(rotated, deviceCookie, 'the device credential rotates on every sign-in');
    assert.equal(
      (await portal(t, 'POST', '/sessions/management', { token }, { headers: { cookie: rotated } })).status,
      201,
      'reusable',
    );
    assert.equal(
      (await portal(t, 'POST', '/sessions/management', { token }, { headers: { cookie: deviceCookie } })).status,
      403,
      'the replaced credential no longer works',
    );

    const elsewhere = await portal(t, 'POST', '/sessions/management', { token });
    assert.equal(elsewhere.status, 403);
    assert.equal((await json(elsewhere)).error.code, 'login_link_required');
    t.clock.advance(2 * MINUTE);
    assert.equal((await portal(t, 'POST', '/login-links', { managementToken: token })).status, 202);
    await runLoginLinkWorker(t);
    assert.ok(
      tokenIn((await latestEmail(t, 'ada@example.com', 'login_link'))!.textBody),
      "a link went to the account's own address",
    );
  });

  test('sign in directly when the store does not require email verification', async () => {
    await setSetting(t, 'emailVerificationRequired', 'false');
    const response = await portal(t, 'POST', '/sessions/management', { token: await managementToken() });
    assert.equal(response.status, 201);
  });

  test("expire after the store's lifetime (65 days by default)", async () => {
    await setSetting(t, 'emailVerificationRequired', 'false');
    const token = await managementToken();
    t.clock.advance(65 * DAY - SECOND);
    assert.equal((await portal(t, 'POST', '/sessions/management', { token })).status, 201);
    t.clock.advance(2 * SECOND);
    assert.equal((await json(await portal(t, 'POST', '/sessions/management', { token }))).error.code, 'token_expired');
    await setSetting(t, 'managementUrlTtlDays', '10');
    const { expiresAt } = await json(await t.api('GET', `/api/accounts/${accountId}/management-url`));
    assert.equal(expiresAt, new Date(t.clock.now().getTime() + 10 * DAY).toISOString());
  });

  test('a device cookie of another account or store does not count', async () => {
    assert.equal((await t.api('POST', '/api/accounts', { email: 'grace@example.com' })).status, 201);
    const { deviceCookie } = await signInByEmail(t, 'grace@example.com');
    await signInByEmail(t, 'ada@example.com');
    const token = await managementToken();
    const response = await portal(t, 'POST', '/sessions/management', { token }, { headers: { cookie: deviceCookie } });
    assert.equal((await json(response)).error.code, 'login_link_required');
  });
});

describe('tokens are bound to their purpose', () => {
  test('a management token is not a sign-in token, and a sign-in token is not a management token', async () => {
    await setSetting(t, 'emailVerificationRequired', 'false');
    const manage = new URL(
      (await json(await t.api('GET', `/api/accounts/${accountId}/management-url`))).url,
    ).searchParams.get('portal_manage');
    assert.equal((await portal(t, 'POST', '/sessions', { token: manage })).status, 401);
    const { url } = await json(await t.api('GET', `/api/accounts/${accountId}/authenticate`));
    const single = new URL(url).searchParams.get('portal_token');
    assert.equal((await portal(t, 'POST', '/sessions/management', { token: single })).status, 401);
    assert.equal((await portal(t, 'POST', '/sessions', { token: single })).status, 201, 'unharmed by the wrong use');
  });
});
