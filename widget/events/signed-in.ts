import type { PortalAccountView } from '../../server/schemas/portal';

/** Fired when a customer has signed in (by link, pre-authenticated URL, management URL, password or password reset). */
export class ApSignedInEvent extends Event {
  /** The signed-in account. */
  readonly account: PortalAccountView;

  constructor(account: PortalAccountView) {
    super('ap-signed-in', { bubbles: true, composed: true });
    this.account = account;
  }
}
