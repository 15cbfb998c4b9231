import { html, type TemplateResult } from 'lit';
import { ApSubscriptionPausedEvent } from '../../events';
import type { PortalSubscription } from '../subscriptions/subscription-format';
import { Flow } from './flow';

/** `YYYY-MM-DD` of a date in the customer's time zone (what `<input type="date">` speaks). */
function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * The "Pause subscription" dialog: the paid period runs to its end, then billing
 * pauses for a number of periods or until a date, and starts again with a new period.
 */
export class PauseFlow extends Flow {
  readonly action = 'pause-subscription' as const;
  mode: 'periods' | 'date' = 'periods';
  periods = 1;
  date = '';

  label(): string {
    return this.i18n.t('subscriptions.pause.title');
  }

  start(): void {
    Object.assign(this, { mode: 'periods', periods: 1, date: '' });
    this.problem = null;
  }

  /** The pause lengths the store allows, with their resume dates, as the server computed them. */
  private resumeDates(sub: PortalSubscription): string[] {
    return sub.pauseOptions?.resumeDates ?? [];
  }

  /** When billing would start again with the current choice, or null when no date is chosen. */
  private resumesAt(sub: PortalSubscription): Date | null {
    if (this.mode === 'date') return this.date ? new Date(`${this.date}T00:00:00`) : null;
    const date = this.resumeDates(sub)[this.periods - 1];
    return date ? new Date(date) : null;
  }

  private async submit(sub: PortalSubscription): Promise<void> {
    const resumesAt = this.resumesAt(sub);
    if (this.mode === 'date' && !resumesAt) {
      this.problem = this.i18n.t('subscriptions.pause.dateRequired');
      this.focusAfterUpdate('pause-date');
      return;
    }
    const body = this.mode === 'date' ? { resumeAt: resumesAt!.toISOString() } : { periods: this.periods };
    const updated = await this.attempt(
      () => this.api.send<PortalSubscription>('POST', `/subscriptions/${encodeURIComponent(sub.id)}/pause`, body),
      () => false,
    );
    if (!updated) return;
    const { i18n } = this;
    const message = updated.pause
      ? i18n.t('subscriptions.pause.done', {
          start: i18n.date(updated.pause.startsAt),
          resume: i18n.date(updated.pause.resumesAt),
        })
      : i18n.t('subscriptions.pause.doneShort');
    this.host.finish(updated, message, new ApSubscriptionPausedEvent(updated));
  }

  private setMode(mode: 'periods' | 'date'): void {
    this.mode = mode;
    this.problem = null;
    this.update();
  }

  private renderPeriods(sub: PortalSubscription): TemplateResult {
    const { i18n } = this;
    const resumes = this.resumesAt(sub);
    const maxPeriods = Math.max(1, this.resumeDates(sub).length);
    return html`
      <div class="field indent">
        <label for="pause-periods">${i18n.t('subscriptions.pause.periods')}</label>
        <input id="pause-periods" class="short" type="number" inputmode="numeric" min="1" max=${maxPeriods} step="1"
          aria-describedby="pause-periods-hint" .value=${String(this.periods)}
          @change=${(e: Event) => {
            const value = Math.round(Number((e.target as HTMLInputElement).value)) || 1;
            this.periods = Math.min(maxPeriods, Math.max(1, value));
            this.problem = null;
            this.update();
          }}>
        <p id="pause-periods-hint" class="hint">${resumes ? i18n.t('subscriptions.pause.resumesOn', { date: i18n.date(resumes.toISOString()) }) : ''}</p>
      </div>`;
  }

  private renderDate(sub: PortalSubscription): TemplateResult {
    const { i18n } = this;
    const first = new Date(sub.currentPeriodEnd);
    first.setDate(first.getDate() + 1);
    const latest = this.resumeDates(sub).at(-1);
    const last = latest ? new Date(latest) : null;
    return html`
      <div class="field indent">
        <label for="pause-date">${i18n.t('subscriptions.pause.date')}</label>
        <input id="pause-date" class="short" type="date" min=${localDay(first)} max=${last ? localDay(last) : ''}
          aria-describedby="pause-date-hint" .value=${this.date}
          @change=${(e: Event) => {
            this.date = (e.target as HTMLInputElement).value;
            this.problem = null;
            this.update();
          }}>
        <p id="pause-date-hint" class="hint">${i18n.t('subscriptions.pause.dateHint', { date: i18n.date(sub.currentPeriodEnd) })}</p>
      </div>`;
  }

  renderBody(sub: PortalSubscription): TemplateResult {
    const { i18n } = this;
    const choice = (mode: 'periods' | 'date', label: string) => html`
      <label class="choice">
        <input type="radio" name="pause-mode" .checked=${this.mode === mode} ?autofocus=${mode === 'periods'}
          @change=${() => this.setMode(mode)}>
        <span class="choice-label">${label}</span>
      </label>`;
    return html`
      <form id="pause-form" class="flow" novalidate @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        if (!this.busy) void this.submit(sub);
      }}>
        <p>${i18n.t('subscriptions.pause.intro', { date: i18n.date(sub.currentPeriodEnd) })}</p>
        <fieldset class="group">
          <legend>${i18n.t('subscriptions.pause.howLong')}</legend>
          <div class="choices">
            ${choice('periods', i18n.t('subscriptions.pause.byPeriods'))}
            ${this.mode === 'periods' ? this.renderPeriods(sub) : ''}
            ${choice('date', i18n.t('subscriptions.pause.byDate'))}
            ${this.mode === 'date' ? this.renderDate(sub) : ''}
          </div>
        </fieldset>
        ${this.renderProblem('pause-problem')}
      </form>`;
  }

  renderFooter(): TemplateResult {
    const { i18n } = this;
    return html`
      ${this.button(i18n.t('subscriptions.back'), () => this.host.closeDialog())}
      ${this.button(i18n.t('subscriptions.pause.confirm'), () => undefined, { primary: true, form: 'pause-form', id: 'pause-confirm' })}`;
  }
}
