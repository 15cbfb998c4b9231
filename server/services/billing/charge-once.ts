import { first } from '../../db/query';
import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client';
import { insertRow, prepared, updateById } from '../../db/prepared';
import { subscriptionCharges, type ChargeKind, type ChargeStatus } from '../../db/schema';
import type { Deps } from '../../deps';
import { newId } from '../../lib/ids';
import { declineMessages, GatewayUnavailableError, type ChargeResult } from '../../payments/gateway';
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
  /** The customer is in the portal and can authenticate the payment (3-D Secure) if their bank asks. */
  customerPresent?: boolean;
  /** Who asked for the charge: the change it pays for is theirs in the activity log. */
  requestedBy: ChargeRequester;
}

/** Who asks for charges: the customer, the merchant (Server API) or the renewal run. */
export type ChargeRequester = NonNullable<ChargeRow['requestedBy']>;

/** Who asked for a charge (for one recorded before that was kept: the renewal run for renewals, else the customer). */
export const requesterOf = (charge: Pick<ChargeRow, 'requestedBy' | 'kind'>): ChargeRequester =>
  charge.requestedBy ?? (charge.kind === 'renewal' ? 'renewals' : 'customer');

/**
 * What to do once the gateway has answered, inside the transaction that records
 * the answer: so a charge's result and its effect (the next period, the new plan,
 * an order) are written together or not at all. `succeeded` returns the order id.
 */
export interface ChargeEffects {
  succeeded(tx: Tx, charge: ChargeRow): Promise<string | null>;
  declined(tx: Tx, charge: ChargeRow): Promise<void>;
  /**
   * The customer's bank asks them to authenticate the payment (3-D Secure): the
   * charge waits for them (`requires_action`) until an answer settles it. Charges
   * without this effect count such an answer as a decline (`authentication_required`):
   * nobody can authenticate them (the merchant's own Server API requests).
   */
  actionRequired?(tx: Tx, charge: ChargeRow): Promise<void>;
  /**
   * A failed authentication leaves the charge waiting for another try rather than
   * declining it: a renewal the customer may confirm until its deadline.
   */
  retriesAuthentication?: boolean;
}

/** The statuses of a charge that still waits for an answer: not yet given one, or held for the customer's authentication. */
export const unsettledStatuses: ChargeStatus[] = ['pending', 'requires_action'];

/** Whether a charge still waits for an answer. */
export const isUnsettled = (charge: Pick<ChargeRow, 'status'>) => unsettledStatuses.includes(charge.status);

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
 *
 * A charge held for the customer's authentication is never sent again: it is
 * settled only with `answer`, the processor's latest word on it (what the
 * customer's confirmation or a webhook found), through the same effects.
 */
export async function chargeOnce(
  deps: Deps,
  spec: ChargeSpec,
  effects: ChargeEffects,
  answer?: ChargeResult,
): Promise<{ charge: ChargeRow; result: ChargeResult | null }> {
  const charge = await deps.db.transaction(async (tx) => await findOrCreateCharge(tx, spec, deps.clock.now()));
  if (!isUnsettled(charge) || (charge.status === 'requires_action' && !answer)) return { charge, result: null };
  const result = answer ?? (await sendCharge(deps, spec, charge));
  const settled = await deps.db.transaction(
    async (tx) => await settleCharge(tx, charge.id, result, effects, deps.clock.now()),
  );
  return { charge: settled, result };
}

/** Sends a charge to the gateway, counting its answer (or that it gave none) in the metrics. */
async function sendCharge(deps: Deps, spec: ChargeSpec, charge: ChargeRow): Promise<ChargeResult> {
  let result: ChargeResult;
  try {
    result = await deps.gateway.charge({
      idempotencyKey: charge.idempotencyKey,
      token: spec.paymentMethod.processorToken,
      customerId: spec.paymentMethod.processorCustomerId,
      amount: charge.total,
      currency: charge.currency,
      description: spec.description,
      customerPresent: spec.customerPresent,
    });
  } catch (error) {
    if (error instanceof GatewayUnavailableError) deps.metrics.chargeAnswered(spec.kind, 'unavailable');
    throw error;
  }
  deps.metrics.chargeAnswered(spec.kind, result.status);
  return result;
}

/**
 * Settles an unsettled charge with an answer the processor gave on its own (a
 * webhook) or that the customer's confirmation found, applying its effects in
 * the same transaction. A charge settled meanwhile is returned as it is.
 */
export async function settleWithAnswer(
  deps: Deps,
  chargeId: string,
  result: ChargeResult,
  effects: ChargeEffects,
): Promise<ChargeRow> {
  return await deps.db.transaction(async (tx) => await settleCharge(tx, chargeId, result, effects, deps.clock.now()));
}

/**
 * Gives up a charge held for the customer's authentication after the processor
 * canceled it (they never completed their bank's challenge): nothing was charged,
 * nothing changes. Returns the charge as it is now (settled otherwise meanwhile: as that).
 */
export async function cancelHeldCharge(db: DbOrTx, charge: ChargeRow, now: Date): Promise<ChargeRow> {
  const changes = {
    status: 'canceled' as const,
    failureMessage: 'The customer did not complete their bank’s confirmation; nothing was charged.',
    completedAt: now,
  };
  const updated = await db
    .update(subscriptionCharges)
    .set(changes)
    .where(and(eq(subscriptionCharges.id, charge.id), eq(subscriptionCharges.status, 'requires_action')));
  if (updated.changes === 1) return { ...charge, ...changes };
  return first(await db.select().from(subscriptionCharges).where(eq(subscriptionCharges.id, charge.id)))!;
}

async function findOrCreateCharge(tx: Tx, spec: ChargeSpec, now: Date): Promise<ChargeRow> {
  const idempotencyKey = chargeKey(spec);
  const existing = await prepared(tx, 'charge:by-key', (root) =>
    root
      .select()
      .from(subscriptionCharges)
      .where(eq(subscriptionCharges.idempotencyKey, sql.placeholder('key')))
      .prepare(),
  ).get({ key: idempotencyKey });
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
    requestedBy: spec.requestedBy,
  };
  await insertRow(tx, subscriptionCharges, row);
  return row;
}

/**
 * Records an answer on an unsettled charge with its effects. `requires_action`
 * holds the charge for the customer (once; a repeat changes nothing), or declines
 * it where nobody can authenticate; a final answer settles it, but a failed
 * authentication leaves a charge that `retriesAuthentication` waiting.
 */
async function settleCharge(
  tx: Tx,
  chargeId: string,
  result: ChargeResult,
  effects: ChargeEffects,
  now: Date,
): Promise<ChargeRow> {
  const current = await readCharge(tx, chargeId);
  // Someone else settled it meanwhile (a parallel recovery): their effects stand.
  if (!isUnsettled(current)) return current;
  if (result.status === 'requires_action' && current.status === 'requires_action') return current;
  const answer: ChargeResult =
    result.status === 'requires_action' && !effects.actionRequired
      ? { status: 'declined', code: 'authentication_required', message: declineMessages.authentication_required }
      : result;
  if (answer.status === 'requires_action') return await holdForAuthentication(tx, current, answer.chargeId, effects);
  const waiting = current.status === 'requires_action';
  if (
    answer.status === 'declined' &&
    waiting &&
    effects.retriesAuthentication &&
    answer.code === 'authentication_failed'
  )
    return current;
  const settled: ChargeRow =
    answer.status === 'succeeded'
      ? { ...current, status: 'succeeded', gatewayChargeId: answer.chargeId, completedAt: now }
      : { ...current, status: 'declined', failureCode: answer.code, failureMessage: answer.message, completedAt: now };
  settled.orderId = answer.status === 'succeeded' ? await effects.succeeded(tx, settled) : null;
  if (answer.status === 'declined') await effects.declined(tx, settled);
  await updateById(tx, subscriptionCharges, chargeId, {
    status: settled.status,
    gatewayChargeId: settled.gatewayChargeId,
    failureCode: settled.failureCode,
    failureMessage: settled.failureMessage,
    orderId: settled.orderId,
    completedAt: now,
  });
  return settled;
}

async function readCharge(tx: Tx, chargeId: string): Promise<ChargeRow> {
  return (await prepared(tx, 'charge:by-id', (root) =>
    root
      .select()
      .from(subscriptionCharges)
      .where(eq(subscriptionCharges.id, sql.placeholder('id')))
      .prepare(),
  ).get({ id: chargeId }))!;
}

async function holdForAuthentication(
  tx: Tx,
  current: ChargeRow,
  processorId: string,
  effects: ChargeEffects,
): Promise<ChargeRow> {
  if (current.status === 'requires_action') return current;
  const held: ChargeRow = {
    ...current,
    status: 'requires_action',
    gatewayChargeId: processorId,
    failureCode: 'authentication_required',
    failureMessage: declineMessages.authentication_required,
  };
  await effects.actionRequired!(tx, held);
  await tx
    .update(subscriptionCharges)
    .set({
      status: held.status,
      gatewayChargeId: held.gatewayChargeId,
      failureCode: held.failureCode,
      failureMessage: held.failureMessage,
    })
    .where(eq(subscriptionCharges.id, current.id));
  return held;
}
