import { consume } from '@lit/context';
import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { portalContext, type PortalServices } from '../../context/portal-context';
import { ApiError } from '../../internal/api-client';
import type { MessageKey } from '../../internal/localizer';
import { PortalElement } from '../../internal/portal-element';
import { hasCode, problemText, type ProblemOverrides } from '../../internal/problem-text';
import { formatRoute, type Route } from '../../internal/routes';
import { componentStyles } from '../../styles/component.styles';
import { styles } from './sign-in.styles';

type Step = 'email' | 'password' | 'sent';

/** What a failed sign-in means here: the email is the only field, and a limit hit means a link went out just now. */
const signInProblems: ProblemOverrides = {
  validation_failed: 'signIn.errors.invalid_email',
  rate_limited: 'signIn.errors.rate_limited',
};

/**
 * The sign-in screens: email → "check your inbox" (with a resend button that waits
 * out `Retry-After`), optional password sign-in, and the management-URL cases
 * (a new device, or an email not yet verified) that offer to send a link.
 *
 * @summary Sign-in screens of `<account-portal>`.
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

  @state() private step: Step = 'email';
  @state() private email = '';
  @state() private busy = false;
  @state() private error: string | null = null;
  @state() private waitSeconds = 0;

  @query('h2') private heading?: HTMLElement;
  private countdown?: ReturnType<typeof setInterval>;
  private moveFocus = false;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.countdown);
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('step') && this.moveFocus) {
      this.moveFocus = false;
      this.heading?.focus();
    }
  }

  private t(key: MessageKey, options?: Record<string, unknown>) {
    return this.services.i18n.t(key, options);
  }

  private messageFor(error: unknown): string {
    return problemText(error, this.services.i18n, signInProblems);
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
  private async requestLink(body: { email: string } | { managementToken: string }): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      const returnTo = this.returnTo ? formatRoute(this.returnTo) : undefined;
      await this.services.api.request('/login-links', { method: 'POST', body: { ...body, returnTo }, auth: false });
      this.moveFocus = this.step !== 'sent';
      this.step = 'sent';
    } catch (error) {
      if (error instanceof ApiError && error.retryAfter) this.wait(error.retryAfter);
      this.error = this.messageFor(error);
      this.services.reportError(error);
    } finally {
      this.busy = false;
    }
  }

  private onEmailSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('email') as HTMLInputElement;
    this.email = input.value.trim();
    if (!input.checkValidity() || !this.email) {
      this.error = this.t('signIn.errors.invalid_email');
      input.focus();
      return;
    }
    void this.requestLink({ email: this.email });
  }

  private async onPasswordSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value;
    this.busy = true;
    this.error = null;
    try {
      await this.services.session.signInWithPassword(value('email').trim(), value('password'));
    } catch (error) {
      this.error = this.messageFor(error);
      this.services.reportError(error);
    } finally {
      this.busy = false;
    }
  }

  private resend(): void {
    void this.requestLink(
      this.managementToken && !this.email ? { managementToken: this.managementToken } : { email: this.email },
    );
  }

  private renderError() {
    return this.error ? html`<p id="error" class="error" role="alert">${this.error}</p>` : nothing;
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
        <label for="email">${this.t('signIn.email')}</label>
        <input id="email" name="email" type="email" autocomplete="email" required .value=${this.email}
          aria-invalid=${this.error ? 'true' : 'false'} aria-describedby=${this.error ? 'error' : nothing}>
        ${this.renderError()}
        <button class="button" part="button" type="submit" ?disabled=${this.busy || this.waitSeconds > 0}>
          ${this.busy ? this.t('signIn.sending') : this.t('signIn.submit')}</button>
      </form>
      ${this.waitSeconds > 0 ? html`<p class="muted">${this.t('signIn.resendIn', { count: this.waitSeconds })}</p>` : nothing}
      ${
        this.services.config?.features.passwordLogin
          ? html`
        <button class="button link" @click=${() => {
          this.step = 'password';
          this.error = null;
        }}>${this.t('signIn.withPassword')}</button>`
          : nothing
      }`;
  }

  private renderPasswordForm() {
    return html`
      <h2 tabindex="-1">${this.t('signIn.title')}</h2>
      <form novalidate @submit=${this.onPasswordSubmit}>
        <label for="pw-email">${this.t('signIn.email')}</label>
        <input id="pw-email" name="email" type="email" autocomplete="username" required .value=${this.email}>
        <label for="password">${this.t('signIn.password')}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required
          aria-describedby=${this.error ? 'error' : nothing}>
        ${this.renderError()}
        <button class="button" part="button" type="submit" ?disabled=${this.busy}>${this.t('signIn.passwordSubmit')}</button>
      </form>
      <button class="button link" @click=${() => {
        this.step = 'email';
        this.error = null;
      }}>${this.t('signIn.withLink')}</button>`;
  }

  private renderSent() {
    const details = this.problem?.details as { emailHint?: string } | undefined;
    return html`
      <h2 tabindex="-1">${this.t('signIn.checkInbox')}</h2>
      <p role="status">${this.t('signIn.sentTo', { email: this.email || details?.emailHint || '' })}</p>
      ${this.renderError()}
      ${this.waitSeconds > 0 ? html`<p class="muted">${this.t('signIn.resendIn', { count: this.waitSeconds })}</p>` : nothing}
      <div class="actions">
        <button class="button secondary" part="button" ?disabled=${this.busy || this.waitSeconds > 0}
          @click=${this.resend}>${this.busy ? this.t('signIn.sending') : this.t('signIn.resend')}</button>
        ${
          this.managementToken && !this.email
            ? nothing
            : html`
          <button class="button link" @click=${() => {
            this.moveFocus = true;
            this.step = 'email';
            this.error = null;
          }}>
            ${this.t('signIn.differentEmail')}</button>`
        }
      </div>`;
  }

  override render() {
    const management = this.managementToken && hasCode(this.problem, 'login_link_required', 'email_not_verified');
    const body =
      this.step === 'sent'
        ? this.renderSent()
        : management
          ? this.renderManagement()
          : this.step === 'password'
            ? this.renderPasswordForm()
            : this.renderEmailForm();
    return html`<div class="card sign-in" part="card">${body}</div>`;
  }
}
