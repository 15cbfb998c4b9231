import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { runCli } from '../../server/cli/commands';
import { getStore } from '../../server/services/stores';
import { createTestContext, json, type TestContext } from '../helpers/app';

let t: TestContext;
beforeEach(async () => {
  t = await createTestContext();
});

const DEFAULTS = {
  renewalReminderDaysYearly: 7,
  renewalReminderDaysMonthly: null,
  trialEndingReminderDays: 3,
  cardExpiryReminders: true,
  reminderEmails: true,
};

const get = async () => {
  const response = await t.api('GET', '/api/store/reminders');
  assert.equal(response.status, 200);
  return json(response);
};

describe('GET /api/store/reminders', () => {
  test('answers the defaults for a new store', async () => {
    assert.deepEqual(await get(), DEFAULTS);
  });

  test('needs the store credentials', async () => {
    const response = await t.app.request('/api/store/reminders');
    assert.equal(response.status, 401);
  });
});

describe('PATCH /api/store/reminders', () => {
  test('changes only the fields given; null turns a reminder off', async () => {
    const response = await t.api('PATCH', '/api/store/reminders', {
      renewalReminderDaysMonthly: 5,
      renewalReminderDaysYearly: null,
      reminderEmails: false,
    });
    assert.equal(response.status, 200);
    const expected = {
      ...DEFAULTS,
      renewalReminderDaysMonthly: 5,
      renewalReminderDaysYearly: null,
      reminderEmails: false,
    };
    assert.deepEqual(await json(response), expected);
    assert.deepEqual(await get(), expected);
    const again = await t.api('PATCH', '/api/store/reminders', { trialEndingReminderDays: 30 });
    assert.equal(again.status, 200);
    assert.deepEqual(await json(again), { ...expected, trialEndingReminderDays: 30 });
  });

  test('leaves the other settings and the other stores alone', async () => {
    const other = await t.addStore('other');
    const before = (await getStore(t.db, 'shop')).settings;
    const response = await t.api('PATCH', '/api/store/reminders', { cardExpiryReminders: false });
    assert.equal(response.status, 200);
    assert.deepEqual((await getStore(t.db, 'shop')).settings, { ...before, cardExpiryReminders: false });
    const theirs = await t.api('GET', '/api/store/reminders', undefined, { store: other });
    assert.equal(theirs.status, 200);
    assert.deepEqual(await json(theirs), DEFAULTS);
  });

  const invalid: [string, unknown, string][] = [
    ['a lead of 0 days', { renewalReminderDaysYearly: 0 }, 'renewalReminderDaysYearly'],
    ['more than 60 days', { renewalReminderDaysMonthly: 61 }, 'renewalReminderDaysMonthly'],
    ['a trial lead over 30 days', { trialEndingReminderDays: 31 }, 'trialEndingReminderDays'],
    ['a fraction of a day', { trialEndingReminderDays: 1.5 }, 'trialEndingReminderDays'],
    ['days as text', { renewalReminderDaysYearly: '7' }, 'renewalReminderDaysYearly'],
    ['a switch as text', { reminderEmails: 'false' }, 'reminderEmails'],
    ['a switch turned null', { cardExpiryReminders: null }, 'cardExpiryReminders'],
    ['an unknown field', { renewalReminderDays: 7 }, ''],
    ['another setting', { pauseEnabled: true }, ''],
  ];
  for (const [what, body, field] of invalid) {
    test(`refuses ${what} with 422 validation_failed and changes nothing`, async () => {
      const response = await t.api('PATCH', '/api/store/reminders', body);
      assert.equal(response.status, 422);
      const { error } = await json(response);
      assert.equal(error.code, 'validation_failed');
      assert.ok(
        error.details.some((d: { field: string }) => d.field === field),
        JSON.stringify(error.details),
      );
      assert.deepEqual(await get(), DEFAULTS);
    });
  }

  test('refuses a body that is not JSON with 400 invalid_json', async () => {
    const response = await t.api('PATCH', '/api/store/reminders', '{"reminderEmails":');
    assert.equal(response.status, 400);
    assert.equal((await json(response)).error.code, 'invalid_json');
  });
});

describe('npm run portal -- store set: reminder settings', () => {
  const cli = async (...argv: string[]) => {
    const err: string[] = [];
    const out: string[] = [];
    const code = await runCli(argv, { db: t.db, clock: t.clock, out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  test('sets them by name (either spelling), null turns one off, and the Server API shows them', async () => {
    assert.equal((await cli('store', 'set', 'shop', 'renewal-reminder-days-monthly', '10')).code, 0);
    const off = await cli('store', 'set', 'shop', 'trialEndingReminderDays', 'null');
    assert.equal(off.code, 0);
    assert.equal(off.out, 'Set trialEndingReminderDays of store "shop" to null.');
    assert.equal((await cli('store', 'set', 'shop', 'reminderEmails', 'false')).code, 0);
    assert.deepEqual(await get(), {
      ...DEFAULTS,
      renewalReminderDaysMonthly: 10,
      trialEndingReminderDays: null,
      reminderEmails: false,
    });
  });

  test('refuses a value out of range with exit code 2', async () => {
    const result = await cli('store', 'set', 'shop', 'renewalReminderDaysYearly', '90');
    assert.equal(result.code, 2);
    assert.match(result.err, /^Error: Invalid value for renewalReminderDaysYearly: Use at most 60 days\.$/);
    assert.deepEqual(await get(), DEFAULTS);
  });

  test('lists them among the settings in its help', async () => {
    const help = await cli('help', 'set');
    assert.equal(help.code, 0);
    for (const name of Object.keys(DEFAULTS)) assert.ok(help.out.includes(name), name);
  });
});
