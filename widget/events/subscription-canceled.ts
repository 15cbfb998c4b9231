import type { PortalSubscription } from '../internal/types';

/** The customer canceled a subscription (at the period's end, or immediately). `reason` is the survey answer. */
export class ApSubscriptionCanceledEvent extends Event {
  /** The subscription now (`pending_cancellation`, or `canceled`). */
  readonly subscription: PortalSubscription;
  /** The survey's reason code (`too_expensive`, `unused`, …). */
  readonly reason: string;

  constructor(subscription: PortalSubscription, reason: string) {
    super('ap-subscription-canceled', { bubbles: true, composed: true });
    this.subscription = subscription;
    this.reason = reason;
  }
}
