import { consume } from '@lit/context';
import { html, nothing, svg } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { portalContext, type PortalServices } from '../../context/portal-context';
import { ApLicenseKeyCopiedEvent } from '../../events/license-key-copied';
import { ApiError } from '../../internal/api-client';
import { PortalElement } from '../../internal/portal-element';
import { componentStyles } from '../../styles/component.styles';
import { styles } from './license-key.styles';

type CopyState = 'idle' | 'copied' | 'failed';

/** How long the button says "Copied" before it offers to copy again. */
const COPIED_MS = 2500;

const checkIcon = svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2"><path d="M3 8.5l3 3 7-7"/></svg>`;
const copyIcon = svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.5"><rect x="5" y="5" width="8.5" height="8.5" rx="1.5"/><path d="M10.5 3V2.5A1 1 0 0 0 9.5 1.5h-7a1 1 0 0 0-1 1v7a1 1 0 0 0 1 1H3"/></svg>`;

/**
 * A license key shown in a monospace, selectable box with a Copy button. Copying
 * uses the asynchronous clipboard; the button then says "Copied" (announced to
 * screen readers), and when the browser refuses clipboard access the key is
 * selected and the customer is told to copy it by hand.
 *
 * @summary A license key with a copy button.
 *
 * @event {ApLicenseKeyCopiedEvent} ap-license-key-copied - The key was copied to the clipboard.
 *
 * @csspart base - The wrapper around label, key and button.
 * @csspart label - The label above the key.
 * @csspart key - The key itself.
 * @csspart button - The Copy button.
 * @csspart feedback - The message shown when copying failed.
 *
 * @cssproperty --ap-license-key-font-family - The key's font. Defaults to `--ap-licence-key-font-family` (the old name), then the system's monospace font.
 * @cssproperty --ap-license-key-background - Behind the key. Defaults to `--ap-licence-key-background` (the old name), then `--ap-color-surface`.
 */
export class ApLicenseKey extends PortalElement {
  static override styles = [componentStyles, styles];

  @consume({ context: portalContext, subscribe: true }) private services!: PortalServices;

  /** The license key to show and copy. */
  @property({ attribute: 'key' }) key = '';

  /** What the key is for, shown above it ("Licence key for Photo Toolkit 3"). */
  @property({ attribute: 'label' }) label = '';

  @state() private copyState: CopyState = 'idle';

  @query('.key') private keyElement?: HTMLElement;

  private resetTimer?: ReturnType<typeof setTimeout>;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.resetTimer);
  }

  /** Copies the key to the clipboard; resolves to whether that worked. */
  async copy(): Promise<boolean> {
    clearTimeout(this.resetTimer);
    try {
      if (!navigator.clipboard?.writeText) throw new Error('The clipboard is not available.');
      await navigator.clipboard.writeText(this.key);
      this.copyState = 'copied';
      this.resetTimer = setTimeout(() => {
        this.copyState = 'idle';
      }, COPIED_MS);
      this.dispatchEvent(new ApLicenseKeyCopiedEvent(this.label || this.services.i18n.t('orders.licenseKeyLabel')));
      return true;
    } catch (error) {
      this.copyState = 'failed';
      this.selectKey();
      this.services?.reportError(
        new ApiError(0, 'clipboard_unavailable', `The key could not be copied: ${String(error)}`),
        'copy-license-key',
      );
      return false;
    }
  }

  /** Selects the key's text, so that the customer can copy it with the keyboard or the context menu. */
  private selectKey(): void {
    if (this.keyElement) window.getSelection()?.selectAllChildren(this.keyElement);
  }

  override render() {
    if (!this.services) return nothing;
    const t = (key: 'orders.copy' | 'orders.copied' | 'orders.copyFailed' | 'orders.licenseKeyLabel') =>
      this.services.i18n.t(key);
    const copied = this.copyState === 'copied';
    return html`
      <div part="base" class="base">
        <span part="label" class="label" id="label">${this.label || t('orders.licenseKeyLabel')}</span>
        <div class="row">
          <code part="key" class="key" translate="no" dir="ltr">${this.key}</code>
          <button part="button" type="button" class="button secondary ${copied ? 'copied' : ''}"
            aria-describedby="label" @click=${() => void this.copy()}>
            ${copied ? checkIcon : copyIcon}<span>${copied ? t('orders.copied') : t('orders.copy')}</span>
          </button>
        </div>
        <p part="feedback" class="feedback ${this.copyState === 'failed' ? 'error' : 'visually-hidden'}" role="status"
          >${copied ? t('orders.copied') : this.copyState === 'failed' ? t('orders.copyFailed') : nothing}</p>
      </div>`;
  }
}

/**
 * `<ap-license-key>` under its old name, so that pages written for it keep working:
 * the same properties, parts and custom properties (the old `--ap-licence-key-*`
 * ones too).
 *
 * @summary Deprecated: the old name of `<ap-license-key>`.
 * @deprecated Use `<ap-license-key>`.
 */
export class ApLicenceKey extends ApLicenseKey {}

declare global {
  interface HTMLElementTagNameMap {
    'ap-license-key': ApLicenseKey;
    /** @deprecated Use `ap-license-key`. */
    'ap-licence-key': ApLicenceKey;
  }
}
