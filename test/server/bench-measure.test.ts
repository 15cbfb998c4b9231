import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { measureInterleaved } from '../../bench/lib/measure';
import { holdInMemory } from '../../bench/lib/page-cache';

const dir = mkdtempSync(join(tmpdir(), 'bench-measure-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A server that notes when it answered each request. */
async function countingServer(): Promise<{ server: Server; url: string; answeredAt: number[] }> {
  const answeredAt: number[] = [];
  const server = createServer((_request, response) => {
    answeredAt.push(performance.now());
    response.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, answeredAt };
}

/** How many separate stretches `mine` falls into, `theirs` lying between them. */
function stretches(mine: number[], theirs: number[]): number {
  const all = [...mine.map((at) => ({ at, mine: true })), ...theirs.map((at) => ({ at, mine: false }))];
  all.sort((a, b) => a.at - b.at);
  return all.filter((entry, i) => entry.mine && (i === 0 || !all[i - 1].mine)).length;
}

describe("bench:api's measurements", () => {
  test('interleaves the servers in turns, each measured for its whole duration, its counts added up', async () => {
    const [a, b] = [await countingServer(), await countingServer()];
    try {
      const side = (name: string, url: string) => ({
        name,
        url,
        path: () => '/',
        connections: 2,
        durationSeconds: 1.2,
        warmupSeconds: 0,
      });
      const [ma, mb] = await measureInterleaved([side('a', a.url), side('b', b.url)], 0.4, 0.2);
      for (const [m, s] of [
        [ma, a],
        [mb, b],
      ] as const) {
        assert.ok(m.responses > 0, `${m.name} answered`);
        // Three turns of 0.4 s each (and the last answers before autocannon stops), after 0.2 s each not counted.
        assert.ok(
          m.durationSeconds >= 1.15 && m.durationSeconds < 1.2 + 3 * 0.2,
          `${m.name} ran ${m.durationSeconds} s`,
        );
        assert.ok(m.responses < s.answeredAt.length * 0.9, `${m.name}: the settling requests are not counted`);
        assert.ok(m.responses > s.answeredAt.length * 0.4, m.name);
        assert.equal(m.requestsPerSecond, m.responses / m.durationSeconds);
        assert.ok(m.p99Ms > 0 && m.p99Ms <= m.maxMs);
      }
      // a, b, b, a, a, b (the order rotates from turn to turn): each in two stretches at least, the other's between.
      assert.ok(stretches(a.answeredAt, b.answeredAt) >= 2);
      assert.ok(stretches(b.answeredAt, a.answeredAt) >= 2);
    } finally {
      a.server.close();
      b.server.close();
    }
  });

  test('holds a database file mapped in memory until it is released', () => {
    const path = join(dir, 'held.db');
    const db = new Database(path);
    db.exec(
      'create table t (x blob); with recursive n(i) as (select 1 union all select i + 1 from n where i < 500) insert into t select randomblob(1000) from n',
    );
    db.close();
    const mapped = () => readFileSync('/proc/self/maps', 'utf8').includes(path);
    assert.equal(mapped(), false);
    const held = holdInMemory(path);
    try {
      assert.equal(held.bytes, held.fileBytes);
      assert.ok(held.fileBytes > 500_000);
      assert.equal(mapped(), true);
    } finally {
      held.release();
    }
    assert.equal(mapped(), false);
  });
});
