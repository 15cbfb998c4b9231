import { statSync } from 'node:fs';
import { depsInTransaction, type Deps } from '../server/deps';
import { DAY, type Clock } from '../server/lib/clock';
import { projectPath } from '../server/lib/project-root';
import { accountCreateInput } from '../server/schemas/accounts';
import { productCreateInput } from '../server/schemas/catalog';
import { orderCreateInput } from '../server/schemas/orders';
import { createAccount } from '../server/services/accounts';
import {
  createProduct,
  authenticateStore,
  createStore,
  findStore,
  rotateCredentials,
  setSellerDetails,
  type ApiCredentials,
} from '../server/services/stores';
import { DEMO_STORE_ID, demoProducts, demoSeller, demoSignups, demoStore } from './data';
import { buildDemoOrders } from './orders';
import { recordOrder } from '../server/services/order-intake';

export {
  DEMO_CUSTOMER_EMAIL,
  DEMO_GIFT_RECIPIENT_EMAIL,
  DEMO_ORIGINS,
  DEMO_PLAN_FAMILY,
  DEMO_SAAS_USER_EMAIL,
  DEMO_SAAS_USER_ID,
  DEMO_STORE_ID,
  demoFiles,
} from './data';

/** How long before "now" the demo store opened (and its catalog was created). */
const STORE_AGE_DAYS = 560;

/**
 * Seeds the demo store (`demo`) with realistic data on a database that does not
 * have it yet: the Studio plans and one-time products, eight accounts and their
 * orders over the past ~18 months, recorded through the real services so that
 * accounts, invoice numbers, subscriptions, payment methods and events are what
 * real traffic would produce. Every step happens at the moment it is dated, so
 * accounts and events carry their historical times.
 *
 * When the store exists, nothing is created; only its Server API credentials are
 * set to `credentials` if they differ, so changed `DEMO_API_USER` /
 * `DEMO_API_PASSWORD` values take effect. Everything runs in one immediate
 * transaction: a failed seed leaves nothing behind, and two processes starting
 * at once cannot both seed.
 */
export async function seedDemo(deps: Deps, credentials: ApiCredentials): Promise<{ created: boolean }> {
  if (deps.config.production) throw new Error('The demo store is never seeded in production.');
  return await deps.db.transaction(
    async (tx) => {
      const inTransaction = depsInTransaction(deps, tx);
      if (await findStore(tx, DEMO_STORE_ID)) {
        if ((await authenticateStore(tx, credentials.user, credentials.password))?.id !== DEMO_STORE_ID) {
          await rotateCredentials(inTransaction.db, deps.clock, DEMO_STORE_ID, credentials);
        }
        return { created: false };
      }
      await createDemoData(inTransaction, credentials);
      return { created: true };
    },
    { behavior: 'immediate' },
  );
}

async function createDemoData(deps: Deps, credentials: ApiCredentials): Promise<void> {
  const now = deps.clock.now();
  const at = (time: Date): Deps => ({ ...deps, clock: fixedClock(time) });
  const opened = new Date(now.getTime() - STORE_AGE_DAYS * DAY);

  await createStore(deps.db, fixedClock(opened), { ...demoStore, credentials });
  await setSellerDetails(deps.db, fixedClock(opened), DEMO_STORE_ID, demoSeller, 'replace');
  for (const product of demoProducts) {
    await createProduct(at(opened), DEMO_STORE_ID, productCreateInput.parse(product));
  }
  for (const signup of demoSignups) {
    const signedUpAt = new Date(now.getTime() - signup.daysAgo * DAY);
    await createAccount(at(signedUpAt), DEMO_STORE_ID, accountCreateInput.parse(signup.account));
  }
  const orders = buildDemoOrders({
    now,
    fileUrl: (name) => `${deps.config.publicBaseUrl}/demo/files/${encodeURIComponent(name)}`,
    fileSize: (name) => statSync(projectPath('demo/files', name)).size,
  });
  for (const order of orders) {
    await recordOrder(at(order.completedAt), DEMO_STORE_ID, orderCreateInput.parse(order.body));
  }
}

function fixedClock(time: Date): Clock {
  return { now: () => new Date(time.getTime()) };
}
