import { PortalApiClient, type Session } from './api-client';
import { portalApiBase } from './api-base';
import { warmUpFormatting } from './intl-warm-up';
import { firstScreenRequest } from './first-screen';
import { loadLocalizer } from './localizer-loader';
import { parseRoute } from './routes';
import { tokenFrom, type FoundToken } from './url-tokens';

/** Requests started for the page's first `<account-portal>` before it was defined. */
export interface HeadStart {
  client: PortalApiClient;
  /** The redemption of the sign-in token the portal will find, when there is one. */
  redemption: { found: FoundToken; session: Promise<Session> } | null;
}

let started: HeadStart | null = null;

/**
 * Starts what the page's first portal needs before it can show anything, as soon as
 * the entry module begins to run rather than once all of it has been evaluated and
 * the element defined (tens of milliseconds later): the translations chunk, the
 * store's config and, when the portal will sign in with a token (from `auth-url` or
 * the address), the token's redemption — the same requests the portal makes, with
 * the same attributes. The portal takes them over when it sets up (`takeHeadStart`).
 * Module scripts run once the document is parsed, so a script tag finds the element
 * already there; a portal created later starts its own requests.
 */
export function startHeadStart(page: ParentNode): void {
  const portal = page.querySelector('account-portal');
  if (!portal) return;
  loadLocalizer().catch(() => {});
  const store = portal.getAttribute('store');
  const apiBase = portalApiBase(portal.getAttribute('api-base'));
  if (!store || !apiBase) return;
  const client = new PortalApiClient(apiBase, store);
  client.prefetch('/config');
  const found = tokenFrom(portal.getAttribute('auth-url')) ?? tokenFrom(location.href);
  let redemption: HeadStart['redemption'] = null;
  if (found) {
    const session = client.redeem(found.token, found.kind);
    // With the session, at once, the first screen's data, as the portal asks for it when it signs in.
    session.then(
      ({ token, scope }) => {
        const current = parseRoute(
          portal.hasAttribute('no-hash-routing') ? portal.getAttribute('route') : location.hash,
        );
        const path = firstScreenRequest(scope ?? null, found.route ? parseRoute(found.route) : null, current);
        client.token = token;
        if (path) client.prefetch(path);
        warmUpFormatting();
      },
      () => {},
    );
    redemption = { found, session };
  }
  started = { client, redemption };
}

/** The head start for a portal of `store` on `apiBase`, once: the first portal that matches takes it. */
export function takeHeadStart(apiBase: string, store: string): HeadStart | null {
  const head = started;
  if (!head || head.client.apiBase !== apiBase || head.client.store !== store) return null;
  started = null;
  return head;
}
