import type { PortalSubscription } from '../internal/types';

/** The customer paused a subscription. */
export class ApSubscriptionPausedEvent extends Event {
  constructor(readonly subscription: PortalSubscription) {
    super('ap-subscription-paused', { bubbles: true, composed: true });
  }
}
