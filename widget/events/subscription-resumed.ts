import type { PortalSubscription } from '../internal/types';

/** The customer took back a pending cancellation, or ended a pause. */
export class ApSubscriptionResumedEvent extends Event {
  constructor(readonly subscription: PortalSubscription) {
    super('ap-subscription-resumed', { bubbles: true, composed: true });
  }
}
