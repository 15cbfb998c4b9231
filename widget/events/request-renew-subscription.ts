import type { PortalSubscription } from '../internal/types';
import { ApRequestEvent, type RequestContinuation } from './request';

/**
 * The customer asked to renew a manual-renewal subscription now ("Renew now"), before
 * the dialog that pays the next period opens. Cancelable: a host with its own
 * checkout takes the payment itself; `continue()` opens the dialog.
 */
export class ApRequestRenewSubscriptionEvent extends ApRequestEvent {
  /** The subscription as the customer sees it (`actions.renew` is true). */
  readonly subscription: PortalSubscription;

  constructor(subscription: PortalSubscription, continuation: RequestContinuation) {
    super('ap-request-renew-subscription', continuation);
    this.subscription = subscription;
  }
}
