import type Database from 'better-sqlite3';
import { fulfilments, giftRecipients, orderItems, orders } from '../../server/db/schema';
import { fastId, weightedPicker, type Rng } from '../lib/random';
import type { SeedAccount } from './accounts';
import { rowInserter, type RawRow } from './bulk-insert';
import { cardBrands, type CatalogProduct } from './data';

/** A catalog product as inserted, with its id and prices. */
export interface SeedProduct extends CatalogProduct {
  id: string;
  prices: Record<string, number>;
}

export interface OrderCounts {
  orders: number;
  items: number;
  fulfilments: number;
  gifts: number;
}

interface OrderContext {
  rng: Rng;
  storeId: string;
  accounts: SeedAccount[];
  products: SeedProduct[];
  insert: {
    order: (row: RawRow<typeof orders>) => void;
    item: (row: RawRow<typeof orderItems>) => void;
    fulfilment: (row: RawRow<typeof fulfilments>) => void;
    gift: (row: RawRow<typeof giftRecipients>) => void;
  };
  counts: OrderCounts;
  pickProduct: (rng: Rng) => SeedProduct;
}

const BATCH = 25_000;

/**
 * Inserts `count` orders in completion order, numbered 1…count (invoice numbers are
 * sequential per store). Every account gets its first order when it was created; the
 * rest fall at random times after that. Calls `onOrder` with each order id (for sampling).
 */
export function seedOrders(
  sqlite: Database.Database,
  rng: Rng,
  storeId: string,
  accounts: SeedAccount[],
  products: SeedProduct[],
  options: { count: number; now: number; onOrder: (id: string) => void; onProgress: (done: number) => void },
): OrderCounts {
  const { account, time } = scheduleOrders(rng, accounts, options.count, options.now);
  const byTime = Uint32Array.from({ length: options.count }, (_, i) => i).sort((a, b) => time[a] - time[b]);
  const ctx: OrderContext = {
    rng,
    storeId,
    accounts,
    products,
    insert: {
      order: rowInserter(sqlite, orders),
      item: rowInserter(sqlite, orderItems),
      fulfilment: rowInserter(sqlite, fulfilments),
      gift: rowInserter(sqlite, giftRecipients),
    },
    counts: { orders: 0, items: 0, fulfilments: 0, gifts: 0 },
    pickProduct: weightedPicker(products.map((p) => [p, p.weight] as const)),
  };
  const insertBatch = sqlite.transaction((from: number, to: number) => {
    for (let rank = from; rank < to; rank++) {
      const o = byTime[rank];
      options.onOrder(insertOrder(ctx, accounts[account[o]], Math.round(time[o]), rank + 1));
    }
  });
  for (let from = 0; from < options.count; from += BATCH) {
    insertBatch(from, Math.min(from + BATCH, options.count));
    options.onProgress(Math.min(from + BATCH, options.count));
  }
  return ctx.counts;
}

/** Who buys each order and when: first orders at sign-up, repeat orders uniformly later. */
function scheduleOrders(rng: Rng, accounts: SeedAccount[], count: number, now: number) {
  const account = new Int32Array(count);
  const time = new Float64Array(count);
  for (let o = 0; o < count; o++) {
    const a = o < accounts.length ? o : Math.floor(rng.next() * accounts.length);
    const createdAt = accounts[a].createdAt;
    account[o] = a;
    time[o] = o < accounts.length ? createdAt : createdAt + rng.next() * (now - 60_000 - createdAt);
  }
  return { account, time };
}

function insertOrder(ctx: OrderContext, buyer: SeedAccount, completedAt: number, invoiceNumber: number): string {
  const { rng, storeId } = ctx;
  const id = fastId('ord');
  const recipient = rng.chance(0.01) ? giftRecipient(ctx, buyer, completedAt) : undefined;
  const { totals, items, delivered } = priceItems(ctx, id, buyer, recipient ?? buyer);
  const brand = pickBrand(rng);
  ctx.insert.order({
    id,
    storeId,
    accountId: buyer.id,
    reference: reference(completedAt, invoiceNumber),
    kind: 'purchase',
    status: rng.chance(0.01) ? 'refunded' : 'completed',
    currency: buyer.country.currency,
    ...totals,
    customerEmail: buyer.email,
    customerFirstName: buyer.firstName,
    customerLastName: buyer.lastName,
    customerCompany: buyer.company,
    customerPhone: buyer.phone,
    billingCountry: buyer.country.code,
    billingState: buyer.region,
    billingPostalCode: buyer.postalCode,
    businessName: buyer.isBusiness ? buyer.company : null,
    taxId: buyer.taxId,
    isBusiness: buyer.isBusiness ? 1 : 0,
    // One-time purchases never save the payment method; only what paid is kept for display.
    paymentMethodId: null,
    paymentBrand: brand,
    paymentLast4: String(rng.int(0, 9999)).padStart(4, '0'),
    isGift: recipient ? 1 : 0,
    completedAt,
    createdAt: completedAt + rng.int(200, 5_000),
  });
  if (recipient) {
    ctx.insert.gift({
      orderId: id,
      storeId,
      accountId: recipient.id,
      email: recipient.email,
      firstName: recipient.firstName,
      lastName: recipient.lastName,
      message: rng.chance(0.6) ? `Happy birthday, ${recipient.firstName}! Enjoy.` : null,
    });
    ctx.counts.gifts++;
  }
  // Children after their order: the foreign keys are checked on every insert.
  for (const item of items) ctx.insert.item(item);
  for (const fulfilment of delivered) ctx.insert.fulfilment(fulfilment);
  ctx.counts.items += items.length;
  ctx.counts.fulfilments += delivered.length;
  ctx.counts.orders++;
  return id;
}

/** Someone else who already had an account when the gift was bought (accounts are sorted by creation). */
function giftRecipient(ctx: OrderContext, buyer: SeedAccount, at: number): SeedAccount | undefined {
  let low = 0;
  let high = ctx.accounts.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (ctx.accounts[mid].createdAt <= at) low = mid + 1;
    else high = mid;
  }
  const candidate = low > 1 ? ctx.accounts[Math.floor(ctx.rng.next() * low)] : undefined;
  return candidate && candidate !== buyer ? candidate : undefined;
}

/** `BEN` + yymmdd + two digit groups, unique per store because the groups encode the invoice number. */
function reference(completedAt: number, invoiceNumber: number): string {
  const date = new Date(completedAt).toISOString();
  const scrambled = (invoiceNumber * 7919 + 12_345) % 1_000_000_000;
  const digits = String(scrambled).padStart(9, '0');
  return `BEN${date.slice(2, 4)}${date.slice(5, 7)}${date.slice(8, 10)}-${digits.slice(0, 4)}-${digits.slice(4)}`;
}

const pickItemCount = weightedPicker([
  [1, 70],
  [2, 22],
  [3, 8],
]);
const pickBrand = weightedPicker(cardBrands);

/** The order's item rows and what they deliver, with the order totals summed from the items. */
function priceItems(ctx: OrderContext, orderId: string, buyer: SeedAccount, owner: SeedAccount) {
  const { rng, storeId } = ctx;
  const totals = { subtotal: 0, discount: 0, tax: 0, total: 0 };
  const items: RawRow<typeof orderItems>[] = [];
  const delivered: RawRow<typeof fulfilments>[] = [];
  const chosen = pickProducts(ctx, pickItemCount(rng));
  chosen.forEach((product, position) => {
    const quantity = product.key === 'sticker-pack' ? rng.int(1, 5) : rng.chance(0.9) ? 1 : rng.int(2, 3);
    const unitPrice = product.prices[buyer.country.currency];
    const subtotal = quantity * unitPrice;
    const discount = rng.chance(0.12) ? Math.round(subtotal * rng.pick([0.1, 0.15, 0.2, 0.25])) : 0;
    // Businesses with a VAT number buy under reverse charge: no tax on the invoice.
    const tax = buyer.taxId ? 0 : Math.round((subtotal - discount) * buyer.country.taxRate);
    const itemId = fastId('oit');
    items.push({
      id: itemId,
      storeId,
      orderId,
      position,
      productId: product.id,
      productKey: product.key,
      displayName: product.name,
      quantity,
      unitPrice,
      discount,
      tax,
      subtotal,
      total: subtotal - discount + tax,
      taxRatePpm: tax === 0 ? 0 : Math.round(buyer.country.taxRate * 1_000_000),
      periodStart: null,
      periodEnd: null,
      subscriptionId: null,
    });
    delivered.push(...fulfilmentsFor(ctx, orderId, itemId, product, owner.id));
    totals.subtotal += subtotal;
    totals.discount += discount;
    totals.tax += tax;
    totals.total += subtotal - discount + tax;
  });
  return { totals, items, delivered };
}

/** `count` different products, the popular ones more often. */
function pickProducts(ctx: OrderContext, count: number): SeedProduct[] {
  const chosen = new Set<SeedProduct>();
  while (chosen.size < Math.min(count, ctx.products.length)) chosen.add(ctx.pickProduct(ctx.rng));
  return [...chosen];
}

/** What an item delivers; built field by field because spreading objects per row is slow at this volume. */
function fulfilmentsFor(
  ctx: OrderContext,
  orderId: string,
  orderItemId: string,
  product: SeedProduct,
  accountId: string,
): RawRow<typeof fulfilments>[] {
  const rows: RawRow<typeof fulfilments>[] = [];
  const add = (type: RawRow<typeof fulfilments>['type'], name: string, fields: Partial<RawRow<typeof fulfilments>>) => {
    rows.push({
      id: fastId('ful'),
      storeId: ctx.storeId,
      orderId,
      orderItemId,
      accountId,
      position: rows.length,
      type,
      name,
      licenseKey: fields.licenseKey ?? null,
      downloadUrl: fields.downloadUrl ?? null,
      fileName: fields.fileName ?? null,
      fileSize: fields.fileSize ?? null,
      delivery: null,
      instructions: fields.instructions ?? null,
      revokedAt: null,
    });
  };
  const { delivery, file } = product;
  if (delivery === 'license_key' || delivery === 'license_and_download') {
    add('license_key', 'Licence key', { licenseKey: licenceKey(ctx.rng, product.key) });
  }
  if ((delivery === 'download' || delivery === 'license_and_download') && file) {
    add('download', product.name, {
      downloadUrl: `https://cdn.bench.example/releases/${file.name}`,
      fileName: file.name,
      fileSize: file.size,
    });
  }
  if (delivery === 'instructions') {
    add('instructions', 'How to start', {
      instructions: 'Sign in at https://learn.bench.example with the email address of this order to start the course.',
    });
  }
  return rows;
}

const KEY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** `PHO-7KQ2M-…`: four groups of five unambiguous characters. */
function licenceKey(rng: Rng, productKey: string): string {
  let key = productKey.slice(0, 3).toUpperCase();
  for (let i = 0; i < 20; i++)
    key += (i % 5 === 0 ? '-' : '') + KEY_ALPHABET[Math.floor(rng.next() * KEY_ALPHABET.length)];
  return key;
}
