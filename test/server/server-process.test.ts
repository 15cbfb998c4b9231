import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { readEnv } from '../../server/env';
import { startServer } from '../helpers/server-process';

const dir = mkdtempSync(join(tmpdir(), 'portal-server-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const auth = `Basic ${Buffer.from('demo-user:demo-secret-123').toString('base64')}`;
const env = {
  DATABASE_PATH: join(dir, 'nested', 'portal.db'),
  DEMO_API_USER: 'demo-user',
  DEMO_API_PASSWORD: 'demo-secret-123',
};

async function countAccounts(url: string): Promise<number> {
  let count = 0;
  let cursor: string | null = null;
  do {
    const response: Response = await fetch(`${url}/api/accounts?limit=100${cursor ? `&cursor=${cursor}` : ''}`, {
      headers: { authorization: auth },
    });
    assert.equal(response.status, 200);
    const page = (await response.json()) as { data: unknown[]; nextCursor: string | null };
    count += page.data.length;
    cursor = page.nextCursor;
  } while (cursor);
  return count;
}

describe('npm start (server/main.ts)', () => {
  test('starts on a fresh database file, serves the demo store, and shuts down cleanly', async () => {
    const server = await startServer(env);
    try {
      const health = await fetch(`${server.url}/health`);
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { ok: true, database: 'ok' });
      assert.ok((await countAccounts(server.url)) >= 5);
      const order = await fetch(`${server.url}/api/orders`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          customer: { email: 'real-server@example.com' },
          currency: 'EUR',
          items: [{ product: 'anything', displayName: 'A thing', quantity: 1, unitPrice: 100 }],
        }),
      });
      assert.equal(order.status, 201);
      const malformed = await fetch(`${server.url}/api/orders`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: '{',
      });
      assert.equal(malformed.status, 400);
      assert.equal(((await malformed.json()) as { error: { code: string } }).error.code, 'invalid_json');
    } finally {
      assert.equal(await server.stop('SIGTERM'), 0, server.output());
    }

    const db = new Database(env.DATABASE_PATH, { readonly: true });
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.ok((db.prepare('select count(*) n from __drizzle_migrations').get() as { n: number }).n >= 1);
    db.close();
  });

  test('a restart on the same file seeds nothing twice and keeps what was written', async () => {
    const first = await startServer(env);
    const before = await countAccounts(first.url);
    assert.equal(await first.stop('SIGINT'), 0);
    const second = await startServer(env);
    try {
      assert.equal(await countAccounts(second.url), before);
      const found = await fetch(`${second.url}/api/accounts?email=real-server@example.com`, {
        headers: { authorization: auth },
      });
      assert.equal(((await found.json()) as { data: unknown[] }).data.length, 1);
    } finally {
      assert.equal(await second.stop(), 0);
    }
  });

  test('refuses to start with a bad environment, naming the variable', async () => {
    await assert.rejects(startServer({ ...env, PORT: 'eighty' }), /PORT/);
  });

  test('with DATABASE_URL it runs on PostgreSQL; one it cannot reach stops the start, named without its password', async () => {
    await assert.rejects(
      startServer({ ...env, DATABASE_URL: 'postgres://portal:secret@127.0.0.1:1/portal' }),
      (error: Error) => {
        assert.match(error.message, /exited with 1/);
        assert.match(
          error.message,
          /Cannot open the database \(PostgreSQL postgres:\/\/portal:\*\*\*@127\.0\.0\.1:1\/portal\)/,
        );
        assert.doesNotMatch(error.message, /secret/, 'the URL (its password) is not printed');
        return true;
      },
    );
  });

  test('refuses to start in production with the test payment gateway unless allowed', async () => {
    await assert.rejects(startServer({ ...env, NODE_ENV: 'production' }), /test payment gateway.*ALLOW_TEST_GATEWAY/s);
  });
});

describe('readEnv', () => {
  test('RENEWAL_INTERVAL_SECONDS: a minute by default, 5 to 3600 seconds, anything else refused by name', () => {
    assert.equal(readEnv({}).renewalIntervalMs, 60_000);
    assert.equal(readEnv({ RENEWAL_INTERVAL_SECONDS: '' }).renewalIntervalMs, 60_000);
    assert.equal(readEnv({ RENEWAL_INTERVAL_SECONDS: '300' }).renewalIntervalMs, 300_000);
    for (const bad of ['2', '3601', '1.5', 'soon']) {
      assert.throws(() => readEnv({ RENEWAL_INTERVAL_SECONDS: bad }), /RENEWAL_INTERVAL_SECONDS/);
    }
  });

  test('TRUST_PROXY: off by default; true is one hop; a hop count; a list of proxy addresses; anything else refused by name', () => {
    assert.equal(readEnv({}).trustProxy, 0);
    assert.equal(readEnv({ TRUST_PROXY: 'false' }).trustProxy, 0);
    assert.equal(readEnv({ TRUST_PROXY: 'true' }).trustProxy, 1);
    assert.equal(readEnv({ TRUST_PROXY: '1' }).trustProxy, 1);
    assert.equal(readEnv({ TRUST_PROXY: '2' }).trustProxy, 2);
    assert.deepEqual(readEnv({ TRUST_PROXY: '10.0.0.1,10.0.0.2' }).trustProxy, ['10.0.0.1', '10.0.0.2']);
    for (const bad of ['yes', 'lb.internal', '10.0.0.1;10.0.0.2', '-1']) {
      assert.throws(() => readEnv({ TRUST_PROXY: bad }), /TRUST_PROXY: .*hop count/);
    }
  });

  test('DATABASE_URL, DATABASE_POOL_SIZE, DATABASE_STATEMENT_TIMEOUT_MS: SQLite without a URL; a postgres URL; checked by name', () => {
    assert.equal(readEnv({}).postgres, null);
    assert.equal(readEnv({ DATABASE_URL: '' }).postgres, null);
    assert.deepEqual(readEnv({ DATABASE_URL: 'postgres://u:p@db:5432/portal' }).postgres, {
      url: 'postgres://u:p@db:5432/portal',
      poolSize: 10,
      statementTimeoutMs: 30_000,
    });
    assert.deepEqual(
      readEnv({
        DATABASE_URL: 'postgresql://db/portal',
        DATABASE_POOL_SIZE: '40',
        DATABASE_STATEMENT_TIMEOUT_MS: '0',
      }).postgres,
      { url: 'postgresql://db/portal', poolSize: 40, statementTimeoutMs: 0 },
    );
    for (const bad of ['mysql://u:secret@db/portal', 'db.internal:5432', 'postgres://']) {
      assert.throws(
        () => readEnv({ DATABASE_URL: bad }),
        (error: Error) => /DATABASE_URL: Use a PostgreSQL URL/.test(error.message) && !error.message.includes('secret'),
      );
    }
    for (const bad of ['0', '1.5', 'many', '1001']) {
      assert.throws(() => readEnv({ DATABASE_URL: 'postgres://db/p', DATABASE_POOL_SIZE: bad }), /DATABASE_POOL_SIZE/);
    }
    for (const bad of ['-1', 'soon', '1.5']) {
      assert.throws(
        () => readEnv({ DATABASE_URL: 'postgres://db/p', DATABASE_STATEMENT_TIMEOUT_MS: bad }),
        /DATABASE_STATEMENT_TIMEOUT_MS/,
      );
    }
  });

  test('REQUEST_TIMEOUT_SECONDS and MAX_CONNECTIONS: 30 s and 2000 by default, checked', () => {
    assert.deepEqual(readEnv({}).http, { requestTimeoutMs: 30_000, maxConnections: 2000 });
    assert.deepEqual(readEnv({ REQUEST_TIMEOUT_SECONDS: '5', MAX_CONNECTIONS: '100' }).http, {
      requestTimeoutMs: 5_000,
      maxConnections: 100,
    });
    for (const bad of ['0', 'soon', '1.5']) {
      assert.throws(() => readEnv({ REQUEST_TIMEOUT_SECONDS: bad }), /REQUEST_TIMEOUT_SECONDS/);
      assert.throws(() => readEnv({ MAX_CONNECTIONS: bad }), /MAX_CONNECTIONS/);
    }
  });
});
