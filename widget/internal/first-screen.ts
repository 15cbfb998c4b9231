import { parseRoute, type Route } from './routes';
import type { SessionScope } from './types';

/** How many orders the orders list shows at first (and per "Load more"). */
export const ORDERS_PAGE_SIZE = 10;

/** The request for a collection's first page. */
export const firstPagePath = (path: string, pageSize: number): string => `${path}?limit=${pageSize}`;

/**
 * The request a new session's first screen starts with, sent as soon as the session
 * is there rather than once that screen renders: the orders list's first page, when
 * the session opens on the orders list (the merchant's landing route, else the link's
 * route, else the portal's current one) and may read orders.
 */
export function firstScreenRequest(scope: SessionScope | null, linkRoute: Route | null, current: Route): string | null {
  const next = scope?.landingRoute ? parseRoute(scope.landingRoute) : (linkRoute ?? current);
  const mayReadOrders = !scope || scope.permissions.includes('orders:read');
  return next.name === 'orders' && mayReadOrders ? firstPagePath('/orders', ORDERS_PAGE_SIZE) : null;
}
