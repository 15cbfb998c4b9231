import type { DbOrTx } from '../../../db/client';
import { taxOn } from '../../../lib/money';
import type { StoreSettings } from '../../../lib/store-settings';
import type { PortalSubscriptionView, SubscriptionActions } from '../../../schemas/subscriptions';
import { renewWindowOpensAt } from '../periods';
import { pauseResumeDate } from './pauses';
import { listSubscriptions, loadViewRelations, toSubscriptionView, type ViewRelations } from './subscriptions';
import type { ProductRow, SubscriptionRow } from '../../../db/schema';
import { findOwnSubscription, isPendingCancellation } from '../subscription-record';

/** The state the widget shows: the status, with a pending cancellation and a payment to confirm told apart. */
export function subscriptionState(row: SubscriptionRow): PortalSubscriptionView['state'] {
  if (row.status === 'overdue' && row.confirmationChargeId) return 'action_required';
  return isPendingCancellation(row) ? 'pending_cancellation' : row.status;
}

/** What the customer may do with the subscription now, given the store's settings. */
export function subscriptionActions(row: SubscriptionRow, settings: StoreSettings, now: Date): SubscriptionActions {
  const running = row.status === 'active' || row.status === 'trial';
  const live = running || row.status === 'overdue' || row.status === 'paused';
  const pendingCancellation = isPendingCancellation(row);
  const pauseScheduled = running && row.pauseStartsAt !== null;
  const free = running && !pendingCancellation && !pauseScheduled;
  return {
    change: free,
    cancel: live && !pendingCancellation,
    cancelImmediately: live && settings.allowImmediateCancel,
    resume: pendingCancellation && now.getTime() < row.currentPeriodEnd.getTime(),
    pause: free && settings.pauseEnabled,
    unpause: pauseScheduled || row.status === 'paused',
    undoScheduledChange: running && row.scheduledProductId !== null,
    confirmPayment: row.status === 'overdue' && row.confirmationChargeId !== null,
    renew:
      !row.autoRenew &&
      (row.status === 'active' || row.status === 'overdue') &&
      !pendingCancellation &&
      row.pauseStartsAt === null &&
      now.getTime() >= renewWindowOpensAt(row.currentPeriodEnd).getTime(),
  };
}

/** The next billing date and amount as the customer should read them: after a scheduled pause, none when ending. */
function nextCharge(row: SubscriptionRow): PortalSubscriptionView['nextCharge'] {
  if (isPendingCancellation(row) || row.status === 'canceled' || row.status === 'deactivated') return null;
  // Waiting for the customer's confirmation, nothing is charged at the date (`paymentConfirmation.confirmBy`).
  if (row.confirmationChargeId) return null;
  if (row.nextChargeAmount === null) return null;
  const at = row.status !== 'paused' && row.pauseResumesAt ? row.pauseResumesAt : row.nextChargeAt;
  return at ? { at: at.toISOString(), amount: row.nextChargeAmount } : null;
}

/** The subscription as its owner sees it, with the actions open to them. */
export function toPortalSubscriptionView(
  row: SubscriptionRow,
  plan: ProductRow,
  settings: StoreSettings,
  relations: ViewRelations,
): PortalSubscriptionView {
  const { now } = relations;
  const view = toSubscriptionView(row, plan, relations);
  const actions = subscriptionActions(row, settings, now);
  const amount = row.unitPrice * row.quantity;
  const tax = taxOn(amount, row.taxRatePpm);
  return {
    id: view.id,
    orderId: view.orderId,
    product: view.product,
    status: view.status,
    state: subscriptionState(row),
    quantity: view.quantity,
    currency: view.currency,
    unitPrice: view.unitPrice,
    taxRate: view.taxRate,
    recurring: { amount, tax, total: amount + tax },
    autoRenew: view.autoRenew,
    renewal: view.autoRenew ? 'automatic' : 'manual',
    currentPeriodStart: view.currentPeriodStart,
    currentPeriodEnd: view.currentPeriodEnd,
    trialEndsAt: view.trialEndsAt,
    nextCharge: nextCharge(row),
    scheduledChange: view.scheduledChange,
    pause: view.pause,
    paymentMethod: view.paymentMethod,
    cancellation: view.cancellation,
    failedAttempts: view.failedAttempts,
    paymentConfirmation: view.paymentConfirmation,
    endedAt: view.endedAt,
    createdAt: view.createdAt,
    updatedAt: view.updatedAt,
    actions,
    pauseOptions:
      actions.pause && plan.interval
        ? {
            startsAt: row.currentPeriodEnd.toISOString(),
            resumeDates: Array.from({ length: settings.maxPausePeriods }, (_, i) =>
              pauseResumeDate(plan, row.currentPeriodEnd, i + 1).toISOString(),
            ),
          }
        : null,
    renewOpensAt: row.autoRenew ? null : renewWindowOpensAt(row.currentPeriodEnd).toISOString(),
  };
}

/** The customer's subscriptions in every status, newest first. */
export async function listPortalSubscriptions(
  db: DbOrTx,
  storeId: string,
  accountId: string,
  settings: StoreSettings,
  query: { cursor?: string; limit: number },
  now: Date,
) {
  const page = await listSubscriptions(db, storeId, { accountId, ...query });
  const relations = await loadViewRelations(
    db,
    page.data.map((r) => r.subscription),
    now,
  );
  return {
    data: page.data.map((r) => toPortalSubscriptionView(r.subscription, r.plan, settings, relations)),
    nextCursor: page.nextCursor,
  };
}

/** One of the customer's subscriptions; 404 for anyone else's. */
export async function getPortalSubscription(
  db: DbOrTx,
  storeId: string,
  accountId: string,
  subscriptionId: string,
  settings: StoreSettings,
  now: Date,
): Promise<PortalSubscriptionView> {
  const { subscription, plan } = await findOwnSubscription(db, { storeId, accountId }, subscriptionId);
  return toPortalSubscriptionView(subscription, plan, settings, await loadViewRelations(db, [subscription], now));
}
