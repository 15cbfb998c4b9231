import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { asc, desc, getTableColumns, sql, type Column } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { drizzle as pgDrizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { runDbCli } from '../../server/cli/db-commands';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from '../../server/cli/exit-codes';
import { copyDatabase, copyPlan, normaliseRow, parseStore, type CopiedTable } from '../../server/db/copy';
import { openPostgres } from '../../server/db/postgres';
import { accountActivity } from '../../server/db/schema-pg';
import { runRenewals } from '../../server/services/billing/renewals/run';
import { createTestContext, json } from '../helpers/app';
import { createCatalog, oneTimeOrder } from '../helpers/fixtures';
import { setSeller } from '../helpers/invoices';
import { startPostgres, type Postgres } from '../helpers/postgres';
import { subscribedCustomer } from '../helpers/subscriptions';

const dir = mkdtempSync(join(tmpdir(), 'portal-copy-'));
const source = join(dir, 'source.db');
const plan = copyPlan();
let cluster: Postgres;
let admin: postgres.Sql;
let databases = 0;

/** A new, empty database on the throwaway cluster: its URL. */
async function createDatabase(): Promise<string> {
  const name = `copy_${++databases}`;
  await admin.unsafe(`create database ${name}`);
  return cluster.url.replace(/\/postgres$/, `/${name}`);
}

type Row = Record<string, unknown>;

/** Every table's rows as read through the table objects, in primary-key order. */
async function rowsOf(db: { select(): any }, engine: 'sqlite' | 'pg'): Promise<Record<string, Row[]>> {
  const result: Record<string, Row[]> = {};
  for (const table of plan) {
    const columns = getTableColumns(table[engine]) as Record<string, Column>;
    result[table.name] = await db
      .select()
      .from(table[engine])
      .orderBy(...table.key.map((k) => asc(columns[k])));
  }
  return result;
}

async function sqliteRows(file: string) {
  const connection = new Database(file, { readonly: true });
  try {
    return await rowsOf(drizzle(connection, { casing: 'snake_case' }), 'sqlite');
  } finally {
    connection.close();
  }
}

async function pgRows(url: string) {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await rowsOf(pgDrizzle(client, { casing: 'snake_case' }), 'pg');
  } finally {
    await client.end();
  }
}

/** `db …` run in this process, as main.ts runs it. */
async function dbHere(args: string[], env: { databasePath?: string; databaseUrl?: string } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runDbCli(args, {
    databasePath: env.databasePath ?? source,
    defaultPath: false,
    databaseUrl: env.databaseUrl,
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** `npm run portal -- db …` as its own process. */
async function dbProcess(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/main.ts', 'db', ...args], {
    env: { ...process.env, DATABASE_URL: '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

/**
 * A store's life through the Server and Portal APIs: catalog, seller, a webhook
 * endpoint, a one-time order with a licence key and a download, a gift, a subscription
 * on a saved card (so a session, a login and activity), a renewal, a refund with its
 * credit note; and a second store.
 */
async function seed(file: string): Promise<void> {
  const t = await createTestContext({ databasePath: file, now: '2026-03-10T12:00:00Z' });
  try {
    // Makes the studio catalog, orders a subscription on a saved card and signs in.
    const customer = await subscribedCustomer(t, { email: 'carol@example.com' });
    await setSeller(t);
    const hook = await t.api('POST', '/api/webhook-endpoints', { url: 'https://merchant.example/hooks' });
    assert.equal(hook.status, 201, await hook.clone().text());
    const order = await t.api('POST', '/api/orders', oneTimeOrder());
    assert.equal(order.status, 201, await order.clone().text());
    const gift = await t.api(
      'POST',
      '/api/orders',
      oneTimeOrder({ gift: { recipient: { email: 'bob@example.com', firstName: 'Bob' }, message: 'Happy birthday!' } }),
    );
    assert.equal(gift.status, 201, await gift.clone().text());
    const cancel = await customer.call('POST', '/cancel', { reason: 'too_expensive' });
    assert.equal(cancel.status, 200, await cancel.clone().text());
    const other = await t.addStore('other');
    await createCatalog(t, other);
    await subscribedCustomer(t, { email: 'dan@example.com', store: other });
    t.clock.set('2026-04-10T12:00:01Z');
    await runRenewals(t.deps);
    const refund = await t.api('POST', `/api/orders/${(await json(order)).id}/refunds`, { reason: 'Changed mind' });
    assert.equal(refund.status, 201, await refund.clone().text());
  } finally {
    t.db.$client.close();
  }
}

before(async () => {
  cluster = await startPostgres();
  admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
  await seed(source);
});

after(async () => {
  await admin?.end();
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run portal -- db copy', () => {
  test('the plan holds every table of the schema, each after the tables it references, keyed by its primary key', () => {
    const names = plan.map((t) => t.name);
    assert.equal(new Set(names).size, names.length);
    for (const [i, table] of plan.entries()) {
      for (const parent of parentsOf(table)) {
        assert.ok(names.indexOf(parent) < i, `${parent} is copied before ${table.name}`);
      }
    }
    assert.deepEqual(plan.find((t) => t.name === 'idempotency_keys')?.key, ['storeId', 'scope', 'key']);
    assert.deepEqual(
      plan.filter((t) => !t.unique).map((t) => t.name),
      [],
      'every table has a primary key (rate_limit_hits since it has ids)',
    );
    assert.ok(names.indexOf('stores') === 0 && names.includes('account_activity') && names.includes('credit_notes'));
  });

  test('SQLite → PostgreSQL → a new SQLite file: every table reads back deep-equal to the original', async () => {
    const original = await sqliteRows(source);
    for (const name of [
      'orders',
      'order_items',
      'fulfilments',
      'gift_recipients',
      'subscriptions',
      'payment_methods',
      'refunds',
      'credit_notes',
      'webhook_endpoints',
      'events',
      'sessions',
      'invoices',
      'subscription_charges',
      'email_attachments',
      'account_activity',
    ]) {
      assert.ok(original[name]?.length > 0, `the seed wrote rows into ${name}`);
    }

    const url = await createDatabase();
    const copied = await dbProcess(['copy', '--to', url], { DATABASE_PATH: source });
    assert.equal(copied.code, EXIT_OK, copied.stderr);
    assert.match(copied.stdout, new RegExp(`Copying the database at ${source} into the PostgreSQL database at `));
    assert.match(copied.stdout, /^Migrated the PostgreSQL database: applied \d+ migrations?\.$/m);
    assert.match(copied.stdout, /^table +source +target$/m);
    for (const name of plan.map((t) => t.name)) {
      const n = original[name].length;
      assert.match(copied.stdout, new RegExp(`^${name} +${n} +${n}$`, 'm'), `${name}: ${n} rows on both sides`);
    }
    assert.match(copied.stdout, /every table's row count and digest agree/);
    assert.deepEqual(await pgRows(url), original);

    const back = join(dir, 'back.db');
    const returned = await dbHere(['copy', '--to', `sqlite:${back}`], { databaseUrl: url });
    assert.equal(returned.code, EXIT_OK, returned.err);
    assert.match(returned.out, /Copying the PostgreSQL database at .* \(DATABASE_URL\) into .*back\.db/);
    assert.deepEqual(await sqliteRows(back), original);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.startsWith('back')),
      ['back.db'],
      'one self-contained file, nothing left beside it',
    );

    // A row inserted after the copy gets a fresh seq: the identity sequence was moved past the copied ids.
    const client = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const db = pgDrizzle(client, { casing: 'snake_case' });
      const [last] = await db.select().from(accountActivity).orderBy(desc(accountActivity.seq)).limit(1);
      const { seq: _seq, ...entry } = last;
      const [inserted] = await db
        .insert(accountActivity)
        .values({ ...entry, id: 'act_after_copy' })
        .returning({ seq: accountActivity.seq });
      assert.equal(inserted.seq, last.seq + 1);
    } finally {
      await client.end();
    }
  });

  test('pages of two rows: composite keys, a table without a key and duplicate rows copy whole; the source is read as of one moment', async () => {
    const file = join(dir, 'paged.db');
    copyFileSync(source, file);
    const writer = new Database(file);
    writer.pragma('journal_mode = WAL');
    const idempotency = writer.prepare(
      'insert into idempotency_keys (store_id, scope, key, request_hash, response_status, response_body, created_at, expires_at) values (?, ?, ?, ?, 201, ?, 1, 2)',
    );
    for (const store of ['shop', 'other']) {
      for (const scope of ['POST /api/orders', 'POST /api/webhook-endpoints']) {
        for (const key of ['a', 'b', 'c']) idempotency.run(store, scope, key, `${store}${scope}${key}`, '{}');
      }
    }
    const hit = writer.prepare('insert into rate_limit_hits (bucket, at) values (?, ?)');
    for (const at of [5, 5, 5, 6, 7]) hit.run('bucket', at);
    const original = await sqliteRows(file);
    assert.equal(original.rate_limit_hits.filter((r) => r.bucket === 'bucket').length, 5);

    const url = await createDatabase();
    // Writes to the source while the copy runs (after its first table) are not in the copy.
    const logger = {
      info(message: string, fields?: Record<string, unknown>) {
        if (message === 'Copied table' && fields?.table === 'stores') {
          writer
            .prepare(
              "insert into stores (id, name, api_user, api_password_hash, created_at, updated_at) values ('late', 'Late', 'late', 'x', 1, 1)",
            )
            .run();
          hit.run('late', 8);
        }
      },
      warn() {},
      error() {},
    };
    const report = await copyDatabase(
      { engine: 'sqlite', path: file },
      { engine: 'postgres', url },
      { pageRows: 2, logger },
    );
    writer.close();
    assert.equal(report.verified, true);
    assert.deepEqual(await pgRows(url), original);
    assert.equal((await sqliteRows(file)).stores.length, original.stores.length + 1, 'the late store is in the source');

    const back = join(dir, 'paged-back.db');
    await copyDatabase({ engine: 'postgres', url }, { engine: 'sqlite', path: back }, { pageRows: 2 });
    assert.deepEqual(await sqliteRows(back), original);
  });

  test('refuses a PostgreSQL database with rows in a portal table, and leaves it as it was', async () => {
    const url = await createDatabase();
    assert.equal((await dbHere(['copy', '--to', url])).code, EXIT_OK);
    const before = await pgRows(url);
    const again = await dbHere(['copy', '--to', url]);
    assert.equal(again.code, EXIT_FAILED);
    assert.match(again.err, /^Error: The PostgreSQL database at postgres:\/\/.* is not empty \(rows in stores, /);
    assert.match(again.err, /copy into an empty database\.$/);
    assert.deepEqual(await pgRows(url), before);
  });

  test('refuses an existing SQLite file, the same engine on both ends, bad targets and command lines', async () => {
    const existing = join(dir, 'existing.db');
    writeFileSync(existing, 'keep me');
    const url = await createDatabase();
    assert.equal((await dbHere(['copy', '--to', url])).code, EXIT_OK);
    const exists = await dbHere(['copy', '--to', existing], { databaseUrl: url });
    assert.equal(exists.code, EXIT_FAILED);
    assert.equal(exists.err, `Error: ${existing} exists; copy into a new file.`);

    const usage = async (args: string[], message: RegExp, env = {}) => {
      const result = await dbHere(args, env);
      assert.equal(result.code, EXIT_USAGE, `${args.join(' ')}: ${result.err}`);
      assert.match(result.err, message);
      assert.match(result.err, /Usage: npm run portal -- db copy --to </);
    };
    await usage(['copy'], /Missing --to <target>\./);
    await usage(['copy', '--to', 'mysql://db/portal'], /"mysql:\/\/" is not a database this portal runs on/);
    await usage(['copy', '--to', 'postgres://'], /names no host/);
    await usage(['copy', '--to', 'sqlite:'], /sqlite: names no file/);
    await usage(['copy', '--to', join(dir, 'other.db')], /Both ends are SQLite/);
    await usage(['copy', '--to', url], /Both ends are PostgreSQL/, { databaseUrl: url });
    await usage(['copy', 'extra', '--to', url], /Unexpected argument "extra"/);

    const unreachable = await dbHere(['copy', '--to', 'postgres://portal:s3cret@127.0.0.1:1/portal']);
    assert.equal(unreachable.code, EXIT_FAILED);
    assert.match(
      unreachable.err,
      /Cannot open the PostgreSQL database at postgres:\/\/portal:\*\*\*@127\.0\.0\.1:1\/portal/,
    );
    assert.doesNotMatch(unreachable.out + unreachable.err, /s3cret/);

    const empty = await createDatabase();
    const notPortal = await dbHere(['copy', '--to', join(dir, 'never.db')], { databaseUrl: empty });
    assert.equal(notPortal.code, EXIT_FAILED);
    assert.match(
      notPortal.err,
      /^Error: The PostgreSQL database at .* is not a portal database \(it has no migrations table\)\.$/,
    );
    const probe = postgres(empty, { max: 1, onnotice: () => {} });
    const [{ tables }] = await probe<
      { tables: string }[]
    >`select count(*) as tables from pg_tables where schemaname = 'public'`;
    await probe.end();
    assert.equal(Number(tables), 0, 'the source was not migrated');
    assert.equal(existsSync(join(dir, 'never.db')), false);

    const noSource = await dbHere(['copy', '--to', url], { databasePath: join(dir, 'missing.db') });
    assert.equal(noSource.code, EXIT_FAILED);
    assert.match(noSource.err, /There is no database at /);

    // Backup and restore refuse with DATABASE_URL set: they work on the SQLite file; PostgreSQL has pg_dump.
    const backup = await dbHere(['backup', join(dir, 'b.db')], { databaseUrl: url });
    assert.equal(backup.code, EXIT_FAILED);
    assert.match(backup.err, /db backup works on the SQLite file.*pg_dump/);
    assert.deepEqual(parseStore('sqlite:///var/portal.db'), { engine: 'sqlite', path: '/var/portal.db' });
  });

  test('a row the target rejects in the middle of the copy rolls everything back: the target stays empty', async () => {
    const url = await createDatabase();
    const db = await openPostgres(url, { poolSize: 1, logger: { info() {}, warn() {}, error() {} } });
    try {
      await db.execute(sql`alter table credit_notes add constraint no_credit_notes check (false)`);
    } finally {
      await db.$client.end();
    }
    const failed = await dbHere(['copy', '--to', url]);
    assert.equal(failed.code, EXIT_FAILED);
    assert.match(
      failed.err,
      /^Error: Could not write credit_notes into the target: new row for relation "credit_notes" violates check constraint "no_credit_notes"\. Nothing was written to the target \(the copy was rolled back\)\.$/,
    );
    assert.doesNotMatch(failed.err, /INV-CN-/, 'no row values in the message');
    const rows = await pgRows(url);
    assert.deepEqual(
      Object.entries(rows).filter(([, r]) => r.length > 0),
      [],
    );
  });

  test('a copy that reads back differently is not committed: the table of counts marks the table, exit 1', async () => {
    const url = await createDatabase();
    const db = await openPostgres(url, { poolSize: 1, logger: { info() {}, warn() {}, error() {} } });
    try {
      await db.execute(
        sql.raw(`create function rename_product() returns trigger language plpgsql as $$
          begin new.name := new.name || ' (changed)'; return new; end $$;
          create trigger rename_product before insert on products for each row execute function rename_product()`),
      );
    } finally {
      await db.$client.end();
    }
    const failed = await dbHere(['copy', '--to', url]);
    assert.equal(failed.code, EXIT_FAILED);
    assert.match(failed.err, /^products +\d+ +\d+ +DIFFERS$/m);
    assert.doesNotMatch(failed.err, /^stores .*DIFFERS$/m);
    assert.match(failed.err, /Error: The copy differs from the source in products; nothing was written/);
    assert.deepEqual(
      Object.entries(await pgRows(url)).filter(([, r]) => r.length > 0),
      [],
    );
  });

  test('a PostgreSQL copy that fails leaves no SQLite file behind', async () => {
    const url = await createDatabase();
    assert.equal((await dbHere(['copy', '--to', url])).code, EXIT_OK);
    // A column the table objects read is gone: reading refunds fails half-way through the copy.
    const client = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await client.unsafe('alter table refunds rename column reason to reason_gone');
    } finally {
      await client.end();
    }
    const target = join(dir, 'half.db');
    const failed = await dbHere(['copy', '--to', target], { databaseUrl: url });
    assert.equal(failed.code, EXIT_FAILED);
    assert.match(
      failed.err,
      /^Error: Could not read refunds from the source: column "reason" does not exist\. Nothing/,
    );
    assert.equal(existsSync(target), false);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes('half')),
      [],
    );
  });

  test('rows normalise the same on both engines: dates as epoch ms, bytes as base64, keys sorted', () => {
    assert.deepEqual(
      JSON.stringify(
        normaliseRow({ b: Buffer.from('hi'), a: new Date(5), c: { z: 1, y: [new Date(1)] }, d: null, e: true }),
      ),
      '{"a":5,"b":"aGk=","c":{"y":[1],"z":1},"d":null,"e":true}',
    );
  });
});

function parentsOf(table: CopiedTable): string[] {
  return getTableConfig(table.sqlite).foreignKeys.map(
    (foreignKey) => getTableConfig(foreignKey.reference().foreignTable as SQLiteTable).name,
  );
}
