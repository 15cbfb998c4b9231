import { accountOf, call, PortalApiError, type PortalServerApi } from './portal-session';

/** What the retention offer did: the subscription's pause, as the Server API answered. */
export interface PausedInstead {
  subscriptionId: string;
  pause: { startsAt: string; resumesAt: string } | null;
}

/**
 * The SaaS app's answer to "Pause for a month instead" in its retention offer: the
 * customer's subscription pauses for one period from the end of the paid one
 * (`POST /api/subscriptions/{id}/pause`; the merchant may pause where the store
 * does not let customers). The subscription must be the signed-in user's own — the
 * id comes from the browser — so the backend checks it belongs to their account
 * first, and answers 404 otherwise.
 */
export async function pauseInsteadOfCancel(
  api: PortalServerApi,
  customUserId: string,
  subscriptionId: string,
): Promise<PausedInstead> {
  const account = await accountOf(api, customUserId);
  const path = `/api/subscriptions/${encodeURIComponent(subscriptionId)}`;
  const subscription = await call<{ accountId: string }>(api, path).catch((error: unknown) => {
    throw error instanceof PortalApiError && error.status === 404 ? notYours() : error;
  });
  if (subscription.accountId !== account.id) throw notYours();
  const paused = await call<{ id: string; pause: PausedInstead['pause'] }>(api, `${path}/pause`, {
    method: 'POST',
    body: { periods: 1 },
  });
  return { subscriptionId: paused.id, pause: paused.pause };
}

const notYours = () => new PortalApiError(404, 'You have no such subscription.');
