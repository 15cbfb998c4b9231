import type { PortalSubscription } from '../internal/types';

/** The customer paused a subscription. */
export class ApSubscriptionPausedEvent extends Event {
  /** The subscription now, with its `pause`. */
  readonly subscription: PortalSubscription;

  constructor(subscription: PortalSubscription) {
    super('ap-subscription-paused', { bubbles: true, composed: true });
    this.subscription = subscription;
  }
}
