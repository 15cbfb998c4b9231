import { consume } from '@lit/context';
import { Task, TaskStatus, initialState } from '@lit/task';
import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { portalContext, type PortalServices } from '../../context/portal-context';
import { ApDownloadStartedEvent } from '../../events/download-started';
import { ApInvoiceCorrectedEvent } from '../../events/invoice-corrected';
import { ApiError } from '../../internal/api-client';
import { languageChoices, matchLanguage } from '../../internal/localizer';
import { PortalElement } from '../../internal/portal-element';
import { hasCode, problemText } from '../../internal/problem-text';
import type { PortalInvoice } from '../../internal/types';
import { componentStyles } from '../../styles/component.styles';
import { checkboxField, selectField, textField, type FieldScope } from '../account-form/account-form.fields';
import { issueMessage, issuesOf, type FieldIssue, type TextFieldSpec } from '../account-form/account-form.model';
import { countryChoices } from '../account-form/countries';
import { startDownload } from '../order-detail/order-detail';
import { styles } from './order-invoice.styles';

type Draft = Record<
  'businessName' | 'taxId' | 'addressLine1' | 'addressLine2' | 'city' | 'state' | 'postalCode' | 'country',
  string
> & { isBusiness: boolean; alsoUseForFutureInvoices: boolean };

/** The correctable text fields, with the server's limits (server/schemas/invoices.ts). */
const fields: TextFieldSpec<keyof Draft & string>[] = [
  {
    key: 'businessName',
    label: 'invoice.businessName',
    field: 'businessName',
    max: 200,
    autocomplete: 'organization',
    wide: true,
    words: true,
  },
  { key: 'taxId', label: 'invoice.taxIdLabel', field: 'taxId', max: 50 },
  {
    key: 'addressLine1',
    label: 'invoice.line1',
    field: 'addressLine1',
    max: 200,
    autocomplete: 'address-line1',
    wide: true,
    words: true,
  },
  {
    key: 'addressLine2',
    label: 'invoice.line2',
    field: 'addressLine2',
    max: 200,
    autocomplete: 'address-line2',
    wide: true,
    words: true,
  },
  { key: 'postalCode', label: 'invoice.postalCode', field: 'postalCode', max: 20, autocomplete: 'postal-code' },
  { key: 'city', label: 'invoice.city', field: 'city', max: 100, autocomplete: 'address-level2', words: true },
  { key: 'state', label: 'invoice.state', field: 'state', max: 100, autocomplete: 'address-level1', words: true },
];

/**
 * The invoice of an order, for its purchaser: the billing details it shows, a PDF
 * download in a chosen language beside the EN 16931 e-invoice (UBL XML) for
 * accounting software, and a form to correct the billing details (each
 * correction is a new revision with the same number). Renders nothing for an
 * order without an invoice.
 *
 * @summary The invoice section of an order's detail.
 *
 * @event {ApDownloadStartedEvent} ap-download-started - The invoice PDF or e-invoice was handed to the browser.
 * @event {ApInvoiceCorrectedEvent} ap-invoice-corrected - The customer corrected the billing details (a new revision).
 *
 * @csspart card - The invoice card.
 * @csspart download-button - The PDF download button.
 * @csspart e-invoice-button - The e-invoice (XML) download button.
 * @csspart button - Every button.
 * @csspart field - Each form field.
 * @csspart input - Each input and select.
 */
export class ApOrderInvoice extends PortalElement {
  static override styles = [componentStyles, styles];

  @consume({ context: portalContext, subscribe: true }) private services!: PortalServices;

  /** The id of the order (`ord_…`). */
  @property({ attribute: 'order-id' }) orderId = '';

  @state() private language = '';
  @state() private downloading: 'idle' | 'preparing' | 'failed' = 'idle';
  @state() private eInvoice: 'idle' | 'preparing' = 'idle';
  /** Why the last e-invoice download failed, in words; empty when it did not. */
  @state() private eInvoiceProblem = '';
  @state() private draft: Draft | null = null;
  @state() private saving = false;
  @state() private issues: FieldIssue[] = [];
  @state() private message = '';
  /** The invoice as a correction left it (newer than the task's answer). */
  @state() private corrected: PortalInvoice | null = null;

  /** Where focus goes after the next render (a selector): the form and its opening button replace each other. */
  private focusNext: string | null = null;

  protected override updated(): void {
    const target = this.focusNext ? this.renderRoot.querySelector<HTMLElement>(this.focusNext) : null;
    this.focusNext = null;
    target?.focus();
  }

  private readonly invoice = new Task(this, {
    task: ([api, orderId], { signal }) =>
      api && orderId ? api.get<PortalInvoice>(`/orders/${encodeURIComponent(orderId)}/invoice`, signal) : initialState,
    args: () => [this.services?.api, this.orderId] as const,
  });

  private get chosenLanguage(): string {
    return this.language || matchLanguage(this.services.session.account?.language) || this.services.i18n.language;
  }

  private get fileStem(): string {
    return this.corrected?.number ?? this.invoice.value?.number ?? 'invoice';
  }

  /** Fetches one of the invoice's files with the session and hands it to the browser as a download. */
  private async fetchFile(file: string, fileName: string): Promise<void> {
    const blob = await this.services.api.file(`/orders/${encodeURIComponent(this.orderId)}/${file}`);
    const url = URL.createObjectURL(blob);
    startDownload(url, this.renderRoot, fileName);
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  private async download(): Promise<void> {
    this.downloading = 'preparing';
    const fileName = `${this.fileStem}.pdf`;
    try {
      await this.fetchFile(`invoice.pdf?lang=${this.chosenLanguage}`, fileName);
      this.downloading = 'idle';
      this.dispatchEvent(new ApDownloadStartedEvent('invoice', this.orderId, null, fileName));
    } catch (error) {
      this.downloading = 'failed';
      this.services.reportError(error, 'download-invoice');
    }
  }

  private async downloadEInvoice(): Promise<void> {
    const { i18n } = this.services;
    this.eInvoice = 'preparing';
    this.eInvoiceProblem = '';
    const fileName = `${this.fileStem}.xml`;
    try {
      await this.fetchFile('invoice.xml', fileName);
      this.dispatchEvent(new ApDownloadStartedEvent('e-invoice', this.orderId, null, fileName));
    } catch (error) {
      const explained = hasCode(error, 'e_invoice_buyer_country_missing') || hasCode(error, 'e_invoice_unavailable');
      this.eInvoiceProblem = explained ? problemText(error, i18n) : i18n.t('invoice.xmlFailed');
      this.services.reportError(error, 'download-e-invoice');
    } finally {
      this.eInvoice = 'idle';
    }
  }

  private edit(invoice: PortalInvoice): void {
    const b = invoice.billingDetails;
    this.draft = {
      businessName: b.businessName ?? '',
      taxId: b.taxId ?? '',
      addressLine1: b.addressLine1 ?? '',
      addressLine2: b.addressLine2 ?? '',
      city: b.city ?? '',
      state: b.state ?? '',
      postalCode: b.postalCode ?? '',
      country: b.country ?? '',
      isBusiness: b.isBusiness,
      alsoUseForFutureInvoices: false,
    };
    this.issues = [];
    this.message = '';
    this.focusNext = 'form input:not([disabled])';
  }

  /** Closes the form; focus goes back to the button that opens it. */
  private closeForm(): void {
    this.draft = null;
    this.focusNext = '.correct';
  }

  private async save(event: SubmitEvent, invoice: PortalInvoice): Promise<void> {
    event.preventDefault();
    if (!this.draft) return;
    this.saving = true;
    const { country, ...rest } = this.draft;
    const body = { ...rest, ...(invoice.countryLocked ? {} : { country: country || null }) };
    try {
      const saved = await this.services.api.send<PortalInvoice>(
        'PUT',
        `/orders/${encodeURIComponent(this.orderId)}/invoice`,
        body,
      );
      this.corrected = saved;
      const revised = saved.revision > invoice.revision;
      this.message = revised
        ? this.services.i18n.t('invoice.saved', { revision: saved.revision })
        : this.services.i18n.t('invoice.unchanged');
      this.closeForm();
      if (revised) this.dispatchEvent(new ApInvoiceCorrectedEvent(saved));
    } catch (error) {
      this.issues = error instanceof ApiError ? issuesOf(error) : [];
      if (this.issues.length === 0) this.message = problemText(error, this.services.i18n);
      this.services.reportError(error, 'correct-invoice');
    } finally {
      this.saving = false;
    }
  }

  private renderForm(invoice: PortalInvoice, draft: Draft): TemplateResult {
    const { i18n } = this.services;
    const scope: FieldScope = {
      i18n,
      section: 'invoice',
      disabled: this.saving,
      errorOf: (key) => {
        const issue = this.issues.find((i) => i.field === key);
        if (!issue) return undefined;
        return issue.code === 'country_locked' ? i18n.t('invoice.countryLocked') : issueMessage(i18n, issue);
      },
    };
    const set = (key: keyof Draft) => (value: string | boolean) => {
      this.draft = { ...draft, [key]: value };
    };
    return html`
      <form novalidate @submit=${(e: SubmitEvent) => void this.save(e, invoice)}>
        <p class="hint">${i18n.t('invoice.correctHint')}</p>
        <div class="fields">
          ${fields.map((spec) => textField(scope, spec, draft[spec.key] as string, set(spec.key)))}
          ${selectField(
            { ...scope, disabled: this.saving || invoice.countryLocked },
            {
              key: 'country',
              label: 'invoice.country',
              autocomplete: 'country',
              empty: i18n.t('invoice.noCountry'),
              choices: countryChoices(i18n.language),
            },
            draft.country,
            set('country'),
            { hint: invoice.countryLocked ? i18n.t('invoice.countryLocked') : undefined },
          )}
          ${checkboxField(scope, 'isBusiness', 'invoice.isBusiness', draft.isBusiness, set('isBusiness'))}
          ${checkboxField(scope, 'alsoUseForFutureInvoices', 'invoice.alsoFuture', draft.alsoUseForFutureInvoices, set('alsoUseForFutureInvoices'))}
        </div>
        <div class="actions">
          <button type="submit" class="button" part="button" ?disabled=${this.saving}>
            ${this.saving ? i18n.t('invoice.saving') : i18n.t('invoice.save')}</button>
          <button type="button" class="button secondary" part="button" @click=${() => this.closeForm()}>${i18n.t('invoice.cancel')}</button>
        </div>
      </form>`;
  }

  private renderInvoice(invoice: PortalInvoice): TemplateResult {
    const { i18n } = this.services;
    const b = invoice.billingDetails;
    const country = b.country ? new Intl.DisplayNames(i18n.language, { type: 'region' }).of(b.country) : null;
    const lines = [
      b.businessName,
      b.name,
      b.addressLine1,
      b.addressLine2,
      [b.postalCode, b.city].filter(Boolean).join(' '),
      b.state,
      country,
    ].filter(Boolean);
    const scope: FieldScope = {
      i18n,
      section: 'invoice',
      disabled: this.downloading === 'preparing',
      errorOf: () => undefined,
    };
    return html`
      <section class="card" part="card" aria-labelledby="invoice-heading">
        <h3 id="invoice-heading">${i18n.t('invoice.heading', { number: invoice.number })}${
          invoice.revision > 1
            ? html` <span class="muted">· ${i18n.t('invoice.revision', { revision: invoice.revision })}</span>`
            : nothing
        }</h3>
        <div class="download">
          ${selectField(
            scope,
            { key: 'language', label: 'invoice.language', empty: '', choices: languageChoices() },
            this.chosenLanguage,
            (value) => {
              this.language = value;
            },
          )}
          <button type="button" class="button" part="button download-button" ?disabled=${this.downloading === 'preparing'}
            @click=${() => void this.download()}>
            ${this.downloading === 'preparing' ? i18n.t('invoice.preparing') : i18n.t('invoice.download')}</button>
          <button type="button" class="button secondary" part="button e-invoice-button"
            title=${i18n.t('invoice.downloadXmlTitle')} ?disabled=${this.eInvoice === 'preparing'}
            @click=${() => void this.downloadEInvoice()}>
            ${this.eInvoice === 'preparing' ? i18n.t('invoice.preparing') : i18n.t('invoice.downloadXml')}</button>
        </div>
        ${this.downloading === 'failed' ? html`<p class="problem" role="alert">${i18n.t('invoice.downloadFailed')}</p>` : nothing}
        ${this.eInvoiceProblem ? html`<p class="problem" role="alert">${this.eInvoiceProblem}</p>` : nothing}
        <div>
          <p class="muted">${i18n.t('invoice.billedTo')}</p>
          <address>${lines.map((line) => html`<bdi>${line}</bdi><br>`)}</address>
          ${b.taxId ? html`<p>${i18n.t('invoice.taxId', { taxId: b.taxId })}</p>` : nothing}
          <p class="muted">${b.isBusiness ? i18n.t('invoice.businessPurchase') : i18n.t('invoice.privatePurchase')}</p>
        </div>
        <p role="status">${this.message}</p>
        ${
          this.draft
            ? this.renderForm(invoice, this.draft)
            : // A session a merchant limited may only read invoices: no way to correct one then.
              this.services.session.may('invoices:correct')
              ? html`<div class="actions"><button type="button" class="button secondary correct" part="button" @click=${() => this.edit(invoice)}>${i18n.t('invoice.correct')}</button></div>`
              : nothing
        }
      </section>`;
  }

  override render() {
    if (!this.services) return nothing;
    const { status, value, error } = this.invoice;
    const shown = this.corrected?.orderId === this.orderId ? this.corrected : value;
    if (status === TaskStatus.COMPLETE && shown) return html`<div class="wrapper">${this.renderInvoice(shown)}</div>`;
    if (status === TaskStatus.ERROR && hasCode(error, 'seller_details_missing')) {
      return html`<p class="muted">${this.services.i18n.t('invoice.unavailable')}</p>`;
    }
    return nothing;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ap-order-invoice': ApOrderInvoice;
  }
}
