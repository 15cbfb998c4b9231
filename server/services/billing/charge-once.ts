import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { subscriptionCharges, type ChargeKind } from '../../db/schema';
import type { Deps } from '../../deps';
import { newId } from '../../lib/ids';
import type { ChargeResult } from '../../payments/gateway';
import type { ChargeRow, PaymentMethodRow } from '../../db/schema';

export interface ChargeSpec {
  storeId: string;
  subscriptionId: string;
  kind: ChargeKind;
  periodIndex: number;
  attempt: number;
  paymentMethod: PaymentMethodRow;
  currency: string;
  amount: number;
  tax: number;
  description: string;
}

/**
 * What to do once the gateway has answered, inside the transaction that records
 * the answer: so a charge's result and its effect (the next period, the new plan,
 * an order) are written together or not at all. `succeeded` returns the order id.
 */
export interface ChargeEffects {
  succeeded(tx: Tx, charge: ChargeRow): string | null;
  declined(tx: Tx, charge: ChargeRow): void;
}

/** The idempotency key of a charge: the same spec always gives the same key. */
export const chargeKey = (spec: Pick<ChargeSpec, 'subscriptionId' | 'kind' | 'periodIndex' | 'attempt'>) =>
  `${spec.kind}:${spec.subscriptionId}:${spec.periodIndex}:${spec.attempt}`;

/**
 * Charges a subscription exactly once per (kind, period, attempt). The charge row
 * is written before the gateway is called; if it already exists — a double run, or
 * a crash after the gateway answered — the gateway is asked again with the same
 * idempotency key and answers with the first result instead of charging again. A
 * charge already settled is returned as it is, with no effects applied twice.
 * An unreachable gateway throws and leaves the row pending for the next try.
 */
export async function chargeOnce(
  deps: Deps,
  spec: ChargeSpec,
  effects: ChargeEffects,
): Promise<{ charge: ChargeRow; result: ChargeResult | null }> {
  const charge = deps.db.transaction((tx) => findOrCreateCharge(tx, spec, deps.clock.now()));
  if (charge.status !== 'pending') return { charge, result: null };
  const result = await deps.gateway.charge({
    idempotencyKey: charge.idempotencyKey,
    token: spec.paymentMethod.processorToken,
    customerId: spec.paymentMethod.processorCustomerId,
    amount: charge.total,
    currency: charge.currency,
    description: spec.description,
  });
  const settled = deps.db.transaction((tx) => settleCharge(tx, charge.id, result, effects, deps.clock.now()));
  return { charge: settled, result };
}

/**
 * Settles a pending charge with an answer the processor gave on its own (a
 * webhook), applying its effects in the same transaction. A charge settled
 * meanwhile is returned as it is.
 */
export function settleWithAnswer(
  deps: Deps,
  chargeId: string,
  result: ChargeResult,
  effects: ChargeEffects,
): ChargeRow {
  return deps.db.transaction((tx) => settleCharge(tx, chargeId, result, effects, deps.clock.now()));
}

function findOrCreateCharge(tx: Tx, spec: ChargeSpec, now: Date): ChargeRow {
  const idempotencyKey = chargeKey(spec);
  const existing = tx
    .select()
    .from(subscriptionCharges)
    .where(eq(subscriptionCharges.idempotencyKey, idempotencyKey))
    .get();
  if (existing) return existing;
  const row: ChargeRow = {
    id: newId('chg'),
    storeId: spec.storeId,
    subscriptionId: spec.subscriptionId,
    kind: spec.kind,
    periodIndex: spec.periodIndex,
    attempt: spec.attempt,
    idempotencyKey,
    paymentMethodId: spec.paymentMethod.id,
    currency: spec.currency,
    amount: spec.amount,
    tax: spec.tax,
    total: spec.amount + spec.tax,
    status: 'pending',
    gatewayChargeId: null,
    failureCode: null,
    failureMessage: null,
    orderId: null,
    createdAt: now,
    completedAt: null,
    refundStatus: null,
    gatewayRefundId: null,
  };
  tx.insert(subscriptionCharges).values(row).run();
  return row;
}

function settleCharge(tx: Tx, chargeId: string, result: ChargeResult, effects: ChargeEffects, now: Date): ChargeRow {
  const current = tx.select().from(subscriptionCharges).where(eq(subscriptionCharges.id, chargeId)).get()!;
  // Someone else settled it meanwhile (a parallel recovery): their effects stand.
  if (current.status !== 'pending') return current;
  const settled: ChargeRow =
    result.status === 'succeeded'
      ? { ...current, status: 'succeeded', gatewayChargeId: result.chargeId, completedAt: now }
      : { ...current, status: 'declined', failureCode: result.code, failureMessage: result.message, completedAt: now };
  settled.orderId = result.status === 'succeeded' ? effects.succeeded(tx, settled) : null;
  if (result.status === 'declined') effects.declined(tx, settled);
  tx.update(subscriptionCharges)
    .set({
      status: settled.status,
      gatewayChargeId: settled.gatewayChargeId,
      failureCode: settled.failureCode,
      failureMessage: settled.failureMessage,
      orderId: settled.orderId,
      completedAt: now,
    })
    .where(eq(subscriptionCharges.id, chargeId))
    .run();
  return settled;
}
