/** Fired when the server reports the session expired; the widget then asks the customer to sign in again. */
export class ApSessionExpiredEvent extends Event {
  /** Where the customer was (`/subscriptions/sub_…`); the emailed link brings them back there. */
  readonly route: string;

  constructor(route: string) {
    super('ap-session-expired', { bubbles: true, composed: true });
    this.route = route;
  }
}
