/**
 * What the SaaS app's backend needs to open the portal for one of its users: where
 * the portal's Server API is, the store's API credentials (which never leave this
 * server), and a `fetch` (tests hand in the portal app's own `request`).
 */
export interface PortalServerApi {
  /** The portal server as this backend reaches it, such as `http://127.0.0.1:8787`. */
  baseUrl: string;
  credentials: { user: string; password: string };
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
}

/** A pre-authenticated, single-use portal URL and when it stops working. */
export interface PortalSession {
  url: string;
  expiresAt: string;
}

/** The Server API refused or failed; `status` is its HTTP status (0 when it could not be reached). */
export class PortalApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'PortalApiError';
  }
}

/**
 * Asks the portal for a pre-authenticated URL for the account the merchant knows
 * by its own user id: `GET /api/accounts?customUserId=…`, then
 * `GET /api/accounts/{id}/authenticate`. This is the whole server side of a SaaS
 * "Manage subscription" panel.
 */
export async function createPortalSession(api: PortalServerApi, customUserId: string): Promise<PortalSession> {
  const account = await accountOf(api, customUserId);
  return call<PortalSession>(api, `/api/accounts/${encodeURIComponent(account.id)}/authenticate`);
}

/** The portal's account of the merchant's user (`GET /api/accounts?customUserId=…`). */
export async function accountOf(api: PortalServerApi, customUserId: string): Promise<{ id: string }> {
  const lookup = await call<{ data: { id: string }[] }>(
    api,
    `/api/accounts?customUserId=${encodeURIComponent(customUserId)}`,
  );
  const account = lookup.data[0];
  if (!account) throw new PortalApiError(404, `The portal has no account with customUserId ${customUserId}.`);
  return account;
}

/** One Server API request with the store's credentials: the answer's JSON, or a {@link PortalApiError}. */
export async function call<T>(
  api: PortalServerApi,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<T> {
  const doFetch = api.fetch ?? fetch;
  const authorization = `Basic ${Buffer.from(`${api.credentials.user}:${api.credentials.password}`).toString('base64')}`;
  const headers: Record<string, string> = { authorization, accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await doFetch(`${api.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch (error) {
    throw new PortalApiError(
      0,
      `The portal server could not be reached: ${error instanceof Error ? error.message : error}`,
    );
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new PortalApiError(response.status, body?.error?.message ?? `The portal answered ${response.status}.`);
  }
  return (await response.json()) as T;
}
