import type { PortalSubscription } from '../internal/types';

/** The customer changed a subscription's plan or quantity (applied now, or scheduled for the period's end), or undid a scheduled change. */
export class ApSubscriptionChangedEvent extends Event {
  constructor(readonly subscription: PortalSubscription) {
    super('ap-subscription-changed', { bubbles: true, composed: true });
  }
}
