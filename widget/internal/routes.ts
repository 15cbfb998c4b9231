import { screenPermissions, type Permission } from '../../server/contract';

/** What can be done to a subscription from a deep link (`#/subscriptions/{id}/cancel`). */
export type SubscriptionAction = 'change' | 'cancel' | 'pause';

/** The screens of the portal, as hash routes (`#/orders/ord_…`). */
export type Route =
  | { name: 'orders' }
  | { name: 'order'; id: string }
  | { name: 'subscriptions' }
  | { name: 'subscription'; id: string; action?: SubscriptionAction }
  | { name: 'payment-methods' }
  | { name: 'account'; section?: 'activity' };

/** The tabs, in display order, with the route names each covers. */
export const tabs = [
  { id: 'orders', covers: ['orders', 'order'] },
  { id: 'subscriptions', covers: ['subscriptions', 'subscription'] },
  { id: 'payment-methods', covers: ['payment-methods'] },
  { id: 'account', covers: ['account'] },
] as const;

export type TabId = (typeof tabs)[number]['id'];

const actions: readonly string[] = ['change', 'cancel', 'pause'] satisfies SubscriptionAction[];

/** Reads `#/orders/ord_x` or `/subscriptions/sub_x/cancel`; anything unknown is the orders list. */
export function parseRoute(value: string | null | undefined): Route {
  const parts = (value ?? '')
    .replace(/^#?\/?/, '')
    .split(/[/?]/)
    .filter(Boolean)
    .map(decodeURIComponent);
  switch (parts[0]) {
    case 'orders':
      return parts[1] ? { name: 'order', id: parts[1] } : { name: 'orders' };
    case 'subscriptions':
      if (!parts[1]) return { name: 'subscriptions' };
      return actions.includes(parts[2])
        ? { name: 'subscription', id: parts[1], action: parts[2] as SubscriptionAction }
        : { name: 'subscription', id: parts[1] };
    case 'payment-methods':
      return { name: 'payment-methods' };
    case 'account':
      return parts[1] === 'activity' ? { name: 'account', section: 'activity' } : { name: 'account' };
    default:
      return { name: 'orders' };
  }
}

/** The canonical path of a route, without the `#`. */
export function formatRoute(route: Route): string {
  switch (route.name) {
    case 'order':
      return `/orders/${encodeURIComponent(route.id)}`;
    case 'subscription':
      return `/subscriptions/${encodeURIComponent(route.id)}${route.action ? `/${route.action}` : ''}`;
    case 'account':
      return route.section ? `/account/${route.section}` : '/account';
    default:
      return `/${route.name}`;
  }
}

/**
 * Whether two routes show the same screen: a subscription and one of its dialogs
 * (`…/{id}/cancel`) are one, so moving between them leaves focus to the dialog.
 */
export function isSameScreen(a: Route, b: Route): boolean {
  return a.name === 'subscription' && b.name === 'subscription' && a.id === b.id;
}

/** The tab a route belongs to. */
export function tabOf(route: Route): TabId {
  return tabs.find((tab) => (tab.covers as readonly string[]).includes(route.name))!.id;
}

/** What a session must be allowed to open a route: its tab's permission, and a dialog's action's. */
export function routePermissions(route: Route): Permission[] {
  const tab: Permission = screenPermissions.tabs[tabOf(route)];
  return route.name === 'subscription' && route.action ? [tab, screenPermissions.dialogs[route.action]] : [tab];
}

/** Whether a session that may do what `may` says can open `route`. */
export const routeAllowed = (route: Route, may: (permission: Permission) => boolean): boolean =>
  routePermissions(route).every(may);
