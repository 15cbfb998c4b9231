import { consume } from '@lit/context';
import { TaskStatus } from '@lit/task';
import { html, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { portalContext, type PortalServices } from '../../context/portal-context';
import { PagedListController } from '../../controllers/paged-list-controller';
import { isAbort } from '../../internal/api-client';
import { ORDERS_PAGE_SIZE } from '../../internal/first-screen';
import { isPlainClick } from '../../internal/plain-click';
import { PortalElement } from '../../internal/portal-element';
import { problemText } from '../../internal/problem-text';
import { formatRoute } from '../../internal/routes';
import { componentStyles } from '../../styles/component.styles';
import { emptyCard, loadMore, retryCard } from '../shared/list-states';
import { giftLine, statusBadge, type PortalOrderView } from './order-format';
import { orderSharedStyles } from './order-shared.styles';
import { styles } from './orders.styles';

/** Skeleton rows shown while the first page loads. */
const SKELETON_ROWS = 3;

const emptyIcon = svg`<svg viewBox="0 0 48 48" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2">
  <path d="M8 14h32l-3 24H11z"/><path d="M17 14a7 7 0 0 1 14 0"/></svg>`;

/**
 * The customer's orders and the gifts they received, newest first: reference,
 * date, total and status, a page at a time with "Load more". A table on wide
 * containers, a stack of cards on narrow ones. Each row opens the order.
 *
 * @summary The orders list of `<account-portal>`.
 *
 * @csspart base - The wrapper around title, list and button.
 * @csspart title - The "Orders" heading.
 * @csspart card - The card holding the list (and the empty and error states).
 * @csspart table - The table of orders.
 * @csspart row - Each order's row (or card, on narrow containers).
 * @csspart link - The order reference, a link to the order.
 * @csspart status - The status badges.
 * @csspart button - The "Load more" and "Try again" buttons.
 *
 * @cssproperty --ap-order-row-height - Minimum height of a row in the table layout. Defaults to `3.75rem`.
 * @cssproperty --ap-order-cell-padding - Padding of the table's cells. Defaults to `var(--ap-space-s) var(--ap-space-m)`.
 * @cssproperty --ap-order-status-background - Background of the "Completed" badge. Defaults to a tint of `--ap-color-success`.
 * @cssproperty --ap-order-status-color - Text of the "Completed" badge. Defaults to `--ap-color-success`.
 * @cssproperty --ap-order-muted-color - Secondary text (dates, hints). Defaults to `--ap-color-muted`, a step darker for contrast.
 */
export class ApOrders extends PortalElement {
  static override styles = [componentStyles, orderSharedStyles, styles];

  @consume({ context: portalContext, subscribe: true }) private services!: PortalServices;

  /** How many orders the first page and each "Load more" bring. */
  @property({ type: Number, attribute: 'page-size' }) pageSize = ORDERS_PAGE_SIZE;

  private readonly list = new PagedListController<PortalOrderView>(this, {
    path: '/orders',
    services: () => this.services,
    pageSize: () => this.pageSize,
  });

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const first = this.list.takeFirstNew();
    if (first !== null) this.renderRoot.querySelectorAll<HTMLAnchorElement>('tbody .reference a')[first]?.focus();
  }

  private open(event: MouseEvent, order: PortalOrderView): void {
    if (!isPlainClick(event)) return;
    event.preventDefault();
    this.services.navigate({ name: 'order', id: order.id });
  }

  private renderRow(order: PortalOrderView): TemplateResult {
    const { i18n } = this.services;
    const gift = giftLine(order, i18n);
    const kind = order.kind === 'purchase' ? null : i18n.t(`orders.kinds.${order.kind}`);
    const note = order.role === 'gift_sent' ? gift : kind;
    return html`
      <tr part="row" class=${order.amounts ? '' : 'unpriced'}>
        <th scope="row" class="reference">
          <a part="link" href="#${formatRoute({ name: 'order', id: order.id })}" @click=${(e: MouseEvent) => this.open(e, order)}
            ><bdi dir="ltr">${order.reference}</bdi></a>
          ${note ? html`<span class="note muted">${note}</span>` : nothing}
        </th>
        <td class="date">${i18n.date(order.completedAt)}</td>
        <td class="num total">${order.amounts ? i18n.money(order.amounts.total, order.currency) : html`<span class="muted">${gift}</span>`}${
          order.refunded?.total
            ? html`<span class="refunded muted">${i18n.t('orders.refunded')} ${i18n.money(-order.refunded.total, order.currency)}</span>`
            : nothing
        }</td>
        <td class="status">${statusBadge(order, i18n)}</td>
      </tr>`;
  }

  private renderSkeletonRows(count: number): TemplateResult[] {
    return Array.from(
      { length: count },
      () => html`
      <tr class="skeleton-row" aria-hidden="true">
        <th class="reference"><span class="skeleton w-reference">\u00a0</span></th>
        <td class="date"><span class="skeleton w-date">\u00a0</span></td>
        <td class="num total"><span class="skeleton w-total">\u00a0</span></td>
        <td class="status"><span class="badge skeleton w-status">\u00a0</span></td>
      </tr>`,
    );
  }

  private renderTable(rows: TemplateResult[], busy: boolean): TemplateResult {
    const { i18n } = this.services;
    return html`
      <div class="card table-card" part="card">
        <table part="table" aria-labelledby="title" aria-busy=${busy ? 'true' : 'false'}>
          <thead>
            <tr>
              <th scope="col">${i18n.t('orders.reference')}</th>
              <th scope="col">${i18n.t('orders.date')}</th>
              <th scope="col" class="num">${i18n.t('orders.total')}</th>
              <th scope="col">${i18n.t('orders.status')}</th>
            </tr>
          </thead>
          <tbody>${rows}</tbody>
        </table>
      </div>`;
  }

  private renderList(): TemplateResult {
    const { i18n } = this.services;
    const status = this.list.firstPage.status;
    if (status === TaskStatus.ERROR && !isAbort(this.list.firstPage.error)) {
      return retryCard(
        problemText(this.list.firstPage.error, i18n),
        () => void this.list.firstPage.run(),
        i18n,
        '#title',
      );
    }
    if (status !== TaskStatus.COMPLETE) {
      return html`
        <p class="visually-hidden" role="status">${i18n.t('orders.loading')}</p>
        ${this.renderTable(this.renderSkeletonRows(SKELETON_ROWS), true)}`;
    }
    if (this.list.items.length === 0) return emptyCard(emptyIcon, i18n.t('orders.empty'), i18n.t('orders.emptyHint'));
    const loadingMore = this.list.nextPage.status === TaskStatus.PENDING;
    return html`
      ${this.renderTable(
        [
          ...this.list.items.map((order) => this.renderRow(order)),
          ...(loadingMore ? this.renderSkeletonRows(Math.min(this.pageSize, 2)) : []),
        ],
        loadingMore,
      )}
      ${loadMore(this.list, i18n, { more: 'orders.loadMore', loading: 'orders.loadingMore' })}`;
  }

  override render() {
    if (!this.services) return nothing;
    return html`
      <div part="base" class="base">
        <h2 id="title" part="title" class="title" tabindex="-1">${this.services.i18n.t('orders.title')}</h2>
        ${this.renderList()}
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ap-orders': ApOrders;
  }
}
