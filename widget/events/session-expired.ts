/** Fired when the server reports the session expired; the widget then asks the customer to sign in again. */
export class ApSessionExpiredEvent extends Event {
  constructor(readonly route: string) {
    super('ap-session-expired', { bubbles: true, composed: true });
  }
}
