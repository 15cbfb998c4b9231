import type { PortalAccountView } from '../../server/schemas/portal';

/** Fired when a customer has signed in (by link, pre-authenticated URL, management URL or password). */
export class ApSignedInEvent extends Event {
  constructor(readonly account: PortalAccountView) {
    super('ap-signed-in', { bubbles: true, composed: true });
  }
}
