import { first } from '../../db/query';
import { and, desc, eq, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client';
import { prepared } from '../../db/prepared';
import { accounts } from '../../db/schema';
import type { Deps } from '../../deps';
import { decodeCursor, encodeCursor } from '../../lib/cursor';
import { notFound, problem, problemSaying } from '../../lib/errors';
import { newId } from '../../lib/ids';
import type {
  AccountCreateInput,
  AccountUpdateInput,
  AccountView,
  AddressInput,
  BillingDetailsInput,
} from '../../schemas/accounts';
import { emitEvent } from '../../webhooks/emit';
import type { AccountRow } from '../../db/schema';
import type { ActivityActor } from '../../contract';
import { recordActivity } from '../activity';

/** Emails are compared and stored trimmed and lower-cased. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function getAccount(db: DbOrTx, storeId: string, accountId: string): Promise<AccountRow> {
  const row = await prepared(db, 'account-by-id', (db) =>
    db
      .select()
      .from(accounts)
      .where(and(eq(accounts.storeId, sql.placeholder('storeId')), eq(accounts.id, sql.placeholder('accountId'))))
      .prepare(),
  ).get({ storeId, accountId });
  if (!row) throw notFound('Account', { accountId });
  return row;
}

/** An account that has not been deleted: a deleted one is `410 account_deleted` (nothing may change it or let anyone in). */
export async function getLiveAccount(db: DbOrTx, storeId: string, accountId: string): Promise<AccountRow> {
  return assertLive(await getAccount(db, storeId, accountId));
}

/** The account itself, unless it was deleted (`410 account_deleted`, naming it and when). */
export function assertLive(account: AccountRow): AccountRow {
  if (account.deletedAt) {
    throw problem('account_deleted', { accountId: account.id, deletedAt: account.deletedAt.toISOString() });
  }
  return account;
}

/**
 * The email a deleted account keeps: unique (it names the account, whose id says
 * nothing about the person) and undeliverable (`.invalid` never resolves, RFC 6761).
 */
export const deletedAccountEmail = (accountId: string) => `${accountId}@deleted.invalid`;

/**
 * Removes an account's personal data inside the caller's transaction: contact data,
 * address, billing details, the merchant's user id, the password, the processor's
 * customer and the verified mark; the email becomes {@link deletedAccountEmail}.
 * What stays is the id, the store and the times it was created and deleted.
 */
export async function anonymiseAccount(tx: Tx, account: AccountRow, now: Date): Promise<AccountRow> {
  const erased: AccountRow = {
    ...account,
    email: deletedAccountEmail(account.id),
    firstName: null,
    lastName: null,
    phone: null,
    company: null,
    addressLine1: null,
    addressLine2: null,
    addressCity: null,
    addressRegion: null,
    addressPostalCode: null,
    country: null,
    language: null,
    customUserId: null,
    billingCountry: null,
    billingState: null,
    billingPostalCode: null,
    businessName: null,
    taxId: null,
    isBusiness: false,
    emailVerifiedAt: null,
    passwordHash: null,
    passwordSetAt: null,
    processorCustomerId: null,
    deletedAt: now,
    updatedAt: now,
  };
  await tx
    .update(accounts)
    .set(erased)
    .where(and(eq(accounts.storeId, account.storeId), eq(accounts.id, account.id)));
  return erased;
}

/**
 * Remembers the payment processor's customer for an account, inside the caller's
 * transaction. The first one remembered stays: a later method that came attached
 * to another customer keeps that customer on the method only.
 */
export async function rememberProcessorCustomer(
  tx: DbOrTx,
  storeId: string,
  accountId: string,
  customerId: string,
): Promise<void> {
  await tx
    .update(accounts)
    .set({ processorCustomerId: customerId })
    .where(and(eq(accounts.storeId, storeId), eq(accounts.id, accountId), isNull(accounts.processorCustomerId)));
}

export async function findAccountByEmail(db: DbOrTx, storeId: string, email: string): Promise<AccountRow | undefined> {
  return await prepared(db, 'account-by-email', (db) =>
    db
      .select()
      .from(accounts)
      .where(and(eq(accounts.storeId, sql.placeholder('storeId')), eq(accounts.email, sql.placeholder('email'))))
      .prepare(),
  ).get({ storeId, email: normaliseEmail(email) });
}

/** Lists a store's accounts newest first, optionally filtered by email or customUserId. */
export async function listAccounts(
  db: DbOrTx,
  storeId: string,
  query: { email?: string; customUserId?: string; cursor?: string; limit: number },
) {
  const conditions: SQL[] = [eq(accounts.storeId, storeId)];
  if (query.email !== undefined) conditions.push(eq(accounts.email, normaliseEmail(query.email)));
  if (query.customUserId !== undefined) conditions.push(eq(accounts.customUserId, query.customUserId));
  const cursor = decodeCursor(query.cursor);
  if (cursor) {
    const at = new Date(cursor.at);
    conditions.push(or(lt(accounts.createdAt, at), and(eq(accounts.createdAt, at), lt(accounts.id, cursor.id)))!);
  }
  const rows = await db
    .select()
    .from(accounts)
    .where(and(...conditions))
    .orderBy(desc(accounts.createdAt), desc(accounts.id))
    .limit(query.limit + 1);
  const more = rows.length > query.limit;
  const data = more ? rows.slice(0, query.limit) : rows;
  const last = data.at(-1);
  return { data, nextCursor: more && last ? encodeCursor(last.createdAt, last.id) : null };
}

/** Creates an account through the Server API; a taken email or customUserId is a 409. */
export async function createAccount(deps: Deps, storeId: string, input: AccountCreateInput): Promise<AccountRow> {
  return await deps.db.transaction(async (tx) => await insertAccount(tx, storeId, input, deps.clock.now(), 'merchant'));
}

/**
 * Inserts an account, emits `account.created` and starts its activity log inside
 * the caller's transaction. Order ingestion uses it too, for customers and gift
 * recipients seen for the first time.
 */
export async function insertAccount(
  tx: Tx,
  storeId: string,
  input: AccountCreateInput,
  now: Date,
  by: ActivityActor,
): Promise<AccountRow> {
  const email = normaliseEmail(input.email);
  await assertUnique(tx, storeId, { email, customUserId: input.customUserId ?? null });
  const row: AccountRow = {
    id: newId('acc'),
    storeId,
    email,
    firstName: input.firstName ?? null,
    lastName: input.lastName ?? null,
    phone: input.phone ?? null,
    company: input.company ?? null,
    addressLine1: null,
    addressLine2: null,
    addressCity: null,
    addressRegion: null,
    addressPostalCode: null,
    ...addressColumns(input.address ?? {}),
    country: input.country ?? null,
    language: input.language ?? null,
    customUserId: input.customUserId ?? null,
    billingCountry: null,
    billingState: null,
    billingPostalCode: null,
    businessName: null,
    taxId: null,
    isBusiness: false,
    ...billingColumns(input.billingDetails ?? {}),
    emailVerifiedAt: null,
    passwordHash: null,
    passwordSetAt: null,
    processorCustomerId: null,
    deletedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await tx.insert(accounts).values(row);
  await emitEvent(tx, storeId, 'account.created', toAccountView(row), now);
  await recordActivity(tx, { storeId, accountId: row.id, kind: 'account_created', actor: by }, now);
  return row;
}

/**
 * Applies a partial update, by the merchant or (through the portal) the customer;
 * only fields present in `input` change. Emits `account.updated`.
 */
export async function updateAccount(
  deps: Deps,
  storeId: string,
  accountId: string,
  input: AccountUpdateInput,
  by: ActivityActor,
): Promise<AccountRow> {
  return await deps.db.transaction(async (tx) => {
    const current = await getLiveAccount(tx, storeId, accountId);
    const email = input.email === undefined ? undefined : normaliseEmail(input.email);
    await assertUnique(tx, storeId, {
      email: email !== current.email ? email : undefined,
      customUserId: input.customUserId !== current.customUserId ? input.customUserId : undefined,
    });
    const changes: Partial<AccountRow> = {
      ...(email !== undefined && { email }),
      ...pick(input, ['firstName', 'lastName', 'phone', 'company', 'country', 'language', 'customUserId']),
      ...(input.address && addressColumns(input.address)),
      ...(input.billingDetails && billingColumns(input.billingDetails)),
    };
    return await applyAccountChanges(tx, current, changes, deps.clock.now(), by);
  });
}

/** The field each column is known by in the APIs (and in the activity log's `fields`). */
const fieldNames: Partial<Record<keyof AccountRow, string>> = {
  email: 'email',
  firstName: 'firstName',
  lastName: 'lastName',
  phone: 'phone',
  company: 'company',
  addressLine1: 'address.line1',
  addressLine2: 'address.line2',
  addressCity: 'address.city',
  addressRegion: 'address.region',
  addressPostalCode: 'address.postalCode',
  country: 'country',
  language: 'language',
  billingCountry: 'billingDetails.country',
  billingState: 'billingDetails.state',
  billingPostalCode: 'billingDetails.postalCode',
  businessName: 'billingDetails.businessName',
  taxId: 'billingDetails.taxId',
  isBusiness: 'billingDetails.isBusiness',
};

/**
 * Puts an account change in its activity log: the contact fields and the billing
 * details that changed, as one entry each. The merchant's own `customUserId` is no
 * part of the customer's account and is left out.
 */
async function recordAccountChange(
  tx: Tx,
  account: AccountRow,
  changed: (keyof AccountRow)[],
  by: ActivityActor,
  now: Date,
) {
  const fields = changed.flatMap((column) => fieldNames[column] ?? []);
  const billing = fields.filter((field) => field.startsWith('billingDetails.'));
  const contact = fields.filter((field) => !field.startsWith('billingDetails.'));
  const entry = { storeId: account.storeId, accountId: account.id, actor: by };
  if (contact.length > 0)
    await recordActivity(tx, { ...entry, kind: 'contact_updated', details: { fields: contact } }, now);
  if (billing.length > 0)
    await recordActivity(tx, { ...entry, kind: 'billing_details_updated', details: { fields: billing } }, now);
}

/**
 * Writes `changes` to an account and, when anything actually changed, emits
 * `account.updated` and records the change in the activity log. Shared by the
 * Server API and the customer's own edits in the portal.
 */
export async function applyAccountChanges(
  tx: Tx,
  current: AccountRow,
  changes: Partial<AccountRow>,
  now: Date,
  by: ActivityActor,
): Promise<AccountRow> {
  const changed = (Object.keys(changes) as (keyof AccountRow)[]).filter((k) => current[k] !== changes[k]);
  if (changed.length === 0) return current;
  const next = { ...current, ...changes, updatedAt: now };
  await tx
    .update(accounts)
    .set({ ...changes, updatedAt: now })
    .where(and(eq(accounts.storeId, current.storeId), eq(accounts.id, current.id)));
  await emitEvent(tx, current.storeId, 'account.updated', toAccountView(next), now);
  await recordAccountChange(tx, current, changed, by, now);
  return next;
}

async function assertUnique(tx: Tx, storeId: string, fields: { email?: string; customUserId?: string | null }) {
  if (fields.email !== undefined) {
    const existing = await findAccountByEmail(tx, storeId, fields.email);
    if (existing) throw problem('account_exists', { accountId: existing.id, field: 'email' });
  }
  if (fields.customUserId) {
    const existing = first(
      await tx
        .select({ id: accounts.id })
        .from(accounts)
        .where(and(eq(accounts.storeId, storeId), eq(accounts.customUserId, fields.customUserId))),
    );
    if (existing) {
      throw problemSaying('account_exists', 'An account with this customUserId already exists.', {
        accountId: existing.id,
        field: 'customUserId',
      });
    }
  }
}

/** Address columns present in `address` (absent parts are left out). */
export function addressColumns(address: AddressInput): Partial<AccountRow> {
  return definedColumns({
    addressLine1: address.line1,
    addressLine2: address.line2,
    addressCity: address.city,
    addressRegion: address.region,
    addressPostalCode: address.postalCode,
  });
}

/** Billing-detail columns present in `billing` (absent fields are left out). */
export function billingColumns(billing: BillingDetailsInput) {
  return definedColumns({
    billingCountry: billing.country,
    billingState: billing.state,
    billingPostalCode: billing.postalCode,
    businessName: billing.businessName,
    taxId: billing.taxId,
    isBusiness: billing.isBusiness,
  });
}

function definedColumns(map: Partial<AccountRow>): Partial<AccountRow> {
  return Object.fromEntries(Object.entries(map).filter(([, v]) => v !== undefined));
}

function pick<T extends object, K extends keyof T>(input: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (input[key] !== undefined) out[key] = input[key];
  return out;
}

/** The public JSON shape of an account. */
export function toAccountView(row: AccountRow): AccountView {
  return {
    id: row.id,
    email: row.email,
    firstName: row.firstName,
    lastName: row.lastName,
    phone: row.phone,
    company: row.company,
    address: {
      line1: row.addressLine1,
      line2: row.addressLine2,
      city: row.addressCity,
      region: row.addressRegion,
      postalCode: row.addressPostalCode,
    },
    country: row.country,
    language: row.language,
    customUserId: row.customUserId,
    billingDetails: {
      country: row.billingCountry,
      state: row.billingState,
      postalCode: row.billingPostalCode,
      businessName: row.businessName,
      taxId: row.taxId,
      isBusiness: row.isBusiness,
    },
    emailVerifiedAt: row.emailVerifiedAt?.toISOString() ?? null,
    deletedAt: row.deletedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * Makes the billing details of a corrected invoice the account's own, for the
 * orders to come (`account.updated` when anything changed). The customer does this
 * in the portal.
 */
export async function useBillingDetailsForFuture(
  tx: Tx,
  account: AccountRow,
  details: {
    businessName: string | null;
    taxId: string | null;
    addressLine1: string | null;
    addressLine2: string | null;
    city: string | null;
    state: string | null;
    postalCode: string | null;
    country: string | null;
    isBusiness: boolean;
  },
  now: Date,
): Promise<AccountRow> {
  const current = await getLiveAccount(tx, account.storeId, account.id);
  return await applyAccountChanges(
    tx,
    current,
    {
      businessName: details.businessName,
      taxId: details.taxId,
      isBusiness: details.isBusiness,
      addressLine1: details.addressLine1,
      addressLine2: details.addressLine2,
      addressCity: details.city,
      billingState: details.state,
      billingPostalCode: details.postalCode,
      billingCountry: details.country,
    },
    now,
    'customer',
  );
}
