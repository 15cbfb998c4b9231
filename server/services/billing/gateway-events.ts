import { affected, first } from '../../db/query';
import { eq } from 'drizzle-orm';
import { gatewayEvents } from '../../db/schema';
import type { Deps } from '../../deps';
import type { ChargeResult, ReceivedGatewayEvent } from '../../payments/gateway';
import { settleChargeWithAnswer } from './charge-settlement';
import { recordProcessorRefunds } from './refunds/processor-refunds';
import { forgetDetachedMethod, refreshMethodFromProcessor } from './payment-methods/processor-updates';
import { findCharge } from './renewals/charges';

/** What became of a processor's event: done, of no concern to the portal, or seen before. */
export type GatewayEventOutcome = 'processed' | 'ignored' | 'duplicate';

/**
 * Processes a verified processor event once per event id: an id recorded in
 * `gateway_events` is answered as a duplicate and changes nothing. The id is
 * recorded only after the event was processed, so an event whose processing
 * failed (a subscription busy: 409) is processed when the processor sends it
 * again; each step is itself safe to repeat (a charge settles only while pending).
 * Events about objects the portal does not know are recorded as `ignored`, and so
 * is a `charge_refunded` that brings no refund the portal has not recorded (its own).
 */
export async function handleGatewayEvent(deps: Deps, received: ReceivedGatewayEvent): Promise<GatewayEventOutcome> {
  if (
    first(await deps.db.select({ id: gatewayEvents.id }).from(gatewayEvents).where(eq(gatewayEvents.id, received.id)))
  )
    return 'duplicate';
  const processed = await process(deps, received);
  const recorded = await deps.db
    .insert(gatewayEvents)
    .values({
      id: received.id,
      gateway: received.gateway,
      type: received.type,
      outcome: processed ? 'processed' : 'ignored',
      receivedAt: deps.clock.now(),
    })
    .onConflictDoNothing();
  if (affected(recorded) === 0) return 'duplicate';
  return processed ? 'processed' : 'ignored';
}

async function process(deps: Deps, { event }: ReceivedGatewayEvent): Promise<boolean> {
  const now = deps.clock.now();
  switch (event.kind) {
    case 'method_updated':
      return (
        (await deps.db.transaction(
          async (tx) => await refreshMethodFromProcessor(tx, event.token, event.details, now),
        )) > 0
      );
    case 'method_detached':
      return (await deps.db.transaction(async (tx) => await forgetDetachedMethod(tx, event.token, now))) > 0;
    case 'charge_settled':
      return settlePendingCharge(deps, event.idempotencyKey, event.result);
    case 'charge_refunded':
      return (await recordProcessorRefunds(deps, event.chargeId)) > 0;
    default:
      return false;
  }
}

/** Settles a charge the portal left unsettled with the processor's answer; not the portal's charge: ignored. */
async function settlePendingCharge(deps: Deps, key: string, result: ChargeResult): Promise<boolean> {
  const charge = await findCharge(deps.db, key);
  if (!charge) return false;
  return settleChargeWithAnswer(deps, charge, result);
}
