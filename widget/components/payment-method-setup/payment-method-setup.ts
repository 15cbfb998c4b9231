import { consume } from '@lit/context';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { query, state } from 'lit/decorators.js';
import { portalContext, type PortalServices } from '../../context/portal-context';
import { ApPaymentMethodUpdatedEvent } from '../../events/payment-method-updated';
import { askHost, type RequestContinuation } from '../../events/request';
import { ApRequestUpdatePaymentMethodEvent } from '../../events/request-update-payment-method';
import type { ApRequestCloseEvent } from '../../events/request-close';
import { ApiError } from '../../internal/api-client';
import { hasCode } from '../../internal/problem-text';
import { PortalElement } from '../../internal/portal-element';
import type { PortalPaymentMethod } from '../../internal/types';
import { componentStyles } from '../../styles/component.styles';
import { dialogExportParts } from '../dialog/dialog-parts';
import { styles } from './payment-method-setup.styles';
import {
  declineMessage,
  parseSetupMessage,
  saveFailureMessage,
  startFailureMessage,
  type SetupPageMessage,
} from './setup-messages';

/** What a card is being added for. */
export interface PaymentMethodSetupOptions {
  /** The subscription the card is for, when there is one: it is named in `ap-request-update-payment-method` and switches to the card. */
  subscriptionId?: string | null;
  /** Further subscriptions that switch to the new card (manual ones start renewing automatically). */
  subscriptionIds?: string[];
  /** Make the new card the default (the first card always is). */
  makeDefault?: boolean;
  /** The host page was asked already (it continued `ap-request-update-payment-method`): the card form opens at once. */
  asked?: boolean;
  /** The dialog's title; "Add a payment method" by default. */
  title?: string;
}

/** How adding a card ended. */
export type PaymentMethodSetupResult =
  | { outcome: 'saved'; method: PortalPaymentMethod; paymentMethods: PortalPaymentMethod[] }
  | { outcome: 'canceled' }
  /** The host page canceled `ap-request-update-payment-method` and runs its own flow. */
  | { outcome: 'delegated' };

interface OpenSetup {
  setupId: string;
  /** The page's URL with `parent` set, for the iframe. */
  frameUrl: string;
  /** The only origin whose messages are believed. */
  origin: string;
}

type Phase = 'idle' | 'preparing' | 'ready' | 'saving' | 'failed';

/** The frame's height is the page's own report, kept within sane bounds. */
const MIN_FRAME_HEIGHT = 160;
const MAX_FRAME_HEIGHT = 2000;
/** How long after its load event the gateway's page has to report its height before the frame counts as failed. */
const FRAME_READY_TIMEOUT_MS = 4000;

/**
 * Adds a card through the payment gateway's set-up page. `start()` first fires the
 * cancelable `ap-request-update-payment-method`; when the host page cancels it,
 * nothing else happens (the host runs its own processor's flow and then calls the
 * portal's `refresh()`). Otherwise a dialog opens with the gateway's page in an
 * iframe. The card is typed and tokenised inside that page; the widget only
 * receives the token (from the page's origin, for this setup only) and saves it.
 * A declined card is reported back into the page, so the customer can try another
 * one. Once saved, the dialog closes and `ap-payment-method-updated` fires with
 * the customer's saved methods.
 *
 * @summary The "add a payment method" dialog with the gateway's card form.
 *
 * @event {ApRequestUpdatePaymentMethodEvent} ap-request-update-payment-method - Cancelable. The customer asked to add or replace a card; unless canceled the card form opens.
 * @event {ApPaymentMethodUpdatedEvent} ap-payment-method-updated - A card was saved.
 *
 * @csspart dialog - The dialog's panel (see `<ap-dialog>`).
 * @csspart dialog-header - The dialog's bar with its title and close button.
 * @csspart dialog-title - The dialog's title.
 * @csspart dialog-close-button - The dialog's close button.
 * @csspart dialog-body - The wrapper of the dialog's content.
 * @csspart dialog-footer - The wrapper of the dialog's buttons.
 * @csspart frame - The iframe with the gateway's page.
 * @csspart status - The "saving" and problem messages under the frame.
 * @csspart button - The "Start again" button.
 *
 * @cssproperty --ap-payment-method-setup-width - The dialog's width. Defaults to `30rem`.
 */
export class ApPaymentMethodSetup extends PortalElement {
  static override styles = [componentStyles, styles];

  @consume({ context: portalContext, subscribe: true }) private services?: PortalServices;

  @state() private phase: Phase = 'idle';
  @state() private setup: OpenSetup | null = null;
  @state() private frameHeight: number | null = null;
  @state() private problem = '';
  @state() private heading = '';
  /** Whether the gateway's page has spoken (its first height): it loaded and runs. */
  private frameReady = false;
  private frameTimer: ReturnType<typeof setTimeout> | undefined;

  @query('iframe') private frame?: HTMLIFrameElement;

  private options: PaymentMethodSetupOptions = {};
  private settle: ((result: PaymentMethodSetupResult) => void) | null = null;
  private pending: Promise<PaymentMethodSetupResult> | null = null;
  /** Counts setups asked for: an answer to an older one (given up, or started again) is dropped. */
  private attempt = 0;

  /** Whether the dialog is open. */
  get active(): boolean {
    return this.phase !== 'idle';
  }

  /**
   * Adds a card: fires `ap-request-update-payment-method`, then (unless the host
   * took over) opens the gateway's page. Resolves when the card is saved, the
   * customer gives up, or the host took over. `resume` is what the host's
   * `continue()` does (by default, this again without asking).
   */
  start(options: PaymentMethodSetupOptions = {}, resume?: RequestContinuation): Promise<PaymentMethodSetupResult> {
    if (this.pending) return this.pending;
    const again =
      resume ??
      (() => {
        if (!this.isConnected || this.pending) return false;
        void this.start({ ...options, asked: true });
        return true;
      });
    const request = new ApRequestUpdatePaymentMethodEvent(options.subscriptionId ?? null, again);
    if (!options.asked && !askHost(this, request)) return Promise.resolve({ outcome: 'delegated' });
    this.options = options;
    this.heading = options.title ?? '';
    this.pending = new Promise((resolve) => {
      this.settle = resolve;
    });
    window.addEventListener('message', this.onMessage);
    void this.open();
    return this.pending;
  }

  /** Also waits for the dialog, so that focus is where it belongs once this resolves. */
  protected override async getUpdateComplete(): Promise<boolean> {
    const result = await super.getUpdateComplete();
    await this.renderRoot.querySelector('ap-dialog')?.updateComplete;
    return result;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.pending) this.finish({ outcome: 'canceled' });
  }

  /** Asks the server for a new setup and shows its page. */
  private async open(): Promise<void> {
    const services = this.services;
    if (!services) {
      this.finish({ outcome: 'canceled' });
      return;
    }
    this.phase = 'preparing';
    this.setup = null;
    this.frameReady = false;
    this.frameHeight = null;
    this.problem = '';
    const { subscriptionId, subscriptionIds = [], makeDefault } = this.options;
    const ids = [...new Set([...(subscriptionId ? [subscriptionId] : []), ...subscriptionIds])];
    const attempt = ++this.attempt;
    try {
      const answer = await services.api.send<{ setupId: string; url: string }>('POST', '/payment-methods/setup', {
        ...(makeDefault && { makeDefault: true }),
        ...(ids.length && { subscriptionIds: ids }),
        language: services.i18n.language,
      });
      if (!this.pending || attempt !== this.attempt) return;
      const url = new URL(answer.url, location.href);
      url.searchParams.set('parent', location.origin);
      this.setup = { setupId: answer.setupId, frameUrl: url.toString(), origin: url.origin };
      this.phase = 'ready';
    } catch (error) {
      if (!this.pending || attempt !== this.attempt) return;
      this.phase = 'failed';
      this.problem = startFailureMessage(error, services.i18n);
      services.reportError(error, 'update-payment-method');
    }
  }

  private readonly onMessage = (event: MessageEvent) => {
    const setup = this.setup;
    if (!setup || event.origin !== setup.origin || event.source !== this.frame?.contentWindow) return;
    const message = parseSetupMessage(event.data);
    if (!message || message.setupId !== setup.setupId) return;
    this.frameReady = true;
    if (message.type === 'ap-payment-method-resize') {
      this.frameHeight = Math.min(MAX_FRAME_HEIGHT, Math.max(MIN_FRAME_HEIGHT, Math.ceil(message.height)));
    } else if (message.type === 'ap-payment-method-cancel') {
      if (this.phase !== 'saving') this.finish({ outcome: 'canceled' });
    } else {
      void this.save(setup, message);
    }
  };

  /** Saves the token the page made; a decline goes back into the page, other failures are shown under it. */
  private async save(
    setup: OpenSetup,
    message: Extract<SetupPageMessage, { type: 'ap-payment-method' }>,
  ): Promise<void> {
    const services = this.services;
    if (!services || this.phase !== 'ready') return;
    this.phase = 'saving';
    this.problem = '';
    let method: PortalPaymentMethod;
    try {
      method = await services.api.send<PortalPaymentMethod>('POST', '/payment-methods', {
        setupId: setup.setupId,
        token: message.token,
      });
    } catch (error) {
      if (this.setup !== setup) return;
      if (hasCode(error, 'payment_declined')) {
        this.phase = 'ready';
        this.frame?.contentWindow?.postMessage(
          { type: 'ap-payment-method-error', setupId: setup.setupId, message: declineMessage(error, services.i18n) },
          setup.origin,
        );
        return;
      }
      this.phase = 'failed';
      this.problem = saveFailureMessage(error, services.i18n);
      services.reportError(error, 'update-payment-method');
      return;
    }
    const paymentMethods = await this.savedMethods(method);
    this.dispatchEvent(new ApPaymentMethodUpdatedEvent(paymentMethods));
    this.finish({ outcome: 'saved', method, paymentMethods });
  }

  /** The customer's methods after saving one (just that one, should the list not load). */
  private async savedMethods(method: PortalPaymentMethod): Promise<PortalPaymentMethod[]> {
    try {
      return (await this.services!.api.get<{ data: PortalPaymentMethod[] }>('/payment-methods')).data;
    } catch (error) {
      this.services!.reportError(error, 'update-payment-method');
      return [method];
    }
  }

  private finish(result: PaymentMethodSetupResult): void {
    window.removeEventListener('message', this.onMessage);
    clearTimeout(this.frameTimer);
    this.attempt += 1;
    const settle = this.settle;
    this.settle = null;
    this.pending = null;
    this.phase = 'idle';
    this.setup = null;
    settle?.(result);
  }

  protected override updated(changed: PropertyValues): void {
    // Through the CSSOM rather than a style attribute, which a strict CSP (style-src-attr) refuses.
    if (changed.has('frameHeight') && this.frame)
      this.frame.style.height = this.frameHeight === null ? '' : `${this.frameHeight}px`;
    // A problem replaces what the customer was doing: take them to the way out of it.
    if (changed.has('phase') && this.phase === 'failed')
      this.renderRoot.querySelector<HTMLElement>('.restart')?.focus();
  }

  private onRequestClose(event: ApRequestCloseEvent): void {
    // The dialog's own business: it goes no further than this element.
    event.stopPropagation();
    // A card is being saved: closing now would leave the customer guessing whether it was.
    if (this.phase === 'saving') event.preventDefault();
  }

  private onFrameLoad(): void {
    // Focus the frame itself, so that Tab continues with its first field.
    this.frame?.focus();
    // A frame the page's CSP (frame-src) or the network refused still fires load, with an
    // error page in it that never speaks: without a word from it soon, tell the customer.
    const setup = this.setup;
    clearTimeout(this.frameTimer);
    this.frameTimer = setTimeout(() => {
      if (this.frameReady || this.setup !== setup || this.phase !== 'ready' || !this.services) return;
      this.phase = 'failed';
      this.problem = this.services.i18n.t('paymentMethods.setup.frameFailed');
      this.services.reportError(
        new ApiError(
          0,
          'card_frame_failed',
          `The card form at ${setup?.origin} did not load. If this page has a Content-Security-Policy, allow it in frame-src.`,
        ),
        'update-payment-method',
      );
    }, FRAME_READY_TIMEOUT_MS);
  }

  private renderContent(): TemplateResult {
    const { i18n } = this.services!;
    const { phase, setup } = this;
    return html`
      ${phase === 'preparing' ? html`<div class="placeholder" aria-hidden="true"><span class="skeleton"></span></div>` : nothing}
      ${
        setup
          ? html`<iframe part="frame" class="frame ${this.frameHeight === null ? 'sizing' : ''}" src=${setup.frameUrl}
        title=${i18n.t('paymentMethods.setup.frameTitle')} @load=${() => this.onFrameLoad()}></iframe>`
          : nothing
      }
      <p part="status" class="status ${phase === 'failed' ? 'problem' : ''}" role=${phase === 'failed' ? 'alert' : 'status'}>${
        phase === 'preparing'
          ? i18n.t('paymentMethods.setup.preparing')
          : phase === 'saving'
            ? i18n.t('paymentMethods.setup.saving')
            : phase === 'failed'
              ? this.problem
              : ''
      }</p>`;
  }

  override render() {
    if (!this.services) return nothing;
    const { i18n } = this.services;
    return html`
      <ap-dialog exportparts=${dialogExportParts} label=${this.heading || i18n.t('paymentMethods.setup.title')} ?open=${this.phase !== 'idle'}
        @ap-request-close=${(e: ApRequestCloseEvent) => this.onRequestClose(e)}
        @ap-dialog-close=${(e: Event) => {
          e.stopPropagation();
          this.finish({ outcome: 'canceled' });
        }}>
        ${this.phase !== 'idle' ? this.renderContent() : nothing}
        ${
          this.phase === 'failed'
            ? html`
          <button slot="footer" part="button" class="button secondary" type="button" @click=${() => this.finish({ outcome: 'canceled' })}
            >${i18n.t('paymentMethods.setup.close')}</button>
          <button slot="footer" part="button" class="button restart" type="button" @click=${() => void this.open()}
            >${i18n.t('paymentMethods.setup.restart')}</button>`
            : nothing
        }
      </ap-dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ap-payment-method-setup': ApPaymentMethodSetup;
  }
}
