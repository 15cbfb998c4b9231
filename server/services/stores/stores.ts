import { first } from '../../db/query';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client';
import { prepared } from '../../db/prepared';
import { stores } from '../../db/schema';
import type { Clock } from '../../lib/clock';
import { hashSecret, randomSecret, safeEqual } from '../../lib/crypto';
import { newDownloadSigningSecret } from '../../lib/download-signing';
import { invalid, notFound, problem, problemSaying } from '../../lib/errors';
import { settingUrlProblem } from '../../lib/setting-urls';
import { storeSettingsSchema, type StoreSettings } from '../../lib/store-settings';
import type { StoreRow } from '../../db/schema';

/** Server API credentials, returned only when they are created or rotated. */
export interface ApiCredentials {
  user: string;
  password: string;
}

const STORE_ID = /^[a-z0-9][a-z0-9-]{1,39}$/;

/** Whether `origin` is a bare origin (`https://shop.example`, no path). */
export function isOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === origin;
  } catch {
    return false;
  }
}

export interface StoreInput {
  id: string;
  name: string;
  allowedOrigins?: string[];
  portalUrl?: string | null;
  settings?: Partial<StoreSettings>;
  /** Fixed credentials (the demo store); otherwise random ones are generated. */
  credentials?: ApiCredentials;
}

export function validateStoreInput(input: StoreInput): void {
  if (!STORE_ID.test(input.id)) {
    throw invalid('A store id is 2–40 lower-case letters, digits and dashes, starting with a letter or digit.', {
      field: 'id',
    });
  }
  if (!input.name.trim()) throw invalid('A store needs a name.', { field: 'name' });
  for (const origin of input.allowedOrigins ?? []) {
    if (!isOrigin(origin)) {
      throw invalid(
        `"${origin}" is not an origin: use scheme, host and optional port only, such as https://shop.example.`,
        { field: 'allowedOrigins' },
      );
    }
  }
  const portalUrlProblem = input.portalUrl == null ? null : settingUrlProblem(input.portalUrl, ['https:']);
  if (portalUrlProblem) {
    throw invalid(`Invalid portal URL: ${portalUrlProblem}`, { field: 'portalUrl' });
  }
}

/**
 * Creates a store and returns it with its newly generated API credentials and
 * download signing secret (`store.downloadSigningSecret`), both to be shown once.
 */
export async function createStore(
  db: Db,
  clock: Clock,
  input: StoreInput,
): Promise<{ store: StoreRow; credentials: ApiCredentials }> {
  validateStoreInput(input);
  const credentials = input.credentials ?? generateCredentials(input.id);
  const now = clock.now();
  return await db.transaction(async (tx) => {
    if (first(await tx.select({ id: stores.id }).from(stores).where(eq(stores.id, input.id)))) {
      throw problemSaying('store_exists', `A store with id "${input.id}" already exists.`);
    }
    await assertApiUserFree(tx, credentials.user);
    const store: StoreRow = {
      id: input.id,
      name: input.name.trim(),
      apiUser: credentials.user,
      apiPasswordHash: hashSecret(credentials.password),
      allowedOrigins: input.allowedOrigins ?? [],
      downloadSigningSecret: newDownloadSigningSecret(),
      portalUrl: input.portalUrl ?? null,
      settings: parseSettings(input.settings ?? {}),
      checkoutThemes: {},
      seller: null,
      lastInvoiceNumber: 0,
      lastCreditNoteNumber: 0,
      createdAt: now,
      updatedAt: now,
    };
    await tx.insert(stores).values(store);
    return { store, credentials };
  });
}

function parseSettings(settings: Partial<StoreSettings>): Partial<StoreSettings> {
  const parsed = storeSettingsSchema.partial().safeParse(settings);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') ?? 'settings';
  throw invalid(`Invalid value for ${field}: ${issue?.message}`, { field });
}

async function assertApiUserFree(tx: DbOrTx, user: string, exceptStoreId?: string) {
  const taken = first(await tx.select({ id: stores.id }).from(stores).where(eq(stores.apiUser, user)));
  if (taken && taken.id !== exceptStoreId) {
    throw problem('api_user_taken');
  }
}

function generateCredentials(storeId: string): ApiCredentials {
  return { user: `${storeId}_${randomSecret(6)}`, password: randomSecret(32, 'aps_') };
}

export async function getStore(db: DbOrTx, storeId: string): Promise<StoreRow> {
  const store = await findStore(db, storeId);
  if (!store) throw notFound('Store', { storeId });
  return store;
}

export async function findStore(db: DbOrTx, storeId: string): Promise<StoreRow | undefined> {
  return await prepared(db, 'store-by-id', (db) =>
    db
      .select()
      .from(stores)
      .where(eq(stores.id, sql.placeholder('id')))
      .prepare(),
  ).get({ id: storeId });
}

export async function listStores(db: DbOrTx): Promise<StoreRow[]> {
  return await db.select().from(stores).orderBy(stores.id);
}

// A hash to compare against when the user name is unknown, so both paths take the same time.
const decoyHash = hashSecret(randomSecret());

/** The store whose Server API credentials these are, or undefined. Constant-time in the password. */
export async function authenticateStore(db: DbOrTx, user: string, password: string): Promise<StoreRow | undefined> {
  const store = await prepared(db, 'store-by-api-user', (db) =>
    db
      .select()
      .from(stores)
      .where(eq(stores.apiUser, sql.placeholder('user')))
      .prepare(),
  ).get({ user });
  const ok = safeEqual(hashSecret(password), store?.apiPasswordHash ?? decoyHash);
  return ok && store ? store : undefined;
}

/** Replaces a store's API credentials; the old ones stop working at once. */
export async function rotateCredentials(
  db: Db,
  clock: Clock,
  storeId: string,
  credentials?: ApiCredentials,
): Promise<ApiCredentials> {
  const next = credentials ?? generateCredentials(storeId);
  await db.transaction(async (tx) => {
    await getStore(tx, storeId);
    await assertApiUserFree(tx, next.user, storeId);
    await tx
      .update(stores)
      .set({ apiUser: next.user, apiPasswordHash: hashSecret(next.password), updatedAt: clock.now() })
      .where(eq(stores.id, storeId));
  });
  return next;
}

/**
 * The store's download signing secret. Stores made before secrets existed get one
 * the first time it is needed (the merchant learns it by rotating it); two
 * callers racing both end up with the same one.
 */
export async function downloadSigningSecret(db: DbOrTx, storeId: string): Promise<string> {
  const read = async () =>
    first(await db.select({ secret: stores.downloadSigningSecret }).from(stores).where(eq(stores.id, storeId)));
  const current = await read();
  if (!current) throw notFound('Store', { storeId });
  if (current.secret) return current.secret;
  await db
    .update(stores)
    .set({ downloadSigningSecret: newDownloadSigningSecret() })
    .where(and(eq(stores.id, storeId), isNull(stores.downloadSigningSecret)));
  return (await read())!.secret!;
}

/** Replaces a store's download signing secret and returns the new one (shown once); links signed with the old one stop working. */
export async function rotateDownloadSigningSecret(db: Db, clock: Clock, storeId: string): Promise<string> {
  const secret = newDownloadSigningSecret();
  await db.transaction(async (tx) => {
    await getStore(tx, storeId);
    await tx
      .update(stores)
      .set({ downloadSigningSecret: secret, updatedAt: clock.now() })
      .where(eq(stores.id, storeId));
  });
  return secret;
}

/**
 * Changes some of a store's settings at once (the Server API's settings routes),
 * checked as a whole; returns the store as stored.
 */
export async function updateStoreSettings(
  db: Db,
  clock: Clock,
  storeId: string,
  changes: Partial<StoreSettings>,
): Promise<StoreRow> {
  const shape = storeSettingsSchema.shape;
  const problems = Object.entries(changes).flatMap(([name, value]) => {
    const rule = shape[name as keyof StoreSettings];
    if (!rule) return [{ field: name, code: 'unrecognized_keys', message: `Unknown setting "${name}".` }];
    const parsed = rule.safeParse(value);
    return parsed.success ? [] : [{ field: name, code: 'invalid', message: parsed.error.issues[0]?.message ?? '' }];
  });
  if (problems.length > 0) throw invalid('The settings are invalid.', problems);
  return await db.transaction(async (tx) => {
    const store = await getStore(tx, storeId);
    // Only the settings given are stored; the others keep following their defaults.
    const settings = { ...store.settings, ...changes };
    const updatedAt = clock.now();
    await tx.update(stores).set({ settings, updatedAt }).where(eq(stores.id, storeId));
    return { ...store, settings, updatedAt };
  });
}

/** The store fields and settings `store set` can change, with how to read a value given as text. */
export const storeFieldNames = ['name', 'allowedOrigins', 'portalUrl'] as const;

/**
 * Sets one store field or setting from its text form (as typed on the command line):
 * booleans `true`/`false`, numbers, `null` to clear, comma-separated origins.
 */
export async function setStoreValue(
  db: Db,
  clock: Clock,
  storeId: string,
  name: string,
  raw: string,
): Promise<StoreRow> {
  return await db.transaction(async (tx) => {
    const store = await getStore(tx, storeId);
    const changes: Partial<StoreRow> = { updatedAt: clock.now() };
    if (name === 'name') changes.name = raw;
    else if (name === 'allowedOrigins')
      changes.allowedOrigins = raw
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean);
    else if (name === 'portalUrl') changes.portalUrl = raw === 'null' || raw === '' ? null : raw;
    else if (name in storeSettingsSchema.shape) {
      const key = name as keyof StoreSettings;
      const parsed = storeSettingsSchema.shape[key].safeParse(parseSettingText(raw));
      if (!parsed.success) {
        throw invalid(`Invalid value for ${name}: ${parsed.error.issues[0]?.message}`);
      }
      changes.settings = { ...store.settings, [key]: parsed.data };
    } else {
      throw problemSaying('unknown_setting', `Unknown setting "${name}".`, {
        known: [...storeFieldNames, ...Object.keys(storeSettingsSchema.shape)],
      });
    }
    validateStoreInput({ ...store, ...changes });
    await tx.update(stores).set(changes).where(eq(stores.id, storeId));
    return { ...store, ...changes };
  });
}

function parseSettingText(raw: string): unknown {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw === 'null') return null;
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  return raw;
}
