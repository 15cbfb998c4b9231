import type { PortalSubscription } from '../internal/types';
import { ApRequestEvent, type RequestContinuation } from './request';

/**
 * The customer asked to cancel a subscription ("Cancel subscription", or a link to
 * `#/subscriptions/{id}/cancel`), before the cancellation dialog opens. Cancelable:
 * a host that shows a retention offer calls `preventDefault()`, then `continue()`
 * to open the dialog after all, or `refresh()` on the portal once it changed the
 * subscription itself.
 */
export class ApRequestCancelSubscriptionEvent extends ApRequestEvent {
  /** The subscription as the customer sees it (`actions.cancel` is true). */
  readonly subscription: PortalSubscription;

  constructor(subscription: PortalSubscription, continuation: RequestContinuation) {
    super('ap-request-cancel-subscription', continuation);
    this.subscription = subscription;
  }
}
