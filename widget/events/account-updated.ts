import type { PortalAccountView } from '../../server/schemas/portal';

/** Fired when the customer saved changes to their contact data or billing details. */
export class ApAccountUpdatedEvent extends Event {
  constructor(readonly account: PortalAccountView) {
    super('ap-account-updated', { bubbles: true, composed: true });
  }
}
