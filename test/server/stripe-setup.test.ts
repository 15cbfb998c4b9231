import { first } from '../../server/db/query';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { accounts } from '../../server/db/schema';
import { createTestContext, json, type TestContext } from '../helpers/app';
import {
  cardMethod,
  FAKE_KEYS,
  fakeStripeEnv,
  startFakeStripe,
  stripeGatewayFor,
  type FakeStripe,
} from '../helpers/fake-stripe';
import { oneTimeOrder } from '../helpers/fixtures';
import { portal, signInByEmail } from '../helpers/portal';

let fake: FakeStripe;
let t: TestContext;
let session: string;
before(async () => {
  fake = await startFakeStripe();
});
after(() => fake.close());
beforeEach(async () => {
  t = await createTestContext({ stripe: fakeStripeEnv(fake) });
  assert.equal((await t.api('POST', '/api/orders', oneTimeOrder())).status, 201);
  session = (await signInByEmail(t, 'ada@example.com')).token;
});

async function startSetup() {
  const response = await portal(t, 'POST', '/payment-methods/setup', { language: 'de' }, { token: session });
  assert.equal(response.status, 201, await response.clone().text());
  return json(response) as Promise<{ setupId: string; url: string }>;
}

/** What Stripe.js does in the customer's browser: confirms the SetupIntent with the card, with the publishable key. */
async function confirmInBrowser(clientSecret: string, number: string) {
  const response = await fetch(`${fake.url}/v1/setup_intents/${clientSecret.split('_secret_')[0]}/confirm`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${FAKE_KEYS.publishableKey}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      client_secret: clientSecret,
      'payment_method_data[type]': 'card',
      'payment_method_data[card][number]': number,
      'payment_method_data[card][exp_month]': '12',
      'payment_method_data[card][exp_year]': '2034',
    }),
  });
  return response.json() as Promise<{ status: string; payment_method: string }>;
}

describe('GET /gateway/stripe/setup/{setupId}', () => {
  test("mounts the Payment Element on a SetupIntent for the account's Stripe customer, loading Stripe.js on this page only", async () => {
    const setup = await startSetup();
    assert.equal(new URL(setup.url).pathname, `/gateway/stripe/setup/${setup.setupId}`);
    const customer = first(
      await t.db.select().from(accounts).where(eq(accounts.email, 'ada@example.com')),
    )!.processorCustomerId;
    assert.match(customer!, /^cus_/, 'the customer is made at the first setup and remembered on the account');
    const page = await t.app.request(new URL(setup.url).pathname + new URL(setup.url).search);
    assert.equal(page.status, 200);
    const csp = page.headers.get('content-security-policy')!;
    assert.match(csp, new RegExp(`script-src 'self' ${fake.url}`));
    assert.match(csp, new RegExp(`connect-src ${fake.url}`));
    assert.match(csp, /frame-ancestors https:\/\/shop\.example https:\/\/portal\.test/);
    const html = await page.text();
    assert.ok(html.includes(`<script src="${fake.url}/v3/"></script>`));
    assert.ok(html.includes(FAKE_KEYS.publishableKey));
    assert.ok(!html.includes(FAKE_KEYS.secretKey));
    const intent = [...fake.state.setupIntents.values()].find((i) => i.metadata.portal_setup_id === setup.setupId)!;
    assert.equal(intent.customer, customer);
    assert.ok(html.includes(intent.client_secret));
    assert.equal((await t.app.request(new URL(setup.url).pathname)).status, 200);
    assert.equal(
      [...fake.state.setupIntents.values()].filter((i) => i.metadata.portal_setup_id === setup.setupId).length,
      1,
      'reloading the page reuses the SetupIntent',
    );
    assert.equal((await t.app.request('/gateway/stripe/setup/setup_unknown')).status, 404);
    assert.equal((await t.app.request('/gateway/test/setup.js')).status, 404, "the test gateway's pages are gone");
  });

  test("the method Stripe.js saved finishes the setup; another customer's method is refused", async () => {
    const setup = await startSetup();
    await t.app.request(new URL(setup.url).pathname);
    const intent = [...fake.state.setupIntents.values()].find((i) => i.metadata.portal_setup_id === setup.setupId)!;
    const confirmed = await confirmInBrowser(intent.client_secret, '5555555555554444');
    assert.equal(confirmed.status, 'succeeded');
    // A card saved for somebody else at Stripe: its pm_ id must not be usable by this customer.
    const gateway = stripeGatewayFor(fake);
    const stolen = await cardMethod(fake, '4242424242424242');
    await gateway.retrieveMethod(stolen, {
      storeId: 'shop',
      accountId: 'acc_someone_else',
      email: 'eve@example.com',
      name: null,
      customerId: null,
    });
    const refused = await portal(
      t,
      'POST',
      '/payment-methods',
      { setupId: setup.setupId, token: stolen },
      { token: session },
    );
    assert.equal(refused.status, 402);
    assert.equal((await json(refused)).error.details.declineCode, 'invalid_token');
    const saved = await portal(
      t,
      'POST',
      '/payment-methods',
      { setupId: setup.setupId, token: confirmed.payment_method },
      { token: session },
    );
    assert.equal(saved.status, 201);
    const method = await json(saved);
    assert.deepEqual(
      [method.brand, method.last4, method.expMonth, method.expYear, method.isDefault],
      ['mastercard', '4444', 12, 2034, true],
    );
    assert.ok(!JSON.stringify(method).includes(confirmed.payment_method), 'the pm_ id is write-only');
  });
});
