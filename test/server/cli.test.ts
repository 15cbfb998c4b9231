import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeEach, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createApp } from '../../server/app';
import { runCli } from '../../server/cli/commands';
import type { Db } from '../../server/db/client';
import { createDeps } from '../../server/deps';
import { FakeClock } from '../../server/lib/clock';
import { hashSecret } from '../../server/lib/crypto';
import { silentLogger } from '../../server/lib/logger';
import { findStore } from '../../server/services/stores/stores';
import { basic, createTestContext, json, openTestDatabase } from '../helpers/app';
import { rowsOf } from '../helpers/engine-sql';
import { oneTimeOrder } from '../helpers/fixtures';
import { invoices, stores } from '../../server/db/schema';
import { eq } from 'drizzle-orm';
import { storeSettings } from '../../server/lib/store-settings';

const root = fileURLToPath(new URL('../../', import.meta.url));

let db: Db;
let clock: FakeClock;
let app: ReturnType<typeof createApp>;

beforeEach(async () => {
  db = await openTestDatabase();
  clock = new FakeClock();
  const deps = createDeps({
    db,
    clock,
    logger: silentLogger,
    config: { production: false, publicBaseUrl: 'https://portal.test' },
  });
  app = createApp(deps);
});

/** Runs the CLI against the test database and collects what it printed. */
async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { db, clock, out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out: out.join('\n'), err: err.join('\n'), errLines: err };
}

function credentialsIn(output: string) {
  const user = /API user:\s+(\S+)/.exec(output)?.[1];
  const password = /API password:\s+(\S+)/.exec(output)?.[1];
  assert.ok(user && password, `credentials in: ${output}`);
  return { user, password };
}

const accountsAs = (credentials: { user: string; password: string }) =>
  app.request('/api/accounts', { headers: { authorization: basic(credentials) } });

/** Asserts a one-line error without a stack trace and returns it. */
function oneLineError(result: Awaited<ReturnType<typeof cli>>): string {
  assert.equal(result.errLines.length, 1, result.err);
  assert.doesNotMatch(result.err, /\n|\s+at\s+\S+\s+\(/);
  assert.equal(result.out, '');
  return result.err;
}

describe('portal store create', () => {
  test('prints credentials once that authenticate against the Server API', async () => {
    const result = await cli(
      'store',
      'create',
      'acme',
      '--name',
      'Acme Software',
      '--origin',
      'https://shop.acme.example',
      '--origin',
      'http://localhost:3000',
      '--portal-url',
      'https://shop.acme.example/account',
    );
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /shown only once/);
    const credentials = credentialsIn(result.out);
    const response = await accountsAs(credentials);
    assert.equal(response.status, 200);
    const store = (await findStore(db, 'acme'))!;
    assert.equal(store.name, 'Acme Software');
    assert.deepEqual(store.allowedOrigins, ['https://shop.acme.example', 'http://localhost:3000']);
    assert.equal(store.portalUrl, 'https://shop.acme.example/account');
  });

  test('stores only a hash of the password', async () => {
    const { password } = credentialsIn((await cli('store', 'create', 'acme', '--name', 'Acme')).out);
    const rows = JSON.stringify(await rowsOf(db, 'SELECT * FROM stores'));
    assert.ok(!rows.includes(password), 'the password is not in the database');
    assert.equal((await findStore(db, 'acme'))!.apiPasswordHash, hashSecret(password));
  });

  test('a missing --name, a missing id and a bad origin are usage errors (exit 2)', async () => {
    assert.match(oneLineError(await cli('store', 'create', 'acme')), /Missing --name/);
    const missingId = await cli('store', 'create');
    assert.equal(missingId.code, 2);
    assert.match(oneLineError(missingId), /Missing <id>/);
    const badOrigin = await cli('store', 'create', 'acme', '--name', 'Acme', '--origin', 'https://shop.example/path');
    assert.equal(badOrigin.code, 2);
    assert.match(oneLineError(badOrigin), /is not an origin/);
    assert.equal((await cli('store', 'create', 'Not An Id', '--name', 'X')).code, 2);
    assert.equal(await findStore(db, 'acme'), undefined, 'nothing was created');
  });

  test("a duplicate store id fails (exit 1) and keeps the first store's credentials", async () => {
    const first = credentialsIn((await cli('store', 'create', 'acme', '--name', 'Acme')).out);
    const again = await cli('store', 'create', 'acme', '--name', 'Other');
    assert.equal(again.code, 1);
    assert.match(oneLineError(again), /already exists/);
    assert.equal((await accountsAs(first)).status, 200);
  });
});

describe('portal store list', () => {
  test('shows id, name, origins, portal URL and API user, never secrets', async () => {
    const { user, password } = credentialsIn(
      (
        await cli(
          'store',
          'create',
          'acme',
          '--name',
          'Acme Software',
          '--origin',
          'https://shop.acme.example',
          '--portal-url',
          'https://shop.acme.example/account',
        )
      ).out,
    );
    await cli('store', 'create', 'beta', '--name', 'Beta');
    const result = await cli('store', 'list');
    assert.equal(result.code, 0);
    const [header, acme, beta] = result.out.split('\n');
    assert.match(header, /^ID\s+NAME\s+ORIGINS\s+PORTAL URL\s+API USER$/);
    const acmeRow = ['acme', 'Acme Software', 'https://shop.acme.example', 'https://shop.acme.example/account', user];
    assert.deepEqual(acme.split(/\s{2,}/), acmeRow);
    assert.match(beta, /^beta\s+Beta\s+-\s+- \(hosted page\)\s+beta_/);
    const hash = (await findStore(db, 'acme'))!.apiPasswordHash;
    const json = await cli('store', 'list', '--json');
    for (const output of [result.out, json.out]) {
      assert.ok(!output.includes(password) && !output.includes(hash), 'no password and no hash');
    }
    assert.deepEqual(
      JSON.parse(json.out).map((s: { id: string }) => s.id),
      ['acme', 'beta'],
    );
  });

  test('says how to create a store when there is none', async () => {
    const result = await cli('store', 'list');
    assert.equal(result.code, 0);
    assert.match(result.out, /No stores yet.*store create/);
  });
});

describe('portal store rotate-credentials', () => {
  test('the old credentials stop working and the new ones work', async () => {
    const old = credentialsIn((await cli('store', 'create', 'acme', '--name', 'Acme')).out);
    const result = await cli('store', 'rotate-credentials', 'acme');
    assert.equal(result.code, 0, result.err);
    const fresh = credentialsIn(result.out);
    assert.notEqual(fresh.password, old.password);
    assert.equal((await accountsAs(old)).status, 401);
    assert.equal((await accountsAs(fresh)).status, 200);
  });

  test('an unknown store fails with exit code 1', async () => {
    const result = await cli('store', 'rotate-credentials', 'nope');
    assert.equal(result.code, 1);
    assert.match(oneLineError(result), /no store with id "nope"/);
  });
});

describe('portal store set', () => {
  beforeEach(async () => {
    await cli('store', 'create', 'acme', '--name', 'Acme', '--origin', 'https://shop.acme.example');
  });

  test('sets a boolean and a number setting', async () => {
    assert.equal((await cli('store', 'set', 'acme', 'emailVerificationRequired', 'false')).code, 0);
    const result = await cli('store', 'set', 'acme', 'session-idle-seconds', '3600');
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /sessionIdleSeconds .* 3600/);
    const settings = storeSettings((await findStore(db, 'acme'))!);
    assert.equal(settings.emailVerificationRequired, false);
    assert.equal(settings.sessionIdleSeconds, 3600);
  });

  test('sets allowedOrigins from a comma-separated list and clears portalUrl with null', async () => {
    assert.equal(
      (await cli('store', 'set', 'acme', 'allowedOrigins', 'https://a.example, https://b.example:8443')).code,
      0,
    );
    assert.equal((await cli('store', 'set', 'acme', 'portalUrl', 'https://a.example/account')).code, 0);
    assert.deepEqual((await findStore(db, 'acme'))!.allowedOrigins, ['https://a.example', 'https://b.example:8443']);
    assert.equal((await findStore(db, 'acme'))!.portalUrl, 'https://a.example/account');
    assert.equal((await cli('store', 'set', 'acme', 'portal-url', 'null')).code, 0);
    assert.equal((await findStore(db, 'acme'))!.portalUrl, null);
  });

  test('an unknown setting lists the known ones', async () => {
    const result = await cli('store', 'set', 'acme', 'colour', 'blue');
    assert.equal(result.code, 2);
    assert.match(
      oneLineError(result),
      /Unknown setting "colour"\. Known settings: .*allowedOrigins.*sessionIdleSeconds/,
    );
  });

  test('a bad value changes nothing', async () => {
    const tooShort = await cli('store', 'set', 'acme', 'sessionIdleSeconds', '5');
    assert.equal(tooShort.code, 2);
    assert.match(oneLineError(tooShort), /Invalid value for sessionIdleSeconds/);
    assert.equal((await cli('store', 'set', 'acme', 'passwordLogin', 'maybe')).code, 2);
    assert.match(oneLineError(await cli('store', 'set', 'acme', 'allowedOrigins', 'shop.example')), /not an origin/);
    const store = (await findStore(db, 'acme'))!;
    assert.deepEqual(store.allowedOrigins, ['https://shop.acme.example']);
    assert.equal(storeSettings(store).sessionIdleSeconds, 1800);
    assert.equal(storeSettings(store).passwordLogin, false);
  });

  test('support and portal URLs must be https (support also mailto:) without quotes, spaces or control characters', async () => {
    for (const [setting, value] of [
      ['supportUrl', 'javascript:alert(1)'],
      ['supportUrl', 'JAVASCRIPT:alert(1)'],
      ['supportUrl', 'http://shop.example/help'],
      ['supportUrl', 'https://shop.example/help"onmouseover="alert(1)'],
      ['supportUrl', 'data:text/html,hi'],
      ['portalUrl', 'http://shop.example/account'],
      ['portalUrl', 'javascript:alert(1)'],
      ['portalUrl', 'https://shop.example/account\u0007'],
      ['portalUrl', 'https://shop.example/my account'],
    ]) {
      const result = await cli('store', 'set', 'acme', setting, value);
      assert.equal(result.code, 2, `${setting} ${value}`);
      assert.match(oneLineError(result), /Invalid|URL/, `${setting} ${value}`);
    }
    const store = (await findStore(db, 'acme'))!;
    assert.equal(storeSettings(store).supportUrl, null);
    assert.equal(store.portalUrl, null);
    assert.equal((await cli('store', 'set', 'acme', 'supportUrl', 'mailto:help@acme.example')).code, 0);
    assert.equal((await cli('store', 'set', 'acme', 'supportUrl', 'https://acme.example/help')).code, 0);
    assert.equal(storeSettings((await findStore(db, 'acme'))!).supportUrl, 'https://acme.example/help');
    const created = await cli(
      'store',
      'create',
      'beta',
      '--name',
      'Beta',
      '--portal-url',
      'http://beta.example/account',
    );
    assert.equal(created.code, 2);
    assert.equal(await findStore(db, 'beta'), undefined);
  });

  test('missing arguments and an unknown store', async () => {
    assert.match(oneLineError(await cli('store', 'set', 'acme', 'pauseEnabled')), /Missing <value>/);
    const unknown = await cli('store', 'set', 'nope', 'pauseEnabled', 'true');
    assert.equal(unknown.code, 1);
    assert.match(oneLineError(unknown), /no store with id "nope"/);
  });
});

describe('portal command line', () => {
  test('unknown commands and options are usage errors (exit 2)', async () => {
    const wrong = [
      ['frobnicate'],
      ['store'],
      ['store', 'frob'],
      ['store', 'list', '--bogus'],
      ['store', 'list', 'extra'],
    ];
    for (const argv of wrong) {
      const result = await cli(...argv);
      assert.equal(result.code, 2, argv.join(' '));
      assert.match(oneLineError(result), /^Error: .*Usage: npm run portal -- /);
    }
  });

  test('help lists the commands and exits 0; no arguments prints it as an error', async () => {
    for (const argv of [['help'], ['--help'], ['-h']]) {
      const result = await cli(...argv);
      assert.equal(result.code, 0);
      for (const command of ['store create', 'store list', 'store rotate-credentials', 'store set']) {
        assert.ok(result.out.includes(command), command);
      }
    }
    const setHelp = await cli('store', 'set', '--help');
    assert.equal(setHelp.code, 0);
    assert.match(setHelp.out, /Settings: name, allowedOrigins, portalUrl,/);
    const bare = await cli();
    assert.equal(bare.code, 2);
    assert.match(bare.err, /Usage:/);
  });
});

describe('npm run portal (the real process)', () => {
  test('without DATABASE_PATH it says it used data/portal.db', () => {
    const dir = mkdtempSync(join(tmpdir(), 'portal-cli-default-'));
    try {
      const env = { ...process.env };
      delete env.DATABASE_PATH;
      // Run from an empty folder, so that the default data/portal.db is a new file there.
      const tsx = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
      const help = spawnSync(process.execPath, ['--import', tsx, join(root, 'server/cli/main.ts'), 'store', 'list'], {
        cwd: dir,
        env,
        encoding: 'utf8',
        timeout: 30_000,
      });
      assert.equal(help.status, 0, help.stderr);
      assert.equal(
        help.stderr,
        `Database: ${join(dir, 'data', 'portal.db')} (the default; set DATABASE_PATH for another)\n`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('with DATABASE_URL it uses PostgreSQL, never the SQLite file: one it cannot reach is named without its password', () => {
    const dir = mkdtempSync(join(tmpdir(), 'portal-cli-pg-'));
    try {
      const env = {
        ...process.env,
        DATABASE_PATH: join(dir, 'portal.db'),
        DATABASE_URL: 'postgres://portal:secret@127.0.0.1:1/portal',
      };
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/main.ts', 'store', 'list'], {
        cwd: root,
        env,
        encoding: 'utf8',
        timeout: 30_000,
      });
      assert.equal(run.status, 1, run.stderr);
      assert.match(
        run.stderr,
        /Cannot open the database \(PostgreSQL postgres:\/\/portal:\*\*\*@127\.0\.0\.1:1\/portal\)/,
      );
      assert.doesNotMatch(run.stderr, /secret/);
      assert.equal(existsSync(env.DATABASE_PATH), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('creates and lists stores in the database at DATABASE_PATH', () => {
    const dir = mkdtempSync(join(tmpdir(), 'portal-cli-'));
    try {
      const env = { ...process.env, DATABASE_PATH: join(dir, 'nested', 'portal.db') };
      const run = (...args: string[]) =>
        spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/main.ts', ...args], {
          cwd: root,
          env,
          encoding: 'utf8',
          timeout: 30_000,
        });
      const created = run(
        'store',
        'create',
        'acme',
        '--name',
        'Acme Software',
        '--origin',
        'https://shop.acme.example',
      );
      assert.equal(created.status, 0, created.stderr);
      const { user } = credentialsIn(created.stdout);
      assert.equal(created.stderr, `Database: ${resolve(env.DATABASE_PATH)}\n`, 'it says which database it changed');
      const listed = run('store', 'list');
      assert.equal(listed.status, 0, listed.stderr);
      assert.match(listed.stdout, new RegExp(`acme\\s+Acme Software\\s+https://shop.acme.example\\s+.*${user}`));
      const bad = run('store', 'rotate-credentials', 'nope');
      assert.equal(bad.status, 1);
      assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
      assert.doesNotMatch(bad.stderr, /\s+at\s/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('store seller', () => {
  test('shows what invoices still need, merges changes and clears a field with ""', async () => {
    await cli('store', 'create', 'acme', '--name', 'Acme');
    const empty = await cli('store', 'seller', 'acme');
    assert.equal(empty.code, 0);
    assert.match(empty.out, /cannot be issued until these are set: legalName, addressLine1, city, country, email/);
    const set = await cli(
      'store',
      'seller',
      'acme',
      '--legal-name',
      'Acme Ltd',
      '--address-line1',
      '1 Main St',
      '--city',
      'Dublin',
      '--country',
      'ie',
      '--email',
      'billing@acme.example',
      '--vat-id',
      'IE1234567T',
    );
    assert.equal(set.code, 0, set.err);
    assert.match(set.out, /Complete: invoices can be issued\./);
    assert.equal((await findStore(db, 'acme'))!.seller!.country, 'IE');
    const cleared = await cli('store', 'seller', 'acme', '--vat-id', '', '--json');
    assert.equal(JSON.parse(cleared.out).vatId, null);
    assert.equal(JSON.parse(cleared.out).legalName, 'Acme Ltd');
    const bad = await cli('store', 'seller', 'acme', '--email', 'nope');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /seller details are invalid/);
  });
});

describe('store issue-missing-invoices', () => {
  test('issues the invoices older orders lack, numbered on in order of sale, once', async () => {
    const t = await createTestContext({ now: '2026-03-01T12:00:00.000Z' });
    const recorded = [];
    for (const reference of ['OLD-1', 'OLD-2', 'OLD-3']) {
      const response = await t.api('POST', '/api/orders', oneTimeOrder({ reference }));
      assert.equal(response.status, 201);
      recorded.push(await json(response));
      t.clock.advance(60_000);
    }
    const free = await json(
      await t.api(
        'POST',
        '/api/orders',
        oneTimeOrder({
          reference: 'FREE',
          items: [{ product: 'toolkit', displayName: 'Free', quantity: 1, unitPrice: 0, tax: 0 }],
        }),
      ),
    );
    // As a database from before invoices: the orders are there, their invoices are not, the sequence is at 0.
    await t.db.delete(invoices);
    await t.db.update(stores).set({ lastInvoiceNumber: 0 }).where(eq(stores.id, 'shop'));
    const after = await json(await t.api('POST', '/api/orders', oneTimeOrder({ reference: 'NEW-1' })));
    assert.equal(after.invoiceNumber, 'INV-2026-000001', 'a new order takes the first number');

    const out: string[] = [];
    const io = { db: t.db, clock: t.clock, out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
    assert.equal(await runCli(['store', 'issue-missing-invoices', 'shop'], io), 0, out.join('\n'));
    assert.deepEqual(out, ['Issued 3 invoices for store "shop".']);
    const numbers = await Promise.all(
      recorded.map(async (o) => (await json(await t.api('GET', `/api/orders/${o.id}`))).invoiceNumber),
    );
    assert.deepEqual(numbers, ['INV-2026-000002', 'INV-2026-000003', 'INV-2026-000004']);
    assert.equal((await json(await t.api('GET', `/api/orders/${free.id}`))).invoiceNumber, null, 'nothing to pay');
    const pdf = await t.api('GET', `/api/orders/${recorded[0].id}/invoice.pdf?lang=en`);
    assert.equal(pdf.status, 409, 'a PDF needs the seller details, as for every invoice');

    out.length = 0;
    assert.equal(await runCli(['store', 'issue-missing-invoices', 'shop'], io), 0);
    assert.deepEqual(out, ['Issued 0 invoices for store "shop".'], 'running it again issues none');
    assert.equal(await runCli(['store', 'issue-missing-invoices', 'nope'], io), 1);
  });
});
