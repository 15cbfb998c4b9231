import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createApp } from '../../server/app';
import { createTurns } from '../../server/lib/turns';
import { createTestContext } from '../helpers/app';

/** An event loop run by hand: `iterate()` runs what was scheduled for the next iteration; the clock moves on demand. */
function handLoop() {
  let time = 0;
  let scheduled: (() => void)[] = [];
  return {
    now: () => time,
    nextIteration: (run: () => void) => void scheduled.push(run),
    spend: (ms: number) => void (time += ms),
    async iterate() {
      const runs = scheduled;
      scheduled = [];
      for (const run of runs) run();
      await new Promise((resolve) => setImmediate(resolve)); // lets the resolved turns' continuations run
    },
  };
}

describe('turns on the event loop', () => {
  test('requests start at once while an iteration stays within its budget, in every iteration', async () => {
    const loop = handLoop();
    const turns = createTurns({ budgetMs: 10, now: loop.now, nextIteration: loop.nextIteration });
    for (let iteration = 0; iteration < 3; iteration++) {
      for (let i = 0; i < 5; i++) {
        assert.equal(turns.take(), undefined, `iteration ${iteration}, request ${i} starts at once`);
        loop.spend(2);
      }
      await loop.iterate();
    }
    assert.equal(turns.waiting, 0);
  });

  test('past the budget requests queue and start one per iteration, first come first served', async () => {
    const loop = handLoop();
    const turns = createTurns({ budgetMs: 10, now: loop.now, nextIteration: loop.nextIteration });
    const started: number[] = [];
    for (let i = 0; i < 8; i++) {
      const turn = turns.take();
      if (turn) void turn.then(() => started.push(i));
      else started.push(i);
      loop.spend(3);
    }
    assert.deepEqual(started, [0, 1, 2, 3], 'the first 10 ms worth started at once');
    assert.equal(turns.waiting, 4);
    // A request that arrives while others wait goes behind them, whatever the time.
    void turns.take()!.then(() => started.push(8));
    for (const expected of [4, 5, 6, 7, 8]) {
      await loop.iterate();
      assert.equal(started.at(-1), expected, `iteration lets ${expected} in`);
    }
    await loop.iterate();
    assert.equal(turns.waiting, 0);
    assert.equal(turns.take(), undefined, 'with the queue empty, a request starts at once again');
  });

  test('a queued request does not hold its turn while it waits on I/O', async () => {
    const loop = handLoop();
    const turns = createTurns({ budgetMs: 0, now: loop.now, nextIteration: loop.nextIteration });
    loop.spend(1);
    assert.equal(turns.take(), undefined);
    loop.spend(1);
    const first = turns.take();
    const second = turns.take();
    assert.ok(first && second, 'both queue past a zero budget');
    let secondStarted = false;
    void second.then(() => (secondStarted = true));
    await loop.iterate(); // first starts and, say, awaits a payment gateway that never answers
    await loop.iterate();
    assert.equal(secondStarted, true, 'the next request starts in the next iteration regardless');
  });

  test('the health check is answered while every other request waits for its turn', async () => {
    const ctx = await createTestContext();
    const loop = handLoop();
    const turns = createTurns({ budgetMs: -1, now: loop.now, nextIteration: loop.nextIteration });
    const app = createApp(ctx.deps, { turns });
    const waiting = app.request('/portal/shop/config');
    const health = await app.request('/health');
    assert.equal(health.status, 200);
    assert.equal(turns.waiting, 1, 'the Portal API request waits for its turn');
    await loop.iterate();
    assert.equal((await waiting).status, 200, 'and is answered on its turn');
  });
});
