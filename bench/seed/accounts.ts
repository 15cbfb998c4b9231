import type Database from 'better-sqlite3';
import { accounts } from '../../server/db/schema';
import { fastId, weightedPicker, type Rng } from '../lib/random';
import { rowInserter } from './bulk-insert';
import { countries, emailDomains, firstNames, lastNames, streets, type Country } from './data';

/** What the order seeder needs to know about each account. */
export interface SeedAccount {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  company: string | null;
  phone: string | null;
  country: Country;
  region: string | null;
  postalCode: string;
  isBusiness: boolean;
  taxId: string | null;
  createdAt: number;
}

const YEAR = 365 * 86_400_000;

/**
 * Inserts `count` accounts created over the three years before `now`, in creation
 * order (as a live store would have written them). Returns them oldest first.
 */
export function seedAccounts(
  sqlite: Database.Database,
  rng: Rng,
  storeId: string,
  count: number,
  now: number,
): SeedAccount[] {
  const times = Float64Array.from(
    { length: count },
    () => now - 3 * YEAR + rng.next() * (3 * YEAR - 86_400_000),
  ).sort();
  const pickCountry = weightedPicker(countries.map((c) => [c, c.weight] as const));
  const seeded = Array.from(times, (createdAt, n) => makeAccount(rng, n, Math.round(createdAt), pickCountry(rng)));
  const insert = rowInserter(sqlite, accounts);
  const insertAll = sqlite.transaction(() => {
    seeded.forEach((account, n) => insert(accountRow(rng, storeId, account, n)));
  });
  insertAll();
  return seeded;
}

function makeAccount(rng: Rng, n: number, createdAt: number, country: Country): SeedAccount {
  const firstName = rng.pick(firstNames);
  const lastName = rng.pick(lastNames);
  const local = `${firstName}.${lastName}`
    .normalize('NFD')
    .replace(/[^A-Za-z.]/g, '')
    .toLowerCase();
  const isBusiness = rng.chance(0.12);
  return {
    id: fastId('acc'),
    // The running number keeps (store, email) unique, as the unique index demands.
    email: `${local}.${n}@${rng.pick(emailDomains)}`,
    firstName,
    lastName,
    company:
      isBusiness || rng.chance(0.05) ? `${lastName} ${rng.pick(['Studio', 'Media', 'GmbH', 'Ltd', 'Labs'])}` : null,
    phone: rng.chance(0.3) ? `+${rng.int(1, 49)} ${rng.int(100, 999)} ${rng.int(1_000_000, 9_999_999)}` : null,
    country,
    region: country.regions.length > 0 ? rng.pick(country.regions) : null,
    postalCode: country.postalCode(rng.int(0, 999_999)),
    isBusiness,
    taxId: isBusiness && country.taxIdPrefix ? `${country.taxIdPrefix}${rng.int(100_000_000, 999_999_999)}` : null,
    createdAt,
  };
}

function accountRow(rng: Rng, storeId: string, a: SeedAccount, n: number) {
  const hasAddress = rng.chance(0.6);
  return {
    id: a.id,
    storeId,
    email: a.email,
    firstName: a.firstName,
    lastName: a.lastName,
    phone: a.phone,
    company: a.company,
    addressLine1: hasAddress ? `${rng.int(1, 240)} ${rng.pick(streets)}` : null,
    addressLine2: hasAddress && rng.chance(0.15) ? `Apt ${rng.int(1, 60)}` : null,
    addressCity: hasAddress ? rng.pick(a.country.cities) : null,
    addressRegion: hasAddress ? a.region : null,
    addressPostalCode: hasAddress ? a.postalCode : null,
    country: a.country.code,
    language: a.country.language,
    // Half the customers also exist in the merchant's own user table.
    customUserId: rng.chance(0.5) ? `user-${100_000 + n}` : null,
    billingCountry: a.country.code,
    billingState: a.region,
    billingPostalCode: a.postalCode,
    businessName: a.isBusiness ? a.company : null,
    taxId: a.taxId,
    isBusiness: a.isBusiness ? (1 as const) : (0 as const),
    emailVerifiedAt: rng.chance(0.7) ? a.createdAt + rng.int(60_000, 86_400_000) : null,
    // Nobody signs in with a password here; hashing 100k passwords with scrypt would take minutes.
    passwordHash: null,
    passwordSetAt: null,
    processorCustomerId: null,
    deletedAt: null,
    createdAt: a.createdAt,
    updatedAt: a.createdAt,
  };
}
