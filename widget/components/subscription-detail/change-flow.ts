import { html, nothing, type TemplateResult } from 'lit';
import { QUANTITY_MAX } from '../../../server/contract';
import { ApSubscriptionChangedEvent } from '../../events';
import { hasCode } from '../../internal/problem-text';
import {
  methodLabel,
  priceText,
  type ChargeSummary,
  type PlanChangeQuote,
  type PlanOption,
  type PortalSubscription,
} from '../subscriptions/subscription-format';
import { Flow } from './flow';
import { completePaymentAction, needsPaymentAction, type PaymentActionRequired } from './payment-action';

/** `POST …/change`: what was applied or scheduled. */
interface ChangeResult {
  kind: 'upgrade' | 'downgrade';
  subscription: PortalSubscription;
  charge: ChargeSummary;
}

/** `GET …/plans`: the plans, priced at `quantity`. */
interface PlanOptions {
  data: PlanOption[];
  quantity: number;
}

/**
 * The "Change plan or quantity" dialog: choose a plan of the family and a quantity,
 * review the server's quote (what is charged now, what each period costs from
 * when), confirm. An outdated quote is worked out again before anything is charged.
 * Every price shown is the server's: the plans are priced again at each new
 * quantity, never worked out here.
 */
export class ChangeFlow extends Flow {
  readonly action = 'change-plan' as const;
  step: 'choose' | 'review' = 'choose';
  plans: PlanOption[] | null = null;
  /** The quantity `plans` are priced at. */
  pricedAt = 0;
  planId = '';
  quantity = 1;
  quote: PlanChangeQuote | null = null;
  /** A polite note in the review step (the price was worked out again). */
  notice = '';
  /** The quote can no longer be confirmed (declined, or refused as outdated): confirming previews again. */
  private spent = false;

  label(): string {
    return this.i18n.t('subscriptions.change.title');
  }

  start(sub: PortalSubscription): void {
    Object.assign(this, {
      step: 'choose',
      plans: null,
      pricedAt: 0,
      planId: sub.product.id,
      quantity: sub.quantity,
      quote: null,
      notice: '',
    });
    this.problem = null;
    this.spent = false;
    void this.loadPlans(sub);
  }

  /** Loads the plans priced at the chosen quantity (again after each change of it; the latest request wins). */
  private async loadPlans(sub: PortalSubscription): Promise<void> {
    const signal = this.signal();
    const path = `/subscriptions/${encodeURIComponent(sub.id)}/plans?quantity=${this.quantity}`;
    // Only the first load keeps the dialog busy: a new price for another quantity can be reviewed meanwhile.
    const page = await this.attempt(() => this.api.get<PlanOptions>(path, signal), undefined, {
      busy: this.plans === null,
    });
    if (!page) return;
    const waiting = this.hasFocus('change-loading');
    this.plans = page.data;
    this.pricedAt = page.quantity;
    if (waiting) this.focusAfterUpdate(`change-plan-${this.planId}`);
    else this.update();
  }

  private setQuantity(sub: PortalSubscription, value: number): void {
    const quantity = Math.min(QUANTITY_MAX, Math.max(1, Math.round(value) || 1));
    const changed = quantity !== this.quantity;
    this.quantity = quantity;
    this.problem = null;
    this.update();
    if (changed && this.plans) void this.loadPlans(sub);
  }

  /** Asks the server for a quote of the chosen plan and quantity and shows it. */
  private async review(sub: PortalSubscription, notice = ''): Promise<void> {
    if (this.planId === sub.product.id && this.quantity === sub.quantity) {
      this.problem = this.i18n.t('subscriptions.errors.noChange');
      this.update();
      return;
    }
    const quote = await this.attempt(() =>
      this.api.send<PlanChangeQuote>('POST', `/subscriptions/${encodeURIComponent(sub.id)}/change-preview`, {
        planId: this.planId,
        quantity: this.quantity,
      }),
    );
    if (!quote) return;
    Object.assign(this, { quote, step: 'review', notice });
    this.spent = false;
    this.focusAfterUpdate('change-quote');
  }

  private async confirm(sub: PortalSubscription): Promise<void> {
    const quote = this.quote;
    if (!quote) return;
    if (this.spent || Date.parse(quote.expiresAt) <= Date.now()) {
      await this.review(sub, this.i18n.t('subscriptions.errors.quoteOutdated'));
      return;
    }
    let outdated = false;
    const result = await this.attempt(
      () => this.apply(sub, quote),
      (error) => {
        // A declined quote is used up: the next try needs a new one, as does an outdated one.
        if (hasCode(error, 'payment_declined')) this.spent = true;
        outdated = hasCode(error, 'quote_expired', 'quote_stale', 'quote_used');
        return outdated;
      },
    );
    if (!result) this.host.endChallenge();
    if (outdated) {
      await this.review(sub, this.i18n.t('subscriptions.errors.quoteOutdated'));
      return;
    }
    if (!result) return;
    const { i18n } = this;
    const plan = result.subscription.product.name;
    const message =
      result.kind === 'downgrade'
        ? i18n.t('subscriptions.change.scheduled', { plan: quote.product.name, date: i18n.date(quote.effectiveAt) })
        : result.charge
          ? i18n.t('subscriptions.change.appliedCharged', {
              plan,
              amount: i18n.money(result.charge.total, result.charge.currency),
            })
          : i18n.t('subscriptions.change.applied', { plan });
    this.host.finish(result.subscription, message, new ApSubscriptionChangedEvent(result.subscription));
  }

  /**
   * Confirms the quote. When the customer's bank asks them to confirm the payment
   * (3-D Secure), its challenge shows (the dialog steps aside meanwhile) and the
   * change applies once the portal has checked the payment with the processor.
   */
  private async apply(sub: PortalSubscription, quote: PlanChangeQuote): Promise<ChangeResult> {
    const answer = await this.api.send<ChangeResult | PaymentActionRequired>(
      'POST',
      `/subscriptions/${encodeURIComponent(sub.id)}/change`,
      { quoteId: quote.id },
    );
    if (!needsPaymentAction(answer)) return answer;
    const paid = await completePaymentAction(this.api, sub.id, answer.paymentAction, this.host);
    return { kind: 'upgrade', subscription: paid.subscription, charge: paid.charge };
  }

  private back(): void {
    this.step = 'choose';
    this.problem = null;
    this.notice = '';
    this.focusAfterUpdate('change-review');
  }

  /** The price of a plan per period with tax at the chosen quantity, as the server priced it (a placeholder meanwhile). */
  private optionPrice(plan: PlanOption): TemplateResult | string {
    if (this.pricedAt !== this.quantity) return html`<span class="skeleton w-short">\u00a0</span>`;
    return priceText(this.i18n, plan.recurring.total, plan.currency, plan.interval, plan.intervalCount);
  }

  private optionHint(plan: PlanOption, sub: PortalSubscription): string {
    const { i18n } = this;
    if (plan.current) return i18n.t('subscriptions.change.currentPlan');
    if (this.pricedAt !== this.quantity || !plan.change) return '';
    return plan.change === 'upgrade'
      ? i18n.t('subscriptions.change.upgradeHint')
      : i18n.t('subscriptions.change.downgradeHint', { date: i18n.date(sub.currentPeriodEnd) });
  }

  private renderPlans(sub: PortalSubscription): TemplateResult {
    const { i18n } = this;
    if (!this.plans) {
      return html`${this.renderLoading('change-loading', i18n.t('subscriptions.change.loading'))}
        <div class="options" aria-hidden="true">${[0, 1, 2].map(
          () => html`<div class="option"><span class="skeleton w-long">\u00a0</span></div>`,
        )}</div>`;
    }
    const repricing = this.pricedAt !== this.quantity;
    return html`<div class="options" aria-busy=${repricing ? 'true' : 'false'}>${this.plans.map((plan) => {
      const checked = plan.id === this.planId;
      const hint = this.optionHint(plan, sub);
      return html`
        <label class="option ${checked ? 'checked' : ''}">
          <input id="change-plan-${plan.id}" type="radio" name="change-plan" value=${plan.id} .checked=${checked} ?autofocus=${checked}
            aria-describedby="change-plan-${plan.id}-hint"
            @change=${() => {
              this.planId = plan.id;
              this.problem = null;
              this.update();
            }}>
          <span class="option-text">
            <bdi class="option-name">${plan.name}</bdi>
            <span class="option-price">${this.optionPrice(plan)}</span>
            <span id="change-plan-${plan.id}-hint" class="option-hint ${plan.current ? 'current' : (plan.change ?? '')}">${hint || nothing}</span>
          </span>
        </label>`;
    })}</div>`;
  }

  private renderChoose(sub: PortalSubscription): TemplateResult {
    const { i18n } = this;
    return html`
      <form id="change-form" class="flow" novalidate aria-busy=${this.plans ? 'false' : 'true'}
        @submit=${(e: SubmitEvent) => {
          e.preventDefault();
          if (!this.busy) void this.review(sub);
        }}>
        <fieldset class="group">
          <legend>${i18n.t('subscriptions.change.plan')}</legend>
          ${this.renderPlans(sub)}
        </fieldset>
        <div class="field">
          <label for="change-quantity">${i18n.t('subscriptions.quantity')}</label>
          <div class="stepper">
            <button type="button" class="button secondary step" aria-controls="change-quantity"
              aria-label=${i18n.t('subscriptions.change.fewer')} aria-disabled=${this.quantity <= 1 ? 'true' : 'false'}
              @click=${() => this.setQuantity(sub, this.quantity - 1)}>−</button>
            <input id="change-quantity" type="number" inputmode="numeric" min="1" max=${QUANTITY_MAX} step="1"
              .value=${String(this.quantity)} @change=${(e: Event) => this.setQuantity(sub, Number((e.target as HTMLInputElement).value))}>
            <button type="button" class="button secondary step" aria-controls="change-quantity"
              aria-label=${i18n.t('subscriptions.change.more')} @click=${() => this.setQuantity(sub, this.quantity + 1)}>+</button>
          </div>
        </div>
        ${this.renderProblem('change-problem')}
      </form>`;
  }

  private renderQuote(sub: PortalSubscription, quote: PlanChangeQuote): TemplateResult {
    const { i18n } = this;
    const money = (minor: number) => i18n.money(minor, quote.currency);
    const price = priceText(
      i18n,
      quote.recurring.total,
      quote.currency,
      quote.product.interval,
      quote.product.intervalCount,
    );
    const from = quote.nextChargeAt ?? quote.effectiveAt;
    const upgrade = quote.kind === 'upgrade';
    const charged = upgrade && quote.charge.total > 0;
    const method = sub.paymentMethod;
    return html`
      <div id="change-quote" class="quote" role="group" tabindex="-1" aria-labelledby="change-quote-title">
        ${this.notice ? html`<p class="notice" aria-hidden="true">${this.notice}</p>` : nothing}
        <h3 id="change-quote-title" class="quote-title">${
          quote.quantity === 1
            ? quote.product.name
            : i18n.t('subscriptions.change.planTimes', { plan: quote.product.name, count: quote.quantity })
        }</h3>
        ${
          charged
            ? html`
          <p class="pay-now">${
            quote.restartsPeriod
              ? i18n.t('subscriptions.change.payNowRestart', {
                  total: money(quote.charge.total),
                  tax: money(quote.charge.tax),
                })
              : i18n.t('subscriptions.change.payNow', {
                  total: money(quote.charge.total),
                  tax: money(quote.charge.tax),
                })
          }</p>`
            : html`<p class="pay-now">${i18n.t('subscriptions.change.noChargeNow')}</p>`
        }
        <p>${i18n.t('subscriptions.change.from', { date: i18n.date(upgrade ? from : quote.effectiveAt), price })}</p>
        ${
          upgrade
            ? nothing
            : html`<p class="muted">${i18n.t('subscriptions.change.keepUntil', { plan: sub.product.name, date: i18n.date(quote.effectiveAt) })}</p>`
        }
        ${charged && method ? html`<p class="muted">${i18n.t('subscriptions.change.chargedTo')} ${methodLabel(method, i18n)}</p>` : nothing}
      </div>
      ${this.renderProblem(
        'change-problem',
        this.spent
          ? html`<button class="button link" type="button"
        @click=${() => this.host.requestPaymentMethod()}>${i18n.t('subscriptions.updatePaymentMethod')}</button>`
          : nothing,
      )}`;
  }

  renderBody(sub: PortalSubscription): TemplateResult {
    // The status line stays in place across the steps, so that screen readers announce what appears in it.
    return html`
      <p class="visually-hidden" role="status">${this.notice}</p>
      ${this.step === 'review' && this.quote ? this.renderQuote(sub, this.quote) : this.renderChoose(sub)}`;
  }

  renderFooter(sub: PortalSubscription): TemplateResult {
    const { i18n } = this;
    if (this.step === 'review' && this.quote) {
      const charge = this.quote.kind === 'upgrade' && this.quote.charge.total > 0;
      return html`
        ${this.button(i18n.t('subscriptions.back'), () => this.back())}
        ${this.button(
          charge
            ? i18n.t('subscriptions.change.confirmPay', {
                amount: i18n.money(this.quote.charge.total, this.quote.currency),
              })
            : i18n.t('subscriptions.change.confirm'),
          () => void this.confirm(sub),
          { primary: true },
        )}`;
    }
    return html`
      ${this.button(i18n.t('subscriptions.notNow'), () => this.host.closeDialog())}
      ${this.button(i18n.t('subscriptions.change.review'), () => undefined, { primary: true, form: 'change-form', id: 'change-review' })}`;
  }
}
