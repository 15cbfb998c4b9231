import { html, nothing, type TemplateResult } from 'lit';
import {
  methodLabel,
  type ChargeSummary,
  type PortalPaymentMethod,
  type PortalSubscription,
} from '../subscriptions/subscription-format';
import { ApSubscriptionRenewedEvent } from '../../events/subscription-renewed';
import { Flow } from './flow';
import { completePaymentAction, needsPaymentAction, type PaymentActionRequired } from './payment-action';

/** `POST …/renew`: the renewed subscription and the charge. */
interface RenewResult {
  subscription: PortalSubscription;
  charge: ChargeSummary;
}

/** What a manual renewal costs: the next payment as the server states it, else the price per period. */
const renewalAmount = (sub: PortalSubscription) => sub.nextCharge?.amount ?? sub.recurring.total;

/**
 * The "Renew now" dialog of a manual-renewal subscription: choose one of the saved
 * payment methods and pay the next period now (`ap-subscription-renewed` then fires).
 */
export class RenewFlow extends Flow {
  readonly action = 'renew-subscription' as const;
  methods: PortalPaymentMethod[] | null = null;
  methodId = '';

  label(): string {
    return this.i18n.t('subscriptions.renew.title');
  }

  start(): void {
    this.methods = null;
    this.methodId = '';
    this.problem = null;
    void this.load();
  }

  private async load(): Promise<void> {
    const signal = this.signal();
    const page = await this.attempt(() => this.api.get<{ data: PortalPaymentMethod[] }>('/payment-methods', signal));
    if (!page) return;
    const waiting = this.hasFocus('renew-loading');
    this.methods = page.data;
    const usable = page.data.filter((m) => !m.expired);
    this.methodId = (usable.find((m) => m.isDefault) ?? usable[0])?.id ?? '';
    if (waiting) this.focusAfterUpdate(this.methodId ? `renew-method-${this.methodId}` : 'renew-add');
    else this.update();
  }

  private async submit(sub: PortalSubscription): Promise<void> {
    if (!this.methodId) return;
    const result = await this.attempt(() => this.pay(sub, this.methodId));
    if (!result) {
      this.host.endChallenge();
      return;
    }
    const { i18n } = this;
    const renewed = result.subscription;
    this.host.finish(
      renewed,
      i18n.t('subscriptions.renew.done', {
        amount: i18n.money(result.charge?.total ?? renewalAmount(sub), sub.currency),
        date: i18n.date(renewed.currentPeriodEnd),
      }),
      new ApSubscriptionRenewedEvent(renewed, result.charge ?? null),
    );
  }

  /** Pays with the method; when the customer's bank asks them to confirm (3-D Secure), through its challenge. */
  private async pay(sub: PortalSubscription, paymentMethodId: string): Promise<RenewResult> {
    const answer = await this.api.send<RenewResult | PaymentActionRequired>(
      'POST',
      `/subscriptions/${encodeURIComponent(sub.id)}/renew`,
      { paymentMethodId },
    );
    if (!needsPaymentAction(answer)) return answer;
    const paid = await completePaymentAction(this.api, sub.id, answer.paymentAction, this.host);
    return { subscription: paid.subscription, charge: paid.charge };
  }

  private renderMethods(): TemplateResult {
    const { i18n } = this;
    const methods = this.methods;
    if (!methods) {
      return html`${this.renderLoading('renew-loading', i18n.t('subscriptions.renew.loading'))}
        <div class="options" aria-hidden="true"><div class="option"><span class="skeleton w-long">\u00a0</span></div></div>`;
    }
    if (methods.length === 0) {
      return html`<p>${i18n.t('subscriptions.renew.noMethods')}</p>
        <button id="renew-add" class="button secondary" part="button" type="button"
          @click=${() => this.host.requestPaymentMethod()}>${i18n.t('subscriptions.addPaymentMethod')}</button>`;
    }
    return html`
      <fieldset class="group">
        <legend>${i18n.t('subscriptions.renew.method')}</legend>
        <div class="options">${methods.map(
          (method) => html`
          <label class="option ${method.id === this.methodId ? 'checked' : ''} ${method.expired ? 'unavailable' : ''}">
            <input id="renew-method-${method.id}" type="radio" name="renew-method" value=${method.id} .checked=${method.id === this.methodId}
              ?disabled=${method.expired} ?autofocus=${method.id === this.methodId}
              @change=${() => {
                this.methodId = method.id;
                this.problem = null;
                this.update();
              }}>
            <span class="option-text">
              <span class="option-name">${methodLabel(method, i18n)}</span>
              <span class="option-hint">${
                method.expired
                  ? i18n.t('subscriptions.expired')
                  : method.expMonth && method.expYear
                    ? i18n.t('subscriptions.expires', {
                        month: String(method.expMonth).padStart(2, '0'),
                        year: method.expYear,
                      })
                    : ''
              }</span>
            </span>
          </label>`,
        )}</div>
      </fieldset>
      <button class="button link" type="button" @click=${() => this.host.requestPaymentMethod()}>
        ${i18n.t('subscriptions.addPaymentMethod')}</button>`;
  }

  renderBody(sub: PortalSubscription): TemplateResult {
    const { i18n } = this;
    return html`
      <form id="renew-form" class="flow" novalidate aria-busy=${this.methods ? 'false' : 'true'}
        @submit=${(e: SubmitEvent) => {
          e.preventDefault();
          if (!this.busy) void this.submit(sub);
        }}>
        <p>${i18n.t('subscriptions.renew.intro', { amount: i18n.money(renewalAmount(sub), sub.currency), plan: sub.product.name })}</p>
        ${this.renderMethods()}
        ${this.renderProblem('renew-problem')}
      </form>`;
  }

  renderFooter(sub: PortalSubscription): TemplateResult {
    const { i18n } = this;
    const canPay = Boolean(this.methodId);
    return html`
      ${this.button(i18n.t('subscriptions.back'), () => this.host.closeDialog())}
      ${
        canPay
          ? this.button(
              i18n.t('subscriptions.renew.confirm', { amount: i18n.money(renewalAmount(sub), sub.currency) }),
              () => undefined,
              { primary: true, form: 'renew-form', id: 'renew-confirm' },
            )
          : nothing
      }`;
  }
}
