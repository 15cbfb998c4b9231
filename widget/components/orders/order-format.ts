import { html, type TemplateResult } from 'lit';
import type { PortalOrderView } from '../../../server/schemas/portal-orders';
import type { Localizer } from '../../internal/localizer';

export type { PortalFulfilmentView, PortalOrderItemView, PortalOrderView } from '../../../server/schemas/portal-orders';

/** A person's name from its parts, or `fallback` when the order has neither. */
export function personName(
  person: { firstName: string | null; lastName: string | null } | null | undefined,
  fallback: string,
): string {
  return [person?.firstName, person?.lastName].filter(Boolean).join(' ') || fallback;
}

/** Who gave a received gift, or to whom a sent one went, as the list and the detail show it. */
export function giftLine(order: PortalOrderView, i18n: Localizer): string | null {
  if (order.role === 'gift_sent')
    return i18n.t('orders.giftFor', { name: personName(order.gift?.recipient, i18n.t('orders.unknownRecipient')) });
  if (order.role === 'gift_received')
    return i18n.t('orders.giftFrom', { name: personName(order.gift?.sender, i18n.t('orders.unknownSender')) });
  return null;
}

/** The order's status as a small badge. */
export function statusBadge(order: PortalOrderView, i18n: Localizer): TemplateResult {
  return html`<span part="status" class="badge ${order.status}">${i18n.t(`orders.statuses.${order.status}`)}</span>`;
}
