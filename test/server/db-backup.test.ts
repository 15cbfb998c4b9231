import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { inArray } from 'drizzle-orm';
import { runDbCli } from '../../server/cli/db-commands';
import { openDatabase } from '../../server/db/client';
import { orders } from '../../server/db/schema';
import { systemClock } from '../../server/lib/clock';
import { createStore } from '../../server/services/stores';
import { basic } from '../helpers/app';
import { startServer } from '../helpers/server-process';

const dir = mkdtempSync(join(tmpdir(), 'portal-backup-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const live = join(dir, 'live', 'portal.db');
const backup = join(dir, 'backup.db');
// A production server (no demo to seed) over a store made beforehand.
const env = { DATABASE_PATH: live, NODE_ENV: 'production', ALLOW_TEST_GATEWAY: 'true' };
const auth = await (async () => {
  const db = openDatabase(live);
  const { credentials } = await createStore(db, systemClock, { id: 'backup', name: 'Backup Test Store' });
  db.$client.close();
  return basic(credentials);
})();

/** Runs `npm run portal -- db …` as its own process on `databasePath`; resolves when it exits. */
async function portalDb(databasePath: string, ...args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/main.ts', 'db', ...args], {
    env: { ...process.env, DATABASE_PATH: databasePath },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

/** The same command run in this process (for the refusals, which need no load around them). */
async function portalDbHere(databasePath: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runDbCli(args, {
    databasePath,
    defaultPath: false,
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A backup of the live database, taken in this process, for the tests that need one but no load. */
async function backupNamed(name: string): Promise<string> {
  const file = join(dir, name);
  const result = await portalDbHere(live, 'backup', file);
  assert.equal(result.code, 0, result.err);
  return file;
}

/**
 * Keeps `concurrency` order POSTs in flight (each with its idempotency key) until
 * stopped, and notes for each acknowledged one (201) when its answer came.
 */
function orderLoad(url: string, concurrency: number) {
  const acknowledged: { id: string; sentAt: number; at: number }[] = [];
  const failures: string[] = [];
  let next = 0;
  let running = true;
  const sender = async () => {
    while (running) {
      const i = next++;
      const sentAt = performance.now();
      const response = await fetch(`${url}/api/orders`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json', 'idempotency-key': `backup-${i}` },
        body: JSON.stringify({
          customer: { email: `backup-${i % 53}@example.com` },
          currency: 'EUR',
          items: [{ product: 'backup-test', displayName: `Backup order ${i}`, quantity: 1, unitPrice: 100 + i }],
        }),
      });
      const body = (await response.json()) as { id?: string };
      if (response.status === 201 && body.id) acknowledged.push({ id: body.id, sentAt, at: performance.now() });
      else failures.push(`${response.status} ${JSON.stringify(body)}`);
    }
  };
  const senders = Array.from({ length: concurrency }, sender);
  return {
    acknowledged,
    failures,
    async untilAcknowledged(count: number) {
      while (acknowledged.length < count) await new Promise((resolve) => setTimeout(resolve, 20));
    },
    async stop() {
      running = false;
      await Promise.all(senders);
    },
  };
}

describe('npm run portal -- db backup / db restore', () => {
  test('a backup taken while orders keep coming in holds every order acknowledged before it began', async () => {
    const server = await startServer(env);
    let load: ReturnType<typeof orderLoad> | undefined;
    try {
      load = orderLoad(server.url, 6);
      await load.untilAcknowledged(50);
      const backupStarted = performance.now();
      const before = load.acknowledged.filter((o) => o.at < backupStarted).map((o) => o.id);
      const taken = await portalDb(live, 'backup', backup);
      const backupEnded = performance.now();
      assert.equal(taken.code, 0, taken.stderr);
      assert.match(taken.stdout, new RegExp(`Backing up the database at ${live}`));
      assert.match(
        taken.stdout,
        /Wrote .*backup\.db: \d+ pages of \d+ bytes \(\d+\.\d MiB\), \d+ migrations; PRAGMA integrity_check: ok\./,
      );
      const during = load.acknowledged.filter((o) => o.at > backupStarted && o.at < backupEnded).length;
      assert.ok(during > 0, 'orders were acknowledged while the backup ran');
      await load.stop();
      assert.deepEqual(load.failures, []);

      // The server is idle now, but has the database open: a restore into it is refused, and changes nothing.
      const refused = await portalDbHere(live, 'restore', backup);
      assert.equal(refused.code, 1);
      assert.match(
        refused.err,
        /^Error: The database at .*portal\.db is in use \(a running server or another command has it open\)\. Stop the server first, then restore\.$/,
      );
      const check = await fetch(`${server.url}/api/orders/${load.acknowledged.at(-1)!.id}`, {
        headers: { authorization: auth },
      });
      assert.equal(check.status, 200, 'the server still serves its own database');

      // A second backup to the same file is refused and leaves the first as it was.
      const firstBackup = readFileSync(backup);
      const again = await portalDbHere(live, 'backup', backup);
      assert.equal(again.code, 1);
      assert.equal(again.err, `Error: ${backup} exists; pass --force to overwrite it.`);
      assert.ok(readFileSync(backup).equals(firstBackup));
      assert.equal(await server.stop(), 0, server.output());

      const restoredPath = join(dir, 'restored', 'portal.db');
      const restored = await portalDb(restoredPath, 'restore', backup);
      assert.equal(restored.code, 0, restored.stderr);
      assert.match(restored.stdout, new RegExp(`Created ${restoredPath} with ${backup}`));
      const db = openDatabase(restoredPath);
      try {
        const found = await db.select({ id: orders.id }).from(orders).where(inArray(orders.id, before));
        assert.equal(found.length, before.length, `${before.length} orders acknowledged before the backup`);
        // One moment's snapshot: an order in it was committed after every order acknowledged before it was sent.
        const all = load.acknowledged;
        const held = new Set(
          (
            await db
              .select({ id: orders.id })
              .from(orders)
              .where(
                inArray(
                  orders.id,
                  all.map((o) => o.id),
                ),
              )
          ).map((o) => o.id),
        );
        for (const order of all.filter((o) => held.has(o.id))) {
          const missing = all.find((o) => o.at < order.sentAt && !held.has(o.id));
          assert.equal(missing, undefined, `the backup holds ${order.id} but not the earlier ${missing?.id}`);
        }
      } finally {
        db.$client.close();
      }
    } finally {
      await load?.stop();
      await server.stop();
    }
  });

  test('restore replaces a database whose -wal a crashed server left behind, and removes the log', async () => {
    const target = join(dir, 'crashed', 'portal.db');
    const backup = await backupNamed('for-crashed.db');
    assert.equal((await portalDbHere(target, 'restore', backup)).code, 0);
    // A commit still in the log, as a process killed before its checkpoint leaves it (close() would fold it in).
    const crashed = new Database(target);
    crashed.pragma('journal_mode = WAL');
    crashed.pragma('wal_autocheckpoint = 0');
    crashed.exec("UPDATE stores SET name = 'Changed after the backup'");
    copyFileSync(`${target}-wal`, join(dir, 'left-behind-wal'));
    crashed.close();
    copyFileSync(join(dir, 'left-behind-wal'), `${target}-wal`);

    const result = await portalDbHere(target, 'restore', backup);
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, new RegExp(`Replaced ${target} with ${backup}`));
    assert.deepEqual(readdirSync(join(dir, 'crashed')), ['portal.db'], 'no -wal, -shm or temporary file beside it');
    const db = openDatabase(target);
    try {
      const stores = db.$client.prepare('SELECT name FROM stores').all() as { name: string }[];
      assert.deepEqual(stores, [{ name: 'Backup Test Store' }]);
    } finally {
      db.$client.close();
    }
  });

  test('a file that is not a sound portal database is refused with a clear message, the database untouched', async () => {
    const target = join(dir, 'untouched', 'portal.db');
    const backup = await backupNamed('for-untouched.db');
    assert.equal((await portalDbHere(target, 'restore', backup)).code, 0);
    const original = readFileSync(target);

    const garbage = join(dir, 'garbage.db');
    writeFileSync(garbage, 'not a database at all, just some text that is long enough to be read'.repeat(100));
    const notSqlite = await portalDbHere(target, 'restore', garbage);
    assert.equal(notSqlite.code, 1);
    assert.equal(notSqlite.err, `Error: ${garbage} is not a SQLite database.`);

    const other = join(dir, 'other.db');
    const otherDb = new Database(other);
    otherDb.exec('CREATE TABLE notes (text TEXT)');
    otherDb.close();
    const notPortal = await portalDbHere(target, 'restore', other);
    assert.equal(notPortal.code, 1);
    assert.equal(
      notPortal.err,
      `Error: ${other} is a SQLite database but not a portal database (it has no migrations table).`,
    );

    // Damage the last page (the rows of some table): the header and schema still read.
    const damaged = join(dir, 'damaged.db');
    const bytes = readFileSync(backup);
    const pageSize = bytes.readUInt16BE(16);
    bytes.fill(0xa5, bytes.length - pageSize, bytes.length - pageSize / 2);
    writeFileSync(damaged, bytes);
    const corrupt = await portalDbHere(target, 'restore', damaged);
    assert.equal(corrupt.code, 1);
    assert.match(
      corrupt.err,
      /^Error: .*damaged\.db (is damaged: PRAGMA integrity_check says|cannot be read as a database)/,
    );

    const newer = join(dir, 'newer.db');
    copyFileSync(backup, newer);
    const newerDb = new Database(newer);
    newerDb.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('future', 9e15);
    newerDb.close();
    const fromFuture = await portalDbHere(target, 'restore', newer);
    assert.equal(fromFuture.code, 1);
    assert.match(fromFuture.err, /was written by a newer version of the portal/);

    const missing = await portalDbHere(target, 'restore', join(dir, 'nope.db'));
    assert.equal(missing.code, 1);
    assert.equal(missing.err, `Error: There is no backup at ${join(dir, 'nope.db')}.`);

    assert.ok(readFileSync(target).equals(original), 'the database was left as it was');
    assert.deepEqual(readdirSync(join(dir, 'untouched')), ['portal.db'], 'no temporary file is left behind');
  });

  test('backup onto the database itself is refused, even with --force', async () => {
    const before = readFileSync(live);
    const result = await portalDbHere(live, 'backup', live, '--force');
    assert.equal(result.code, 1);
    assert.equal(result.err, `Error: ${live} is the database itself; back it up to another file.`);
    assert.ok(readFileSync(live).equals(before));
  });

  test('backup of a database that is not there fails without creating one', async () => {
    const nowhere = join(dir, 'nowhere', 'portal.db');
    const result = await portalDbHere(nowhere, 'backup', join(dir, 'never.db'));
    assert.equal(result.code, 1);
    assert.equal(result.err, `Error: There is no database at ${nowhere}.`);
    assert.equal(existsSync(nowhere), false);
    assert.equal(existsSync(join(dir, 'never.db')), false);
  });
});
