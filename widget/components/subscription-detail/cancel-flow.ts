import { html, nothing, type TemplateResult } from 'lit';
import { CANCELLATION_COMMENT_MAX, cancellationReasonCodes, type CancellationReason } from '../../../server/contract';
import { ApSubscriptionCanceledEvent } from '../../events';
import { endsAt, type PortalSubscription } from '../subscriptions/subscription-format';
import { Flow } from './flow';

/** Whether the subscription has paid time left: otherwise a cancellation ends it at once. */
const hasPaidTime = (sub: PortalSubscription) => sub.state === 'active' || sub.state === 'trial';

/**
 * The "Cancel subscription" dialog: a short survey (a reason, an optional comment),
 * when it should end (at the end of the period; immediately where the store allows
 * it), then a confirmation that says exactly what will happen.
 */
export class CancelFlow extends Flow {
  readonly action = 'cancel-subscription' as const;
  step: 'survey' | 'confirm' = 'survey';
  reason: CancellationReason | null = null;
  comment = '';
  immediately = false;
  /** The survey was sent without a reason: the group shows why. */
  private reasonMissing = false;

  label(): string {
    return this.i18n.t('subscriptions.cancel.title');
  }

  start(): void {
    Object.assign(this, { step: 'survey', reason: null, comment: '', immediately: false });
    this.reasonMissing = false;
    this.problem = null;
  }

  private next(): void {
    if (!this.reason) {
      this.reasonMissing = true;
      this.focusAfterUpdate('cancel-reason-0');
      return;
    }
    this.step = 'confirm';
    this.problem = null;
    this.focusAfterUpdate('cancel-summary');
  }

  private back(): void {
    this.step = 'survey';
    this.problem = null;
    this.focusAfterUpdate('cancel-next');
  }

  private async submit(sub: PortalSubscription): Promise<void> {
    const reason = this.reason;
    if (!reason) return;
    const comment = this.comment.trim();
    const updated = await this.attempt(() =>
      this.api.send<PortalSubscription>('POST', `/subscriptions/${encodeURIComponent(sub.id)}/cancel`, {
        reason,
        ...(comment && { comment }),
        ...(this.immediately && { immediately: true }),
      }),
    );
    if (!updated) return;
    const { i18n } = this;
    const message =
      updated.state === 'pending_cancellation'
        ? i18n.t('subscriptions.cancel.done', { date: i18n.date(endsAt(updated)) })
        : i18n.t('subscriptions.cancel.doneNow');
    this.host.finish(updated, message, new ApSubscriptionCanceledEvent(updated, reason));
  }

  private renderReasons(): TemplateResult {
    const { i18n } = this;
    return html`
      <fieldset class="group" aria-describedby="cancel-reason-error">
        <legend>${i18n.t('subscriptions.cancel.reason')}</legend>
        <div class="choices">
          ${cancellationReasonCodes.map(
            (code, index) => html`
            <label class="choice">
              <input id="cancel-reason-${index}" type="radio" name="cancel-reason" value=${code} .checked=${this.reason === code}
                ?autofocus=${index === 0 && !this.reason}
                @change=${() => {
                  this.reason = code;
                  this.reasonMissing = false;
                  this.update();
                }}>
              <span>${i18n.t(`subscriptions.reasons.${code}`)}</span>
            </label>`,
          )}
        </div>
        <p id="cancel-reason-error" class="field-error" part="error" role="alert">${
          this.reasonMissing ? i18n.t('subscriptions.cancel.reasonRequired') : nothing
        }</p>
      </fieldset>`;
  }

  private renderWhen(sub: PortalSubscription): TemplateResult {
    const { i18n } = this;
    const date = i18n.date(sub.currentPeriodEnd);
    if (!hasPaidTime(sub)) return html`<p class="note">${i18n.t('subscriptions.cancel.endsNowUnpaid')}</p>`;
    if (!sub.actions.cancelImmediately)
      return html`<p class="note">${i18n.t('subscriptions.cancel.atPeriodEnd', { date })}</p>`;
    const option = (immediately: boolean, label: string, hint: string) => html`
      <label class="choice">
        <input type="radio" name="cancel-when" .checked=${this.immediately === immediately}
          @change=${() => {
            this.immediately = immediately;
            this.update();
          }}>
        <span><span class="choice-label">${label}</span><span class="choice-hint muted">${hint}</span></span>
      </label>`;
    return html`
      <fieldset class="group">
        <legend>${i18n.t('subscriptions.cancel.when')}</legend>
        <div class="choices">
          ${option(false, i18n.t('subscriptions.cancel.whenPeriodEnd', { date }), i18n.t('subscriptions.cancel.whenPeriodEndHint'))}
          ${option(true, i18n.t('subscriptions.cancel.whenNow'), i18n.t('subscriptions.cancel.whenNowHint'))}
        </div>
      </fieldset>`;
  }

  private renderSurvey(sub: PortalSubscription): TemplateResult {
    const { i18n } = this;
    const length = this.comment.length;
    return html`
      <form id="cancel-form" class="flow" novalidate @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        this.next();
      }}>
        <p>${i18n.t('subscriptions.cancel.intro')}</p>
        ${this.renderReasons()}
        <div class="field">
          <label for="cancel-comment">${i18n.t('subscriptions.cancel.comment')}</label>
          <textarea id="cancel-comment" rows="3" maxlength=${CANCELLATION_COMMENT_MAX} aria-describedby="cancel-comment-count"
            .value=${this.comment} @input=${(e: Event) => {
              this.comment = (e.target as HTMLTextAreaElement).value;
              this.update();
            }}
          ></textarea>
          <p id="cancel-comment-count" class="counter ${length >= CANCELLATION_COMMENT_MAX ? 'full' : ''}">
            ${i18n.t('subscriptions.cancel.counter', { count: length, max: CANCELLATION_COMMENT_MAX })}</p>
        </div>
        ${this.renderWhen(sub)}
      </form>`;
  }

  private renderConfirm(sub: PortalSubscription): TemplateResult {
    const { i18n } = this;
    const now = this.immediately || !hasPaidTime(sub);
    return html`
      <div id="cancel-summary" class="flow" role="group" tabindex="-1" aria-labelledby="cancel-summary-text">
        <p id="cancel-summary-text" class="summary-text">${
          now
            ? i18n.t('subscriptions.cancel.confirmNow', { plan: sub.product.name })
            : i18n.t('subscriptions.cancel.confirmPeriodEnd', {
                plan: sub.product.name,
                date: i18n.date(sub.currentPeriodEnd),
              })
        }</p>
        <p class="muted">${now ? i18n.t('subscriptions.cancel.noRefund') : i18n.t('subscriptions.cancel.canResume')}</p>
        <p class="muted">${i18n.t('subscriptions.cancel.yourReason', { reason: i18n.t(`subscriptions.reasons.${this.reason ?? 'other'}`) })}</p>
      </div>`;
  }

  renderBody(sub: PortalSubscription): TemplateResult {
    return html`
      ${this.step === 'confirm' ? this.renderConfirm(sub) : this.renderSurvey(sub)}
      ${this.renderProblem('cancel-problem')}`;
  }

  renderFooter(sub: PortalSubscription): TemplateResult {
    const { i18n } = this;
    if (this.step === 'confirm') {
      return html`
        ${this.button(i18n.t('subscriptions.back'), () => this.back())}
        ${this.button(i18n.t('subscriptions.cancel.confirm'), () => void this.submit(sub), { danger: true, id: 'cancel-confirm' })}`;
    }
    return html`
      ${this.button(i18n.t('subscriptions.keep'), () => this.host.closeDialog())}
      ${this.button(i18n.t('subscriptions.cancel.next'), () => undefined, { primary: true, form: 'cancel-form', id: 'cancel-next' })}`;
  }
}
