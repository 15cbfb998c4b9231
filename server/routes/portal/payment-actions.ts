import type { Context } from 'hono';
import type { ChargeRow } from '../../db/schema';
import type { Deps } from '../../deps';
import type { PortalEnv } from '../../middleware/portal';
import { idParam, jsonResponse } from '../../schemas/common';
import {
  paymentActionRequiredSchema,
  paymentConfirmedSchema,
  subscriptionErrorNotes,
} from '../../schemas/subscription-actions';
import {
  chargeSummary,
  confirmAuthentication,
  startAuthentication,
  type AuthenticationOutcome,
  type ChargeAttempt,
} from '../../services/billing';
import { portalRoute, portalRouter, requireCustomer } from './router';
import { actorOf, portalView, subscriptionParams } from './subscription-common';

const tags = ['Subscriptions'];
const params = subscriptionParams.merge(idParam('chargeId', 'chg'));

/** The answer while the customer's bank holds a payment: 202, nothing changed yet, with what the browser needs. */
export const actionRequired = jsonResponse(
  paymentActionRequiredSchema,
  "Accepted, not done: the customer's bank asks them to confirm the payment (3-D Secure). Nothing has changed " +
    "yet; complete it with `paymentAction` in the processor's script, then `POST …/charges/{chargeId}/confirm`.",
);

const paymentErrorNotes = {
  ...subscriptionErrorNotes,
  payment_declined:
    '`details.declineCode` says why (`authentication_failed`: the bank did not confirm it); nothing changed.',
};

const authenticate = portalRoute({
  operationId: 'authenticateCharge',
  permission: 'payments:confirm',
  method: 'post',
  path: '/{storeId}/subscriptions/{subscriptionId}/charges/{chargeId}/authenticate',
  tags,
  summary: "Ready a payment the customer's bank holds for their confirmation (3-D Secure)",
  description:
    'For a renewal waiting for confirmation (`paymentConfirmation.chargeId`), or to show the challenge again. ' +
    'Answers 202 with what the browser needs, or 200 when the payment was completed meanwhile.',
  request: { params },
  responses: {
    200: jsonResponse(paymentConfirmedSchema, 'The payment was completed meanwhile; the change has applied.'),
    202: actionRequired,
  },
  errors: ['subscription_busy', 'payment_declined', 'gateway_unavailable'],
  errorNotes: paymentErrorNotes,
});

const confirm = portalRoute({
  operationId: 'confirmCharge',
  permission: 'payments:confirm',
  method: 'post',
  path: '/{storeId}/subscriptions/{subscriptionId}/charges/{chargeId}/confirm',
  tags,
  summary: "After the bank's challenge: verify the payment with the processor and apply the change once",
  description:
    "The processor is asked what became of the payment (the browser's word is not taken). Paid, the change it was " +
    "for applies exactly once, also when confirmed twice or after the processor's webhook; a failed challenge " +
    'changes nothing (402). A renewal stays waiting for confirmation after a failed challenge, until its deadline.',
  request: { params },
  responses: {
    200: jsonResponse(paymentConfirmedSchema, 'The payment succeeded; the subscription as it is now.'),
  },
  errors: ['subscription_busy', 'payment_declined', 'payment_action_required', 'gateway_unavailable'],
  errorNotes: {
    ...paymentErrorNotes,
    payment_action_required: 'The bank still waits for the customer: show the challenge again.',
  },
});

/**
 * The answer of a portal request whose charge the customer's bank held: 202 with
 * what the browser needs, or — the processor had a final answer already — `done`.
 */
export async function answerHeld<T extends object>(
  deps: Deps,
  c: Context<PortalEnv>,
  subscriptionId: string,
  held: ChargeAttempt,
  done: (paid: ChargeRow) => Promise<T>,
) {
  const outcome = await startAuthentication(deps, actorOf(c), subscriptionId, held.charge.id, held.result);
  if (outcome.status === 'succeeded') return c.json(await done(outcome.charge), 200);
  return c.json(await heldBody(deps, c, subscriptionId, outcome), 202);
}

const heldBody = async (
  deps: Deps,
  c: Context<PortalEnv>,
  subscriptionId: string,
  outcome: Extract<AuthenticationOutcome, { status: 'requires_action' }>,
) => ({
  status: 'requires_action' as const,
  subscription: await portalView(deps, c, subscriptionId),
  paymentAction: outcome.action,
});

/** The customer completes a payment their bank held for authentication (3-D Secure). */
export const paymentActionRoutes = (deps: Deps) => {
  const router = portalRouter();
  router.use('/:storeId/subscriptions/:subscriptionId/charges/*', requireCustomer(deps));
  return router
    .openapi(authenticate, async (c) => {
      const { subscriptionId, chargeId } = c.req.valid('param');
      const outcome = await startAuthentication(deps, actorOf(c), subscriptionId, chargeId);
      if (outcome.status === 'requires_action') return c.json(await heldBody(deps, c, subscriptionId, outcome), 202);
      const subscription = await portalView(deps, c, subscriptionId);
      return c.json(
        { status: 'succeeded' as const, subscription, charge: await chargeSummary(deps, outcome.charge) },
        200,
      );
    })
    .openapi(confirm, async (c) => {
      const { subscriptionId, chargeId } = c.req.valid('param');
      const charge = await confirmAuthentication(deps, actorOf(c), subscriptionId, chargeId);
      const subscription = await portalView(deps, c, subscriptionId);
      return c.json({ status: 'succeeded' as const, subscription, charge: await chargeSummary(deps, charge) }, 200);
    });
};
