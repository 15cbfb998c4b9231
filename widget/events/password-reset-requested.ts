/**
 * The portal asked the server to email a link to choose a new password ("Forgot your
 * password?"; the answer is the same whether or not the address has an account). A
 * refusal fires `ap-error` with `action` `request-password-reset`.
 */
export class ApPasswordResetRequestedEvent extends Event {
  /** The address the link goes to, if it has an account. */
  readonly email: string;

  constructor(email: string) {
    super('ap-password-reset-requested', { bubbles: true, composed: true });
    this.email = email;
  }
}
