import { consume } from '@lit/context';
import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { PASSWORD_MIN_LENGTH, PASSWORD_RESET_TTL_MINUTES } from '../../../server/contract';
import { portalContext, type PortalServices } from '../../context/portal-context';
import { ApPasswordChangedEvent } from '../../events/password-changed';
import { ApPasswordResetRequestedEvent } from '../../events/password-reset-requested';
import { ApSignInLinkRequestedEvent } from '../../events/sign-in-link-requested';
import { ApiError } from '../../internal/api-client';
import type { MessageKey } from '../../internal/localizer';
import { PortalElement } from '../../internal/portal-element';
import { hasCode, problemText, type ProblemOverrides } from '../../internal/problem-text';
import { formatRoute, type Route } from '../../internal/routes';
import { componentStyles } from '../../styles/component.styles';
import { formValue, passwordField, showPasswordToggle } from '../shared/password-field';
import { styles } from './sign-in.styles';

type Step = 'email' | 'password' | 'sent' | 'forgot' | 'forgot-sent' | 'reset';

/** What a failed sign-in means here: the email is the only field, and a limit hit means a link went out just now. */
const signInProblems: ProblemOverrides = {
  validation_failed: 'signIn.errors.invalid_email',
  rate_limited: 'signIn.errors.rate_limited',
};

/** What a failed password reset means: the link is the reset link, and a new one is asked for below. */
const resetProblems: ProblemOverrides = {
  invalid_token: 'password.reset.invalid_token',
  token_used: 'password.reset.token_used',
  token_expired: 'password.reset.token_expired',
  token_superseded: 'password.reset.token_superseded',
};

/**
 * The sign-in screens: email → "check your inbox" (with a resend button that waits
 * out `Retry-After`), optional password sign-in with "Forgot your password?" (an
 * emailed link to choose a new one, and the screen that link opens), and the
 * management-URL cases (a new device, or an email not yet verified) that offer to
 * send a link.
 *
 * @summary Sign-in screens of `<account-portal>`.
 *
 * @event {ApSignInLinkRequestedEvent} ap-sign-in-link-requested - The server accepted a request for a sign-in link.
 * @event {ApPasswordResetRequestedEvent} ap-password-reset-requested - The server accepted a request for a link to choose a new password.
 * @event {ApPasswordChangedEvent} ap-password-changed - A new password was saved from a reset link (fired on `<account-portal>`, after `ap-signed-in`).
 *
 * @csspart card - The sign-in card.
 * @csspart button - The buttons.
 */
export class ApSignIn extends PortalElement {
  static override styles = [componentStyles, styles];

  @consume({ context: portalContext, subscribe: true }) private services!: PortalServices;

  /** The customer's session expired: say so above the form. */
  @property({ type: Boolean }) expired = false;
  /** What went wrong redeeming a link, if anything. */
  @property({ attribute: false }) problem: ApiError | null = null;
  /** The management URL token, when the customer arrived through one. */
  @property({ attribute: false }) managementToken = '';
  /** The screen to return to after signing in again (put into the emailed link). */
  @property({ attribute: false }) returnTo: Route | null = null;
  /** The token of a password reset link the customer arrived with: the screen asks for a new password. */
  @property({ attribute: false }) resetToken = '';

  @state() private step: Step = 'email';
  @state() private email = '';
  @state() private busy = false;
  @state() private error: string | null = null;
  /** The problem with the new password on the reset screen (it is the field's, not the form's). */
  @state() private passwordError: string | null = null;
  @state() private showPassword = false;
  @state() private waitSeconds = 0;

  @query('h2') private heading?: HTMLElement;
  private countdown?: ReturnType<typeof setInterval>;
  private moveFocus = false;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.countdown);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('resetToken') && this.resetToken) this.step = 'reset';
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('step') && this.moveFocus) {
      this.moveFocus = false;
      this.heading?.focus();
    }
  }

  /** Moves focus to the screen's heading (after the portal signed the customer out, say). */
  async focusHeading(): Promise<void> {
    await this.updateComplete;
    this.heading?.focus();
  }

  private t(key: MessageKey, options?: Record<string, unknown>) {
    return this.services.i18n.t(key, options);
  }

  private messageFor(error: unknown, overrides: ProblemOverrides = signInProblems): string {
    return problemText(error, this.services.i18n, overrides);
  }

  /** Shows another step; its heading takes the focus. */
  private goTo(step: Step): void {
    this.moveFocus = true;
    this.step = step;
    this.error = null;
    this.passwordError = null;
  }

  private wait(seconds: number): void {
    clearInterval(this.countdown);
    this.waitSeconds = seconds;
    this.countdown = setInterval(() => {
      this.waitSeconds = Math.max(0, this.waitSeconds - 1);
      if (this.waitSeconds === 0) clearInterval(this.countdown);
    }, 1000);
  }

  /** Asks for a link by email or, from a management URL, for the account behind it. */
  private async requestLink(body: { email: string } | { managementToken: string }, resend = false): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      const returnTo = this.returnTo ? formatRoute(this.returnTo) : undefined;
      await this.services.api.request('/login-links', { method: 'POST', body: { ...body, returnTo }, auth: false });
      this.moveFocus = this.step !== 'sent';
      this.step = 'sent';
      this.dispatchEvent(new ApSignInLinkRequestedEvent('email' in body ? body.email : null, resend));
    } catch (error) {
      if (error instanceof ApiError && error.retryAfter) this.wait(error.retryAfter);
      this.error = this.messageFor(error);
      this.services.reportError(error, 'request-sign-in-link');
    } finally {
      this.busy = false;
    }
  }

  /** Asks for a link to choose a new password (the answer is the same for every address). */
  private async requestReset(email: string): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      await this.services.api.request('/password-resets', { method: 'POST', body: { email }, auth: false });
      this.moveFocus = this.step !== 'forgot-sent';
      this.step = 'forgot-sent';
      this.dispatchEvent(new ApPasswordResetRequestedEvent(email));
    } catch (error) {
      if (error instanceof ApiError && error.retryAfter) this.wait(error.retryAfter);
      this.error = this.messageFor(error);
      this.services.reportError(error, 'request-password-reset');
    } finally {
      this.busy = false;
    }
  }

  /** Reads the form's email field: the address, or null (and the problem shown) when it is not one. */
  private emailFrom(form: HTMLFormElement): string | null {
    const input = form.elements.namedItem('email') as HTMLInputElement;
    this.email = input.value.trim();
    if (input.checkValidity() && this.email) return this.email;
    this.error = this.t('signIn.errors.invalid_email');
    input.focus();
    return null;
  }

  private onEmailSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const email = this.emailFrom(event.target as HTMLFormElement);
    if (email) void this.requestLink({ email });
  }

  private onForgotSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const email = this.emailFrom(event.target as HTMLFormElement);
    if (email) void this.requestReset(email);
  }

  private async onPasswordSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    this.email = formValue(form, 'email').trim();
    this.busy = true;
    this.error = null;
    try {
      await this.services.session.signInWithPassword(this.email, formValue(form, 'password'));
    } catch (error) {
      this.error = this.messageFor(error);
      this.services.reportError(error, 'sign-in');
    } finally {
      this.busy = false;
    }
  }

  /** Saves the new password with the reset link's token; that signs the customer in. */
  private async onResetSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('new-password') as HTMLInputElement;
    this.error = null;
    this.passwordError =
      input.value.length < PASSWORD_MIN_LENGTH
        ? this.t('password.errors.tooShort', { count: PASSWORD_MIN_LENGTH })
        : null;
    if (this.passwordError) {
      input.focus();
      return;
    }
    this.busy = true;
    try {
      await this.services.session.resetPassword(this.resetToken, input.value);
      // The sign-in screen is on its way out: the portal itself tells the page.
      this.services.announce(new ApPasswordChangedEvent('reset'));
    } catch (error) {
      this.services.reportError(error, 'reset-password');
      if (hasCode(error, 'validation_failed')) {
        this.passwordError = this.t('password.errors.tooShort', { count: PASSWORD_MIN_LENGTH });
      } else if (hasCode(error, 'invalid_token', 'token_used', 'token_expired', 'token_superseded')) {
        // The link is spent: the customer asks for a new one right here.
        this.goTo('forgot');
        this.error = this.messageFor(error, resetProblems);
      } else {
        this.error = this.messageFor(error, resetProblems);
      }
    } finally {
      this.busy = false;
    }
  }

  private resend(): void {
    void this.requestLink(
      this.managementToken && !this.email ? { managementToken: this.managementToken } : { email: this.email },
      true,
    );
  }

  private renderError() {
    return this.error ? html`<p id="error" class="error" role="alert">${this.error}</p>` : nothing;
  }

  private renderWait() {
    return this.waitSeconds > 0
      ? html`<p class="muted">${this.t('signIn.resendIn', { count: this.waitSeconds })}</p>`
      : nothing;
  }

  private emailInput(id: string, autocomplete: 'email' | 'username') {
    return html`
      <label for=${id}>${this.t('signIn.email')}</label>
      <input id=${id} name="email" type="email" dir="ltr" autocomplete=${autocomplete} required .value=${this.email}
        aria-invalid=${this.error ? 'true' : 'false'} aria-describedby=${this.error ? 'error' : nothing}>`;
  }

  private renderManagement() {
    const details = this.problem?.details as { emailHint?: string } | undefined;
    const key = hasCode(this.problem, 'email_not_verified') ? 'signIn.emailNotVerified' : 'signIn.deviceUnknown';
    return html`
      <h2 tabindex="-1">${this.t('signIn.title')}</h2>
      <p>${this.t(key, { email: details?.emailHint ?? '' })}</p>
      ${this.renderError()}
      <button class="button" part="button" ?disabled=${this.busy || this.waitSeconds > 0}
        @click=${() => this.requestLink({ managementToken: this.managementToken })}>
        ${this.busy ? this.t('signIn.sending') : this.t('signIn.sendLink')}</button>`;
  }

  private renderEmailForm() {
    const problem = this.problem && !this.managementToken ? this.messageFor(this.problem) : null;
    return html`
      <h2 tabindex="-1">${this.t('signIn.title')}</h2>
      ${this.expired ? html`<p class="notice" role="status">${this.t('signIn.expired')}</p>` : nothing}
      ${problem ? html`<p class="error" role="alert">${problem}</p>` : nothing}
      <p class="muted">${this.t('signIn.intro')}</p>
      <form novalidate @submit=${this.onEmailSubmit}>
        ${this.emailInput('email', 'email')}
        ${this.renderError()}
        <button class="button" part="button" type="submit" ?disabled=${this.busy || this.waitSeconds > 0}>
          ${this.busy ? this.t('signIn.sending') : this.t('signIn.submit')}</button>
      </form>
      ${this.renderWait()}
      ${
        this.services.config?.features.passwordLogin
          ? html`<button class="button link" @click=${() => this.goTo('password')}>${this.t('signIn.withPassword')}</button>`
          : nothing
      }`;
  }

  private renderPasswordForm() {
    return html`
      <h2 tabindex="-1">${this.t('signIn.title')}</h2>
      <form novalidate @submit=${this.onPasswordSubmit}>
        ${this.emailInput('pw-email', 'username')}
        <label for="password">${this.t('signIn.password')}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required
          aria-invalid=${this.error ? 'true' : 'false'} aria-describedby=${this.error ? 'error' : nothing}>
        ${this.renderError()}
        <button class="button" part="button" type="submit" ?disabled=${this.busy}>${this.t('signIn.passwordSubmit')}</button>
      </form>
      <div class="actions">
        <button class="button link" @click=${() => this.goTo('forgot')}>${this.t('password.forgot.link')}</button>
        <button class="button link" @click=${() => this.goTo('email')}>${this.t('signIn.withLink')}</button>
      </div>`;
  }

  private renderForgotForm() {
    return html`
      <h2 tabindex="-1">${this.t('password.forgot.title')}</h2>
      <p class="muted">${this.t('password.forgot.intro')}</p>
      <form novalidate @submit=${this.onForgotSubmit}>
        ${this.emailInput('reset-email', 'email')}
        ${this.renderError()}
        <button class="button" part="button" type="submit" ?disabled=${this.busy || this.waitSeconds > 0}>
          ${this.busy ? this.t('signIn.sending') : this.t('password.forgot.submit')}</button>
      </form>
      ${this.renderWait()}
      <button class="button link" @click=${() => this.goTo('password')}>${this.t('password.forgot.back')}</button>`;
  }

  private renderForgotSent() {
    return html`
      <h2 tabindex="-1">${this.t('signIn.checkInbox')}</h2>
      <p role="status">${this.t('password.forgot.sentTo', { email: this.email, count: PASSWORD_RESET_TTL_MINUTES })}</p>
      ${this.renderError()}
      ${this.renderWait()}
      <div class="actions">
        <button class="button secondary" part="button" ?disabled=${this.busy || this.waitSeconds > 0}
          @click=${() => void this.requestReset(this.email)}>
          ${this.busy ? this.t('signIn.sending') : this.t('password.forgot.resend')}</button>
        <button class="button link" @click=${() => this.goTo('password')}>${this.t('password.forgot.back')}</button>
      </div>`;
  }

  private renderResetForm() {
    return html`
      <h2 tabindex="-1">${this.t('password.reset.title')}</h2>
      <p class="muted">${this.t('password.reset.intro')}</p>
      <form novalidate @submit=${this.onResetSubmit}>
        ${passwordField({
          id: 'new-password',
          label: this.t('password.new'),
          autocomplete: 'new-password',
          shown: this.showPassword,
          hint: this.t('password.newHint', { count: PASSWORD_MIN_LENGTH }),
          error: this.passwordError ?? undefined,
        })}
        ${showPasswordToggle('show-password', this.t('password.show'), this.showPassword, (shown) => {
          this.showPassword = shown;
        })}
        ${this.renderError()}
        <button class="button" part="button" type="submit" ?disabled=${this.busy}>
          ${this.busy ? this.t('password.saving') : this.t('password.reset.submit')}</button>
      </form>`;
  }

  private renderStep() {
    switch (this.step) {
      case 'sent':
        return this.renderSent();
      case 'forgot':
        return this.renderForgotForm();
      case 'forgot-sent':
        return this.renderForgotSent();
      case 'reset':
        return this.renderResetForm();
      case 'password':
        return this.renderPasswordForm();
      default:
        return this.renderEmailForm();
    }
  }

  private renderSent() {
    const details = this.problem?.details as { emailHint?: string } | undefined;
    return html`
      <h2 tabindex="-1">${this.t('signIn.checkInbox')}</h2>
      <p role="status">${this.t('signIn.sentTo', { email: this.email || details?.emailHint || '' })}</p>
      ${this.renderError()}
      ${this.renderWait()}
      <div class="actions">
        <button class="button secondary" part="button" ?disabled=${this.busy || this.waitSeconds > 0}
          @click=${this.resend}>${this.busy ? this.t('signIn.sending') : this.t('signIn.resend')}</button>
        ${
          this.managementToken && !this.email
            ? nothing
            : html`<button class="button link" @click=${() => this.goTo('email')}>${this.t('signIn.differentEmail')}</button>`
        }
      </div>`;
  }

  override render() {
    const management =
      this.step !== 'sent' &&
      this.managementToken &&
      hasCode(this.problem, 'login_link_required', 'email_not_verified');
    return html`<div class="card sign-in" part="card">${management ? this.renderManagement() : this.renderStep()}</div>`;
  }
}
