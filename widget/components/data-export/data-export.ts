import { consume } from '@lit/context';
import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { portalContext, type PortalServices } from '../../context/portal-context';
import { ApDataExportedEvent } from '../../events/data-exported';
import { PortalElement } from '../../internal/portal-element';
import { problemText } from '../../internal/problem-text';
import { componentStyles } from '../../styles/component.styles';
import { startDownload } from '../order-detail/order-detail';
import { styles } from './data-export.styles';

/**
 * The Account tab's "Your data" card: downloads everything the store holds about
 * the signed-in customer (`GET /portal/{store}/me/export`) as one JSON file. The
 * server allows a few downloads an hour; past that the card says when to try again.
 *
 * @summary Downloads the signed-in customer's data as a JSON file.
 *
 * @event ap-data-exported - The customer's data was downloaded. `event.fileName` is the file's name.
 *
 * @csspart card - The card.
 * @csspart button - The download button.
 * @csspart status - The confirmation that the file was downloaded.
 * @csspart error - Why the download failed.
 *
 * @cssproperty --ap-data-export-hint-color - The card's explanation. Defaults to `--ap-color-muted`.
 */
export class ApDataExport extends PortalElement {
  static override styles = [componentStyles, styles];

  @consume({ context: portalContext, subscribe: true }) private services?: PortalServices;

  @state() private downloading = false;
  /** The file last downloaded, for the confirmation. */
  @state() private downloaded = '';
  @state() private problem = '';

  private async download(): Promise<void> {
    const services = this.services;
    if (!services || this.downloading) return;
    this.downloading = true;
    this.downloaded = '';
    this.problem = '';
    try {
      const file = await services.api.file('/me/export');
      const url = URL.createObjectURL(file);
      startDownload(url, this.renderRoot, file.name);
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      this.downloaded = file.name;
      this.dispatchEvent(new ApDataExportedEvent(file.name));
    } catch (error) {
      this.problem = problemText(error, services.i18n);
      services.reportError(error);
    } finally {
      this.downloading = false;
    }
  }

  override render() {
    const i18n = this.services?.i18n;
    if (!i18n) return nothing;
    const store = this.services?.config?.store.name ?? '';
    return html`
      <section class="card" part="card" aria-labelledby="export-title">
        <h2 id="export-title">${i18n.t('account.export.title')}</h2>
        <p class="intro">${i18n.t('account.export.intro', { store })}</p>
        <div class="actions">
          <button id="export-download" class="button secondary" part="button" type="button"
            aria-disabled=${this.downloading ? 'true' : 'false'} @click=${() => void this.download()}>
            ${this.downloading ? i18n.t('account.export.preparing') : i18n.t('account.export.download')}</button>
          <p class="status" part="status" role="status">${
            this.downloaded ? i18n.t('account.export.done', { file: this.downloaded }) : nothing
          }</p>
          <p class="error" part="error" role="alert">${this.problem || nothing}</p>
        </div>
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ap-data-export': ApDataExport;
  }
}
