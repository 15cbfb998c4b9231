/**
 * A second process for the invoice numbering test: records `count` orders into the
 * database file given, through the same service the Server API uses, as fast as it can.
 * Usage: node --import tsx record-orders-child.ts <database> <store> <count> <tag>
 */
import { openDatabase } from '../../server/db/client';
import { createDeps } from '../../server/deps';
import { systemClock } from '../../server/lib/clock';
import { silentLogger } from '../../server/lib/logger';
import { orderCreateInput } from '../../server/schemas/orders';
import { recordOrder } from '../../server/services/order-intake';
import { oneTimeOrder } from './fixtures';

const [path, storeId, count, tag] = process.argv.slice(2);
const db = openDatabase(path);
const deps = createDeps({
  db,
  clock: systemClock,
  logger: silentLogger,
  config: { production: false, publicBaseUrl: 'https://portal.test' },
});
for (let i = 0; i < Number(count); i++) {
  await recordOrder(
    deps,
    storeId,
    orderCreateInput.parse(oneTimeOrder({ customer: { email: `${tag}-${i}@example.com` } })),
  );
}
