import type { PortalSubscription } from '../internal/types';

/** The customer canceled a subscription (at the period's end, or immediately). `reason` is the survey answer. */
export class ApSubscriptionCanceledEvent extends Event {
  constructor(
    readonly subscription: PortalSubscription,
    readonly reason: string,
  ) {
    super('ap-subscription-canceled', { bubbles: true, composed: true });
  }
}
