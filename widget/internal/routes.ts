/** The screens of the portal, as hash routes (`#/orders/ord_…`). */
export type Route =
  | { name: 'orders' }
  | { name: 'order'; id: string }
  | { name: 'account' };

/** The tabs, in display order, with the route names each covers. */
export const tabs = [
  { id: 'orders', covers: ['orders', 'order'] },
  { id: 'account', covers: ['account'] },
] as const;

export type TabId = (typeof tabs)[number]['id'];

/** Reads `#/orders/ord_x` or `/orders/ord_x`; anything unknown is the orders list. */
export function parseRoute(value: string | null | undefined): Route {
  const parts = (value ?? '').replace(/^#?\/?/, '').split(/[/?]/).filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'orders' && parts[1]) return { name: 'order', id: parts[1] };
  if (parts[0] === 'account') return { name: 'account' };
  return { name: 'orders' };
}

/** The canonical path of a route, without the `#`. */
export function formatRoute(route: Route): string {
  switch (route.name) {
    case 'order': return `/orders/${encodeURIComponent(route.id)}`;
    default: return `/${route.name}`;
  }
}

export function tabOf(route: Route): TabId {
  return tabs.find((tab) => (tab.covers as readonly string[]).includes(route.name))!.id;
}
