import { consume } from '@lit/context';
import { html, nothing, svg, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { portalContext, type PortalServices } from '../../context/portal-context';
import { ApDialogCloseEvent } from '../../events/dialog-close';
import { ApRequestCloseEvent, type DialogCloseSource } from '../../events/request-close';
import { PortalElement } from '../../internal/portal-element';
import { componentStyles } from '../../styles/component.styles';
import { styles } from './dialog.styles';
import { containsDeep, deepActiveElement, tabbableElements } from './focus';

const closeIcon = svg`<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" fill="none" stroke="currentColor"
  stroke-width="2" stroke-linecap="round"><path d="M4 4l8 8M12 4l-8 8"/></svg>`;

/**
 * A modal dialog built on the native `<dialog>` element and `showModal()`: the rest
 * of the page is inert while it is open, it is labelled by its heading, Escape and
 * the close button ask it to close, Tab and Shift+Tab cycle through its content,
 * and focus moves into it when it opens and back to the element that had it when
 * it closes.
 *
 * Open it with the `open` property (or `show()`), close it with `open = false` (or
 * `hide()`). Focus goes to the first element in the content that has the
 * `autofocus` attribute, else to the first focusable element of the content, else
 * to the close button. When the customer presses Escape or the close button the
 * dialog fires the cancelable `ap-request-close`; unless that is canceled it closes
 * and fires `ap-dialog-close`, so the owner can update its state. Closing it
 * through the property fires neither.
 *
 * @summary An accessible modal dialog (native `<dialog>`) with a title, content and actions.
 *
 * @slot - The dialog's content.
 * @slot footer - Actions, such as the confirm and cancel buttons, at the end.
 *
 * @event {ApRequestCloseEvent} ap-request-close - The customer pressed Escape or the close button; unless canceled the dialog closes. Its owners inside the portal keep it to themselves.
 * @event {ApDialogCloseEvent} ap-dialog-close - The dialog closed at the customer's request.
 *
 * @csspart dialog - The native `<dialog>` element (the panel).
 * @csspart header - The bar with the title and the close button.
 * @csspart title - The title.
 * @csspart close-button - The close button.
 * @csspart body - The wrapper of the content.
 * @csspart footer - The wrapper of the footer slot.
 *
 * @cssproperty --ap-dialog-width - The panel's width on wide screens. Defaults to `32rem`.
 * @cssproperty --ap-dialog-padding - Padding of header, body and footer. Defaults to `--ap-space-l`.
 * @cssproperty --ap-dialog-backdrop - The backdrop's colour. Defaults to a translucent tint of `--ap-color-text`.
 * @cssproperty --ap-dialog-shadow - The panel's shadow.
 */
export class ApDialog extends PortalElement {
  static override styles = [componentStyles, styles];

  @consume({ context: portalContext, subscribe: true }) private services?: PortalServices;

  /** Whether the dialog is shown. */
  @property({ type: Boolean, reflect: true }) open = false;

  /** The title, shown in the header; it is also the dialog's accessible name. Required. */
  @property() label = '';

  /** Announces the content as an alert (`role="alertdialog"`, described by the content): for confirmations. */
  @property({ type: Boolean }) alert = false;

  /** The close button's accessible name. Defaults to the portal's "Close". */
  @property({ attribute: 'close-label' }) closeLabel = '';

  @state() private hasFooter = false;
  /** The content is taller than the panel: the body scrolls and takes focus, so keyboards can scroll it. */
  @state() private scrollable = false;

  @query('dialog') private dialog?: HTMLDialogElement;

  /** Where focus was when the dialog opened: it goes back there on close. */
  private opener: HTMLElement | null = null;

  private readonly resizeObserver = new ResizeObserver(() => this.measure());

  /** Shows the dialog (as setting `open`). Resolves once it is shown. */
  async show(): Promise<void> {
    this.open = true;
    await this.updateComplete;
  }

  /** Closes the dialog (as clearing `open`). Resolves once it is closed and focus is back. */
  async hide(): Promise<void> {
    this.open = false;
    await this.updateComplete;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.observeSize();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver.disconnect();
    this.dialog?.close();
  }

  protected override willUpdate(): void {
    // The footer is never display: none (its buttons stay focusable while they are being slotted in); empty, it takes no room.
    this.hasFooter = this.querySelector(':scope > [slot="footer"]') !== null;
  }

  protected override firstUpdated(): void {
    this.observeSize();
    // The panel is created closed: a first render with `open` set shows it here.
    if (this.open) this.showModal();
  }

  /** The body's size and its content's: either changing can make the body scroll or stop scrolling. */
  private observeSize(): void {
    for (const element of this.renderRoot.querySelectorAll('.body, .content')) this.resizeObserver.observe(element);
  }

  private measure(): void {
    const body = this.renderRoot.querySelector<HTMLElement>('.body');
    this.scrollable = body !== null && this.open && body.scrollHeight > body.clientHeight + 1;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('open') || changed.get('open') === undefined) return;
    if (this.open) this.showModal();
    else this.closeModal();
  }

  private showModal(): void {
    const dialog = this.dialog;
    if (!dialog || dialog.open || !this.isConnected) return;
    this.opener = deepActiveElement();
    dialog.showModal();
    this.focusFirst();
  }

  private closeModal(): void {
    const dialog = this.dialog;
    if (!dialog?.open) return;
    dialog.close();
    const opener = this.opener;
    this.opener = null;
    if (opener?.isConnected) opener.focus();
  }

  /** Focuses the first `autofocus` element of the content or footer, else the content's first focusable element, else the close button. */
  private focusFirst(): void {
    const slotted = Array.from(this.renderRoot.querySelectorAll('slot')).flatMap((slot) =>
      slot.assignedElements({ flatten: true }),
    );
    const marked = slotted.flatMap((element) =>
      element.hasAttribute('autofocus') ? [element] : Array.from(element.querySelectorAll('[autofocus]')),
    );
    const target =
      (marked[0] as HTMLElement | undefined) ?? this.tabbables().find((element) => !this.isCloseButton(element));
    (target ?? this.renderRoot.querySelector<HTMLElement>('.close'))?.focus();
  }

  private isCloseButton(element: HTMLElement): boolean {
    return element.classList.contains('close') && element.getRootNode() === this.renderRoot;
  }

  private tabbables(): HTMLElement[] {
    return this.dialog ? tabbableElements(this.dialog) : [];
  }

  /** Asks to close: fires the cancelable request, closes unless it was canceled, then says so. */
  private requestClose(source: DialogCloseSource): void {
    const request = new ApRequestCloseEvent(source);
    this.dispatchEvent(request);
    if (request.defaultPrevented) return;
    this.open = false;
    this.closeModal();
    this.dispatchEvent(new ApDialogCloseEvent(source));
  }

  private readonly onCancel = (event: Event) => {
    // The browser would close the dialog behind our back: route Escape through requestClose instead.
    event.preventDefault();
    this.requestClose('escape');
  };

  /** The browser closed the dialog itself (a second Escape without a click in between cannot be refused). */
  private readonly onClose = () => {
    if (!this.open) return;
    this.open = false;
    const opener = this.opener;
    this.opener = null;
    if (opener?.isConnected) opener.focus();
    this.dispatchEvent(new ApDialogCloseEvent('escape'));
  };

  /** Keeps Tab inside the dialog: past the last element it goes to the first, and back. */
  private readonly onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Tab' || event.altKey || event.ctrlKey || event.metaKey) return;
    const tabbables = this.tabbables();
    if (tabbables.length === 0) return;
    const active = deepActiveElement();
    const first = tabbables[0];
    const last = tabbables[tabbables.length - 1];
    const inside = this.dialog !== undefined && containsDeep(this.dialog, active);
    if (event.shiftKey ? active === first || !inside : active === last || !inside) {
      event.preventDefault();
      (event.shiftKey ? last : first).focus();
    }
  };

  override render() {
    const closeLabel = this.closeLabel || this.services?.i18n.t('dialog.close') || 'Close';
    return html`
      <dialog part="dialog" class="dialog" role=${this.alert ? 'alertdialog' : nothing} aria-modal="true"
        aria-labelledby="title" aria-describedby=${this.alert ? 'body' : nothing}
        @cancel=${this.onCancel} @close=${this.onClose} @keydown=${this.onKeyDown}>
        <header part="header" class="header">
          <h2 part="title" id="title" class="title">${this.label}</h2>
          <button part="close-button" class="close" type="button" aria-label=${closeLabel}
            @click=${() => this.requestClose('close-button')}>${closeIcon}</button>
        </header>
        <div part="body" id="body" class="body" tabindex=${this.scrollable ? 0 : nothing}
          role=${this.scrollable ? 'region' : nothing} aria-labelledby=${this.scrollable ? 'title' : nothing}>
          <div class="content"><slot></slot></div></div>
        <div part="footer" class="footer ${this.hasFooter ? '' : 'empty'}">
          <slot name="footer" @slotchange=${() => this.requestUpdate()}></slot></div>
      </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ap-dialog': ApDialog;
  }
}
