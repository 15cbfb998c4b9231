import { z } from '@hono/zod-openapi';
import type { Deps } from '../../deps';
import { RENEW_WINDOW_DAYS } from '../../contract';
import { problemSaying } from '../../lib/errors';
import { jsonBody, jsonResponse } from '../../schemas/common';
import { chargeSummarySchema, subscriptionErrorNotes } from '../../schemas/subscription-actions';
import { portalSubscriptionSchema } from '../../schemas/subscriptions';
import { renewNow, chargeSummary } from '../../services/billing';
import { portalRoute, portalRouter, requireCustomer } from './router';
import { portalView, subscriptionParams } from './subscription-common';
import { actionRequired, answerHeld } from './payment-actions';
import type { ChargeRow } from '../../db/schema';

const renewInput = z
  .object({
    paymentMethodId: z.string().trim().min(1).max(64).openapi({ example: 'pm_4k9x2m7q1w8e5r3t6y0u' }),
  })
  .strict()
  .openapi('RenewSubscriptionRequest');

const renewResult = z
  .object({
    subscription: portalSubscriptionSchema,
    charge: chargeSummarySchema,
  })
  .openapi('PortalRenewalResult');

const renew = portalRoute({
  operationId: 'renewSubscription',
  permission: 'subscriptions:renew',
  method: 'post',
  path: '/{storeId}/subscriptions/{subscriptionId}/renew',
  tags: ['Subscriptions'],
  summary: 'Pay the next period now with a saved payment method',
  description:
    `Open from ${RENEW_WINDOW_DAYS} days before the current period ends until the subscription is deactivated, also while ` +
    'it is overdue. The period advances and a rebill order (with its invoice number) is recorded; a ' +
    'manual-renewal subscription stays manual.',
  request: { params: subscriptionParams, body: jsonBody(renewInput) },
  responses: {
    200: jsonResponse(renewResult, 'The renewed subscription and the charge.'),
    202: actionRequired,
  },
  errors: [
    'subscription_ended',
    'subscription_paused',
    'cancellation_pending',
    'pause_scheduled',
    'renewal_not_open',
    'subscription_busy',
    'payment_method_not_found',
    'payment_method_expired',
    'payment_declined',
    'gateway_unavailable',
  ],
  errorNotes: {
    ...subscriptionErrorNotes,
    renewal_not_open: '`details.opensAt` is when it opens.',
    payment_declined: '`details.declineCode` says why and `details.chargeId` names the declined charge.',
    gateway_unavailable: 'Trying again finishes the same payment.',
  },
});

/** The customer renews a subscription themselves (manual renewal, or paying an overdue one with another method). */
export const renewalRoutes = (deps: Deps) => {
  const router = portalRouter();
  router.use('/:storeId/subscriptions/:subscriptionId/renew', requireCustomer(deps));
  return router.openapi(renew, async (c) => {
    const { subscriptionId } = c.req.valid('param');
    const result = await renewNow(
      deps,
      c.get('store'),
      c.get('account'),
      subscriptionId,
      c.req.valid('json').paymentMethodId,
    );
    if (result.status === 'declined') {
      throw problemSaying('payment_declined', result.message, {
        declineCode: result.code,
        chargeId: result.charge.id,
      });
    }
    const renewed = async (charge: ChargeRow) => ({
      subscription: await portalView(deps, c, subscriptionId),
      charge: await chargeSummary(deps, charge),
    });
    if (result.status === 'requires_action') return answerHeld(deps, c, subscriptionId, result, renewed);
    return c.json(await renewed(result.charge), 200);
  });
};
