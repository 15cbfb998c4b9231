import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { prepared } from '../../server/db/prepared';
import { stores } from '../../server/db/schema';
import type { DbOrTx } from '../../server/db/types';
import { createTestContext } from '../helpers/app';

test('a prepared statement is built once per connection, not once per transaction (on either engine)', async () => {
  const t = await createTestContext();
  let builds = 0;
  const storeId = (db: DbOrTx) =>
    prepared(db, 'test:store-id', (root) => {
      builds++;
      return root
        .select({ id: stores.id })
        .from(stores)
        .where(eq(stores.id, sql.placeholder('id')))
        .prepare();
    }).get({ id: t.store.id });
  for (let i = 0; i < 5; i++) {
    const found = await t.db.transaction(async (tx) => await storeId(tx));
    assert.equal(found?.id, t.store.id, `transaction ${i + 1} reads the store`);
  }
  assert.equal((await storeId(t.db))?.id, t.store.id, 'the database reads the store');
  // SQLite: the writer connection (transactions) and the reader connection; PostgreSQL: the query once, bound to each session.
  assert.ok(builds <= 2, `built ${builds} times for 6 uses`);
});
