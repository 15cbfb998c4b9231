import { consume } from '@lit/context';
import { TaskStatus } from '@lit/task';
import { html, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { portalContext, type PortalServices } from '../../context/portal-context';
import { PagedListController } from '../../controllers/paged-list-controller';
import { isAbort } from '../../internal/api-client';
import { isPlainClick } from '../../internal/plain-click';
import { PortalElement } from '../../internal/portal-element';
import { problemText } from '../../internal/problem-text';
import { formatRoute } from '../../internal/routes';
import { componentStyles } from '../../styles/component.styles';
import { emptyCard, loadMore, retryCard } from '../shared/list-states';
import {
  nextPaymentText,
  paymentSummary,
  recurringText,
  scheduledChangeText,
  stateBadge,
  type PortalSubscription,
} from './subscription-format';
import { subscriptionSharedStyles } from './subscription-shared.styles';
import { styles } from './subscriptions.styles';

/** Skeleton cards shown while the first page loads. */
const SKELETON_CARDS = 2;

const emptyIcon = svg`<svg viewBox="0 0 48 48" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2">
  <path d="M38 20a14 14 0 0 0-26-5M10 28a14 14 0 0 0 26 5"/><path d="M12 8v7h7M36 40v-7h-7"/></svg>`;

/**
 * The customer's subscriptions, newest first: plan, state, quantity, price per
 * period, the next payment (with any scheduled change) and the payment method, or
 * that it renews manually and how. Each card opens the subscription.
 *
 * @summary The subscriptions list of `<account-portal>`.
 *
 * @csspart base - The wrapper around title, list and button.
 * @csspart title - The "Subscriptions" heading.
 * @csspart card - Each subscription's card (and the empty and error states).
 * @csspart row - Each subscription's card, as a row of the list.
 * @csspart link - The plan's name, a link to the subscription.
 * @csspart status - The state badges.
 * @csspart button - The "Load more" and "Try again" buttons.
 *
 * @cssproperty --ap-subscription-card-gap - Space between the cards. Defaults to `--ap-space-s`.
 * @cssproperty --ap-subscription-muted-color - Labels and hints. Defaults to `--ap-color-muted`.
 * @cssproperty --ap-subscription-active-color - The "Active" badge. Defaults to `--ap-color-success`.
 * @cssproperty --ap-subscription-notice-color - The "Trial", "Paused" and "Ends on …" badges. Defaults to `--ap-color-primary`.
 * @cssproperty --ap-subscription-problem-color - The "Payment failed" badge and expired cards. Defaults to `--ap-color-danger`.
 */
export class ApSubscriptions extends PortalElement {
  static override styles = [componentStyles, subscriptionSharedStyles, styles];

  @consume({ context: portalContext, subscribe: true }) private services!: PortalServices;

  /** How many subscriptions the first page and each "Load more" bring. */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 20;

  private readonly list = new PagedListController<PortalSubscription>(this, {
    path: '/subscriptions',
    services: () => this.services,
    pageSize: () => this.pageSize,
  });

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const first = this.list.takeFirstNew();
    if (first !== null) this.renderRoot.querySelectorAll<HTMLAnchorElement>('.item .name a')[first]?.focus();
  }

  private open(event: MouseEvent, sub: PortalSubscription): void {
    if (!isPlainClick(event)) return;
    event.preventDefault();
    this.services.navigate({ name: 'subscription', id: sub.id });
  }

  private renderCard(sub: PortalSubscription): TemplateResult {
    const { i18n } = this.services;
    const change = scheduledChangeText(sub, i18n);
    const manual = sub.renewal === 'manual' && sub.nextCharge;
    return html`
      <li part="card row" class="card item">
        <div class="head">
          <h3 class="name"><a part="link" href="#${formatRoute({ name: 'subscription', id: sub.id })}"
            @click=${(e: MouseEvent) => this.open(e, sub)}>${sub.product.name}</a></h3>
          ${stateBadge(sub, i18n)}
        </div>
        <dl class="facts">
          <div class="fact"><dt>${i18n.t('subscriptions.quantity')}</dt><dd>${sub.quantity}</dd></div>
          <div class="fact"><dt>${i18n.t('subscriptions.priceLabel')}</dt><dd>${recurringText(sub, i18n)}</dd></div>
          <div class="fact">
            <dt>${sub.renewal === 'manual' ? i18n.t('subscriptions.dueLabel') : i18n.t('subscriptions.nextPayment')}</dt>
            <dd>${nextPaymentText(sub, i18n)}</dd>
          </div>
          <div class="fact"><dt>${i18n.t('subscriptions.paymentMethod')}</dt><dd>${paymentSummary(sub, i18n)}</dd></div>
        </dl>
        ${change ? html`<p class="note">${change}</p>` : nothing}
        ${
          manual
            ? html`<p class="note muted">${i18n.t('subscriptions.manualHowToShort', { date: i18n.date(sub.nextCharge!.at) })}</p>`
            : nothing
        }
      </li>`;
  }

  private renderSkeletonCards(count: number): TemplateResult[] {
    return Array.from(
      { length: count },
      () => html`
      <li class="card item" aria-hidden="true">
        <div class="head">
          <span class="skeleton name-skeleton w-name">\u00a0</span>
          <span class="badge skeleton w-short">\u00a0</span>
        </div>
        <dl class="facts">
          ${[0, 1, 2, 3].map(
            () => html`<div class="fact"><dt><span class="skeleton w-short">\u00a0</span></dt>
            <dd><span class="skeleton w-mid">\u00a0</span></dd></div>`,
          )}
        </dl>
      </li>`,
    );
  }

  private renderList(): TemplateResult {
    const { i18n } = this.services;
    const status = this.list.firstPage.status;
    if (status === TaskStatus.ERROR && !isAbort(this.list.firstPage.error)) {
      return retryCard(problemText(this.list.firstPage.error, i18n), () => void this.list.firstPage.run(), i18n);
    }
    // A reload (refresh()) keeps the cards on screen until the new ones arrive.
    if (status !== TaskStatus.COMPLETE && this.list.items.length === 0) {
      return html`
        <p class="visually-hidden" role="status">${i18n.t('subscriptions.loading')}</p>
        <ul class="list" aria-busy="true">${this.renderSkeletonCards(SKELETON_CARDS)}</ul>`;
    }
    if (this.list.items.length === 0)
      return emptyCard(emptyIcon, i18n.t('subscriptions.empty'), i18n.t('subscriptions.emptyHint'));
    const loadingMore = this.list.nextPage.status === TaskStatus.PENDING;
    return html`
      <ul class="list" aria-labelledby="title" aria-busy=${loadingMore ? 'true' : 'false'}>
        ${this.list.items.map((sub) => this.renderCard(sub))}
        ${loadingMore ? this.renderSkeletonCards(1) : nothing}
      </ul>
      ${loadMore(this.list, i18n, { more: 'subscriptions.loadMore', loading: 'subscriptions.loadingMore' })}`;
  }

  override render() {
    if (!this.services) return nothing;
    return html`
      <div part="base" class="base">
        <h2 id="title" part="title" class="title">${this.services.i18n.t('subscriptions.title')}</h2>
        ${this.renderList()}
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ap-subscriptions': ApSubscriptions;
  }
}
