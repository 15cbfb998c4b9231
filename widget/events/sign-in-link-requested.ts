/**
 * The portal asked the server to email a sign-in link (the server answers the same
 * whether or not the address has an account). A refusal (a link was sent moments
 * ago, too many from the network) fires `ap-error` with `action` `request-sign-in-link`.
 */
export class ApSignInLinkRequestedEvent extends Event {
  /** The address the customer typed; null when the link goes to the owner of a management URL. */
  readonly email: string | null;
  /** Whether it was "Send the link again". */
  readonly resend: boolean;

  constructor(email: string | null, resend: boolean) {
    super('ap-sign-in-link-requested', { bubbles: true, composed: true });
    this.email = email;
    this.resend = resend;
  }
}
