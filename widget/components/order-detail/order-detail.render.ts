import { html, nothing, svg, type TemplateResult } from 'lit';
import type { Localizer } from '../../internal/localizer';
import {
  personName,
  type PortalFulfilmentView,
  type PortalOrderItemView,
  type PortalOrderView,
} from '../orders/order-format';

type DownloadFulfilment = Extract<PortalFulfilmentView, { type: 'download' }>;

/**
 * Where one download stands: asking for a link, started, failed (with the words to
 * show), or found revoked by the store since the order was loaded.
 */
export type DownloadState =
  { step: 'preparing' } | { step: 'started' } | { step: 'failed'; message: string } | { step: 'revoked' };

/** What the fulfilment section needs from the element. */
export interface FulfilmentView {
  i18n: Localizer;
  downloads: Record<string, DownloadState>;
  onDownload(fulfilment: DownloadFulfilment): void;
}

const cardIcon = svg`<svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.5">
  <rect x="2.5" y="5" width="19" height="14" rx="2"/><path d="M2.5 9.5h19M6 15h4"/></svg>`;
const downloadIcon = svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.6">
  <path d="M8 2v8m-3.5-3.5L8 10l3.5-3.5M2.5 13.5h11"/></svg>`;

const brandNames: Record<string, string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  american_express: 'American Express',
  discover: 'Discover',
  diners: 'Diners Club',
  diners_club: 'Diners Club',
  jcb: 'JCB',
  unionpay: 'UnionPay',
  maestro: 'Maestro',
  paypal: 'PayPal',
  sepa_debit: 'SEPA',
  ideal: 'iDEAL',
};

/** A payment brand as people write it (`visa` → `Visa`); unknown brands keep their own spelling, capitalised. */
export function brandName(brand: string): string {
  const known = brandNames[brand.toLowerCase().replace(/[\s-]/g, '_')];
  return known ?? brand.charAt(0).toUpperCase() + brand.slice(1);
}

/** "Paid with Visa ending in 4242", or as much of it as is known. */
export function paymentLine(order: PortalOrderView, i18n: Localizer): TemplateResult | typeof nothing {
  const payment = order.payment;
  if (!payment) return nothing;
  const brand = payment.brand ? brandName(payment.brand) : i18n.t('orders.card');
  const text = payment.last4
    ? i18n.t('orders.paidWith', { brand, last4: payment.last4 })
    : i18n.t('orders.paidWithBrand', { brand });
  return html`<p class="payment">${cardIcon}<span>${text}</span></p>`;
}

/** The gift card: for whom (with the note that the fulfilment went to them) or from whom, and the message. */
export function renderGift(order: PortalOrderView, i18n: Localizer): TemplateResult | typeof nothing {
  if (!order.gift || order.role === 'purchase') return nothing;
  const sent = order.role === 'gift_sent';
  const name = sent
    ? personName(order.gift.recipient, i18n.t('orders.unknownRecipient'))
    : personName(order.gift.sender, i18n.t('orders.unknownSender'));
  return html`
    <section class="card gift" part="card gift" aria-labelledby="gift-title">
      <h3 id="gift-title">${sent ? i18n.t('orders.giftFor', { name }) : i18n.t('orders.giftFrom', { name })}</h3>
      <p>${sent ? i18n.t('orders.giftSentNote', { name }) : i18n.t('orders.giftReceivedNote', { name })}</p>
      ${
        order.gift.message
          ? html`
        <figure>
          <figcaption class="visually-hidden">${i18n.t('orders.giftMessage')}</figcaption>
          <blockquote part="gift-message" dir="auto">${order.gift.message}</blockquote>
        </figure>`
          : nothing
      }
    </section>`;
}

const cell = (label: string, value: string, className = 'num') =>
  html`<td class=${className}><span class="cell-label" aria-hidden="true">${label}</span>${value}</td>`;

/** An empty cell: a dash in the table, left out of the stacked layout. */
const emptyCell = () => html`<td class="num none">—</td>`;

/** The items with quantities, prices, discounts, taxes and line totals, and the order's totals below. */
function renderPricedItems(order: PortalOrderView, i18n: Localizer): TemplateResult {
  const money = (minor: number | undefined) => i18n.money(minor ?? 0, order.currency);
  const showDiscount = order.items.some((item) => (item.discount ?? 0) > 0);
  const showTax = order.items.some((item) => (item.tax ?? 0) > 0);
  const amounts = order.amounts!;
  return html`
    <table class="items" part="items" aria-labelledby="items-title">
      <thead>
        <tr>
          <th scope="col">${i18n.t('orders.item')}</th>
          <th scope="col" class="num">${i18n.t('orders.quantity')}</th>
          <th scope="col" class="num">${i18n.t('orders.unitPrice')}</th>
          ${showDiscount ? html`<th scope="col" class="num">${i18n.t('orders.discount')}</th>` : nothing}
          ${showTax ? html`<th scope="col" class="num">${i18n.t('orders.tax')}</th>` : nothing}
          <th scope="col" class="num">${i18n.t('orders.lineTotal')}</th>
        </tr>
      </thead>
      <tbody>
        ${order.items.map(
          (item: PortalOrderItemView) => html`
          <tr>
            <th scope="row"><bdi>${item.displayName}</bdi></th>
            ${cell(i18n.t('orders.quantity'), String(item.quantity))}
            ${cell(i18n.t('orders.unitPrice'), money(item.unitPrice))}
            ${showDiscount ? (item.discount ? cell(i18n.t('orders.discount'), money(-item.discount)) : emptyCell()) : nothing}
            ${showTax ? cell(i18n.t('orders.tax'), money(item.tax)) : nothing}
            ${cell(i18n.t('orders.lineTotal'), money(item.total), 'num line-total')}
          </tr>`,
        )}
      </tbody>
    </table>
    <dl class="totals" part="totals">
      <dt>${i18n.t('orders.subtotal')}</dt><dd>${money(amounts.subtotal)}</dd>
      ${amounts.discount ? html`<dt>${i18n.t('orders.discount')}</dt><dd>${money(-amounts.discount)}</dd>` : nothing}
      ${amounts.tax || showTax ? html`<dt>${i18n.t('orders.tax')}</dt><dd>${money(amounts.tax)}</dd>` : nothing}
      <dt class="grand">${i18n.t('orders.total')}</dt><dd class="grand">${money(amounts.total)}</dd>
      ${
        order.refunded?.total
          ? html`
        <dt class="refunded">${i18n.t('orders.refunded')}</dt><dd class="refunded">${money(-order.refunded.total)}</dd>
        <dt>${i18n.t('orders.paidAfterRefunds')}</dt><dd>${money(amounts.total - order.refunded.total)}</dd>`
          : nothing
      }
    </dl>`;
}

/** The items section: priced when the API gives amounts, otherwise names and quantities only. */
export function renderItems(order: PortalOrderView, i18n: Localizer): TemplateResult {
  return html`
    <section class="card" part="card" aria-labelledby="items-title">
      <h3 id="items-title">${i18n.t('orders.items')}</h3>
      ${
        order.amounts
          ? renderPricedItems(order, i18n)
          : html`<ul class="simple-items" part="items">
            ${order.items.map(
              (item) => html`<li><bdi>${item.displayName}</bdi>
              <span class="muted">${i18n.t('orders.quantityOf', { count: item.quantity })}</span></li>`,
            )}
          </ul>`
      }
      ${paymentLine(order, i18n)}
    </section>`;
}

/** A revoked download: what it was, marked revoked, and no way to start it. */
function renderRevokedDownload(id: string, name: string, size: string | null, i18n: Localizer): TemplateResult {
  return html`
    <div class="download revoked" id="download-${id}">
      <span class="badge revoked">${i18n.t('orders.revoked')}</span>
      <span class="file"><bdi class="file-name">${name}</bdi>${size ? html` <span class="muted">· ${size}</span>` : nothing}</span>
      <p class="download-status muted" tabindex="-1">${i18n.t('orders.downloadRevoked')}</p>
    </div>`;
}

function renderDownload(fulfilment: DownloadFulfilment, fallbackName: string, view: FulfilmentView): TemplateResult {
  const { i18n } = view;
  const state = view.downloads[fulfilment.id];
  const preparing = state?.step === 'preparing';
  const name = fulfilment.name ?? fulfilment.fileName ?? fallbackName;
  const size = fulfilment.fileSize !== null ? i18n.fileSize(fulfilment.fileSize) : null;
  if (fulfilment.revoked || state?.step === 'revoked') return renderRevokedDownload(fulfilment.id, name, size, i18n);
  const status =
    state?.step === 'started' ? i18n.t('orders.downloadStarted') : state?.step === 'failed' ? state.message : '';
  // The visible label stays short ("Download"); the accessible name starts with it and says which file.
  return html`
    <div class="download">
      <button class="button" part="button download-button" type="button" aria-disabled=${preparing ? 'true' : 'false'}
        aria-label=${preparing ? i18n.t('orders.preparing') : i18n.t('orders.download', { name })}
        @click=${() => {
          if (!preparing) view.onDownload(fulfilment);
        }}>
        ${downloadIcon}<span>${preparing ? i18n.t('orders.preparing') : i18n.t('orders.downloadButton')}</span>
      </button>
      <span class="file"><bdi class="file-name">${name}</bdi>${size ? html` <span class="muted">· ${size}</span>` : nothing}</span>
      <p class="download-status ${state?.step === 'failed' ? 'error' : 'muted'}" role="status">${status}</p>
    </div>`;
}

function renderFulfilment(
  fulfilment: PortalFulfilmentView,
  item: PortalOrderItemView,
  view: FulfilmentView,
): TemplateResult {
  const { i18n } = view;
  switch (fulfilment.type) {
    case 'license_key':
      // `licence-key` is the part's old name, kept for pages that style it.
      return html`<ap-license-key part="license-key licence-key" exportparts="key, button: copy-button"
        .key=${fulfilment.licenseKey}
        .label=${fulfilment.name ?? i18n.t('orders.licenseKey', { name: item.displayName })}></ap-license-key>`;
    case 'download':
      return renderDownload(fulfilment, item.displayName, view);
    case 'instructions':
      return html`<div class="fulfilment-group">
        <h4>${fulfilment.name ?? i18n.t('orders.instructions')}</h4>
        <p class="instructions" part="instructions" dir="auto">${fulfilment.instructions}</p>
      </div>`;
  }
}

/** A revoked licence key or instructions: still shown, with the note that the store revoked it. */
function renderRevokedNote(
  fulfilment: PortalFulfilmentView,
  item: PortalOrderItemView,
  view: FulfilmentView,
): TemplateResult {
  return html`<div class="fulfilment-group revoked">
    <p class="revoked-note"><span class="badge revoked">${view.i18n.t('orders.revoked')}</span>
      <span class="muted">${view.i18n.t('orders.revokedNote')}</span></p>
    ${renderFulfilment(fulfilment, item, view)}
  </div>`;
}

/** One card per item that came with licence keys, downloads or instructions. */
export function renderFulfilments(order: PortalOrderView, view: FulfilmentView): TemplateResult[] {
  return order.items.flatMap((item) => {
    const own = order.fulfilments.filter((f) => f.itemId === item.id);
    if (own.length === 0) return [];
    // Keys first, then downloads, then the instructions that explain them.
    const rank = { license_key: 0, download: 1, instructions: 2 } as const;
    const sorted = [...own].sort((a, b) => rank[a.type] - rank[b.type]);
    return [
      html`
      <section class="card" part="card fulfilment" aria-labelledby="ful-${item.id}">
        <h3 id="ful-${item.id}"><bdi>${item.displayName}</bdi></h3>
        ${sorted.map((f) => (f.revoked && f.type !== 'download' ? renderRevokedNote(f, item, view) : renderFulfilment(f, item, view)))}
      </section>`,
    ];
  });
}

const documentIcon = svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.5">
  <path d="M4 1.5h5.5L13 5v9.5H4z"/><path d="M9.5 1.5V5H13M6.5 8.5h4M6.5 11h4"/></svg>`;

/** What the refunds section needs from the element. */
export interface CreditNoteView {
  i18n: Localizer;
  /** Credit notes being fetched, by id (`{id}` the PDF, `{id}.xml` the e-invoice). */
  busy: Record<string, boolean>;
  onDownload(note: PortalOrderView['creditNotes'][number], format: 'pdf' | 'xml'): void;
}

/**
 * What was refunded, in words, and the credit notes to download (one per refund):
 * shown to the purchaser only, since the recipient of a gift sees no amounts.
 */
export function renderRefunds(order: PortalOrderView, view: CreditNoteView): TemplateResult | typeof nothing {
  const { i18n } = view;
  if (!order.refunded?.total && order.creditNotes.length === 0) return nothing;
  const note =
    order.status === 'refunded'
      ? i18n.t('orders.refundedNote')
      : i18n.t('orders.partiallyRefundedNote', { amount: i18n.money(order.refunded?.total ?? 0, order.currency) });
  return html`
    <section class="card refunds" part="card refunds" aria-labelledby="refunds-title">
      <h3 id="refunds-title">${i18n.t('orders.creditNotes')}</h3>
      <p class="note">${note}</p>
      <ul class="credit-notes" part="credit-notes">
        ${order.creditNotes.map(
          (cn) => html`<li>
          <button class="button" part="button credit-note-button" type="button" aria-disabled=${view.busy[cn.id] ? 'true' : 'false'}
            aria-describedby=${`credit-note-${cn.id}-hint`}
            @click=${() => {
              if (!view.busy[cn.id]) view.onDownload(cn, 'pdf');
            }}>
            ${documentIcon}<span id=${`credit-note-${cn.id}-name`}>${i18n.t('orders.creditNote', { number: cn.number })}</span>
          </button>
          <button class="button secondary" part="button credit-note-e-invoice-button" type="button"
            aria-disabled=${view.busy[`${cn.id}.xml`] ? 'true' : 'false'} aria-describedby=${`credit-note-${cn.id}-name`}
            title=${i18n.t('invoice.downloadXmlTitle')}
            @click=${() => {
              if (!view.busy[`${cn.id}.xml`]) view.onDownload(cn, 'xml');
            }}>${i18n.t('invoice.downloadXml')}</button>
          <span id=${`credit-note-${cn.id}-hint`} class="visually-hidden">${i18n.t('orders.creditNoteDownload', { number: cn.number })}</span>
          <span class="muted">${i18n.t('orders.creditNoteAmount', { amount: i18n.money(cn.total, order.currency), date: i18n.date(cn.issuedAt, 'long') })}</span>
        </li>`,
        )}
      </ul>
    </section>`;
}
