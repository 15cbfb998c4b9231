import type { PortalSubscription } from '../internal/types';

/** The customer changed a subscription's plan or quantity (applied now, or scheduled for the period's end), or undid a scheduled change. */
export class ApSubscriptionChangedEvent extends Event {
  /** The subscription now. */
  readonly subscription: PortalSubscription;

  constructor(subscription: PortalSubscription) {
    super('ap-subscription-changed', { bubbles: true, composed: true });
    this.subscription = subscription;
  }
}
