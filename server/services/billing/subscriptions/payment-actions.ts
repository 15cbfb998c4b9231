import { first } from '../../../db/query';
import { eq } from 'drizzle-orm';
import { subscriptionCharges, type ChargeRow } from '../../../db/schema';
import type { Deps } from '../../../deps';
import { notFound, problem, problemSaying } from '../../../lib/errors';
import type { BrowserAuthentication, ChargeResult } from '../../../payments/gateway';
import type { PaymentActionView } from '../../../schemas/subscription-actions';
import { settleChargeWithAnswer } from '../charge-settlement';
import { askGateway } from '../payment-methods/gateway-calls';
import { readMethod } from '../renewals/charges';
import { assertNotEnded, findOwnSubscription, type Actor } from '../subscription-record';

/**
 * A payment the customer's bank holds for their authentication (3-D Secure): what
 * their browser needs to show the bank's challenge, or — the processor had a
 * final answer already — the charge as it was settled.
 */
export type AuthenticationOutcome =
  { status: 'requires_action'; action: PaymentActionView } | { status: 'succeeded'; charge: ChargeRow };

/**
 * Readies a charge the customer's bank holds for authentication for their
 * browser: the answer to a portal request whose charge was held (`known`, the
 * processor's answer just given, may carry what the browser needs already) and
 * `POST …/charges/{chargeId}/authenticate` (a renewal waiting for the customer's
 * confirmation, or a reload mid-challenge). An off-session renewal is confirmed
 * again with the customer present. A charge paid meanwhile is answered as paid;
 * one declined or given up is a 402; a subscription that has ended, a 409.
 */
export async function startAuthentication(
  deps: Deps,
  actor: Actor,
  subscriptionId: string,
  chargeId: string,
  known?: ChargeResult | null,
): Promise<AuthenticationOutcome> {
  const charge = await ownCharge(deps, actor, subscriptionId, chargeId);
  if (charge.status === 'succeeded') return { status: 'succeeded', charge };
  if (charge.status !== 'requires_action') throw declined(charge);
  // Nothing is readied for a subscription that has ended (canceled while its renewal waited).
  assertNotEnded((await findOwnSubscription(deps.db, actor, subscriptionId)).subscription);
  const method = (await readMethod(deps.db, charge.paymentMethodId))!;
  const answer =
    known?.status === 'requires_action' && known.authentication
      ? known
      : await askGateway(() => deps.gateway.authenticateCharge(charge.gatewayChargeId!, method.processorToken));
  if (answer.status !== 'requires_action') return settled(deps, charge, answer);
  if (!answer.authentication) throw problem('payment_action_required', { chargeId });
  return { status: 'requires_action', action: actionView(charge, answer.authentication) };
}

/**
 * `POST …/charges/{chargeId}/confirm`, after the customer's bank challenge: asks
 * the processor what became of the charge (the browser's word is not taken) and
 * settles it through the path Stripe's `payment_intent.succeeded` takes, so the
 * change applies exactly once, whichever comes first; a second confirmation
 * answers the settled charge. Still waiting: 409 `payment_action_required`; a
 * failed challenge: 402 `payment_declined` (`authentication_failed`), nothing changed.
 */
export async function confirmAuthentication(
  deps: Deps,
  actor: Actor,
  subscriptionId: string,
  chargeId: string,
): Promise<ChargeRow> {
  const charge = await ownCharge(deps, actor, subscriptionId, chargeId);
  if (charge.status === 'succeeded') return charge;
  if (charge.status !== 'requires_action') throw declined(charge);
  const answer = await askGateway(() => deps.gateway.retrieveCharge(charge.gatewayChargeId!));
  if (answer.status === 'requires_action') throw problem('payment_action_required', { chargeId });
  return (await settled(deps, charge, answer)).charge;
}

/** Settles the charge with a final answer; paid, it is returned, otherwise the decline is a 402. */
async function settled(
  deps: Deps,
  charge: ChargeRow,
  answer: Exclude<ChargeResult, { status: 'requires_action' }>,
): Promise<{ status: 'succeeded'; charge: ChargeRow }> {
  await settleChargeWithAnswer(deps, charge, answer);
  const now = (await readCharge(deps, charge.id))!;
  if (now.status === 'succeeded') return { status: 'succeeded', charge: now };
  // A renewal's failed challenge leaves it waiting for another try: the answer says why it failed.
  if (now.status === 'requires_action' && answer.status === 'declined')
    throw problemSaying('payment_declined', answer.message, { declineCode: answer.code, chargeId: charge.id });
  throw declined(now);
}

/** The actor's charge of their subscription; the same 404 for anyone else's and unknown ids. */
async function ownCharge(deps: Deps, actor: Actor, subscriptionId: string, chargeId: string): Promise<ChargeRow> {
  const { subscription } = await findOwnSubscription(deps.db, actor, subscriptionId);
  const charge = await readCharge(deps, chargeId);
  if (!charge || charge.subscriptionId !== subscription.id) throw notFound('Charge', { chargeId });
  return charge;
}

const readCharge = async (deps: Deps, chargeId: string) =>
  first(await deps.db.select().from(subscriptionCharges).where(eq(subscriptionCharges.id, chargeId)));

const declined = (charge: ChargeRow) =>
  problemSaying('payment_declined', charge.failureMessage, {
    declineCode: charge.failureCode ?? 'authentication_failed',
    chargeId: charge.id,
  });

function actionView(charge: ChargeRow, authentication: BrowserAuthentication): PaymentActionView {
  return {
    chargeId: charge.id,
    kind: charge.kind,
    amount: charge.amount,
    tax: charge.tax,
    total: charge.total,
    currency: charge.currency,
    ...authentication,
  };
}
