import { consume } from '@lit/context';
import { Task, TaskStatus, initialState } from '@lit/task';
import { html, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { portalContext, type PortalServices } from '../../context/portal-context';
import { ApiError, isAbort } from '../../internal/api-client';
import { isPlainClick } from '../../internal/plain-click';
import { PortalElement } from '../../internal/portal-element';
import { hasCode, isStateConflict } from '../../internal/problem-text';
import { formatRoute, type SubscriptionAction } from '../../internal/routes';
import { componentStyles } from '../../styles/component.styles';
import { dialogExportParts } from '../dialog/dialog-parts';
import { subscriptionProblem, type PortalSubscription } from '../subscriptions/subscription-format';
import { subscriptionSharedStyles } from '../subscriptions/subscription-shared.styles';
import { CancelFlow } from './cancel-flow';
import { ChangeFlow } from './change-flow';
import { dialogStyles } from './dialog-content.styles';
import type { DialogKind, Flow, FlowHost } from './flow';
import { PauseFlow } from './pause-flow';
import { quickActionNames, runQuickAction } from './quick-actions';
import { RenewFlow } from './renew-flow';
import { HostRequests } from './requests';
import {
  renderHeader,
  renderManage,
  renderNotices,
  renderPayment,
  renderPlan,
  type DetailView,
  type QuickAction,
} from './subscription-detail.render';
import { styles } from './subscription-detail.styles';

const backIcon = svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.8">
  <path d="M10 3L5 8l5 5"/></svg>`;

/**
 * One subscription in full — plan, state, quantity, price, period, the next payment
 * (with a scheduled change), the payment method or how a manual renewal is paid —
 * and what the customer may do with it now: change plan or quantity (with a quote
 * before anything is charged), cancel (with a short survey), resume, pause and
 * unpause, undo a scheduled change, renew now, update the payment method, and
 * confirm a payment their bank asks them to authenticate (3-D Secure). The
 * `action` attribute (from `#/subscriptions/{id}/change`, `/cancel`, `/pause`)
 * opens that dialog; closing it returns to the subscription.
 *
 * When a payment needs the bank's challenge (an upgrade, a renewal, an early
 * resume, or a renewal waiting for confirmation), the screen loads Stripe.js from
 * the URL the portal names — only then — and shows the bank's challenge above the
 * page; an open dialog steps aside meanwhile. The portal checks the payment with
 * the processor before anything changes.
 *
 * Before a dialog opens (from its button or a link such as `#/subscriptions/{id}/cancel`),
 * the cancelable `ap-request-change-plan`, `ap-request-cancel-subscription`,
 * `ap-request-pause-subscription` or `ap-request-renew-subscription` asks the host page:
 * a host that cancels it runs its own flow (a retention offer, say) and then calls the
 * event's `continue()` to open the dialog after all, or the portal's `refresh()`.
 *
 * @summary The subscription detail screen of `<account-portal>`, with its dialogs.
 *
 * @event {ApRequestChangePlanEvent} ap-request-change-plan - Cancelable. The customer asked to change plan or quantity; the dialog opens unless canceled.
 * @event {ApRequestCancelSubscriptionEvent} ap-request-cancel-subscription - Cancelable. The customer asked to cancel; the dialog opens unless canceled.
 * @event {ApRequestPauseSubscriptionEvent} ap-request-pause-subscription - Cancelable. The customer asked to pause; the dialog opens unless canceled.
 * @event {ApRequestRenewSubscriptionEvent} ap-request-renew-subscription - Cancelable. The customer asked to renew now; the dialog opens unless canceled.
 * @event {ApRequestUpdatePaymentMethodEvent} ap-request-update-payment-method - Cancelable. The customer asked to update the payment method; unless canceled the portal opens the Payment methods tab.
 * @event {ApSubscriptionChangedEvent} ap-subscription-changed - The plan or quantity changed, a downgrade was scheduled, a scheduled change undone, or a renewal payment the bank held was confirmed.
 * @event {ApSubscriptionCanceledEvent} ap-subscription-canceled - The customer canceled.
 * @event {ApSubscriptionPausedEvent} ap-subscription-paused - The customer paused the subscription.
 * @event {ApSubscriptionResumedEvent} ap-subscription-resumed - The customer took back a cancellation or ended a pause.
 * @event {ApSubscriptionRenewedEvent} ap-subscription-renewed - The customer paid the next period with "Renew now".
 *
 * @csspart base - The wrapper around the whole screen.
 * @csspart back-link - The link back to the list.
 * @csspart title - The plan's heading.
 * @csspart status - The state badge.
 * @csspart card - The cards (details, payment method, manage) and the notices.
 * @csspart notice - The notices (payment failed, a payment to confirm, ends on, paused, scheduled change, trial).
 * @csspart button - Every button, in the screen and in its dialogs.
 * @csspart feedback - The line announcing what just happened.
 * @csspart error - Problems, in the screen and in its dialogs.
 * @csspart dialog - The panel of each dialog (change, cancel, pause, renew).
 * @csspart dialog-header - A dialog's bar with its title and close button.
 * @csspart dialog-title - A dialog's title.
 * @csspart dialog-close-button - A dialog's close button.
 * @csspart dialog-body - The wrapper of a dialog's content.
 * @csspart dialog-footer - The wrapper of a dialog's buttons.
 *
 * @cssproperty --ap-subscription-section-gap - Space between the cards. Defaults to `--ap-space-m`.
 * @cssproperty --ap-subscription-muted-color - Labels and hints. Defaults to `--ap-color-muted`.
 * @cssproperty --ap-subscription-active-color - The "Active" badge. Defaults to `--ap-color-success`.
 * @cssproperty --ap-subscription-notice-color - Notices and the "Trial", "Paused" and "Ends on …" badges. Defaults to `--ap-color-primary`.
 * @cssproperty --ap-subscription-problem-color - Payment problems, expired cards, the cancel button. Defaults to `--ap-color-danger`.
 */
export class ApSubscriptionDetail extends PortalElement {
  static override styles = [componentStyles, subscriptionSharedStyles, styles, dialogStyles];

  @consume({ context: portalContext, subscribe: true }) private services!: PortalServices;

  /** The id of the subscription to show (`sub_…`). */
  @property({ attribute: 'subscription-id' }) subscriptionId = '';

  /** A dialog to open once the subscription is loaded: `change`, `cancel` or `pause` (empty for none). */
  @property() action: SubscriptionAction | '' = '';

  @state() private subscription: PortalSubscription | null = null;
  /** The dialog without a route (renew). */
  @state() private localDialog: 'renew' | null = null;
  /** The routed dialog closed here; the route catches up with the next navigation. */
  @state() private dismissed: string | null = null;
  @state() private announcement = '';
  @state() private problem: string | null = null;
  @state() private busy: QuickAction | null = null;
  /** The bank's challenge shows above the page: dialogs step aside (a modal one would make it unusable). */
  @state() private challenging = false;

  private shownDialog: DialogKind | null = null;
  private readonly requests = new HostRequests(
    this,
    () => this.subscription,
    (kind) => this.show(kind),
  );
  /** Focus the heading after the next render that shows the subscription (a quick action or a retry removed the focused button). */
  private focusTitle = false;
  private opener: HTMLElement | null = null;
  private focusAfterClose: DialogKind | null = null;

  private readonly host: FlowHost = this.flowHost();
  private readonly flows: Record<DialogKind, Flow> = {
    change: new ChangeFlow(this.host),
    cancel: new CancelFlow(this.host),
    pause: new PauseFlow(this.host),
    renew: new RenewFlow(this.host),
  };

  private readonly task = new Task(this, {
    task: ([api, id], { signal }) =>
      api && id ? api.get<PortalSubscription>(`/subscriptions/${encodeURIComponent(id)}`, signal) : initialState,
    args: () => [this.services?.api, this.subscriptionId, this.services?.revision] as const,
    onComplete: (subscription) => {
      this.subscription = subscription;
    },
    onError: (error) => {
      if (!isAbort(error)) this.services.reportError(error);
    },
  });

  /** The element as its flows see it. */
  private flowHost(): FlowHost {
    // The getters below are the object's own; they read the element through this name.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const element = this;
    return {
      addController: (controller) => element.addController(controller),
      removeController: (controller) => element.removeController(controller),
      requestUpdate: () => element.requestUpdate(),
      get updateComplete() {
        return element.updateComplete;
      },
      get services() {
        return element.services;
      },
      get subscription() {
        return element.subscription;
      },
      get renderRoot() {
        return element.renderRoot;
      },
      closeDialog: () => element.closeDialog(),
      finish: (subscription, message, event) => element.finish(subscription, message, event),
      reload: () => void element.task.run(),
      requestPaymentMethod: () => element.requestPaymentMethod(),
      hideForChallenge: () => element.hideForChallenge(),
      endChallenge: () => element.endChallenge(),
    };
  }

  /** Before the bank's challenge: an open dialog closes (not through its route) and the screen says what is going on. */
  private async hideForChallenge(): Promise<void> {
    this.challenging = true;
    this.announcement = this.services.i18n.t('subscriptions.confirmPayment.waiting');
    await this.updateComplete;
  }

  /** The challenge is over: a dialog still wanted shows again. */
  private endChallenge(): void {
    if (!this.challenging) return;
    this.challenging = false;
    if (this.announcement === this.services.i18n.t('subscriptions.confirmPayment.waiting')) this.announcement = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.task.status === TaskStatus.ERROR && isAbort(this.task.error)) void this.task.run();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.task.abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('subscriptionId') && changed.get('subscriptionId') !== undefined) {
      Object.assign(this, { subscription: null, announcement: '', problem: null, localDialog: null });
    }
    if (changed.has('action')) this.dismissed = null;
    let next = this.openDialog;
    if (next === this.shownDialog) return;
    // A dialog asked for by a link (`…/cancel`) asks the host page first, as the button does.
    if (next && next !== this.requests.approved && !this.requests.askToOpen(next)) {
      this.decline(next);
      next = null;
      if (!this.shownDialog) return;
    }
    if (this.shownDialog) {
      this.flows[this.shownDialog].stop();
      this.focusAfterClose = this.shownDialog;
    }
    if (next && this.subscription) this.flows[next].start(this.subscription);
    // Each opening is asked for anew.
    this.requests.approved = next;
    this.shownDialog = next;
  }

  protected override updated(): void {
    const title = this.focusTitle ? this.renderRoot.querySelector<HTMLElement>('#title') : null;
    if (title) {
      this.focusTitle = false;
      title.focus();
    }
    const closed = this.focusAfterClose;
    if (closed && !this.shownDialog) {
      this.focusAfterClose = null;
      void this.restoreFocus(closed);
    }
  }

  /** The dialog to show: the route's (when it is open to the customer), or the local one. */
  private get openDialog(): DialogKind | null {
    const sub = this.subscription;
    if (!sub) return null;
    if (this.localDialog) return this.localDialog;
    return this.action && this.action !== this.dismissed && sub.actions[this.action] ? this.action : null;
  }

  /** Focus goes back to the button that opened the dialog, else to that kind of button, else to the heading. */
  private async restoreFocus(kind: DialogKind): Promise<void> {
    await this.renderRoot.querySelector<HTMLElement & { updateComplete?: Promise<unknown> }>(`#dialog-${kind}`)
      ?.updateComplete;
    const candidates = [
      this.opener,
      this.renderRoot.querySelector<HTMLElement>(`[data-opens="${kind}"]`),
      this.renderRoot.querySelector<HTMLElement>('#title'),
    ];
    this.opener = null;
    candidates.find((element) => element?.isConnected)?.focus();
  }

  private open(kind: DialogKind, event: Event): void {
    this.opener = event.currentTarget as HTMLElement;
    this.announcement = '';
    this.problem = null;
    if (this.requests.askToOpen(kind)) this.show(kind);
  }

  /** Opens a dialog the host page let open. */
  private show(kind: DialogKind): void {
    this.requests.approved = kind;
    if (kind === 'renew') {
      this.localDialog = 'renew';
    } else {
      this.dismissed = null;
      this.services.navigate({ name: 'subscription', id: this.subscriptionId, action: kind });
    }
  }

  /** The host page took over a dialog a link opened: the screen shows the subscription without it. */
  private decline(kind: DialogKind): void {
    this.dismissed = kind;
    if (kind !== 'renew') this.services.navigate({ name: 'subscription', id: this.subscriptionId });
  }

  private closeDialog(): void {
    // A dialog also reports closing when the screen is taken down: that must not navigate anywhere.
    if (!this.isConnected) return;
    const kind = this.shownDialog;
    if (kind === 'renew' || this.localDialog) this.localDialog = null;
    else if (kind) {
      this.dismissed = kind;
      this.services.navigate({ name: 'subscription', id: this.subscriptionId });
    }
  }

  private finish(subscription: PortalSubscription, message: string, event?: Event): void {
    this.subscription = subscription;
    this.announcement = message;
    this.closeDialog();
    this.challenging = false;
    if (event) this.dispatchEvent(event);
  }

  private requestPaymentMethod(): void {
    const toPaymentMethods = () => {
      this.localDialog = null;
      this.services.navigate({ name: 'payment-methods' });
    };
    if (this.requests.askForPaymentMethod(this.subscriptionId, toPaymentMethods)) toPaymentMethods();
    else this.closeDialog();
  }

  /**
   * Resume, unpause, undo a scheduled change, or confirm a payment with the bank: no
   * dialog (ending a pause early, and confirming, may show the bank's challenge).
   */
  private async act(action: QuickAction): Promise<void> {
    const { i18n } = this.services;
    if (!this.subscription) return;
    this.busy = action;
    this.problem = null;
    this.announcement = '';
    try {
      const done = await runQuickAction(this.services, this.host, this.subscription, action);
      this.subscription = done.subscription;
      this.announcement = done.message;
      // The notice with the button is gone: focus goes to the heading, and the announcement says what happened.
      this.focusTitle = true;
      this.dispatchEvent(done.event);
    } catch (error) {
      this.problem = subscriptionProblem(error, i18n);
      this.services.reportError(error, quickActionNames[action]);
      // A failed challenge leaves a renewal waiting: the screen shows it as it is now.
      if (isStateConflict(error) || hasCode(error, 'payment_declined', 'payment_action_required')) void this.task.run();
    } finally {
      this.endChallenge();
      this.busy = null;
    }
  }

  /** Loads the subscription again; focus waits on the back link and moves to the heading once it is shown. */
  private retry(): void {
    void this.task.run();
    this.focusTitle = true;
    this.renderRoot.querySelector<HTMLElement>('.back')?.focus();
  }

  private back(event: MouseEvent): void {
    if (!isPlainClick(event)) return;
    event.preventDefault();
    this.services.navigate({ name: 'subscriptions' });
  }

  private renderSkeleton(): TemplateResult {
    return html`
      <div class="head" aria-hidden="true">
        <span class="skeleton skeleton-title"></span>
        <span class="skeleton skeleton-line w-long"></span>
      </div>
      <div class="card" part="card" aria-hidden="true">
        ${[0, 1, 2, 3].map(() => html`<span class="skeleton skeleton-line"></span>`)}
      </div>
      <p class="visually-hidden" role="status">${this.services.i18n.t('subscriptions.loadingOne')}</p>`;
  }

  private renderProblem(error: unknown): TemplateResult {
    const { i18n } = this.services;
    const missing = error instanceof ApiError && error.status === 404;
    return html`
      <div class="card problem" part="card" role="alert">
        <p>${missing ? i18n.t('subscriptions.notFound') : subscriptionProblem(error, i18n)}</p>
        ${
          missing
            ? html`<p class="muted">${i18n.t('subscriptions.notFoundHint')}</p>`
            : html`<button class="button" part="button" type="button" @click=${() => this.retry()}>${i18n.t('portal.retry')}</button>`
        }
      </div>`;
  }

  /**
   * One dialog; its close requests are this element's business, so they go no further. Busy, it stays open.
   * While the bank's challenge shows, it is closed (not through its route) and its content kept.
   */
  private renderDialog(kind: DialogKind, sub: PortalSubscription): TemplateResult {
    const flow = this.flows[kind];
    const open = this.shownDialog === kind;
    return html`
      <ap-dialog id="dialog-${kind}" exportparts=${dialogExportParts} label=${flow.label()} .open=${open && !this.challenging}
        @ap-request-close=${(e: Event) => {
          e.stopPropagation();
          if (flow.busy) e.preventDefault();
        }}
        @ap-dialog-close=${(e: Event) => {
          e.stopPropagation();
          this.closeDialog();
        }}>
        ${open ? flow.renderBody(sub) : nothing}
        <div slot="footer" class="dialog-actions">${open ? flow.renderFooter(sub) : nothing}</div>
      </ap-dialog>`;
  }

  private renderSubscription(sub: PortalSubscription): TemplateResult {
    const { i18n } = this.services;
    const view: DetailView = {
      i18n,
      sub,
      busy: this.busy,
      open: (kind, event) => this.open(kind, event),
      act: (action) => void this.act(action),
      requestPaymentMethod: () => this.requestPaymentMethod(),
      canChangeMethod: this.services.session.may('payment-methods:write'),
    };
    const unavailable = this.action && this.action !== this.dismissed && !sub.actions[this.action];
    return html`
      ${renderHeader(view)}
      ${unavailable ? html`<p class="notice" part="card notice">${i18n.t('subscriptions.unavailable')}</p>` : nothing}
      ${renderNotices(view)}
      <div class="problem-line" part="error" role="alert">${this.problem ? html`<p>${this.problem}</p>` : nothing}</div>
      <div class="cards">
        ${renderPlan(view)}
        ${renderPayment(view)}
      </div>
      ${renderManage(view)}
      ${(['change', 'cancel', 'pause', 'renew'] as const).map((kind) => this.renderDialog(kind, sub))}`;
  }

  private renderBody(): TemplateResult {
    if (this.subscription) return this.renderSubscription(this.subscription);
    if (this.task.status === TaskStatus.ERROR && !isAbort(this.task.error)) return this.renderProblem(this.task.error);
    return this.renderSkeleton();
  }

  override render() {
    if (!this.services) return nothing;
    const { i18n } = this.services;
    return html`
      <div part="base" class="base" aria-busy=${this.subscription ? 'false' : 'true'}>
        <a part="back-link" class="back" href="#${formatRoute({ name: 'subscriptions' })}" @click=${this.back}
          >${backIcon}<span>${i18n.t('subscriptions.allSubscriptions')}</span></a>
        <p class="feedback ${this.announcement ? 'shown' : ''}" part="feedback" role="status">${this.announcement}</p>
        ${this.renderBody()}
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ap-subscription-detail': ApSubscriptionDetail;
  }
}
