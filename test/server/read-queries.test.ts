import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTestContext, json } from '../helpers/app';
import { oneTimeOrder } from '../helpers/fixtures';
import { setSeller } from '../helpers/invoices';
import { portal, signInByEmail } from '../helpers/portal';
import { tablesOf } from '../helpers/sql';

/** The tables each statement a request runs reads from, in order. */
async function tablesRead(run: () => Response | Promise<Response>, log: { lines: string[] | null }): Promise<string[]> {
  log.lines = [];
  const response = await run();
  assert.equal(response.status, 200, await response.clone().text());
  const lines = log.lines;
  log.lines = null;
  return lines.map(tablesOf).filter(Boolean);
}

describe('what a read costs in statements', () => {
  const log: { lines: string[] | null } = { lines: null };
  const setup = async () => {
    const t = await createTestContext({ trace: (sql) => log.lines?.push(sql) });
    await setSeller(t);
    const order = await json(await t.api('POST', '/api/orders', oneTimeOrder({})));
    const session = await signInByEmail(t, 'ada@example.com');
    return { t, order, session };
  };

  test('a signed-in Portal API request checks its session and reads its account once', async () => {
    const { t, session } = await setup();
    for (const path of ['/me', '/orders']) {
      const tables = await tablesRead(() => portal(t, 'GET', path, undefined, { token: session.token }), log);
      assert.equal(tables.filter((x) => x === 'sessions').length, 1, `${path}: ${tables.join(', ')}`);
      assert.equal(tables.filter((x) => x === 'accounts').length, 1, `${path}: ${tables.join(', ')}`);
    }
  });

  test('an order view reads refunds and credit notes only for orders that were refunded', async () => {
    const { t, order } = await setup();
    const before = await tablesRead(() => t.api('GET', `/api/orders/${order.id}`), log);
    assert.deepEqual(
      before.filter((x) => x === 'refunds' || x === 'credit_notes'),
      [],
      before.join(', '),
    );
    assert.equal((await t.api('POST', `/api/orders/${order.id}/refunds`, { amount: 100 })).status, 201);
    const after = await tablesRead(() => t.api('GET', `/api/orders/${order.id}`), log);
    assert.deepEqual(
      after.filter((x) => x === 'refunds' || x === 'credit_notes'),
      ['refunds', 'credit_notes'],
      after.join(', '),
    );
    const view = await json(await t.api('GET', `/api/orders?accountId=${order.accountId}`));
    assert.equal(view.data[0].creditNotes.length, 1, 'and the list shows the credit note');
  });
});
