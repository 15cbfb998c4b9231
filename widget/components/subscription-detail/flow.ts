import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { PortalServices } from '../../context/portal-context';
import type { PortalAction } from '../../events/error';
import { isAbort } from '../../internal/api-client';
import { isStateConflict } from '../../internal/problem-text';
import type { PortalSubscription } from '../../internal/types';
import { deepActiveElement } from '../dialog/focus';
import { subscriptionProblem } from '../subscriptions/subscription-format';
import type { ChallengeHost } from './payment-action';

/** The dialogs of the subscription screen. The first three have routes (`…/{id}/change`). */
export type DialogKind = 'change' | 'cancel' | 'pause' | 'renew';

/** What a dialog's flow needs from `<ap-subscription-detail>`. */
export interface FlowHost extends ReactiveControllerHost, ChallengeHost {
  readonly services: PortalServices;
  /** The subscription as last loaded or changed. */
  readonly subscription: PortalSubscription | null;
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** Closes the flow's dialog without a change (and returns to the subscription's route). */
  closeDialog(): void;
  /** The flow changed the subscription: show it, announce `message`, fire `event`, close the dialog. */
  finish(subscription: PortalSubscription, message: string, event?: Event): void;
  /** Loads the subscription again (it changed elsewhere). */
  reload(): void;
  /** Asks for a new payment method (`ap-request-update-payment-method`, else the Payment methods tab). */
  requestPaymentMethod(): void;
  /** The bank's challenge is over and the payment did not go through: the dialog shows again, with the problem. */
  endChallenge(): void;
}

/**
 * One dialog's state and steps, as a controller of `<ap-subscription-detail>`: the
 * element owns the `<ap-dialog>`, the flow fills it. Requests run through
 * `attempt`, which keeps the flow busy meanwhile (the dialog refuses to close then)
 * and turns a failure into plain words shown in the dialog's alert.
 */
export abstract class Flow implements ReactiveController {
  busy = false;
  problem: string | null = null;
  private focusId: string | null = null;
  protected aborter: AbortController | null = null;

  constructor(protected readonly host: FlowHost) {
    host.addController(this);
  }

  /** What the customer is doing in the dialog, as `ap-error` names it when a request fails. */
  abstract readonly action: PortalAction;
  /** The dialog's title. */
  abstract label(): string;
  /** Starts afresh for `subscription` (each time the dialog opens). */
  abstract start(subscription: PortalSubscription): void;
  abstract renderBody(subscription: PortalSubscription): TemplateResult;
  abstract renderFooter(subscription: PortalSubscription): TemplateResult;

  hostUpdated(): void {
    if (!this.focusId) return;
    const id = this.focusId;
    this.focusId = null;
    this.host.renderRoot.querySelector<HTMLElement>(`#${id}`)?.focus();
  }

  hostDisconnected(): void {
    this.stop();
  }

  /** Abandons whatever the flow was loading (the dialog closed). */
  stop(): void {
    this.aborter?.abort();
    this.aborter = null;
    this.busy = false;
  }

  protected get i18n() {
    return this.host.services.i18n;
  }

  protected get api() {
    return this.host.services.api;
  }

  protected update(): void {
    this.host.requestUpdate();
  }

  /** Moves focus to the element with `id` once the next render is done (a new step's first element). */
  protected focusAfterUpdate(id: string): void {
    this.focusId = id;
    this.update();
  }

  /** Whether focus is on the element with `id` (say the loading line the dialog focused on opening). */
  protected hasFocus(id: string): boolean {
    return deepActiveElement()?.id === id;
  }

  /** A loading line that takes the focus when the dialog opens, until what it waits for arrives. */
  protected renderLoading(id: string, text: string): TemplateResult {
    return html`<p id=${id} class="loading-line" tabindex="-1" autofocus>${text}</p>`;
  }

  /** A fresh signal for the flow's loads; starting again aborts the last ones. */
  protected signal(): AbortSignal {
    this.aborter?.abort();
    this.aborter = new AbortController();
    return this.aborter.signal;
  }

  /**
   * Runs a request while busy (unless `busy` is false: a refresh of figures the
   * customer may act on meanwhile). On failure `handle` may deal with the error
   * (return true); otherwise the problem is shown in plain words. Resolves
   * `undefined` on failure.
   */
  protected async attempt<T>(
    request: () => Promise<T>,
    handle?: (error: unknown) => boolean,
    { busy = true }: { busy?: boolean } = {},
  ): Promise<T | undefined> {
    if (busy) this.busy = true;
    this.problem = null;
    this.update();
    try {
      return await request();
    } catch (error) {
      if (isAbort(error)) return undefined;
      this.host.services.reportError(error, this.action);
      if (!handle?.(error)) this.problem = subscriptionProblem(error, this.i18n);
      if (isStateConflict(error)) this.host.reload();
      return undefined;
    } finally {
      if (busy) this.busy = false;
      this.update();
    }
  }

  /** The dialog's alert: always in the page, so that screen readers announce what appears in it. */
  protected renderProblem(id: string, extra: TemplateResult | typeof nothing = nothing): TemplateResult {
    return html`<div id=${id} class="dialog-problem" part="error" role="alert">${
      this.problem ? html`<p>${this.problem}</p>${extra}` : nothing
    }</div>`;
  }

  /** A footer button that stays focusable while busy (aria-disabled), so focus is never lost. */
  protected button(
    label: string,
    onClick: () => void,
    options: { primary?: boolean; danger?: boolean; form?: string; id?: string } = {},
  ) {
    const kind = options.danger ? 'button danger' : options.primary ? 'button' : 'button secondary';
    const busy = this.busy && (options.primary || options.danger);
    return html`<button id=${options.id ?? nothing} class=${kind} part="button" type=${options.form ? 'submit' : 'button'} form=${options.form ?? nothing}
      aria-disabled=${this.busy ? 'true' : 'false'}
      @click=${(event: Event) => {
        if (this.busy) event.preventDefault();
        else if (!options.form) onClick();
      }}>${busy ? this.i18n.t('subscriptions.working') : label}</button>`;
  }
}
