import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { events } from '../../server/db/schema';
import { createTestContext, json, type TestContext } from '../helpers/app';
import { portal, signInByEmail } from '../helpers/portal';

let t: TestContext;
let token: string;
beforeEach(async () => {
  t = await createTestContext();
  const created = await t.api('POST', '/api/accounts', {
    email: 'ada@example.com',
    firstName: 'Ada',
    lastName: 'Lovelace',
    customUserId: 'merchant-7',
    country: 'GB',
    address: { line1: "12 St James's Square", city: 'London', postalCode: 'SW1Y 4LB' },
    billingDetails: {
      country: 'GB',
      postalCode: 'SW1Y 4LB',
      businessName: 'Analytical Engines Ltd',
      taxId: 'GB123',
      isBusiness: true,
    },
  });
  assert.equal(created.status, 201);
  ({ token } = await signInByEmail(t, 'ada@example.com'));
});

/** The types of the events emitted after the account was created. */
const laterEvents = async () => (await t.db.select().from(events)).map((e) => e.type).slice(1);

/** The fields of a 422's details. */
async function fieldsOf(response: Response) {
  assert.equal(response.status, 422);
  const body = await json(response);
  assert.equal(body.error.code, 'validation_failed');
  return Object.fromEntries(body.error.details.map((d: { field: string; message: string }) => [d.field, d.message]));
}

describe('PATCH /portal/{store}/me', () => {
  test('changes only the fields sent, returns the portal view and emits account.updated', async () => {
    const response = await portal(
      t,
      'PATCH',
      '/me',
      {
        firstName: 'Augusta',
        phone: '+44 20 7946 0958',
        address: { line2: 'Flat 3' },
        language: 'de',
        country: 'gb',
      },
      { token },
    );
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const account = await json(response);
    assert.equal(account.firstName, 'Augusta');
    assert.equal(account.lastName, 'Lovelace');
    assert.equal(account.phone, '+44 20 7946 0958');
    assert.equal(account.language, 'de');
    assert.equal(account.country, 'GB');
    assert.deepEqual(account.address, {
      line1: "12 St James's Square",
      line2: 'Flat 3',
      city: 'London',
      region: null,
      postalCode: 'SW1Y 4LB',
    });
    assert.equal(account.email, 'ada@example.com');
    assert.equal('customUserId' in account, false);
    assert.deepEqual(await laterEvents(), ['account.updated']);
    const payload = JSON.parse((await t.db.select().from(events)).at(-1)!.payload);
    assert.equal(payload.data.firstName, 'Augusta');
    assert.deepEqual(await json(await portal(t, 'GET', '/me', undefined, { token })), account);
  });

  test('an empty string clears a field; a request that changes nothing emits nothing', async () => {
    const cleared = await json(await portal(t, 'PATCH', '/me', { lastName: '' }, { token }));
    assert.equal(cleared.lastName, null);
    assert.equal((await portal(t, 'PATCH', '/me', { firstName: 'Ada' }, { token })).status, 200);
    assert.deepEqual(await laterEvents(), ['account.updated']);
  });

  test("the email address and the merchant's user id cannot be changed: a 422 naming them", async () => {
    const fields = await fieldsOf(
      await portal(
        t,
        'PATCH',
        '/me',
        {
          email: 'eve@example.com',
          customUserId: 'mine-now',
          firstName: 'Eve',
        },
        { token },
      ),
    );
    assert.deepEqual(Object.keys(fields), ['']);
    assert.match(fields[''], /"email".*"customUserId"/);
    const me = await json(await portal(t, 'GET', '/me', undefined, { token }));
    assert.equal(me.email, 'ada@example.com');
    assert.equal(me.firstName, 'Ada', 'nothing of a rejected request is applied');
    assert.deepEqual(await laterEvents(), []);
  });

  test('a language tag of the right form that the runtime cannot canonicalise is a 422, not a 500', async () => {
    for (const language of ['xx-YY-zz', 'de-DE-de']) {
      const fields = await fieldsOf(await portal(t, 'PATCH', '/me', { language }, { token }));
      assert.deepEqual(Object.keys(fields), ['language'], language);
    }
    const created = await t.api('POST', '/api/accounts', { email: 'grace@example.com', language: 'xx-YY-zz' });
    assert.equal(created.status, 422);
  });

  test('reports every invalid field at once, in plain words', async () => {
    const fields = await fieldsOf(
      await portal(
        t,
        'PATCH',
        '/me',
        {
          firstName: 'x'.repeat(101),
          country: 'XX',
          language: 'not a language',
          phone: 'call me maybe',
          address: { city: 'y'.repeat(101) },
        },
        { token },
      ),
    );
    assert.deepEqual(Object.keys(fields).sort(), ['address.city', 'country', 'firstName', 'language', 'phone']);
    assert.equal(fields.firstName, 'Use at most 100 characters.');
    assert.match(fields.country, /country code/);
    assert.match(fields.phone, /digits/);
  });

  test('checks the postal code against the country, also when only one of them changes', async () => {
    const wrong = await fieldsOf(
      await portal(t, 'PATCH', '/me', { country: 'DE', address: { postalCode: '1011' } }, { token }),
    );
    assert.match(wrong['address.postalCode'], /10115/);
    const countryOnly = await fieldsOf(await portal(t, 'PATCH', '/me', { country: 'US' }, { token }));
    assert.ok(countryOnly['address.postalCode'], 'SW1Y 4LB is no US ZIP code');
    for (const [country, postalCode] of [
      ['US', '94103-1234'],
      ['US', '94103'],
      ['DE', '10115'],
      ['GB', 'EC1A 1BB'],
    ]) {
      const ok = await portal(t, 'PATCH', '/me', { country, address: { postalCode } }, { token });
      assert.equal(ok.status, 200, `${country} ${postalCode}`);
    }
    const elsewhere = await portal(
      t,
      'PATCH',
      '/me',
      { country: 'JP', address: { postalCode: '100-0001' } },
      { token },
    );
    assert.equal(elsewhere.status, 200, 'countries without a known format are not checked');
  });

  test('needs a session', async () => {
    assert.equal((await portal(t, 'PATCH', '/me', { firstName: 'Eve' })).status, 401);
  });
});

describe('PUT /portal/{store}/me/billing-details', () => {
  test('replaces the billing details as a whole and emits account.updated', async () => {
    const response = await portal(
      t,
      'PUT',
      '/me/billing-details',
      {
        country: 'de',
        state: 'Berlin',
        postalCode: '10115',
        businessName: 'Engines GmbH',
        taxId: 'DE 123 456 789',
        isBusiness: true,
      },
      { token },
    );
    assert.equal(response.status, 200);
    assert.deepEqual((await json(response)).billingDetails, {
      country: 'DE',
      state: 'Berlin',
      postalCode: '10115',
      businessName: 'Engines GmbH',
      taxId: 'DE 123 456 789',
      isBusiness: true,
    });
    const replaced = await json(
      await portal(t, 'PUT', '/me/billing-details', { country: 'US', postalCode: '94103' }, { token }),
    );
    assert.deepEqual(replaced.billingDetails, {
      country: 'US',
      state: null,
      postalCode: '94103',
      businessName: null,
      taxId: null,
      isBusiness: false,
    });
    assert.equal(replaced.firstName, 'Ada', 'contact data is untouched');
    assert.deepEqual(await laterEvents(), ['account.updated', 'account.updated']);
  });

  test('a business purchase needs a business name; postal code, country and tax id are checked', async () => {
    const fields = await fieldsOf(
      await portal(
        t,
        'PUT',
        '/me/billing-details',
        {
          country: 'US',
          postalCode: '1234',
          businessName: '',
          taxId: 'DE<script>',
          isBusiness: true,
        },
        { token },
      ),
    );
    assert.deepEqual(Object.keys(fields).sort(), ['businessName', 'postalCode', 'taxId']);
    assert.equal(fields.businessName, 'Enter the name of the business.');
    assert.match(fields.postalCode, /94103/);
    const country = await fieldsOf(await portal(t, 'PUT', '/me/billing-details', { country: 'Germany' }, { token }));
    assert.deepEqual(Object.keys(country), ['country']);
    const billing = (await json(await portal(t, 'GET', '/me', undefined, { token }))).billingDetails;
    assert.equal(billing.businessName, 'Analytical Engines Ltd', 'nothing of a rejected request is applied');
    assert.deepEqual(await laterEvents(), []);
  });

  test('unknown fields and a non-boolean isBusiness are 422s', async () => {
    const fields = await fieldsOf(
      await portal(t, 'PUT', '/me/billing-details', { vatExempt: true, isBusiness: 'yes' }, { token }),
    );
    assert.deepEqual(Object.keys(fields).sort(), ['', 'isBusiness']);
    assert.match(fields[''], /"vatExempt"/);
  });

  test('needs a session', async () => {
    assert.equal((await portal(t, 'PUT', '/me/billing-details', { country: 'DE' })).status, 401);
  });
});
