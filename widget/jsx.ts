/**
 * JSX typings for `<account-portal>`, for React and other TSX users. The npm package's
 * `account-portal/jsx` adds these props to React's `JSX.IntrinsicElements` (and this
 * module to the global `JSX` namespace). Opt in once, in any file the compiler sees:
 *
 * ```ts
 * import type {} from 'account-portal/jsx';
 * ```
 *
 * Then `<account-portal store="demo" api-base="https://portal.example.com" />`
 * type-checks, with its attributes and `onap-*` event props (React 19 listens to them;
 * React 18 ignores them: use a `ref` and `addEventListener`, see the README).
 */
import type { AccountPortal } from './account-portal/account-portal';
import type { PortalEventMap } from './events';

/** The events that reach the page (the dialogs' own stay inside the portal). */
type PageEvents = Exclude<keyof PortalEventMap, 'ap-request-close' | 'ap-dialog-close'>;

/** An `onap-*` prop for every event the portal fires (`onap-signed-in`, `onap-request-cancel-subscription`, …). */
export type AccountPortalEventProps = {
  [K in PageEvents as `on${K}`]?: (event: PortalEventMap[K]) => void;
};

/** The attributes and event props of `<account-portal>` in JSX. */
export interface AccountPortalJsxProps extends AccountPortalEventProps {
  /** The store's id, as in `/portal/{store}`. */
  store: string;
  /** Where the portal server is; required when the widget is bundled into your app. */
  'api-base'?: string;
  /** A pre-authenticated URL from the Server API (or just its token). */
  'auth-url'?: string;
  /** Language override (`en`, `de`). */
  lang?: string;
  /** Leaves the page's URL alone; the `route` attribute drives navigation. */
  'no-hash-routing'?: boolean;
  /** The current screen's path when `no-hash-routing` is set. */
  route?: string;
  id?: string;
  class?: string;
  className?: string;
  slot?: string;
  hidden?: boolean;
  key?: string | number;
  ref?: { current: AccountPortal | null } | ((element: AccountPortal | null) => void) | null;
}

declare global {
  // JSX runtimes that read the global namespace (Preact, Solid, older React typings).
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'account-portal': AccountPortalJsxProps;
    }
  }
}
