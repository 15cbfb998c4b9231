import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { insertRow, prepared } from '../db/prepared';
import { events, webhookDeliveries, webhookEndpoints } from '../db/schema';
import { newId } from '../lib/ids';

/** Every event type the portal emits, for validation of endpoint subscriptions. */
export const eventTypes = [
  'account.created',
  'account.updated',
  'account.deleted',
  'order.completed',
  'order.invoice_updated',
  'order.refunded',
  'subscription.activated',
  'subscription.updated',
  'subscription.canceled',
  'subscription.uncanceled',
  'subscription.paused',
  'subscription.resumed',
  'subscription.deactivated',
  'subscription.charge.completed',
  'subscription.charge.failed',
  'subscription.charge.action_required',
  'subscription.renewal_upcoming',
  'subscription.trial_ending',
  'payment_method.created',
  'payment_method.updated',
  'payment_method.removed',
  'payment_method.expiring',
] as const;

export type EventType = (typeof eventTypes)[number];

/**
 * Records an event and queues one delivery per enabled endpoint that wants it, in
 * the caller's transaction: the event exists exactly when the change it describes
 * does. The delivery worker sends it later.
 */
export async function emitEvent(tx: Tx, storeId: string, type: EventType, data: unknown, now: Date): Promise<string> {
  const id = newId('evt');
  const payload = JSON.stringify({ type, timestamp: now.toISOString(), data });
  await insertRow(tx, events, { id, storeId, type, payload, createdAt: now });
  const endpoints = await prepared(tx, 'webhooks:enabled-endpoints', (root) =>
    root
      .select({ id: webhookEndpoints.id, eventTypes: webhookEndpoints.eventTypes })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.storeId, sql.placeholder('storeId')), isNull(webhookEndpoints.disabledAt)))
      .prepare(),
  ).all({ storeId });
  for (const endpoint of endpoints) {
    if (endpoint.eventTypes.length > 0 && !endpoint.eventTypes.includes(type)) continue;
    await insertRow(tx, webhookDeliveries, {
      id: newId('whd'),
      storeId,
      eventId: id,
      endpointId: endpoint.id,
      nextAttemptAt: now,
      createdAt: now,
    });
  }
  return id;
}
