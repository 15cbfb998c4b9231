import { encodeTestToken } from '../server/payments/test-gateway';
import { createHash } from 'node:crypto';
import type { z } from '@hono/zod-openapi';
import { DAY } from '../server/lib/clock';
import type { orderCreateInput } from '../server/schemas/orders';
import { demoCustomers, demoFiles, listPrice, type CustomerHandle, type DemoCustomer, type ProductKey } from './data';

type OrderBody = z.input<typeof orderCreateInput>;
type ItemBody = OrderBody['items'][number];
type FulfilmentBody = NonNullable<ItemBody['fulfilments']>[number];

/** One line of a demo order: a product, how many, and an optional discount. */
interface LineSpec {
  product: ProductKey;
  quantity?: number;
  /** Discount on the line as a fraction (0.2 for 20% off). */
  discount?: number;
}

/** A demo order before it is turned into an order body. */
interface OrderSpec {
  by: CustomerHandle;
  daysAgo: number;
  hour: number;
  lines: LineSpec[];
  /** False: the card pays but is not saved, so subscriptions renew manually. */
  savePaymentMethod?: boolean;
  gift?: { to: CustomerHandle; message: string };
}

/**
 * The demo's order history over the past ~18 months, oldest first. Subscriptions
 * start within their current period (monthly plans in the last month, yearly ones
 * in the last year), so every subscription is current without renewal orders.
 */
const orderSpecs: OrderSpec[] = [
  {
    by: 'kenji',
    daysAgo: 520,
    hour: 2,
    lines: [{ product: 'photo-toolkit-3' }, { product: 'brush-library', discount: 0.15 }],
  },
  {
    by: 'ada',
    daysAgo: 505,
    hour: 19,
    lines: [{ product: 'photo-toolkit-3' }, { product: 'brush-library', discount: 0.1 }],
  },
  { by: 'clara', daysAgo: 470, hour: 8, lines: [{ product: 'font-pack-pro', discount: 0.2 }] },
  { by: 'lea', daysAgo: 400, hour: 10, lines: [{ product: 'font-pack-pro', quantity: 5, discount: 0.1 }] },
  { by: 'ada', daysAgo: 330, hour: 21, lines: [{ product: 'font-pack-pro' }] },
  { by: 'grace', daysAgo: 280, hour: 15, lines: [{ product: 'brush-library' }] },
  {
    by: 'jonas',
    daysAgo: 240,
    hour: 18,
    lines: [{ product: 'studio-pro-yearly' }, { product: 'photo-toolkit-3', discount: 0.5 }],
  },
  {
    by: 'ada',
    daysAgo: 190,
    hour: 11,
    lines: [{ product: 'photo-toolkit-3' }],
    gift: { to: 'grace', message: 'Happy birthday, Grace! May your photos have fewer bugs than your code. — Ada' },
  },
  { by: 'grace', daysAgo: 150, hour: 14, lines: [{ product: 'studio-basic-yearly' }], savePaymentMethod: false },
  { by: 'kenji', daysAgo: 120, hour: 3, lines: [{ product: 'font-pack-pro' }] },
  {
    by: 'clara',
    daysAgo: 60,
    hour: 9,
    lines: [{ product: 'photo-toolkit-3', discount: 0.4 }, { product: 'brush-library' }],
  },
  { by: 'liam', daysAgo: 25, hour: 13, lines: [{ product: 'studio-pro-monthly' }] },
  { by: 'ada', daysAgo: 21, hour: 20, lines: [{ product: 'studio-pro-monthly', discount: 0.2 }] },
  { by: 'lea', daysAgo: 12, hour: 9, lines: [{ product: 'studio-business-monthly', quantity: 5 }] },
  { by: 'sofia', daysAgo: 9, hour: 16, lines: [{ product: 'studio-basic-monthly' }, { product: 'brush-library' }] },
  { by: 'kenji', daysAgo: 5, hour: 1, lines: [{ product: 'studio-pro-monthly' }], savePaymentMethod: false },
];

/** What building the orders needs from the running server: the time and where the files are served. */
export interface DemoOrderContext {
  now: Date;
  fileUrl(name: string): string;
  fileSize(name: string): number;
}

/** A demo order ready for `recordOrder`, with the time it completed. */
export interface DemoOrder {
  completedAt: Date;
  body: OrderBody;
}

/** Builds the demo orders, oldest first, with references `NW-10421`, `NW-10422`, …. */
export function buildDemoOrders(ctx: DemoOrderContext): DemoOrder[] {
  return orderSpecs.map((spec, index) => {
    const completedAt = daysAgo(ctx.now, spec.daysAgo, spec.hour);
    const reference = `NW-${10421 + index}`;
    const buyer: DemoCustomer = demoCustomers[spec.by];
    const owner = spec.gift ? demoCustomers[spec.gift.to] : buyer;
    const body: OrderBody = {
      reference,
      customer: buyer.customer,
      currency: buyer.currency,
      items: spec.lines.map((line, position) =>
        toItem(ctx, line, buyer, {
          seed: `${reference}/${position}`,
          ownerEmail: owner.customer.email,
        }),
      ),
      billingDetails: buyer.billingDetails,
      paymentMethod: cardOf(spec.by, buyer, ctx.now),
      savePaymentMethod: spec.savePaymentMethod ?? true,
      completedAt: completedAt.toISOString(),
      ...(spec.gift && { gift: giftOf(spec.gift) }),
    };
    return { completedAt, body };
  });
}

/** Whose item it is: a seed for its licence keys and the email of the account that receives it. */
interface ItemOwner {
  seed: string;
  ownerEmail: string;
}

function toItem(ctx: DemoOrderContext, line: LineSpec, buyer: DemoCustomer, who: ItemOwner): ItemBody {
  const { name, unitPrice } = listPrice(line.product, buyer.currency);
  const quantity = line.quantity ?? 1;
  const discount = Math.round(quantity * unitPrice * (line.discount ?? 0));
  const tax = Math.round((quantity * unitPrice - discount) * buyer.taxRate);
  return {
    product: line.product,
    displayName: quantity > 1 && line.product.startsWith('studio-business') ? `${name}, ${quantity} seats` : name,
    quantity,
    unitPrice,
    discount,
    tax,
    ...(line.product.startsWith('studio-') && { taxRate: buyer.taxRate }),
    fulfilments: fulfilmentsFor(ctx, line.product, quantity, who),
  };
}

function fulfilmentsFor(
  ctx: DemoOrderContext,
  product: ProductKey,
  quantity: number,
  who: ItemOwner,
): FulfilmentBody[] {
  const seats = quantity > 1 ? ` (${quantity} seats)` : '';
  const download = (file: string, name: string): FulfilmentBody => ({
    type: 'download',
    url: ctx.fileUrl(file),
    fileName: file,
    fileSize: ctx.fileSize(file),
    name,
  });
  switch (product) {
    case 'photo-toolkit-3':
      return [
        { type: 'license_key', name: `Photo Toolkit 3 licence${seats}`, licenseKey: licenceKey('PTK3', who.seed) },
        download(demoFiles.toolkit, 'Photo Toolkit 3 for macOS and Windows'),
      ];
    case 'font-pack-pro':
      return [
        { type: 'license_key', name: `Font Pack Pro licence${seats}`, licenseKey: licenceKey('FPP', who.seed) },
        download(demoFiles.fontGuide, 'Installation guide (PDF)'),
      ];
    case 'brush-library':
      return [
        { type: 'license_key', name: 'Brush Library licence', licenseKey: licenceKey('BRL', who.seed) },
        {
          type: 'instructions',
          name: 'Installing the brushes',
          instructions:
            'In Northwind Studio, open Brushes → Import Library…, choose "Northwind Brush Library" ' +
            'and paste your licence key. The 300 brushes appear in the Brushes panel under "Library".',
        },
      ];
    default:
      return [
        {
          type: 'instructions',
          name: 'Getting started',
          instructions:
            'Download Northwind Studio from https://northwind.example/download and sign in with ' +
            `${who.ownerEmail}. ` +
            'Your plan activates itself; no licence key is needed.' +
            (quantity > 1 ? ` Invite your team under Account → Seats (${quantity} seats).` : ''),
        },
        download(demoFiles.releaseNotes, 'Release notes'),
      ];
  }
}

function cardOf(handle: CustomerHandle, buyer: DemoCustomer, now: Date): OrderBody['paymentMethod'] {
  const { brand, last4, expiresInMonths } = buyer.card;
  const expiry = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + expiresInMonths, 1));
  const expMonth = expiry.getUTCMonth() + 1;
  const expYear = expiry.getUTCFullYear();
  // A token of the built-in test gateway, so the demo's renewals and upgrades really charge (in test mode).
  const token = encodeTestToken({ brand, last4, expMonth, expYear, behaviour: 'succeeds', nonce: `demo-${handle}` });
  return { token, type: 'card', brand, last4, expMonth, expYear };
}

function giftOf(gift: NonNullable<OrderSpec['gift']>): OrderBody['gift'] {
  const { email, firstName, lastName, language } = demoCustomers[gift.to].customer;
  return { recipient: { email, firstName, lastName, language }, message: gift.message };
}

/** `days` days before `now`, at `hour`:17 UTC on that day. */
function daysAgo(now: Date, days: number, hour: number): Date {
  const day = new Date(now.getTime() - days * DAY);
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour, 17));
}

// Crockford's base32 alphabet: no I, L, O or U, so keys read aloud and typed back survive.
const KEY_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A realistic licence key (`PTK3-8QW2K-7HJ4M-…`), the same for the same seed. */
export function licenceKey(prefix: string, seed: string): string {
  const bytes = createHash('sha256').update(seed).digest().subarray(0, 20);
  const chars = [...bytes].map((b) => KEY_ALPHABET[b % 32]).join('');
  return [prefix, ...(chars.match(/.{5}/g) ?? [])].join('-');
}
