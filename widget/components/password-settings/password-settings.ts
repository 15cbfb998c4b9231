import { consume } from '@lit/context';
import { html, nothing, svg, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { PASSWORD_MIN_LENGTH } from '../../../server/contract';
import { portalContext, type PortalServices } from '../../context/portal-context';
import { ApPasswordChangedEvent } from '../../events/password-changed';
import { ApPasswordResetRequestedEvent } from '../../events/password-reset-requested';
import { ApiError } from '../../internal/api-client';
import type { MessageKey } from '../../internal/localizer';
import { PortalElement } from '../../internal/portal-element';
import { problemText } from '../../internal/problem-text';
import { componentStyles } from '../../styles/component.styles';
import { styles as formStyles } from '../account-form/account-form.styles';
import { warningIcon } from '../shared/icons';
import { formValue, passwordField, showPasswordToggle } from '../shared/password-field';

/** The problems with the form's two fields, in words. */
interface FieldErrors {
  current?: string;
  password?: string;
}

const checkIcon = svg`<path d="M3 8.5 6.5 12 13 4.5" fill="none" stroke="currentColor" stroke-width="2"
  stroke-linecap="round" stroke-linejoin="round"/>`;

/**
 * The Account tab's password card, shown when the store offers password sign-in: it
 * sets a first password (the new one only) or changes it (the current one and a new
 * one), and for a forgotten current password emails a link to choose a new one. The
 * inputs say `current-password` and `new-password` to password managers; the
 * account's email is in the form, hidden, as the username they save it for.
 * Problems show next to their field (which takes the focus) and in an alert beside
 * the button; success is announced politely.
 *
 * @summary Set, change or reset the signed-in customer's password.
 *
 * @event ap-password-changed - The password was set or changed. `event.change` is `set` or `changed`.
 * @event ap-password-reset-requested - A link to choose a new password was emailed. `event.email` is the account's address.
 *
 * @csspart card - The card.
 * @csspart field - The wrapper of a label, input, hint and error.
 * @csspart label - A field's label.
 * @csspart input - The password inputs.
 * @csspart checkbox - The "Show password" checkbox.
 * @csspart hint - The hint under the new password.
 * @csspart error - A field's error message.
 * @csspart button - The Save button and "Forgot your current password?".
 * @csspart status - The confirmation next to the button.
 * @csspart summary - The problem next to the button.
 */
export class ApPasswordSettings extends PortalElement {
  static override styles = [componentStyles, formStyles];

  @consume({ context: portalContext, subscribe: true }) private services?: PortalServices;

  @state() private busy: 'save' | 'reset' | null = null;
  @state() private shown = false;
  @state() private errors: FieldErrors = {};
  /** What just happened (polite) or went wrong (an alert), in words. */
  @state() private outcome: { kind: 'done' | 'problem'; text: string } | null = null;

  private t(key: MessageKey, options?: Record<string, unknown>): string {
    return this.services!.i18n.t(key, options);
  }

  private get hasPassword(): boolean {
    return Boolean(this.services?.session.account?.hasPassword);
  }

  /** Moves the focus to the first field with a problem, once it is rendered. */
  private async focusFirstProblem(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('input[aria-invalid="true"]')?.focus();
  }

  /** What is wrong before anything is sent: a missing current password, a new one too short. */
  private check(form: HTMLFormElement): FieldErrors {
    const errors: FieldErrors = {};
    if (this.hasPassword && !formValue(form, 'current-password')) {
      errors.current = this.t('password.errors.currentRequired');
    }
    if (formValue(form, 'new-password').length < PASSWORD_MIN_LENGTH) {
      errors.password = this.t('password.errors.tooShort', { count: PASSWORD_MIN_LENGTH });
    }
    return errors;
  }

  private async save(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const services = this.services;
    if (!services || this.busy) return;
    const form = event.target as HTMLFormElement;
    const had = this.hasPassword;
    this.outcome = null;
    this.errors = this.check(form);
    if (this.errors.current || this.errors.password) {
      this.outcome = { kind: 'problem', text: this.t('account.fixErrors') };
      return void this.focusFirstProblem();
    }
    this.busy = 'save';
    try {
      await services.api.send('PUT', '/me/password', {
        password: formValue(form, 'new-password'),
        ...(had && { currentPassword: formValue(form, 'current-password') }),
      });
      form.reset();
      const account = services.session.account;
      if (account) services.session.updateAccount({ ...account, hasPassword: true });
      this.outcome = { kind: 'done', text: this.t(had ? 'password.changed' : 'password.setDone') };
      this.dispatchEvent(new ApPasswordChangedEvent(had ? 'changed' : 'set'));
    } catch (error) {
      this.failed(error);
    } finally {
      this.busy = null;
    }
  }

  /** Places a 422's problems at their fields; anything else is said beside the button. */
  private failed(error: unknown): void {
    const fields = error instanceof ApiError && error.status === 422 ? error.fieldErrors : {};
    const issues = error instanceof ApiError && Array.isArray(error.details) ? error.details : [];
    const wrongCurrent = issues.some((issue: { code?: string }) => issue.code === 'wrong_password');
    if ('currentPassword' in fields || 'password' in fields) {
      this.errors = {
        ...(('currentPassword' in fields || wrongCurrent) && {
          current: this.t(wrongCurrent ? 'password.errors.wrongCurrent' : 'password.errors.currentRequired'),
        }),
        ...('password' in fields && {
          password: this.t('password.errors.tooShort', { count: PASSWORD_MIN_LENGTH }),
        }),
      };
      this.outcome = { kind: 'problem', text: this.t('account.fixErrors') };
      void this.focusFirstProblem();
    } else {
      this.outcome = { kind: 'problem', text: problemText(error, this.services!.i18n) };
    }
    this.services!.reportError(error, 'set-password');
  }

  /** Emails the account a link to choose a new password (for a forgotten current one). */
  private async requestReset(): Promise<void> {
    const services = this.services;
    const email = services?.session.account?.email;
    if (!services || !email || this.busy) return;
    this.busy = 'reset';
    this.outcome = null;
    try {
      await services.api.request('/password-resets', { method: 'POST', body: { email }, auth: false });
      this.outcome = { kind: 'done', text: this.t('password.resetSentSignedIn', { email }) };
      this.dispatchEvent(new ApPasswordResetRequestedEvent(email));
    } catch (error) {
      this.outcome = { kind: 'problem', text: problemText(error, services.i18n) };
      services.reportError(error, 'request-password-reset');
    } finally {
      this.busy = null;
    }
  }

  private renderOutcome(): TemplateResult {
    const outcome = this.outcome;
    return html`
      <p class="status" part="status" role="status">${
        outcome?.kind === 'done'
          ? html`<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">${checkIcon}</svg><span>${outcome.text}</span>`
          : nothing
      }</p>
      <div class="summary" part="summary" role="alert">${
        outcome?.kind === 'problem'
          ? html`<p><svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">${warningIcon}</svg><span>${outcome.text}</span></p>`
          : nothing
      }</div>`;
  }

  override render() {
    if (!this.services?.config?.features.passwordLogin) return nothing;
    const had = this.hasPassword;
    const saving = this.busy === 'save';
    return html`
      <section class="card" part="card" aria-labelledby="password-title">
        <h2 id="password-title">${this.t('password.title')}</h2>
        <p class="intro">${this.t(had ? 'password.introChange' : 'password.introSet')}</p>
        <form id="password-form" novalidate @submit=${(e: SubmitEvent) => void this.save(e)}>
          <input type="email" name="username" autocomplete="username" hidden aria-hidden="true" tabindex="-1" readonly
            .value=${this.services.session.account?.email ?? ''}>
          <div class="fields">
            ${
              had
                ? passwordField({
                    id: 'current-password',
                    label: this.t('password.current'),
                    autocomplete: 'current-password',
                    shown: this.shown,
                    error: this.errors.current,
                  })
                : nothing
            }
            ${passwordField({
              id: 'new-password',
              label: this.t('password.new'),
              autocomplete: 'new-password',
              shown: this.shown,
              hint: this.t('password.newHint', { count: PASSWORD_MIN_LENGTH }),
              error: this.errors.password,
            })}
            ${showPasswordToggle('show-password', this.t('password.show'), this.shown, (shown) => {
              this.shown = shown;
            })}
          </div>
          <div class="actions">
            <button id="password-save" class="button" part="button" type="submit" aria-disabled=${saving ? 'true' : 'false'}>
              ${saving ? this.t('password.saving') : this.t(had ? 'password.change' : 'password.set')}</button>
            ${
              had
                ? html`<button class="button link" part="button" type="button" aria-disabled=${this.busy ? 'true' : 'false'}
                @click=${() => void this.requestReset()}>${
                  this.busy === 'reset' ? this.t('password.sending') : this.t('password.forgotCurrent')
                }</button>`
                : nothing
            }
            ${this.renderOutcome()}
          </div>
        </form>
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ap-password-settings': ApPasswordSettings;
  }
}
