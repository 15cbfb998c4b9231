import { consume } from '@lit/context';
import { TaskStatus } from '@lit/task';
import { html, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { portalContext, type PortalServices } from '../../context/portal-context';
import { PagedListController } from '../../controllers/paged-list-controller';
import { isAbort } from '../../internal/api-client';
import { PortalElement } from '../../internal/portal-element';
import { problemText } from '../../internal/problem-text';
import type { PortalActivityEntry } from '../../internal/types';
import { componentStyles } from '../../styles/component.styles';
import { emptyCard, loadMore, retryCard } from '../shared/list-states';
import { activityDetail, activityText, actorText, deviceText } from './activity-format';
import { styles } from './activity.styles';

/** Placeholder rows while the first page loads. */
const SKELETON_ROWS = 3;

const emptyIcon = svg`<svg viewBox="0 0 48 48" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2">
  <circle cx="24" cy="24" r="17"/><path d="M24 14v10l7 5"/></svg>`;

/**
 * The account's activity log in the Account tab: every sign-in (when, how, and on
 * what browser and system) and every change to the account, its subscriptions,
 * payment methods and billing details, with who made it — the customer, the store,
 * the renewal run or the payment provider. Newest first, a page at a time ("Show
 * more" moves focus to the first entry it added). Dates and times are in the
 * customer's language and time zone.
 *
 * @summary The activity log of the signed-in customer's account.
 *
 * @csspart base - The wrapper around title, list and button.
 * @csspart title - The "Activity" heading.
 * @csspart card - The card around the list (and the empty and error states).
 * @csspart entry - Each entry of the list.
 * @csspart button - The "Show more" and "Try again" buttons.
 *
 * @cssproperty --ap-activity-gap - Space above the section, after the account's details. Defaults to `--ap-space-l`.
 * @cssproperty --ap-activity-muted-color - The introduction, dates, who made a change and the device. Defaults to `--ap-color-muted`.
 */
export class ApActivity extends PortalElement {
  static override styles = [componentStyles, styles];

  @consume({ context: portalContext, subscribe: true }) private services!: PortalServices;

  /** How many entries the first page and each "Show more" bring. */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 10;

  private readonly list = new PagedListController<PortalActivityEntry>(this, {
    path: '/activity',
    services: () => this.services,
    pageSize: () => this.pageSize,
  });

  /** Moves focus to the heading and brings the section into view (the portal's `#/account/activity`). */
  async focusHeading(): Promise<void> {
    await this.updateComplete;
    const title = this.renderRoot.querySelector<HTMLElement>('#activity-title');
    title?.scrollIntoView({ block: 'start' });
    title?.focus({ preventScroll: true });
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const first = this.list.takeFirstNew();
    if (first !== null) this.renderRoot.querySelectorAll<HTMLElement>('li[data-id]')[first]?.focus();
  }

  private renderEntry(entry: PortalActivityEntry): TemplateResult {
    const { i18n, config } = this.services;
    const store = config?.store.name ?? '';
    const detail = activityDetail(entry, i18n);
    const device = deviceText(entry.device, i18n);
    return html`
      <li part="entry" data-id=${entry.id} tabindex="-1">
        <p class="what">${activityText(entry, i18n, store)}</p>
        ${detail ? html`<p class="detail">${detail}</p>` : nothing}
        <p class="meta">
          <span><time datetime=${entry.at}>${i18n.dateTime(entry.at)}</time></span>
          <span>${actorText(entry, i18n, store)}</span>
          ${device ? html`<span>${device}</span>` : nothing}
        </p>
      </li>`;
  }

  private renderSkeleton(count: number): TemplateResult[] {
    return Array.from(
      { length: count },
      () => html`
      <li aria-hidden="true"><span class="skeleton w-what">\u00a0</span><span class="skeleton w-meta">\u00a0</span></li>`,
    );
  }

  private renderList(): TemplateResult {
    const { i18n } = this.services;
    const status = this.list.firstPage.status;
    if (status === TaskStatus.ERROR && !isAbort(this.list.firstPage.error)) {
      return retryCard(
        problemText(this.list.firstPage.error, i18n),
        () => void this.list.firstPage.run(),
        i18n,
        '#activity-title',
      );
    }
    if (status !== TaskStatus.COMPLETE) {
      return html`
        <p class="visually-hidden" role="status">${i18n.t('activity.loading')}</p>
        <div class="card list-card" part="card"><ol aria-busy="true">${this.renderSkeleton(SKELETON_ROWS)}</ol></div>`;
    }
    if (this.list.items.length === 0) {
      return emptyCard(emptyIcon, i18n.t('activity.empty'), i18n.t('activity.emptyHint'));
    }
    const loadingMore = this.list.nextPage.status === TaskStatus.PENDING;
    return html`
      <div class="card list-card" part="card">
        <ol aria-labelledby="activity-title" aria-busy=${loadingMore ? 'true' : 'false'}>
          ${this.list.items.map((entry) => this.renderEntry(entry))}
          ${loadingMore ? this.renderSkeleton(2) : nothing}
        </ol>
      </div>
      ${loadMore(this.list, i18n, { more: 'activity.more', loading: 'activity.loadingMore' })}`;
  }

  override render() {
    if (!this.services) return nothing;
    const { i18n } = this.services;
    return html`
      <section part="base" class="base" aria-labelledby="activity-title">
        <div class="head">
          <h2 id="activity-title" part="title" class="title" tabindex="-1">${i18n.t('activity.title')}</h2>
          <p class="intro">${i18n.t('activity.intro')}</p>
        </div>
        ${this.renderList()}
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ap-activity': ApActivity;
  }
}
