import { createContext } from '@lit/context';
import type { PortalApiClient } from '../internal/api-client';
import type { Localizer } from '../internal/localizer';
import type { Route } from '../internal/routes';
import type { SessionController } from '../controllers/session-controller';
import type { PortalAction } from '../events/error';
import type { PortalAccountView, PortalConfig } from '../internal/types';

/** What `<account-portal>` hands down to its parts: replaceable with fakes in tests. */
export interface PortalServices {
  api: PortalApiClient;
  i18n: Localizer;
  config: PortalConfig | null;
  /** Moves to another screen (hash route, or the `route` property in SaaS panels). */
  navigate(route: Route): void;
  /**
   * Reports a failure (fires `ap-error`), naming the customer's `action` unless the
   * portal was loading a screen. An ended session is handled by the API client itself.
   */
  reportError(error: unknown, action?: PortalAction): void;
  /** Fires `event` on `<account-portal>` itself: for a part about to leave the page (a sign-in screen, say). */
  announce(event: Event): void;
  /** The customer's session: sign-in by password, the signed-in account. */
  session: SessionController;
  /** Tells the portal the customer saved their account (fires `ap-account-updated`). */
  accountUpdated(account: PortalAccountView): void;
  /** Bumped by `refresh()`: parts that load data key their fetches on it and load again. */
  revision: number;
}

export const portalContext = createContext<PortalServices>(Symbol('ap-portal'));
