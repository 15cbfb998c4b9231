import type { ChargeSummary } from '../../server/schemas/subscription-actions';
import type { PortalSubscription } from '../internal/types';

/** The customer paid the next period of a manual-renewal (or overdue) subscription with "Renew now". */
export class ApSubscriptionRenewedEvent extends Event {
  /** The subscription now, with its new period. */
  readonly subscription: PortalSubscription;
  /** What was charged: `total` and `currency`, the order and its invoice number. */
  readonly charge: ChargeSummary | null;

  constructor(subscription: PortalSubscription, charge: ChargeSummary | null) {
    super('ap-subscription-renewed', { bubbles: true, composed: true });
    this.subscription = subscription;
    this.charge = charge;
  }
}
