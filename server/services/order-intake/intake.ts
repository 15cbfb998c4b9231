import { first } from '../../db/query';
import { mapInOrder } from '../../lib/in-order';
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { concurrentTransaction } from '../../db/concurrent';
import { fulfilments, giftRecipients, orderItems, orders } from '../../db/schema';
import type { Deps } from '../../deps';
import { invalid, problemSaying } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { lineTaxRatePpm } from '../../lib/tax-rate';
import type { OrderCreateInput, OrderView } from '../../schemas/orders';
import { assertLive, findAccountByEmail, getLiveAccount, insertAccount } from '../accounts';
import { findProduct, getStore } from '../stores';
import { inviteOnSubscription } from '../sign-in';
import { emitEvent } from '../../webhooks/emit';
import { savePaymentMethod, startSubscription, taxRatePpm, toSubscriptionView } from '../billing';
import type { AccountRow, ProductRow } from '../../db/schema';
import { assertFetchableDownloads, generateReference, getOrderView, issueInvoice } from '../orders';
import { sendOrderEmails } from './receipts';

/** An item with its product resolved and its line amounts computed. */
interface PricedItem {
  input: OrderCreateInput['items'][number];
  product: ProductRow | undefined;
  subtotal: number;
  total: number;
}

/**
 * Records a completed order pushed by the merchant, in one transaction: finds or
 * creates the purchaser's account (an existing account is never changed by the
 * order's contact data), the gift recipient's account, saves the payment method
 * when the rules allow, numbers the invoice, stores items and fulfilments, starts
 * subscriptions and emits `order.completed` and `subscription.activated`.
 */
export async function recordOrder(deps: Deps, storeId: string, input: OrderCreateInput): Promise<string> {
  return await recordOrderThen(deps, storeId, input, async (_tx, order) => order.id);
}

/**
 * Records an order and, in the same transaction, does `then` with it (the Server API
 * stores the request's replay with the order: a crash cannot keep one without the
 * other). Order intake inserts rows and draws the store's next invoice number, writes
 * that need no serial order (server/db/concurrent.ts), so a burst of orders on one
 * store waits for the number one after another instead of conflicting — but for an
 * order that saves a payment method, which decides the customer's default method by
 * reading the others first: that one takes its turn as any transaction does.
 */
export async function recordOrderThen<T>(
  deps: Deps,
  storeId: string,
  input: OrderCreateInput,
  then: (tx: Tx, order: OrderView) => Promise<T>,
): Promise<T> {
  const record = async (tx: Tx) => await then(tx, await recordOrderInTransaction(tx, deps, storeId, input));
  const savesMethod = input.savePaymentMethod && input.paymentMethod !== undefined;
  return savesMethod ? await deps.db.transaction(record) : await concurrentTransaction(deps.db, record);
}

/**
 * {@link recordOrder} inside the caller's transaction; returns the order as the
 * merchant sees it. The store's invoice number is drawn last but for the writes that
 * carry it (the invoice, the event, the receipt): its counter row stays locked from
 * the draw to the commit, and on PostgreSQL, where a store's orders run at once, they
 * wait for it one after another — 7 statements hold it instead of 20.
 */
async function recordOrderInTransaction(
  tx: Tx,
  deps: Deps,
  storeId: string,
  input: OrderCreateInput,
): Promise<OrderView> {
  const now = deps.clock.now();
  const completedAt = input.completedAt ? new Date(input.completedAt) : now;
  if (completedAt.getTime() > now.getTime() + 5 * 60_000) {
    throw invalid('completedAt is in the future.', [
      { field: 'completedAt', code: 'future', message: 'Must not be in the future.' },
    ]);
  }
  const items = await priceItems(tx, storeId, input);
  await assertFetchableDownloads(tx, deps.config.production, storeId, input);
  const totals = sumTotals(items);
  checkTotals(input.totals, totals);
  const reference = input.reference ?? (await generateReference(tx, storeId, completedAt));
  await assertReferenceFree(tx, storeId, reference);

  const purchaser = await resolvePurchaser(tx, storeId, input, now);
  const recipient = input.gift ? await resolveRecipient(tx, storeId, input.gift, purchaser, now) : undefined;
  const startsSubscription = items.some((i) => i.product?.kind === 'subscription');
  // A gift's subscriptions belong to the recipient, who never gets the purchaser's payment token.
  const savedMethod =
    startsSubscription && input.savePaymentMethod && input.paymentMethod && !recipient
      ? await savePaymentMethod(tx, storeId, purchaser.id, input.paymentMethod, now, false, 'merchant')
      : undefined;

  const orderId = newId('ord');
  const [order] = await tx
    .insert(orders)
    .values({
      id: orderId,
      storeId,
      accountId: purchaser.id,
      reference,
      kind: 'purchase',
      status: 'completed',
      currency: input.currency,
      ...totals,
      customerEmail: input.customer.email,
      customerFirstName: input.customer.firstName ?? null,
      customerLastName: input.customer.lastName ?? null,
      customerCompany: input.customer.company ?? null,
      customerPhone: input.customer.phone ?? null,
      billingCountry: input.billingDetails?.country ?? null,
      billingState: input.billingDetails?.state ?? null,
      billingPostalCode: input.billingDetails?.postalCode ?? null,
      businessName: input.billingDetails?.businessName ?? null,
      taxId: input.billingDetails?.taxId ?? null,
      isBusiness: input.billingDetails?.isBusiness ?? false,
      paymentMethodId: savedMethod?.id ?? null,
      paymentBrand: input.paymentMethod?.brand ?? null,
      paymentLast4: input.paymentMethod?.last4 ?? null,
      isGift: Boolean(recipient),
      completedAt,
      createdAt: now,
    })
    .returning();
  if (recipient && input.gift) {
    await tx.insert(giftRecipients).values({
      orderId,
      storeId,
      accountId: recipient.id,
      email: recipient.email,
      firstName: input.gift.recipient.firstName ?? recipient.firstName,
      lastName: input.gift.recipient.lastName ?? recipient.lastName,
      message: input.gift.message || null,
    });
  }
  const owner = recipient ?? purchaser;
  const started = await insertItems(tx, {
    storeId,
    orderId,
    items,
    currency: input.currency,
    owner,
    completedAt,
    now,
    autoRenew: Boolean(savedMethod),
    paymentMethodId: savedMethod?.id ?? null,
  });
  const store = await getStore(tx, storeId);
  const unnumbered = await getOrderView(tx, storeId, orderId);
  const invoice = await issueInvoice(tx, order, purchaser, now);
  const view: OrderView = { ...unnumbered, invoiceNumber: invoice?.number ?? null };
  await emitEvent(tx, storeId, 'order.completed', view, now);
  for (const { row, plan } of started) {
    await emitEvent(tx, storeId, 'subscription.activated', toSubscriptionView(row, plan), now);
  }
  if (started.length > 0) await inviteOnSubscription(tx, store, owner, deps.config.publicBaseUrl, now);
  await sendOrderEmails(tx, deps.config.publicBaseUrl, view, { store, purchaser, recipient, invoice }, now);
  return view;
}

async function priceItems(tx: Tx, storeId: string, input: OrderCreateInput): Promise<PricedItem[]> {
  return await mapInOrder(input.items, async (item, index) => {
    const product = await findProduct(tx, storeId, item.product);
    const field = (name: string) => `items.${index}.${name}`;
    if (!product && item.subscription) {
      throw invalid(`Item ${index + 1} starts a subscription, but "${item.product}" is not a plan in the catalog.`, [
        { field: field('product'), code: 'unknown_plan', message: 'Create the plan with POST /api/products first.' },
      ]);
    }
    if (product && product.kind !== 'subscription' && item.subscription) {
      throw invalid(`"${item.product}" is a one-time product; it cannot start a subscription.`, [
        { field: field('subscription'), code: 'not_a_plan', message: 'Only subscription plans start subscriptions.' },
      ]);
    }
    const subtotal = item.quantity * item.unitPrice;
    if (item.discount > subtotal) {
      throw invalid(`Item ${index + 1}'s discount is larger than its price.`, [
        { field: field('discount'), code: 'too_big', message: 'Must not exceed quantity × unitPrice.' },
      ]);
    }
    return { input: item, product, subtotal, total: subtotal - item.discount + item.tax };
  });
}

function sumTotals(items: PricedItem[]) {
  return items.reduce(
    (t, i) => ({
      subtotal: t.subtotal + i.subtotal,
      discount: t.discount + i.input.discount,
      tax: t.tax + i.input.tax,
      total: t.total + i.total,
    }),
    { subtotal: 0, discount: 0, tax: 0, total: 0 },
  );
}

function checkTotals(given: OrderCreateInput['totals'], computed: ReturnType<typeof sumTotals>) {
  if (!given) return;
  const wrong = (Object.keys(computed) as (keyof typeof computed)[]).filter((k) => given[k] !== computed[k]);
  if (wrong.length > 0) {
    throw invalid(
      'The order totals do not match the sums of its items.',
      wrong.map((k) => ({
        field: `totals.${k}`,
        code: 'totals_mismatch',
        message: `Expected ${computed[k]} from the items, got ${given[k]}.`,
      })),
    );
  }
}

async function resolvePurchaser(tx: Tx, storeId: string, input: OrderCreateInput, now: Date): Promise<AccountRow> {
  if (input.accountId) return await getLiveAccount(tx, storeId, input.accountId);
  const existing = await findAccountByEmail(tx, storeId, input.customer.email);
  if (existing) return assertLive(existing);
  const { email, firstName, lastName, phone, company, address, country, language } = input.customer;
  return await insertAccount(
    tx,
    storeId,
    {
      email,
      firstName,
      lastName,
      phone,
      company,
      address,
      country,
      language,
      billingDetails: input.billingDetails,
    },
    now,
    'merchant',
  );
}

async function resolveRecipient(
  tx: Tx,
  storeId: string,
  gift: NonNullable<OrderCreateInput['gift']>,
  purchaser: AccountRow,
  now: Date,
): Promise<AccountRow> {
  if (gift.recipient.email === purchaser.email) {
    throw invalid("A gift's recipient must not be the purchaser.", [
      { field: 'gift.recipient.email', code: 'gift_to_self', message: 'Use a different email address.' },
    ]);
  }
  const existing = await findAccountByEmail(tx, storeId, gift.recipient.email);
  return existing ? assertLive(existing) : await insertAccount(tx, storeId, gift.recipient, now, 'merchant');
}

interface ItemContext {
  storeId: string;
  orderId: string;
  items: PricedItem[];
  currency: string;
  owner: AccountRow;
  completedAt: Date;
  now: Date;
  autoRenew: boolean;
  paymentMethodId: string | null;
}

/** Inserts items and their fulfilments and starts the subscriptions plan items start. */
async function insertItems(tx: Tx, ctx: ItemContext) {
  const started: { row: Awaited<ReturnType<typeof startSubscription>>; plan: ProductRow }[] = [];
  for (const [position, item] of ctx.items.entries()) {
    const itemId = newId('oit');
    const { input, product } = item;
    await tx.insert(orderItems).values({
      id: itemId,
      storeId: ctx.storeId,
      orderId: ctx.orderId,
      position,
      productId: product?.id ?? null,
      productKey: product?.key ?? input.product,
      displayName: input.displayName,
      quantity: input.quantity,
      unitPrice: input.unitPrice,
      discount: input.discount,
      tax: input.tax,
      subtotal: item.subtotal,
      total: item.total,
      taxRatePpm: lineTaxRatePpm(input.taxRate, input.tax, item.subtotal - input.discount),
      subscriptionId: null,
    });
    for (const [index, f] of input.fulfilments.entries()) {
      await tx.insert(fulfilments).values({
        id: newId('ful'),
        storeId: ctx.storeId,
        orderId: ctx.orderId,
        orderItemId: itemId,
        accountId: ctx.owner.id,
        position: index,
        type: f.type,
        name: f.name ?? null,
        licenseKey: f.type === 'license_key' ? f.licenseKey : null,
        downloadUrl: f.type === 'download' ? f.url : null,
        fileName: f.type === 'download' ? (f.fileName ?? fileNameOf(f.url)) : null,
        fileSize: f.type === 'download' ? (f.fileSize ?? null) : null,
        delivery: f.type === 'download' ? (f.delivery ?? null) : null,
        instructions: f.type === 'instructions' ? f.instructions : null,
        revokedAt: null,
      });
    }
    if (product?.kind === 'subscription') {
      const row = await startSubscription(
        tx,
        {
          storeId: ctx.storeId,
          accountId: ctx.owner.id,
          plan: product,
          orderId: ctx.orderId,
          orderItemId: itemId,
          currency: ctx.currency,
          quantity: input.quantity,
          unitPrice: recurringUnitPrice(input, product, ctx.currency, position),
          taxRatePpm: taxRatePpm(input.taxRate, input.tax, item.subtotal - input.discount),
          autoRenew: ctx.autoRenew,
          paymentMethodId: ctx.paymentMethodId,
          trialDays: input.subscription?.trialDays,
          startsAt: ctx.completedAt,
          by: 'merchant',
        },
        ctx.now,
      );
      await tx
        .update(orderItems)
        .set({ subscriptionId: row.id, periodStart: row.currentPeriodStart, periodEnd: row.currentPeriodEnd })
        .where(eq(orderItems.id, itemId));
      started.push({ row, plan: product });
    }
  }
  return started;
}

/**
 * The price a subscription renews at: the unit price it was sold at, or — when the
 * first period was free (a trial) — the plan's catalog price in the order's currency.
 */
function recurringUnitPrice(item: PricedItem['input'], plan: ProductRow, currency: string, index: number): number {
  if (item.unitPrice > 0) return item.unitPrice;
  const listed = plan.prices[currency];
  if (listed === undefined) {
    throw invalid(`Plan "${plan.key}" has no ${currency} price to renew at.`, [
      {
        field: `items.${index}.unitPrice`,
        code: 'no_recurring_price',
        message: `Add a ${currency} price to the plan.`,
      },
    ]);
  }
  return listed;
}

function fileNameOf(url: string): string | null {
  const last = new URL(url).pathname.split('/').filter(Boolean).at(-1);
  return last ? decodeURIComponent(last) : null;
}

async function assertReferenceFree(tx: Tx, storeId: string, reference: string) {
  const taken = first(
    await tx
      .select({ id: orders.id })
      .from(orders)
      .where(and(eq(orders.storeId, storeId), eq(orders.reference, reference))),
  );
  if (taken) {
    throw problemSaying('order_exists', `An order with reference "${reference}" already exists.`, {
      orderId: taken.id,
    });
  }
}
