import { and, desc, eq, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../../db/client';
import { prepared } from '../../../db/prepared';
import { paymentMethods, products, subscriptionCharges, subscriptions } from '../../../db/schema';
import { decodeCursor, encodeCursor } from '../../../lib/cursor';
import { newId } from '../../../lib/ids';
import { PPM, taxOn } from '../../../lib/money';
import { addIntervals } from '../../../lib/periods';
import type { SubscriptionView } from '../../../schemas/subscriptions';
import type { ChargeRow, PaymentMethodRow, ProductRow, SubscriptionRow } from '../../../db/schema';
import { getSubscription, isPendingCancellation, type Subscribed } from '../subscription-record';
import type { ActivityActor } from '../../../contract';
import { recordSubscriptionActivity } from '../subscription-activity';

/** What an order item contributes to the subscription it starts. */
export interface SubscriptionStart {
  storeId: string;
  accountId: string;
  plan: ProductRow;
  orderId: string;
  orderItemId: string;
  currency: string;
  quantity: number;
  unitPrice: number;
  taxRatePpm: number;
  autoRenew: boolean;
  paymentMethodId: string | null;
  trialDays?: number;
  startsAt: Date;
  /** Who started it (the merchant, recording an order), for the activity log. */
  by: ActivityActor;
}

/** The amount charged per period: quantity × unit price plus tax at the subscription's rate. */
export function periodAmount(sub: Pick<SubscriptionRow, 'unitPrice' | 'quantity' | 'taxRatePpm'>): number {
  const net = sub.unitPrice * sub.quantity;
  return net + taxOn(net, sub.taxRatePpm);
}

/**
 * Starts a subscription inside the caller's transaction (the caller emits
 * `subscription.activated` after its own event). A trial runs until its end, then
 * the first paid period starts; otherwise the first period starts when the order
 * completed. The account's activity log records the start.
 */
export async function startSubscription(tx: Tx, start: SubscriptionStart, now: Date): Promise<SubscriptionRow> {
  const { plan } = start;
  const trialEndsAt = start.trialDays ? new Date(start.startsAt.getTime() + start.trialDays * 86_400_000) : null;
  const anchor = trialEndsAt ?? start.startsAt;
  const periodEnd = trialEndsAt ?? addIntervals(anchor, plan.interval!, plan.intervalCount);
  const row: SubscriptionRow = {
    id: newId('sub'),
    storeId: start.storeId,
    accountId: start.accountId,
    productId: plan.id,
    orderId: start.orderId,
    orderItemId: start.orderItemId,
    status: trialEndsAt ? 'trial' : 'active',
    quantity: start.quantity,
    currency: start.currency,
    unitPrice: start.unitPrice,
    taxRatePpm: start.taxRatePpm,
    autoRenew: start.autoRenew,
    paymentMethodId: start.paymentMethodId,
    billingAnchorAt: anchor,
    // A trial is the period before the first paid one.
    periodIndex: trialEndsAt ? -1 : 0,
    currentPeriodStart: start.startsAt,
    currentPeriodEnd: periodEnd,
    trialEndsAt,
    nextChargeAt: periodEnd,
    nextChargeAmount: 0,
    cancelAtPeriodEnd: false,
    cancelReason: null,
    cancelComment: null,
    canceledAt: null,
    endedAt: null,
    scheduledProductId: null,
    scheduledQuantity: null,
    scheduledUnitPrice: null,
    pauseStartsAt: null,
    pauseResumesAt: null,
    failedAttempts: 0,
    confirmationChargeId: null,
    lockedUntil: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  row.nextChargeAmount = periodAmount(row);
  await tx.insert(subscriptions).values(row);
  const details = {
    plan: plan.name,
    quantity: row.quantity,
    ...(trialEndsAt && { endsAt: trialEndsAt.toISOString() }),
  };
  await recordSubscriptionActivity(tx, row, 'subscription_started', start.by, details, now);
  return row;
}

/** Tax rate in ppm from an explicit fraction, or derived from a line's tax over its net amount. */
export function taxRatePpm(explicit: number | undefined, tax: number, net: number): number {
  if (explicit !== undefined) return Math.round(explicit * PPM);
  return net > 0 ? Math.round((tax * PPM) / net) : 0;
}

/** An account's subscriptions, newest first. */
export async function listSubscriptions(
  db: DbOrTx,
  storeId: string,
  query: { accountId?: string; cursor?: string; limit: number },
) {
  const conditions: SQL[] = [eq(subscriptions.storeId, storeId)];
  if (query.accountId) conditions.push(eq(subscriptions.accountId, query.accountId));
  const cursor = decodeCursor(query.cursor);
  if (cursor) {
    const at = new Date(cursor.at);
    conditions.push(
      or(lt(subscriptions.createdAt, at), and(eq(subscriptions.createdAt, at), lt(subscriptions.id, cursor.id)))!,
    );
  }
  const rows = await db
    .select()
    .from(subscriptions)
    .innerJoin(products, eq(products.id, subscriptions.productId))
    .where(and(...conditions))
    .orderBy(desc(subscriptions.createdAt), desc(subscriptions.id))
    .limit(query.limit + 1);
  const more = rows.length > query.limit;
  const data = (more ? rows.slice(0, query.limit) : rows).map((r) => ({
    subscription: r.subscriptions,
    plan: r.products,
  }));
  const last = data.at(-1)?.subscription;
  return { data, nextCursor: more && last ? encodeCursor(last.createdAt, last.id) : null };
}

/** Subscription ids of the given order items' subscriptions. */
export async function subscriptionsOfOrder(
  db: DbOrTx,
  storeId: string,
  orderIds: string[],
): Promise<SubscriptionRow[]> {
  if (orderIds.length === 0) return [];
  return await db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.storeId, storeId), inArray(subscriptions.orderId, orderIds)));
}

/** What a view needs beyond the row and its plan: the catalog and payment methods, and the time (for `expired`). */
/**
 * What a subscription view shows beyond the row and its plan, loaded in batch
 * for a whole list: the payment methods and the plans of scheduled changes, by id.
 */
export interface ViewRelations {
  methods: ReadonlyMap<string, PaymentMethodRow>;
  plans: ReadonlyMap<string, ProductRow>;
  /** The renewal charges waiting for the customer's confirmation, by id. */
  confirmations?: ReadonlyMap<string, ChargeRow>;
  now: Date;
}

/** Loads the relations of `rows` in up to three queries, however many rows there are. */
export async function loadViewRelations(
  db: DbOrTx,
  rows: readonly SubscriptionRow[],
  now: Date,
): Promise<ViewRelations> {
  const methodIds = [...new Set(rows.flatMap((r) => (r.paymentMethodId ? [r.paymentMethodId] : [])))];
  const planIds = [...new Set(rows.flatMap((r) => (r.scheduledProductId ? [r.scheduledProductId] : [])))];
  const methods =
    methodIds.length === 0
      ? []
      : methodIds.length === 1
        ? // One subscription's view (every change and event): a statement prepared once.
          await prepared(db, 'subscription-view:method', (root) =>
            root
              .select()
              .from(paymentMethods)
              .where(and(eq(paymentMethods.id, sql.placeholder('id')), isNull(paymentMethods.removedAt)))
              .prepare(),
          ).all({ id: methodIds[0] })
        : await db
            .select()
            .from(paymentMethods)
            .where(and(inArray(paymentMethods.id, methodIds), isNull(paymentMethods.removedAt)));
  const plans = planIds.length === 0 ? [] : await db.select().from(products).where(inArray(products.id, planIds));
  const chargeIds = rows.flatMap((r) => (r.confirmationChargeId ? [r.confirmationChargeId] : []));
  const charges =
    chargeIds.length === 0
      ? []
      : await db.select().from(subscriptionCharges).where(inArray(subscriptionCharges.id, chargeIds));
  return {
    methods: new Map(methods.map((m) => [m.id, m])),
    plans: new Map(plans.map((p) => [p.id, p])),
    confirmations: new Map(charges.map((c) => [c.id, c])),
    now,
  };
}

/** Views of subscriptions with their plans, their relations loaded in batch. */
export async function toSubscriptionViews(
  db: DbOrTx,
  items: readonly Subscribed[],
  now: Date,
): Promise<SubscriptionView[]> {
  const relations = await loadViewRelations(
    db,
    items.map((i) => i.subscription),
    now,
  );
  return items.map((i) => toSubscriptionView(i.subscription, i.plan, relations));
}

/** The view of one subscription, read in `db` (the caller's transaction when it just changed it). */
export async function subscriptionView(
  db: DbOrTx,
  row: SubscriptionRow,
  plan: ProductRow,
  now: Date,
): Promise<SubscriptionView> {
  return toSubscriptionView(row, plan, await loadViewRelations(db, [row], now));
}

/**
 * The Server API and webhook view of a subscription: a pure function of the
 * row, its plan and its relations. Without `relations` (a subscription just
 * started, before anything else exists) the payment method and a scheduled
 * plan show ids only.
 */
export function toSubscriptionView(
  row: SubscriptionRow,
  plan: ProductRow,
  relations?: ViewRelations,
): SubscriptionView {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    id: row.id,
    accountId: row.accountId,
    orderId: row.orderId,
    product: {
      id: plan.id,
      key: plan.key,
      name: plan.name,
      family: plan.family,
      interval: plan.interval ?? null,
      intervalCount: plan.intervalCount,
    },
    status: row.status,
    quantity: row.quantity,
    currency: row.currency,
    unitPrice: row.unitPrice,
    taxRate: row.taxRatePpm / PPM,
    autoRenew: row.autoRenew,
    paymentMethodId: row.paymentMethodId,
    paymentMethod: paymentMethodSummary(row, relations),
    currentPeriodStart: row.currentPeriodStart.toISOString(),
    currentPeriodEnd: row.currentPeriodEnd.toISOString(),
    trialEndsAt: iso(row.trialEndsAt),
    nextChargeAt: iso(row.nextChargeAt),
    nextChargeAmount: row.nextChargeAmount,
    cancelAtPeriodEnd: row.cancelAtPeriodEnd,
    cancellation: cancellationOf(row),
    scheduledChange: scheduledChangeOf(row, plan, relations),
    pause:
      row.pauseStartsAt && row.pauseResumesAt
        ? { startsAt: row.pauseStartsAt.toISOString(), resumesAt: row.pauseResumesAt.toISOString() }
        : null,
    failedAttempts: row.failedAttempts,
    paymentConfirmation: paymentConfirmationOf(row, relations),
    endedAt: iso(row.endedAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The renewal payment waiting for the customer's confirmation, if any (without relations: its id and deadline only). */
function paymentConfirmationOf(
  row: SubscriptionRow,
  relations?: ViewRelations,
): SubscriptionView['paymentConfirmation'] {
  if (!row.confirmationChargeId) return null;
  const charge = relations?.confirmations?.get(row.confirmationChargeId);
  return {
    chargeId: row.confirmationChargeId,
    total: charge?.total ?? row.nextChargeAmount ?? 0,
    currency: row.currency,
    requestedAt: (charge?.createdAt ?? row.updatedAt).toISOString(),
    confirmBy: row.nextChargeAt?.toISOString() ?? null,
  };
}

function cancellationOf(row: SubscriptionRow): SubscriptionView['cancellation'] {
  if (!row.canceledAt && !row.cancelReason) return null;
  const endsAt = row.endedAt ?? (isPendingCancellation(row) ? row.currentPeriodEnd : null);
  return {
    reason: row.cancelReason,
    comment: row.cancelComment,
    canceledAt: row.canceledAt?.toISOString() ?? null,
    endsAt: endsAt?.toISOString() ?? null,
  };
}

function scheduledChangeOf(
  row: SubscriptionRow,
  plan: ProductRow,
  relations?: ViewRelations,
): SubscriptionView['scheduledChange'] {
  if (!row.scheduledProductId || row.scheduledQuantity === null || row.scheduledUnitPrice === null) return null;
  const target = row.scheduledProductId === plan.id ? plan : relations?.plans.get(row.scheduledProductId);
  return {
    product: { id: row.scheduledProductId, key: target?.key ?? null, name: target?.name ?? null },
    quantity: row.scheduledQuantity,
    unitPrice: row.scheduledUnitPrice,
    effectiveAt: row.currentPeriodEnd.toISOString(),
  };
}

function paymentMethodSummary(row: SubscriptionRow, relations?: ViewRelations): SubscriptionView['paymentMethod'] {
  const method = row.paymentMethodId ? relations?.methods.get(row.paymentMethodId) : undefined;
  if (!method || !relations) return null;
  return {
    id: method.id,
    type: method.type,
    brand: method.brand,
    last4: method.last4,
    expMonth: method.expMonth,
    expYear: method.expYear,
    expired:
      Boolean(method.expMonth && method.expYear) &&
      relations.now.getTime() >= Date.UTC(method.expYear!, method.expMonth!, 1),
  };
}

/** The full view of a subscription, read in `db` (the caller's transaction when it just changed it). */
export async function loadSubscriptionView(
  db: DbOrTx,
  storeId: string,
  subscriptionId: string,
  now: Date,
): Promise<SubscriptionView> {
  const { subscription, plan } = await getSubscription(db, storeId, subscriptionId);
  return await subscriptionView(db, subscription, plan, now);
}
