import type { PortalAccountView } from '../../server/schemas/portal';

/** Fired when the customer saved changes to their contact data or billing details. */
export class ApAccountUpdatedEvent extends Event {
  /** The account as saved. */
  readonly account: PortalAccountView;

  constructor(account: PortalAccountView) {
    super('ap-account-updated', { bubbles: true, composed: true });
    this.account = account;
  }
}
