/** Fired when the portal moved to another screen; `route` is the path without `#` (`/orders/ord_…`). */
export class ApNavigateEvent extends Event {
  /** The new screen's path, such as `/orders/ord_…` or `/subscriptions/sub_…/cancel`. */
  readonly route: string;

  constructor(route: string) {
    super('ap-navigate', { bubbles: true, composed: true });
    this.route = route;
  }
}
