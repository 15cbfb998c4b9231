import { mapInOrder } from '../../lib/in-order';
import type { DbOrTx } from '../../db/client';
import type { Deps } from '../../deps';
import type { AccountRow, StoreRow } from '../../db/schema';
import { accountEmails } from '../../email/outbox';
import { HOUR } from '../../lib/clock';
import { storeSettings } from '../../lib/store-settings';
import {
  ACCOUNT_EXPORT_FORMAT,
  ACCOUNT_EXPORT_VERSION,
  type AccountExport,
  type AccountExportEmail,
} from '../../schemas/account-export';
import { getAccount, toPortalAccountView } from '../accounts';
import { allActivity } from '../activity';
import { exportCustomerPaymentMethods, exportCustomerRefunds, exportCustomerSubscriptions } from '../billing';
import { exportCustomerInvoices, exportCustomerOrders } from '../orders';
import { consumeLimits, type Limit } from '../sign-in';

/** How often one account may download its data: building it reads everything the account has. */
export const EXPORT_LIMIT = { max: 5, windowMs: HOUR };

const exportLimit = (storeId: string, accountId: string): Limit => ({
  name: 'account_export',
  key: `account-export:${storeId}:${accountId}`,
  rules: [EXPORT_LIMIT],
  code: 'too_many_exports',
});

/** What each section of the export is read from: the account, the store, and the moment of the export. */
interface SectionInput {
  db: DbOrTx;
  store: StoreRow;
  account: AccountRow;
  now: Date;
}

type Sections = Omit<AccountExport, 'format' | 'version' | 'exportedAt' | 'store'>;

/**
 * The export's sections, each read by one function from the domain that owns the
 * data (and its privacy rules: the order views decide what each side of a gift
 * sees). A new kind of data the store keeps about a customer is one more entry
 * here and one more field in `accountExportSchema` (server/schemas/account-export.ts).
 */
const sections: { [K in keyof Sections]: (input: SectionInput) => Sections[K] | Promise<Sections[K]> } = {
  account: ({ account }) => ({
    ...toPortalAccountView(account),
    passwordSetAt: account.passwordSetAt?.toISOString() ?? null,
  }),
  orders: ({ db, store, account }) => exportCustomerOrders(db, store.id, account.id),
  invoices: ({ db, store, account }) => exportCustomerInvoices(db, store.id, account.id),
  refunds: ({ db, store, account }) => exportCustomerRefunds(db, store.id, account.id),
  subscriptions: ({ db, store, account, now }) =>
    exportCustomerSubscriptions(db, store.id, account.id, storeSettings(store), now),
  paymentMethods: ({ db, store, account }) => exportCustomerPaymentMethods(db, store.id, account.id),
  emails: async ({ db, store, account }) =>
    (await accountEmails(db, store.id, account.id)).map((email): AccountExportEmail => ({
      ...email,
      createdAt: email.createdAt.toISOString(),
      sentAt: email.sentAt?.toISOString() ?? null,
    })),
  activity: ({ db, store, account }) => allActivity(db, store.id, account.id),
};

/**
 * Everything the store holds about the signed-in customer, as one document of the
 * shape `accountExportSchema` describes (`version` 1). Counted against the
 * account's limit first, in a transaction of its own, so that a failed export counts
 * too (429 `too_many_exports` with `Retry-After` beyond it); then read in one
 * transaction, so the sections agree with each other.
 */
export async function exportAccount(
  deps: Pick<Deps, 'db' | 'clock' | 'metrics'>,
  store: StoreRow,
  account: AccountRow,
): Promise<AccountExport> {
  const now = deps.clock.now();
  await deps.db.transaction(
    async (tx) => await consumeLimits(tx, [exportLimit(store.id, account.id)], now, deps.metrics),
  );
  return await deps.db.transaction(async (db): Promise<AccountExport> => {
    const input: SectionInput = { db, store, account: await getAccount(db, store.id, account.id), now };
    const read = Object.fromEntries(
      await mapInOrder(Object.entries(sections), async ([name, section]) => [name, await section(input)]),
    ) as unknown as Sections;
    return {
      format: ACCOUNT_EXPORT_FORMAT,
      version: ACCOUNT_EXPORT_VERSION,
      exportedAt: now.toISOString(),
      store: { id: store.id, name: store.name },
      ...read,
    };
  });
}

/** The file name an export is offered under: the store, and the day (UTC) it was made. */
export function exportFileName(store: StoreRow, exportedAt: string): string {
  return `${store.id}-account-data-${exportedAt.slice(0, 10)}.json`;
}
