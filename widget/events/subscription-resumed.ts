import type { PortalSubscription } from '../internal/types';

/** The customer took back a pending cancellation, or ended a pause. */
export class ApSubscriptionResumedEvent extends Event {
  /** The subscription now. */
  readonly subscription: PortalSubscription;

  constructor(subscription: PortalSubscription) {
    super('ap-subscription-resumed', { bubbles: true, composed: true });
    this.subscription = subscription;
  }
}
