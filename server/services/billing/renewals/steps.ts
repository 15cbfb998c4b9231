import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client';
import { prepared } from '../../../db/prepared';
import { products } from '../../../db/schema';
import type { Deps } from '../../../deps';
import {
  manualRenewalDueEmail,
  manualRenewalLapsedEmail,
  subscriptionEndedEmail,
} from '../../../email/renewal-templates';
import { getAccount } from '../../accounts';
import { emitSubscriptionEvent, portalLinks, recipientOf, sendRenewalEmail, type RenewalParties } from './notices';
import { nextPeriodCharge, resumeAnchor, upcomingPeriod } from '../periods';
import { MANUAL_GRACE_MS, manualGraceEnd } from './schedule';
import { getStore } from '../../stores';
import type { ProductRow, StoreRow, SubscriptionRow } from '../../../db/schema';
import { endsBilling, readSubscription, updateSubscription } from '../subscription-record';
import { recordSubscriptionActivity } from '../subscription-activity';

/** A subscription with its plan, store and account, as one renewal step needs them. */
export interface RenewalContext extends RenewalParties {
  sub: SubscriptionRow;
  plan: ProductRow;
}

/**
 * What is due for a subscription at `now`, in the order it must happen: a
 * cancellation taking effect, a scheduled change applied at the period's end, a
 * pause starting or ending, then the charge (or, for manual renewal, the reminder
 * and finally the deactivation; for a renewal waiting for the customer's
 * confirmation, its deadline). Null when nothing is due.
 */
export type RenewalStep =
  | 'end_cancellation'
  | 'apply_change'
  | 'start_pause'
  | 'end_pause'
  | 'confirmation_due'
  | 'charge'
  | 'manual_due'
  | 'manual_lapse';

export function nextStep(sub: SubscriptionRow, now: Date): RenewalStep | null {
  if (sub.status === 'canceled' || sub.status === 'deactivated') return null;
  const at = now.getTime();
  const periodOver = sub.currentPeriodEnd.getTime() <= at;
  if (sub.cancelAtPeriodEnd && periodOver) return 'end_cancellation';
  if (sub.scheduledProductId && periodOver) return 'apply_change';
  const live = sub.status === 'active' || sub.status === 'trial';
  if (live && sub.pauseStartsAt && sub.pauseResumesAt && sub.pauseStartsAt.getTime() <= at) return 'start_pause';
  if (sub.status === 'paused' && sub.pauseResumesAt && sub.pauseResumesAt.getTime() <= at) return 'end_pause';
  if (!sub.nextChargeAt || sub.nextChargeAt.getTime() > at) return null;
  // Waiting for the customer's confirmation: never charged again, only settled when its date comes.
  if (sub.confirmationChargeId) return 'confirmation_due';
  if (sub.autoRenew) return 'charge';
  return sub.status === 'overdue' ? 'manual_lapse' : 'manual_due';
}

export async function readProduct(db: DbOrTx, productId: string): Promise<ProductRow> {
  return (await prepared(db, 'renewal:product', (root) =>
    root
      .select()
      .from(products)
      .where(eq(products.id, sql.placeholder('id')))
      .prepare(),
  ).get({ id: productId }))!;
}

/** Loads what the steps need; stores are looked up once per run through `stores`. */
export async function loadRenewalContext(
  deps: Deps,
  subscriptionId: string,
  stores: Map<string, StoreRow>,
): Promise<RenewalContext> {
  const sub = await readSubscription(deps.db, subscriptionId);
  let store = stores.get(sub.storeId);
  if (!store) stores.set(sub.storeId, (store = await getStore(deps.db, sub.storeId)));
  return {
    sub,
    store,
    plan: await readProduct(deps.db, sub.productId),
    account: await getAccount(deps.db, sub.storeId, sub.accountId),
    publicBaseUrl: deps.config.publicBaseUrl,
  };
}

/** A pending cancellation takes effect: the subscription ends at its period's end. */
export async function endCancellation(deps: Deps, ctx: RenewalContext): Promise<void> {
  const now = deps.clock.now();
  const endedAt = ctx.sub.currentPeriodEnd;
  await deps.db.transaction(async (tx) => {
    const row = await updateSubscription(tx, ctx.sub, { ...endsBilling, status: 'canceled', endedAt }, now);
    await emitSubscriptionEvent(tx, ctx, row, ctx.plan, 'subscription.deactivated', now);
    const ended = { plan: ctx.plan.name, reason: 'canceled' } as const;
    await recordSubscriptionActivity(tx, row, 'subscription_ended', 'renewals', ended, now);
    const url = portalLinks(ctx).home();
    await sendRenewalEmail(
      tx,
      ctx,
      'subscription_ended',
      subscriptionEndedEmail(ctx.store, recipientOf(ctx.account), { planName: ctx.plan.name, endedAt, url }),
      now,
    );
  });
}

/** A scheduled change (a downgrade) takes effect at the period's end, before the next period is charged. */
export async function applyScheduledChange(deps: Deps, ctx: RenewalContext): Promise<void> {
  const now = deps.clock.now();
  const next = upcomingPeriod(ctx.sub, ctx.plan, await readProduct(deps.db, ctx.sub.scheduledProductId!));
  await deps.db.transaction(async (tx) => {
    const row = await updateSubscription(
      tx,
      ctx.sub,
      {
        productId: next.plan.id,
        quantity: next.quantity,
        unitPrice: next.unitPrice,
        billingAnchorAt: next.anchor,
        periodIndex: next.index - 1,
        scheduledProductId: null,
        scheduledQuantity: null,
        scheduledUnitPrice: null,
        nextChargeAmount: ctx.sub.nextChargeAt ? next.charge.total : null,
      },
      now,
    );
    await emitSubscriptionEvent(tx, ctx, row, next.plan, 'subscription.updated', now);
    const changed = { plan: next.plan.name, previousPlan: ctx.plan.name, quantity: next.quantity };
    await recordSubscriptionActivity(tx, row, 'subscription_plan_changed', 'renewals', changed, now);
  });
}

/** A scheduled pause starts: nothing is charged until it ends. */
export async function startPause(deps: Deps, ctx: RenewalContext): Promise<void> {
  const now = deps.clock.now();
  const { pauseStartsAt, pauseResumesAt } = ctx.sub;
  await deps.db.transaction(async (tx) => {
    const row = await updateSubscription(
      tx,
      ctx.sub,
      {
        status: 'paused',
        currentPeriodStart: pauseStartsAt!,
        currentPeriodEnd: pauseResumesAt!,
        nextChargeAt: pauseResumesAt,
        nextChargeAmount: nextPeriodCharge(ctx.sub).total,
      },
      now,
    );
    await emitSubscriptionEvent(tx, ctx, row, ctx.plan, 'subscription.updated', now);
    const paused = { plan: ctx.plan.name, resumesAt: pauseResumesAt!.toISOString() };
    await recordSubscriptionActivity(tx, row, 'subscription_paused', 'renewals', paused, now);
  });
}

/**
 * A pause ends: billing is re-anchored so that the next period starts when the
 * pause ends (with an index above every period charged before, see resumeAnchor).
 * The subscription stays `paused` until that period is paid; the charge follows.
 */
export async function endPause(deps: Deps, ctx: RenewalContext): Promise<void> {
  const now = deps.clock.now();
  const resumesAt = ctx.sub.pauseResumesAt!;
  const { anchor, periodIndex } = resumeAnchor(resumesAt, ctx.plan, ctx.sub.periodIndex + 1);
  await deps.db.transaction(async (tx) => {
    await updateSubscription(
      tx,
      ctx.sub,
      {
        billingAnchorAt: anchor,
        periodIndex: periodIndex - 1,
        pauseStartsAt: null,
        pauseResumesAt: null,
        currentPeriodEnd: resumesAt,
        nextChargeAt: resumesAt,
      },
      now,
    );
  });
}

/** A manual-renewal subscription's period ended unpaid: overdue, with a grace period to renew. */
export async function markManualRenewalDue(deps: Deps, ctx: RenewalContext): Promise<void> {
  const now = deps.clock.now();
  const dueAt = ctx.sub.currentPeriodEnd;
  const graceEndsAt = manualGraceEnd(dueAt, now);
  const total = nextPeriodCharge(ctx.sub).total;
  await deps.db.transaction(async (tx) => {
    const row = await updateSubscription(tx, ctx.sub, { status: 'overdue', nextChargeAt: graceEndsAt }, now);
    await emitSubscriptionEvent(tx, ctx, row, ctx.plan, 'subscription.updated', now);
    const due = { plan: ctx.plan.name, amount: total, currency: ctx.sub.currency, retryAt: graceEndsAt.toISOString() };
    await recordSubscriptionActivity(tx, row, 'subscription_payment_due', 'renewals', due, now);
    const url = portalLinks(ctx).subscription(ctx.sub.id);
    await sendRenewalEmail(
      tx,
      ctx,
      'manual_renewal_due',
      manualRenewalDueEmail(ctx.store, recipientOf(ctx.account), {
        planName: ctx.plan.name,
        currency: ctx.sub.currency,
        total,
        url,
        dueAt,
        graceEndsAt,
      }),
      now,
    );
  });
}

/**
 * An overdue manual renewal's grace period is over: the subscription is
 * deactivated. (One that only just became manual — its retry date came first —
 * gets the rest of its grace period instead.)
 */
export async function lapseManualRenewal(deps: Deps, ctx: RenewalContext): Promise<void> {
  const now = deps.clock.now();
  const graceEnd = new Date(ctx.sub.currentPeriodEnd.getTime() + MANUAL_GRACE_MS);
  if (graceEnd.getTime() > now.getTime()) {
    await deps.db.transaction(async (tx) => await updateSubscription(tx, ctx.sub, { nextChargeAt: graceEnd }, now));
    return;
  }
  const endedAt = ctx.sub.nextChargeAt ?? now;
  await deps.db.transaction(async (tx) => {
    const row = await updateSubscription(tx, ctx.sub, { ...endsBilling, status: 'deactivated', endedAt }, now);
    await emitSubscriptionEvent(tx, ctx, row, ctx.plan, 'subscription.deactivated', now);
    const ended = { plan: ctx.plan.name, reason: 'not_renewed' } as const;
    await recordSubscriptionActivity(tx, row, 'subscription_ended', 'renewals', ended, now);
    const url = portalLinks(ctx).home();
    await sendRenewalEmail(
      tx,
      ctx,
      'manual_renewal_lapsed',
      manualRenewalLapsedEmail(ctx.store, recipientOf(ctx.account), { planName: ctx.plan.name, endedAt, url }),
      now,
    );
  });
}
