import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { describeDevice } from '../../server/lib/user-agent';
import { createTestContext, json, type TestContext } from '../helpers/app';
import { activityOf, assertEveryChangeIsInTheActivityLog, kindsOf, recordedBy } from '../helpers/activity';
import { createCatalog, oneTimeOrder } from '../helpers/fixtures';
import { setSeller } from '../helpers/invoices';
import { latestEmail, portal, runLoginLinkWorker, setSetting, signInByEmail, tokenIn } from '../helpers/portal';
import { startSubscription, subscriptionRow, testToken } from '../helpers/renewals';

const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

let t: TestContext;
beforeEach(async () => {
  t = await createTestContext();
  await createCatalog(t);
});
afterEach(async () => await assertEveryChangeIsInTheActivityLog(t));

const newAccount = async (email = 'ada@example.com') =>
  (await json(await t.api('POST', '/api/accounts', { email, firstName: 'Ada', language: 'en' }))).id as string;

/** Signs in with a login link from a browser that says `userAgent`. */
const signInFrom = (email: string, userAgent?: string) =>
  signInByEmail(t, email, userAgent ? { headers: { 'user-agent': userAgent } } : {});

describe('describeDevice', () => {
  test('keeps the browser and operating system families of a User-Agent, nothing more', () => {
    const cases: [string, string, string][] = [
      [FIREFOX_WINDOWS, 'firefox', 'windows'],
      [SAFARI_IPHONE, 'safari', 'ios'],
      [
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
        'chrome',
        'macos',
      ],
      [
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0',
        'edge',
        'windows',
      ],
      [
        'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36',
        'samsung',
        'android',
      ],
      [
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0 Mobile/15E148 Safari/604.1',
        'chrome',
        'ios',
      ],
      [
        'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
        'chrome',
        'chromeos',
      ],
      [
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 OPR/111.0.0.0',
        'opera',
        'linux',
      ],
      [
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36',
        'chrome',
        'linux',
      ],
      ['curl/8.5.0', 'other', 'other'],
    ];
    for (const [ua, browser, os] of cases) assert.deepEqual(describeDevice(ua), { browser, os }, ua);
    assert.equal(describeDevice(undefined), null);
    assert.equal(describeDevice(''), null);
  });
});

describe('sign-ins in the activity log', () => {
  test('say how the customer signed in and on what, never the User-Agent itself', async () => {
    const accountId = await newAccount();
    await signInFrom('ada@example.com', FIREFOX_WINDOWS);
    const { url } = await json(await t.api('GET', `/api/accounts/${accountId}/authenticate`));
    const redeemed = await portal(t, 'POST', '/sessions', { token: new URL(url).searchParams.get('portal_token') });
    assert.equal(redeemed.status, 201);
    assert.equal((await t.api('POST', `/api/accounts/${accountId}/invitations`)).status, 202);
    await runLoginLinkWorker(t);
    const invitation = tokenIn((await latestEmail(t, 'ada@example.com', 'invitation'))?.textBody);
    const invited = await portal(
      t,
      'POST',
      '/sessions',
      { token: invitation },
      { headers: { 'user-agent': SAFARI_IPHONE } },
    );
    assert.equal(invited.status, 201);
    await setSetting(t, 'emailVerificationRequired', 'false');
    const manage = new URL((await json(await t.api('GET', `/api/accounts/${accountId}/management-url`))).url);
    const managed = await portal(t, 'POST', '/sessions/management', {
      token: manage.searchParams.get('portal_manage'),
    });
    assert.equal(managed.status, 201);
    await setSetting(t, 'passwordLogin', 'true');
    const { token } = await json(managed);
    assert.equal(
      (await portal(t, 'PUT', '/me/password', { password: 'correct horse battery' }, { token })).status,
      204,
    );
    const withPassword = await portal(
      t,
      'POST',
      '/sessions/password',
      { email: 'ada@example.com', password: 'correct horse battery' },
      { headers: { 'user-agent': SAFARI_IPHONE } },
    );
    assert.equal(withPassword.status, 201);

    const entries = await activityOf(t, accountId);
    assert.deepEqual(
      entries.map((e) => [e.kind, e.actor, e.method, e.device && `${e.device.browser}/${e.device.os}`]),
      [
        ['account_created', 'merchant', null, null],
        ['signed_in', 'customer', 'login', 'firefox/windows'],
        ['signed_in', 'customer', 'authenticate', null],
        ['signed_in', 'customer', 'invitation', 'safari/ios'],
        ['signed_in', 'customer', 'management', null],
        ['password_set', 'customer', null, null],
        ['signed_in', 'customer', 'password', 'safari/ios'],
      ],
    );
    const customerView = await portal(t, 'GET', '/activity', undefined, { token });
    assert.equal(customerView.status, 200);
    const text = await customerView.text();
    assert.doesNotMatch(text, /Mozilla|Gecko|AppleWebKit|Windows NT|unknown|127\.0\.0\.1/);
    assert.deepEqual(
      JSON.parse(text).data.map((e: { id: string }) => e.id),
      entries.map((e) => e.id).reverse(),
    );
  });

  test('a failed sign-in records nothing', async () => {
    const accountId = await newAccount();
    await setSetting(t, 'passwordLogin', 'true');
    const wrong = await portal(t, 'POST', '/sessions/password', {
      email: 'ada@example.com',
      password: 'not it at all',
    });
    assert.equal(wrong.status, 401);
    assert.equal((await portal(t, 'POST', '/sessions', { token: 'pt_madeupmadeupmadeup' })).status, 401);
    assert.deepEqual(kindsOf(await activityOf(t, accountId)), ['account_created by merchant']);
  });
});

describe('changes to the account in the activity log', () => {
  test('name the fields that changed and who changed them, the merchant or the customer', async () => {
    const accountId = await newAccount();
    const merchant = await recordedBy(t, accountId, async () => {
      const patched = await t.api('PATCH', `/api/accounts/${accountId}`, {
        phone: '+44 20 7946 0000',
        address: { city: 'London' },
        billingDetails: { taxId: 'GB999999973', isBusiness: true },
        customUserId: 'user-42',
      });
      assert.equal(patched.status, 200);
      // The same values again, and the merchant's own id alone: nothing to record.
      await t.api('PATCH', `/api/accounts/${accountId}`, { phone: '+44 20 7946 0000' });
      await t.api('PATCH', `/api/accounts/${accountId}`, { customUserId: 'user-43' });
    });
    assert.deepEqual(
      merchant.map((e) => [e.kind, e.actor, e.details.fields]),
      [
        ['contact_updated', 'merchant', ['phone', 'address.city']],
        ['billing_details_updated', 'merchant', ['billingDetails.taxId', 'billingDetails.isBusiness']],
      ],
    );
    const { token } = await signInByEmail(t, 'ada@example.com');
    const customer = await recordedBy(t, accountId, async () => {
      assert.equal((await portal(t, 'PATCH', '/me', { firstName: 'Augusta', language: 'de' }, { token })).status, 200);
      const billing = { country: 'GB', postalCode: 'NW1 5LR', isBusiness: false };
      assert.equal((await portal(t, 'PUT', '/me/billing-details', billing, { token })).status, 200);
    });
    assert.deepEqual(
      customer.map((e) => [e.kind, e.actor, e.details.fields]),
      [
        ['contact_updated', 'customer', ['firstName', 'language']],
        [
          'billing_details_updated',
          'customer',
          ['billingDetails.country', 'billingDetails.postalCode', 'billingDetails.taxId', 'billingDetails.isBusiness'],
        ],
      ],
    );
  });

  test("the merchant ending the account's access is recorded with the sessions it ended", async () => {
    const accountId = await newAccount();
    await signInByEmail(t, 'ada@example.com');
    t.clock.advance(61_000);
    await signInByEmail(t, 'ada@example.com');
    const ended = await recordedBy(t, accountId, () => t.api('DELETE', `/api/accounts/${accountId}/sessions`));
    assert.deepEqual(
      ended.map((e) => [e.kind, e.actor, e.details]),
      [['access_ended', 'merchant', { sessions: 2 }]],
    );
  });

  test('a corrected invoice is recorded with its number, and with the billing details when kept for the future', async () => {
    await setSeller(t);
    const order = await json(await t.api('POST', '/api/orders', oneTimeOrder()));
    const { token, account } = await signInByEmail(t, 'ada@example.com');
    const correction = {
      businessName: 'Lovelace Analytics Ltd',
      taxId: 'GB999999973',
      addressLine1: '1 Marylebone Road',
      city: 'London',
      postalCode: 'NW1 5LR',
      isBusiness: true,
      alsoUseForFutureInvoices: true,
    };
    const entries = await recordedBy(t, account.id, async () => {
      const corrected = await portal(t, 'PUT', `/orders/${order.id}/invoice`, correction, { token });
      assert.equal(corrected.status, 200, await corrected.clone().text());
    });
    const invoice = await json(await t.api('GET', `/api/orders/${order.id}/invoice`));
    assert.deepEqual(kindsOf(entries), [
      'contact_updated by customer',
      'billing_details_updated by customer',
      'invoice_corrected by customer',
    ]);
    assert.deepEqual(entries[0].details.fields, ['address.line1', 'address.city']);
    assert.equal(entries[2].subjectId, order.id);
    assert.equal(entries[2].details.invoiceNumber, invoice.number);
  });
});

describe('an order from the Server API in the activity log', () => {
  test('creates the account, saves the card and starts the subscription, all by the merchant', async () => {
    const { accountId, subscriptionId, paymentMethodId } = await startSubscription(t);
    const entries = await activityOf(t, accountId);
    assert.deepEqual(kindsOf(entries), [
      'account_created by merchant',
      'payment_method_added by merchant',
      'subscription_started by merchant',
    ]);
    assert.deepEqual(entries[1].details, { brand: 'visa', last4: '4242' });
    assert.equal(entries[1].subjectId, paymentMethodId);
    assert.deepEqual([entries[2].subjectId, entries[2].details], [subscriptionId, { plan: 'Pro', quantity: 1 }]);
  });
});

describe('subscription changes in the activity log', () => {
  test('the customer in the portal and the merchant through the Server API, each as themselves', async () => {
    await setSetting(t, 'pauseEnabled', 'true');
    const { accountId, subscriptionId } = await startSubscription(t);
    const { token } = await signInByEmail(t, 'ada@example.com');
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await portal(t, method, `/subscriptions/${subscriptionId}${path}`, body, { token });
      assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
      return json(response);
    };
    const periodEnd = (await subscriptionRow(t, subscriptionId)).currentPeriodEnd.toISOString();
    const entries = await recordedBy(t, accountId, async () => {
      await call('POST', '/pause', { periods: 1 });
      await call('POST', '/unpause');
      await call('POST', '/cancel', { reason: 'too_expensive' });
      await call('POST', '/resume');
      const downgrade = await call('POST', '/change-preview', { planId: 'basic-monthly' });
      await call('POST', '/change', { quoteId: downgrade.id });
      await call('DELETE', '/scheduled-change');
      const upgrade = await call('POST', '/change-preview', { planId: 'pro-yearly' });
      await call('POST', '/change', { quoteId: upgrade.id });
      const merchantQuote = await json(
        await t.api('POST', `/api/subscriptions/${subscriptionId}/change-preview`, { quantity: 2 }),
      );
      const applied = await t.api('POST', `/api/subscriptions/${subscriptionId}/change`, { quoteId: merchantQuote.id });
      assert.equal(applied.status, 200, await applied.clone().text());
      const canceled = await t.api('POST', `/api/subscriptions/${subscriptionId}/cancel`, {
        reason: 'other',
        immediately: true,
      });
      assert.equal(canceled.status, 200);
    });
    assert.deepEqual(kindsOf(entries), [
      'subscription_pause_scheduled by customer',
      'subscription_pause_withdrawn by customer',
      'subscription_canceled by customer',
      'subscription_cancellation_withdrawn by customer',
      'subscription_change_scheduled by customer',
      'subscription_change_withdrawn by customer',
      'subscription_plan_changed by customer',
      'subscription_plan_changed by merchant',
      'subscription_canceled by merchant',
    ]);
    assert.ok(entries.every((e) => e.subjectId === subscriptionId));
    assert.deepEqual(entries[2].details, { plan: 'Pro', immediately: false, endsAt: periodEnd });
    assert.deepEqual(entries[4].details, { plan: 'Basic', quantity: 1, effectiveAt: periodEnd });
    const upgraded = entries[6].details;
    assert.deepEqual([upgraded.plan, upgraded.previousPlan, upgraded.currency], ['Pro (yearly)', 'Pro', 'USD']);
    assert.ok(upgraded.amount! > 0, 'what the upgrade cost');
    assert.equal(entries[8].details.immediately, true);
  });
});

describe('payment method changes in the activity log', () => {
  test('adding, choosing, making default and removing, by the merchant and by the customer', async () => {
    const { accountId, subscriptionId, paymentMethodId: first } = await startSubscription(t);
    const attached = await recordedBy(t, accountId, async () => {
      const response = await t.api('POST', `/api/accounts/${accountId}/payment-methods`, {
        token: testToken('succeeds', '1881'),
      });
      assert.equal(response.status, 201);
    });
    assert.deepEqual(kindsOf(attached), ['payment_method_added by merchant']);
    const second = attached[0].subjectId!;
    const { token } = await signInByEmail(t, 'ada@example.com');
    const customer = await recordedBy(t, accountId, async () => {
      assert.equal((await portal(t, 'PUT', `/payment-methods/${second}/default`, undefined, { token })).status, 200);
      const chosen = await portal(
        t,
        'PUT',
        `/subscriptions/${subscriptionId}/payment-method`,
        {
          paymentMethodId: second,
        },
        { token },
      );
      assert.equal(chosen.status, 200);
      assert.equal((await portal(t, 'DELETE', `/payment-methods/${second}`, undefined, { token })).status, 200);
    });
    assert.deepEqual(kindsOf(customer), [
      'payment_method_default_changed by customer',
      'subscription_payment_method_changed by customer',
      'payment_method_removed by customer',
      'payment_method_default_changed by customer',
      'subscription_payment_method_changed by customer',
    ]);
    assert.deepEqual(customer[1].details, { plan: 'Pro', brand: 'visa', last4: '1881' });
    assert.deepEqual([customer[3].subjectId, customer[4].details.last4], [first, '4242']);
    const removed = await recordedBy(t, accountId, async () => {
      await t.api('POST', `/api/accounts/${accountId}/payment-methods`, { token: testToken('succeeds', '0005') });
      const response = await t.api('DELETE', `/api/accounts/${accountId}/payment-methods/${first}`);
      assert.equal(response.status, 204, await response.clone().text());
    });
    assert.deepEqual(kindsOf(removed), [
      'payment_method_added by merchant',
      'payment_method_removed by merchant',
      'payment_method_default_changed by merchant',
      'subscription_payment_method_changed by merchant',
    ]);
  });

  test('a card the customer adds in the portal is theirs, and so is the subscription it goes to', async () => {
    const { accountId, subscriptionId } = await startSubscription(t, { manual: true });
    const { token } = await signInByEmail(t, 'ada@example.com');
    const entries = await recordedBy(t, accountId, async () => {
      const setup = await json(
        await portal(t, 'POST', '/payment-methods/setup', { subscriptionIds: [subscriptionId] }, { token }),
      );
      const saved = await portal(
        t,
        'POST',
        '/payment-methods',
        { setupId: setup.setupId, token: testToken() },
        {
          token,
        },
      );
      assert.equal(saved.status, 201, await saved.clone().text());
    });
    assert.deepEqual(kindsOf(entries), [
      'payment_method_added by customer',
      'subscription_payment_method_changed by customer',
    ]);
  });
});

describe('GET /portal/{store}/activity and GET /api/accounts/{id}/activity', () => {
  test('page newest first with a cursor, entries of one change in the order they were made', async () => {
    const accountId = await newAccount();
    for (let i = 0; i < 24; i++) {
      t.clock.advance(1000);
      await t.api('PATCH', `/api/accounts/${accountId}`, { phone: `+44 20 7946 ${String(1000 + i)}` });
    }
    const { token } = await signInByEmail(t, 'ada@example.com');
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=10&cursor=${encodeURIComponent(cursor)}` : '?limit=10';
      const response = await portal(t, 'GET', `/activity${query}`, undefined, { token });
      assert.equal(response.status, 200);
      const page = await json(response);
      seen.push(...page.data.map((e: { id: string }) => e.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    assert.equal(pages, 3);
    const all = await activityOf(t, accountId);
    assert.equal(all.length, 26);
    assert.deepEqual(seen, all.map((e) => e.id).reverse());
    const bad = await portal(t, 'GET', '/activity?cursor=nonsense', undefined, { token });
    assert.equal(bad.status, 400);
    assert.equal((await json(bad)).error.code, 'invalid_cursor');
  });

  test("a customer reads only their own account's log, and a store only its own accounts'", async () => {
    const ada = await newAccount('ada@example.com');
    const grace = await newAccount('grace@example.com');
    const other = await t.addStore('other');
    const { token } = await signInByEmail(t, 'grace@example.com');
    const mine = await json(await portal(t, 'GET', '/activity', undefined, { token }));
    assert.deepEqual(
      mine.data.map((e: { kind: string }) => e.kind),
      ['signed_in', 'account_created'],
    );
    assert.ok(!(await activityOf(t, grace)).some((e) => (mine.data as { id: string }[]).every((m) => m.id !== e.id)));
    assert.ok((await activityOf(t, ada)).every((e) => !(mine.data as { id: string }[]).some((m) => m.id === e.id)));
    const elsewhere = await t.api('GET', `/api/accounts/${ada}/activity`, undefined, { store: other });
    assert.equal(elsewhere.status, 404);
    assert.equal((await portal(t, 'GET', '/activity', undefined, { token, store: other })).status, 401);
    assert.equal((await portal(t, 'GET', '/activity')).status, 401);
  });

  test('are in both OpenAPI documents', async () => {
    const portalDoc = await json(await t.app.request('/portal/openapi.json'));
    assert.equal(portalDoc.paths['/{storeId}/activity'].get.operationId, 'listActivity');
    assert.equal(portalDoc.paths['/{storeId}/activity'].get['x-session-permission'], 'account:read');
    const apiDoc = await json(await t.app.request('/api/openapi.json'));
    assert.equal(apiDoc.paths['/accounts/{accountId}/activity'].get.operationId, 'listAccountActivity');
    assert.ok(portalDoc.components.schemas.ActivityEntry && apiDoc.components.schemas.ActivityEntry);
  });
});
