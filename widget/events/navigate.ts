/** Fired when the portal moved to another screen; `route` is the path without `#` (`/orders/ord_…`). */
export class ApNavigateEvent extends Event {
  constructor(readonly route: string) {
    super('ap-navigate', { bubbles: true, composed: true });
  }
}
