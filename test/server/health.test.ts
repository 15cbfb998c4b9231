import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createApp } from '../../server/app';
import type { Logger } from '../../server/lib/logger';
import { createTurns } from '../../server/lib/turns';
import { createTestContext, json } from '../helpers/app';
import { closeDatabase } from '../helpers/engine-sql';

/** A logger that keeps what it is told. */
function keepingLogger() {
  const lines: string[] = [];
  const keep = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  const logger: Logger = { info: keep('info'), warn: keep('warn'), error: keep('error') };
  return { logger, lines };
}

/** Turns whose queue never moves: every request but the health check waits forever. */
const stuckTurns = () => createTurns({ budgetMs: -1, now: () => 0, nextIteration: () => {} });

describe('GET /health', () => {
  test('answers 200 with the database reachable, never cached', async () => {
    const t = await createTestContext();
    const response = await t.app.request('/health');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await json(response), { ok: true, database: 'ok' });
  });

  test('answers 503 once the database stops answering, and says so in the log once, not per check', async () => {
    const { logger, lines } = keepingLogger();
    const t = await createTestContext({ logger });
    assert.equal((await t.app.request('/health')).status, 200);
    await closeDatabase(t.db);
    for (let i = 0; i < 3; i++) {
      const response = await t.app.request('/health');
      assert.equal(response.status, 503);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.deepEqual(await json(response), { ok: false, database: 'unreachable' });
    }
    assert.deepEqual(lines, ['error Health check: the database is unreachable'], 'one line per outage, not per check');
  });

  test('both answers come while every other request waits for its turn', { timeout: 5_000 }, async () => {
    const t = await createTestContext();
    const app = createApp(t.deps, { turns: stuckTurns() });
    let answered = false;
    void Promise.resolve(app.request('/portal/shop/config')).then(() => (answered = true));
    const up = await app.request('/health');
    assert.equal(up.status, 200);
    await closeDatabase(t.db);
    const down = await app.request('/health');
    assert.equal(down.status, 503);
    assert.deepEqual(await json(down), { ok: false, database: 'unreachable' });
    assert.equal(answered, false, 'the Portal API request is still waiting for its turn');
  });
});
