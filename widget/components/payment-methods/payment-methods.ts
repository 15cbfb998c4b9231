import { consume } from '@lit/context';
import { Task, TaskStatus, initialState } from '@lit/task';
import { html, nothing, type TemplateResult } from 'lit';
import { query, state } from 'lit/decorators.js';
import { portalContext, type PortalServices } from '../../context/portal-context';
import type { PortalAction } from '../../events/error';
import { ApPaymentMethodUpdatedEvent } from '../../events/payment-method-updated';
import { askHost } from '../../events/request';
import { ApRequestRemovePaymentMethodEvent } from '../../events/request-remove-payment-method';
import { ApiError, isAbort } from '../../internal/api-client';
import type { MessageKey } from '../../internal/localizer';
import { PortalElement } from '../../internal/portal-element';
import { hasCode, problemText } from '../../internal/problem-text';
import type { PortalPaymentMethod, PortalSubscription } from '../../internal/types';
import { componentStyles } from '../../styles/component.styles';
import { forwardDialogParts } from '../dialog/dialog-parts';
import { retryCard } from '../shared/list-states';
import type { ApPaymentMethodSetup, PaymentMethodSetupOptions } from '../payment-method-setup/payment-method-setup';
import { cardName, changeProblem, isLive, nameList } from './payment-method-format';
import {
  renderEmpty,
  renderMethod,
  renderRemoveDialog,
  renderSkeleton,
  renderSubscriptions,
  type MethodsView,
  type RemovalView,
} from './payment-methods.render';
import { styles } from './payment-methods.styles';

interface MethodList {
  data: PortalPaymentMethod[];
}

/** A removal waiting for the customer's confirmation, and how the last attempt went. */
interface Removal {
  method: PortalPaymentMethod;
  problem: string;
  blocked: boolean;
}

/**
 * The Payment methods tab: the customer's saved cards (brand, last four digits,
 * expiry, with "Default", "Expired" and "Expires soon" badges and the
 * subscriptions each pays for), with actions to make one the default, replace an
 * expiring one and remove one (after a confirmation that says what happens to its
 * subscriptions), a way to add a card, and for every subscription a choice of the
 * card it is charged with. Adding a card goes through `<ap-payment-method-setup>`:
 * a host page that runs its own processor cancels `ap-request-update-payment-method`.
 *
 * @summary Saved payment methods and the card each subscription uses.
 *
 * @event {ApPaymentMethodUpdatedEvent} ap-payment-method-updated - The customer added, removed or chose a card (as default or for a subscription).
 * @event {ApRequestUpdatePaymentMethodEvent} ap-request-update-payment-method - Cancelable. The customer asked to add or replace a card; unless canceled the gateway's card form opens.
 * @event {ApRequestRemovePaymentMethodEvent} ap-request-remove-payment-method - Cancelable. The customer asked to remove a card; unless canceled the confirmation opens.
 *
 * @csspart base - The wrapper around everything.
 * @csspart title - The "Payment methods" heading.
 * @csspart card - The cards holding the list, the subscriptions and the empty and error states.
 * @csspart method - Each saved method's row.
 * @csspart brand - The brand's mark.
 * @csspart badge - The "Default", "Expired" and "Expires soon" badges.
 * @csspart subscription - Each subscription's row.
 * @csspart label - A subscription's name above its select.
 * @csspart input - The select of saved cards.
 * @csspart button - The buttons.
 * @csspart status - The confirmation or problem after an action.
 * @csspart dialog - The panels of the remove and add dialogs.
 * @csspart dialog-header - A dialog's bar with its title and close button.
 * @csspart dialog-title - A dialog's title.
 * @csspart dialog-close-button - A dialog's close button.
 * @csspart dialog-body - The wrapper of a dialog's content.
 * @csspart dialog-footer - The wrapper of a dialog's buttons.
 * @csspart frame - The iframe with the payment gateway's card form.
 *
 * @cssproperty --ap-payment-methods-gap - Space between the sections. Defaults to `--ap-space-m`.
 * @cssproperty --ap-payment-methods-row-padding - Padding of each method's row. Defaults to `var(--ap-space-m) var(--ap-space-l)`.
 * @cssproperty --ap-payment-methods-muted-color - Secondary text. Defaults to `--ap-color-muted`.
 * @cssproperty --ap-payment-methods-default-color - The "Default" badge. Defaults to `--ap-color-primary`.
 * @cssproperty --ap-payment-methods-warning-color - The "Expires soon" badge. Defaults to an amber that keeps a 4.5:1 contrast.
 * @cssproperty --ap-payment-methods-danger-color - The "Expired" badge and the remove button. Defaults to `--ap-color-danger`.
 */
export class ApPaymentMethods extends PortalElement {
  static override styles = [componentStyles, styles];

  @consume({ context: portalContext, subscribe: true }) private services?: PortalServices;

  @state() private methods: PortalPaymentMethod[] | null = null;
  @state() private subscriptions: PortalSubscription[] = [];
  @state() private busy: string | null = null;
  @state() private removal: Removal | null = null;
  @state() private notice: { kind: 'success' | 'problem'; text: string } | null = null;

  @query('ap-payment-method-setup') private setup?: ApPaymentMethodSetup;

  /** Where focus goes after the next render (a selector in the shadow root). */
  private focusNext: string | null = null;

  private readonly methodsTask = new Task(this, {
    task: async ([api], { signal }) =>
      api ? (await api.get<MethodList>('/payment-methods', signal)).data : initialState,
    args: () => [this.services?.api, this.services?.revision] as const,
    onComplete: (methods) => {
      this.methods = methods;
    },
    onError: (error) => this.report(error),
  });

  private readonly subscriptionsTask = new Task(this, {
    task: async ([api], { signal }) =>
      api ? (await api.get<{ data: PortalSubscription[] }>('/subscriptions?limit=100', signal)).data : initialState,
    args: () => [this.services?.api, this.services?.revision] as const,
    onComplete: (subscriptions) => {
      this.subscriptions = subscriptions.filter(isLive);
    },
    onError: (error) => this.report(error),
  });

  override connectedCallback(): void {
    super.connectedCallback();
    // Moved within the page while loading: the abort on disconnect left the task failed.
    if (this.methodsTask.status === TaskStatus.ERROR && isAbort(this.methodsTask.error)) void this.methodsTask.run();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.methodsTask.abort();
    this.subscriptionsTask.abort();
  }

  protected override updated(): void {
    if (!this.focusNext) return;
    const target = this.renderRoot.querySelector<HTMLElement>(this.focusNext);
    this.focusNext = null;
    target?.focus();
  }

  private report(error: unknown, action?: PortalAction): void {
    if (!isAbort(error)) this.services?.reportError(error, action);
  }

  private t(key: MessageKey, options?: Record<string, unknown>): string {
    return this.services!.i18n.t(key, options);
  }

  /** Shows the methods after a change, says what happened, and (unless a part already did) fires `ap-payment-method-updated`. */
  private changed(methods: PortalPaymentMethod[], message: string, focus: string | null, fire = true): void {
    this.methods = methods;
    this.notice = { kind: 'success', text: message };
    this.focusNext = focus;
    if (fire) this.dispatchEvent(new ApPaymentMethodUpdatedEvent(methods));
  }

  private failed(error: unknown, action: PortalAction): void {
    this.notice = { kind: 'problem', text: changeProblem(error, this.services!.i18n) };
    this.report(error, action);
    // A method that is gone: show the list as it is now.
    if (error instanceof ApiError && error.status === 404) void this.methodsTask.run();
  }

  /**
   * Adds a card (through the gateway's dialog, unless the host page takes over),
   * optionally for one subscription. A host that canceled `ap-request-update-payment-method`
   * and then continues it comes back here, with the same card to replace.
   */
  private async add(options: PaymentMethodSetupOptions = {}, replacing?: PortalPaymentMethod): Promise<void> {
    if (!this.setup || this.setup.active || this.busy) return;
    if (this.removal) {
      this.removal = null;
      await this.updateComplete;
    }
    this.notice = null;
    const resume = () => {
      if (!this.isConnected || !this.setup || this.setup.active || this.busy) return false;
      void this.add({ ...options, asked: true }, replacing);
      return true;
    };
    const result = await this.setup.start(options, resume);
    if (result.outcome !== 'saved') return;
    await this.setup.updateComplete;
    const card = cardName(result.method, this.services!.i18n);
    // The setup part has fired ap-payment-method-updated already.
    this.changed(
      result.paymentMethods,
      this.t('paymentMethods.done.added', { card }),
      `#name-${result.method.id}`,
      false,
    );
    void this.subscriptionsTask.run();
    if (replacing) await this.removeReplaced(replacing, card);
  }

  /** After a replacement took over its subscriptions (and default), the old card goes. */
  private async removeReplaced(old: PortalPaymentMethod, card: string): Promise<void> {
    try {
      const { data } = await this.services!.api.send<MethodList>('DELETE', `/payment-methods/${old.id}`);
      this.changed(
        data,
        this.t('paymentMethods.done.replaced', { card, old: cardName(old, this.services!.i18n) }),
        null,
      );
    } catch (error) {
      this.failed(error, 'remove-payment-method');
    }
  }

  private replace(method: PortalPaymentMethod): void {
    void this.add(
      {
        subscriptionIds: method.subscriptions.map((s) => s.id),
        makeDefault: method.isDefault,
        title: this.t('paymentMethods.setup.replaceTitle', { card: cardName(method, this.services!.i18n) }),
      },
      method,
    );
  }

  private async makeDefault(method: PortalPaymentMethod): Promise<void> {
    if (this.busy) return;
    this.busy = `default:${method.id}`;
    this.notice = null;
    try {
      const { data } = await this.services!.api.send<MethodList>('PUT', `/payment-methods/${method.id}/default`);
      this.changed(
        data,
        this.t('paymentMethods.done.default', { card: cardName(method, this.services!.i18n) }),
        `#name-${method.id}`,
      );
    } catch (error) {
      this.failed(error, 'set-default-payment-method');
    } finally {
      this.busy = null;
    }
  }

  private async confirmRemove(): Promise<void> {
    const removal = this.removal;
    if (!removal || this.busy) return;
    const { method } = removal;
    this.busy = `remove:${method.id}`;
    try {
      const { data } = await this.services!.api.send<MethodList>('DELETE', `/payment-methods/${method.id}`);
      this.removal = null;
      this.changed(
        data,
        this.t('paymentMethods.done.removed', { card: cardName(method, this.services!.i18n) }),
        '#title',
      );
      void this.subscriptionsTask.run();
    } catch (error) {
      this.removal = { ...removal, ...this.removalProblem(method, error) };
    } finally {
      this.busy = null;
    }
  }

  /** Why a removal failed, in plain words; the 409 for the only card an automatic renewal needs names those subscriptions. */
  private removalProblem(method: PortalPaymentMethod, error: unknown): Pick<Removal, 'problem' | 'blocked'> {
    if (hasCode(error, 'payment_method_in_use')) {
      const details = error.details as { subscriptions?: { productName: string }[] } | undefined;
      const names = details?.subscriptions?.map((s) => s.productName) ?? method.subscriptions.map((s) => s.productName);
      const i18n = this.services!.i18n;
      return {
        blocked: true,
        problem: i18n.t('paymentMethods.removeDialog.inUse', {
          card: cardName(method, i18n),
          names: nameList(names, i18n),
          count: names.length,
        }),
      };
    }
    this.report(error, 'remove-payment-method');
    return { blocked: false, problem: changeProblem(error, this.services!.i18n) };
  }

  private async choose(
    subscription: PortalSubscription,
    paymentMethodId: string,
    select: HTMLSelectElement,
  ): Promise<void> {
    if (this.busy || !paymentMethodId || paymentMethodId === subscription.paymentMethod?.id) {
      this.requestUpdate();
      return;
    }
    const i18n = this.services!.i18n;
    const method = this.methods?.find((m) => m.id === paymentMethodId);
    const wasManual = subscription.renewal === 'manual' || !subscription.autoRenew;
    this.busy = `subscription:${subscription.id}`;
    this.notice = null;
    try {
      const updated = await this.services!.api.send<PortalSubscription>(
        'PUT',
        `/subscriptions/${subscription.id}/payment-method`,
        { paymentMethodId },
      );
      this.subscriptions = this.subscriptions.map((s) => (s.id === updated.id ? updated : s));
      const { data } = await this.services!.api.get<MethodList>('/payment-methods');
      const card = method ? cardName(method, i18n) : '';
      const key = wasManual ? 'paymentMethods.done.subscriptionAutomatic' : 'paymentMethods.done.subscription';
      this.changed(data, i18n.t(key, { name: subscription.product.name, card }), null);
    } catch (error) {
      this.failed(error, 'choose-payment-method');
      // The select shows what the subscription really uses again.
      this.requestUpdate();
    } finally {
      this.busy = null;
      if (select.isConnected) select.focus();
    }
  }

  private get view(): MethodsView {
    return {
      i18n: this.services!.i18n,
      busy: this.busy,
      canChange: this.services!.session.may('payment-methods:write'),
      onAdd: (opener) =>
        void this.add(
          opener?.subscription
            ? {
                subscriptionId: opener.subscription.id,
                title: this.t('paymentMethods.subscriptions.newCardFor', { name: opener.subscription.product.name }),
              }
            : {},
        ),
      onMakeDefault: (method) => void this.makeDefault(method),
      onReplace: (method) => {
        if (!this.busy) this.replace(method);
      },
      onRemove: (method) => {
        if (!this.busy && this.askToRemove(method)) this.confirmRemoval(method);
      },
      onChoose: (subscription, id, select) => void this.choose(subscription, id, select),
    };
  }

  /**
   * Fires `ap-request-remove-payment-method`; true when the widget goes ahead now. A
   * host that canceled it may `continue()` later: the confirmation then opens, as
   * long as the card is still there and the screen is idle.
   */
  private askToRemove(method: PortalPaymentMethod): boolean {
    const resume = () => {
      const now = this.methods?.find((m) => m.id === method.id);
      if (!this.isConnected || !now || this.busy || this.setup?.active) return false;
      this.confirmRemoval(now);
      return true;
    };
    return askHost(this, new ApRequestRemovePaymentMethodEvent(method, resume));
  }

  /** Opens the removal's confirmation. */
  private confirmRemoval(method: PortalPaymentMethod): void {
    this.notice = null;
    this.removal = { method, problem: '', blocked: false };
  }

  private get removalView(): RemovalView | null {
    const removal = this.removal;
    if (!removal) return null;
    return {
      ...removal,
      // The server says which card takes over; the widget does not apply its rule itself.
      successor: this.methods?.find((m) => m.id === removal.method.successorId) ?? null,
      onConfirm: () => void this.confirmRemove(),
      onKeep: () => {
        this.removal = null;
      },
    };
  }

  private renderList(view: MethodsView): TemplateResult {
    const { i18n } = view;
    const task = this.methodsTask;
    if (task.status === TaskStatus.ERROR && !isAbort(task.error) && this.methods === null) {
      return retryCard(problemText(task.error, i18n), () => void task.run(), i18n, '#title');
    }
    if (this.methods === null) {
      return html`
        <p class="visually-hidden" role="status">${i18n.t('paymentMethods.loading')}</p>
        <ul class="card list" part="card" aria-busy="true">${renderSkeleton()}</ul>`;
    }
    if (this.methods.length === 0) return renderEmpty(view);
    return html`
      <ul class="card list" part="card" aria-label=${i18n.t('paymentMethods.listLabel')}>
        ${this.methods.map((method) => renderMethod(view, method))}
      </ul>`;
  }

  override render() {
    if (!this.services) return nothing;
    const view = this.view;
    const notice = this.notice;
    const hasMethods = (this.methods?.length ?? 0) > 0;
    return html`
      <div part="base" class="base">
        <div class="head">
          <div>
            <h2 id="title" part="title" class="title" tabindex="-1">${this.t('paymentMethods.title')}</h2>
            <p class="muted intro">${this.t('paymentMethods.intro')}</p>
          </div>
          ${
            hasMethods && view.canChange
              ? html`<button class="button add" part="button" type="button" @click=${() => view.onAdd()}
            >${this.t('paymentMethods.add')}</button>`
              : nothing
          }
        </div>
        <p part="status" class="notice success" role="status">${notice?.kind === 'success' ? notice.text : ''}</p>
        <p part="status" class="notice problem" role="alert">${notice?.kind === 'problem' ? notice.text : ''}</p>
        ${this.renderList(view)}
        ${this.methods !== null ? renderSubscriptions(view, this.subscriptions, this.methods) : nothing}
      </div>
      ${renderRemoveDialog(view, this.removalView)}
      <ap-payment-method-setup exportparts="${forwardDialogParts}, frame"></ap-payment-method-setup>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ap-payment-methods': ApPaymentMethods;
  }
}
