import { first } from '../db/query';
import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { webhookDeliveries, webhookEndpoints } from '../db/schema';
import type { Deps } from '../deps';
import { addressPolicy } from '../lib/addresses';
import { invalid, notFound } from '../lib/errors';
import { newId } from '../lib/ids';
import { destinationRefusal, hostRefusal } from '../lib/outbound';
import { newWebhookSecret } from './sign';
import { eventTypes, type EventType } from './emit';
import type { WebhookEndpointRow } from '../db/schema';

/** The longest endpoint URL accepted. */
export const MAX_WEBHOOK_URL_LENGTH = 2000;

export interface WebhookEndpointInput {
  url: string;
  /** Event types to deliver; missing or empty means every type. */
  eventTypes?: string[];
  description?: string | null;
}

/** The public JSON shape of an endpoint. It never includes the signing secret. */
export interface WebhookEndpointView {
  id: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  disabledAt: string | null;
  disabledReason: string | null;
  createdAt: string;
}

/**
 * Whether `url` can receive webhooks: absolute, http or https, at most 2000
 * characters, and without a user name or password (fetch refuses those, and
 * credentials belong in the signature check, not the URL).
 */
export function isWebhookUrl(url: string): boolean {
  if (url.length > MAX_WEBHOOK_URL_LENGTH) return false;
  try {
    const parsed = new URL(url);
    return (
      (parsed.protocol === 'https:' || parsed.protocol === 'http:') &&
      parsed.hostname !== '' &&
      parsed.username === '' &&
      parsed.password === ''
    );
  } catch {
    return false;
  }
}

/** Whether `type` is an event type the portal emits. */
export function isEventType(type: string): type is EventType {
  return (eventTypes as readonly string[]).includes(type);
}

const forbiddenDestination = (reason: string) =>
  invalid(`Webhooks cannot be sent there. ${reason}`, [{ field: 'url', code: 'forbidden_address', message: reason }]);

/**
 * Creates an endpoint like {@link createWebhookEndpoint}, after checking in
 * production where its host name resolves to now: a name that resolves to a
 * loopback, private, link-local or other internal address is refused with 422
 * at once. (Every delivery checks again when it connects; this is the early answer.)
 */
export async function registerWebhookEndpoint(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  storeId: string,
  input: WebhookEndpointInput,
): Promise<{ endpoint: WebhookEndpointRow; secret: string }> {
  const url = input.url.trim();
  if (deps.config.production && isWebhookUrl(url)) {
    const refusal = await destinationRefusal(url, addressPolicy(true));
    if (refusal) throw forbiddenDestination(refusal);
  }
  return await createWebhookEndpoint(deps, storeId, input);
}

/**
 * Creates an endpoint with a fresh `whsec_…` secret. The secret is returned here
 * and never again; later reads use {@link toWebhookEndpointView}. An IP host (or
 * `localhost`) the server may not connect to is refused: in production anything
 * internal, outside it anything but loopback.
 */
export async function createWebhookEndpoint(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  storeId: string,
  input: WebhookEndpointInput,
): Promise<{ endpoint: WebhookEndpointRow; secret: string }> {
  const url = input.url.trim();
  if (!isWebhookUrl(url)) {
    throw invalid(
      `The URL must be an absolute http or https URL of at most ${MAX_WEBHOOK_URL_LENGTH} characters, without a user name or password.`,
      [{ field: 'url', code: 'invalid_url', message: 'Not a usable webhook URL.' }],
    );
  }
  const refusal = hostRefusal(url, addressPolicy(deps.config.production));
  if (refusal) throw forbiddenDestination(refusal);
  const types = [...new Set(input.eventTypes ?? [])];
  const unknown = types.filter((type) => !isEventType(type));
  if (unknown.length > 0) {
    throw invalid(`Unknown event types: ${unknown.join(', ')}.`, [
      { field: 'eventTypes', code: 'unknown_event_type', message: `Known types: ${eventTypes.join(', ')}.` },
    ]);
  }
  const secret = newWebhookSecret();
  const endpoint: WebhookEndpointRow = {
    id: newId('we'),
    storeId,
    url,
    description: input.description?.trim() || null,
    eventTypes: types,
    secret,
    disabledAt: null,
    disabledReason: null,
    createdAt: deps.clock.now(),
  };
  await deps.db.insert(webhookEndpoints).values(endpoint);
  return { endpoint, secret };
}

/** A store's endpoints, newest first. */
export async function listWebhookEndpoints(db: DbOrTx, storeId: string): Promise<WebhookEndpointRow[]> {
  return await db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.storeId, storeId))
    .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id));
}

/** One of the store's endpoints; another store's id is a 404 like an unknown one. */
export async function getWebhookEndpoint(db: DbOrTx, storeId: string, endpointId: string): Promise<WebhookEndpointRow> {
  const row = first(
    await db
      .select()
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.storeId, storeId), eq(webhookEndpoints.id, endpointId))),
  );
  if (!row) throw notFound('Webhook endpoint', { endpointId });
  return row;
}

/**
 * Deletes an endpoint together with its delivery rows, so nothing more is sent to
 * it (pending deliveries are dropped) and its secret does not outlive it. Events
 * stay: other endpoints may still be delivering them. A delivery already in flight
 * finishes, and its result is then discarded because its row is gone.
 */
export async function deleteWebhookEndpoint(
  deps: Pick<Deps, 'db'>,
  storeId: string,
  endpointId: string,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await getWebhookEndpoint(tx, storeId, endpointId);
    await tx
      .delete(webhookDeliveries)
      .where(and(eq(webhookDeliveries.storeId, storeId), eq(webhookDeliveries.endpointId, endpointId)));
    await tx
      .delete(webhookEndpoints)
      .where(and(eq(webhookEndpoints.storeId, storeId), eq(webhookEndpoints.id, endpointId)));
  });
}

/** The public JSON shape of an endpoint, without its secret. */
export function toWebhookEndpointView(row: WebhookEndpointRow): WebhookEndpointView {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.eventTypes,
    disabledAt: row.disabledAt?.toISOString() ?? null,
    disabledReason: row.disabledReason,
    createdAt: row.createdAt.toISOString(),
  };
}
