import { consume } from '@lit/context';
import { Task, TaskStatus, initialState } from '@lit/task';
import { html, nothing, svg, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { portalContext, type PortalServices } from '../../context/portal-context';
import { ApDownloadStartedEvent } from '../../events/download-started';
import { ApiError, isAbort } from '../../internal/api-client';
import { isPlainClick } from '../../internal/plain-click';
import { PortalElement } from '../../internal/portal-element';
import { hasCode, problemText } from '../../internal/problem-text';
import { formatRoute } from '../../internal/routes';
import { componentStyles } from '../../styles/component.styles';
import { statusBadge, type PortalFulfilmentView, type PortalOrderView } from '../orders/order-format';
import { orderSharedStyles } from '../orders/order-shared.styles';
import { retryCard } from '../shared/list-states';
import { renderFulfilments, renderGift, renderItems, renderRefunds, type DownloadState } from './order-detail.render';
import { styles } from './order-detail.styles';

type DownloadFulfilment = Extract<PortalFulfilmentView, { type: 'download' }>;

/** `POST /portal/{store}/downloads/{fulfilmentId}/link`. */
interface DownloadLink {
  url: string;
  expiresAt: string;
}

const backIcon = svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.8">
  <path d="M10 3L5 8l5 5"/></svg>`;

/**
 * Starts downloading `url` the way a link would: through a hidden anchor, so the
 * short-lived signed URL is never shown in the page and the portal stays open
 * (the file is sent as an attachment).
 */
export function startDownload(url: string, container: ParentNode, fileName?: string | null): void {
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName ?? '';
  anchor.rel = 'noopener noreferrer';
  anchor.hidden = true;
  container.append(anchor);
  anchor.click();
  anchor.remove();
}

/**
 * One order in full: reference, date, status and invoice number; the items with
 * quantities, prices, discounts, taxes and totals (when the customer paid for it);
 * how it was paid; what was refunded, with the credit notes to download; gift
 * details; and what the customer received — license keys to
 * copy, downloads (through short-lived signed links) and instructions.
 *
 * @summary The order detail screen of `<account-portal>`.
 *
 * @event {ApDownloadStartedEvent} ap-download-started - A file, invoice, e-invoice or credit note was handed to the browser.
 * @event {ApLicenseKeyCopiedEvent} ap-license-key-copied - The customer copied a licence key.
 * @event {ApInvoiceCorrectedEvent} ap-invoice-corrected - The customer corrected the invoice's billing details (a new revision).
 *
 * @csspart base - The wrapper around the whole screen.
 * @csspart back-link - The link back to the list.
 * @csspart title - The order's heading.
 * @csspart status - The status badge.
 * @csspart card - Every card (items, gift, each item's keys and downloads).
 * @csspart gift - The gift card.
 * @csspart gift-message - The gift message.
 * @csspart fulfilment - The cards with an item's license keys, downloads and instructions.
 * @csspart items - The items table (or list, for a received gift).
 * @csspart totals - The subtotal, discount, tax and total.
 * @csspart license-key - Each `<ap-license-key>`.
 * @csspart licence-key - Each `<ap-license-key>`: the deprecated name of `license-key`.
 * @csspart key - The license key text inside each `<ap-license-key>`.
 * @csspart copy-button - The Copy buttons of the license keys.
 * @csspart button - The download and retry buttons.
 * @csspart download-button - The download buttons.
 * @csspart instructions - The instructions text.
 * @csspart invoice - The `<ap-order-invoice>` with the invoice download and billing details (the purchaser's only).
 * @csspart refunds - The card with what was refunded and the credit notes.
 * @csspart credit-notes - The list of credit notes.
 * @csspart credit-note-button - The buttons that download a credit note (PDF).
 * @csspart credit-note-e-invoice-button - The buttons that download a credit note as an e-invoice (XML).
 *
 * @cssproperty --ap-order-section-gap - Space between the cards. Defaults to `--ap-space-m`.
 * @cssproperty --ap-order-muted-color - Secondary text (dates, hints). Defaults to `--ap-color-muted`, a step darker for contrast.
 * @cssproperty --ap-order-status-background - Background of the "Completed" badge. Defaults to a tint of `--ap-color-success`.
 * @cssproperty --ap-order-status-color - Text of the "Completed" badge. Defaults to `--ap-color-success`.
 */
export class ApOrderDetail extends PortalElement {
  static override styles = [componentStyles, orderSharedStyles, styles];

  @consume({ context: portalContext, subscribe: true }) private services!: PortalServices;

  /** The id of the order to show (`ord_…`). */
  @property({ attribute: 'order-id' }) orderId = '';

  @state() private downloads: Record<string, DownloadState> = {};

  @state() private creditNotesBusy: Record<string, boolean> = {};

  /** Where focus goes after the next render that has it (a selector): the focused button is about to go. */
  private focusNext: string | null = null;

  private readonly order = new Task(this, {
    task: ([api, orderId], { signal }) =>
      api && orderId ? api.get<PortalOrderView>(`/orders/${encodeURIComponent(orderId)}`, signal) : initialState,
    args: () => [this.services?.api, this.orderId] as const,
    onComplete: () => {
      this.downloads = {};
    },
    onError: (error) => {
      if (!isAbort(error)) this.services.reportError(error);
    },
  });

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.order.status === TaskStatus.ERROR && isAbort(this.order.error)) void this.order.run();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.order.abort();
  }

  private back(event: MouseEvent): void {
    if (!isPlainClick(event)) return;
    event.preventDefault();
    this.services.navigate({ name: 'orders' });
  }

  private setDownload(id: string, value: DownloadState): void {
    this.downloads = { ...this.downloads, [id]: value };
  }

  /** Asks the server for a signed link to the file, then starts the download. */
  private async download(fulfilment: DownloadFulfilment): Promise<void> {
    const { api, i18n } = this.services;
    this.setDownload(fulfilment.id, { step: 'preparing' });
    try {
      const link = await api.send<DownloadLink>('POST', `/downloads/${encodeURIComponent(fulfilment.id)}/link`);
      startDownload(link.url, this.renderRoot, fulfilment.fileName);
      this.setDownload(fulfilment.id, { step: 'started' });
      this.dispatchEvent(new ApDownloadStartedEvent('file', this.orderId, fulfilment.id, fulfilment.fileName ?? null));
    } catch (error) {
      if (hasCode(error, 'download_revoked')) {
        // Revoked since the order was loaded: show it as the order would show it now. The button goes,
        // so focus moves to the line saying why.
        this.setDownload(fulfilment.id, { step: 'revoked' });
        this.focusNext = `#download-${fulfilment.id} .download-status`;
        return;
      }
      this.setDownload(fulfilment.id, {
        step: 'failed',
        message: problemText(error, i18n, { not_found: 'orders.downloadGone' }),
      });
      this.services.reportError(error, 'download-file');
    }
  }

  /** Fetches a credit note's PDF with the session (it is not a public link) and hands it to the browser. */
  /** Fetches a credit note's PDF or e-invoice with the session (it is not a public link) and hands it to the browser. */
  private async downloadCreditNote(note: PortalOrderView['creditNotes'][number], format: 'pdf' | 'xml'): Promise<void> {
    const { api, i18n } = this.services;
    const busyKey = format === 'pdf' ? note.id : `${note.id}.xml`;
    this.creditNotesBusy = { ...this.creditNotesBusy, [busyKey]: true };
    try {
      const file = `${encodeURIComponent(note.id)}.${format}`;
      const query = format === 'pdf' ? `?lang=${encodeURIComponent(i18n.language)}` : '';
      const url = URL.createObjectURL(
        await api.file(`/orders/${encodeURIComponent(this.orderId)}/credit-notes/${file}${query}`),
      );
      const fileName = `${note.number}.${format}`;
      startDownload(url, this.renderRoot, fileName);
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      const kind = format === 'pdf' ? 'credit-note' : 'e-invoice';
      this.dispatchEvent(new ApDownloadStartedEvent(kind, this.orderId, note.id, fileName));
    } catch (error) {
      this.services.reportError(error, format === 'pdf' ? 'download-credit-note' : 'download-e-invoice');
    } finally {
      this.creditNotesBusy = { ...this.creditNotesBusy, [busyKey]: false };
    }
  }

  private renderSkeleton(): TemplateResult {
    return html`
      <div class="head" aria-hidden="true">
        <span class="skeleton skeleton-title"></span>
        <span class="skeleton skeleton-line w-title"></span>
      </div>
      <div class="card" part="card" aria-hidden="true">
        <span class="skeleton skeleton-line w-meta"></span>
        <span class="skeleton skeleton-line"></span>
        <span class="skeleton skeleton-line"></span>
        <span class="skeleton skeleton-line w-wide"></span>
      </div>
      <p class="visually-hidden" role="status">${this.services.i18n.t('orders.loading')}</p>`;
  }

  private renderProblem(error: unknown): TemplateResult {
    const { i18n } = this.services;
    if (error instanceof ApiError && error.status === 404) {
      return html`<div class="card problem" part="card" role="alert">
        <h2 class="title" part="title">${i18n.t('orders.notFound')}</h2>
        <p class="muted">${i18n.t('orders.notFoundHint')}</p>
      </div>`;
    }
    return retryCard(problemText(error, i18n), () => this.retry(), i18n);
  }

  /** Loads the order again; focus waits on the back link and moves to the heading once the order is shown. */
  private retry(): void {
    void this.order.run();
    this.focusNext = '.head .title';
    this.renderRoot.querySelector<HTMLElement>('.back')?.focus();
  }

  protected override updated(): void {
    const target = this.focusNext ? this.renderRoot.querySelector<HTMLElement>(this.focusNext) : null;
    if (target) {
      this.focusNext = null;
      target.focus();
    }
  }

  private renderOrder(order: PortalOrderView): TemplateResult {
    const { i18n } = this.services;
    const fulfilments = renderFulfilments(order, {
      i18n,
      downloads: this.downloads,
      onDownload: (f) => void this.download(f),
    });
    return html`
      <header class="head">
        <div class="head-line">
          <h2 class="title" part="title" tabindex="-1">${i18n.t('orders.orderTitle', { reference: order.reference })}</h2>
          ${statusBadge(order, i18n)}
        </div>
        <p class="facts muted">
          <span>${i18n.t('orders.placedOn', { date: i18n.date(order.completedAt, 'long') })}</span>
          ${order.kind === 'purchase' ? nothing : html`<span>${i18n.t(`orders.kinds.${order.kind}`)}</span>`}
          ${order.invoiceNumber !== null ? html`<span>${i18n.t('orders.invoiceNumber', { number: order.invoiceNumber })}</span>` : nothing}
        </p>
      </header>
      ${renderGift(order, i18n)}
      ${renderItems(order, i18n)}
      ${renderRefunds(order, { i18n, busy: this.creditNotesBusy, onDownload: (cn, format) => void this.downloadCreditNote(cn, format) })}
      ${fulfilments}
      ${
        order.invoiceNumber !== null && order.role !== 'gift_received'
          ? html`<ap-order-invoice part="invoice" exportparts="card, button" order-id=${order.id}></ap-order-invoice>`
          : nothing
      }`;
  }

  private renderBody(): TemplateResult {
    const status = this.order.status;
    if (status === TaskStatus.ERROR && !isAbort(this.order.error)) return this.renderProblem(this.order.error);
    if (status === TaskStatus.COMPLETE && this.order.value) return this.renderOrder(this.order.value);
    return this.renderSkeleton();
  }

  override render() {
    if (!this.services) return nothing;
    return html`
      <div part="base" class="base" aria-busy=${this.order.status === TaskStatus.PENDING ? 'true' : 'false'}>
        <a part="back-link" class="back" href="#${formatRoute({ name: 'orders' })}" @click=${this.back}
          >${backIcon}<span>${this.services.i18n.t('orders.back')}</span></a>
        ${this.renderBody()}
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ap-order-detail': ApOrderDetail;
  }
}
