import type { PortalSubscription } from '../internal/types';
import { ApRequestEvent, type RequestContinuation } from './request';

/**
 * The customer asked to pause a subscription ("Pause subscription", or
 * `#/subscriptions/{id}/pause`), before the dialog opens. Cancelable; `continue()`
 * opens the dialog.
 */
export class ApRequestPauseSubscriptionEvent extends ApRequestEvent {
  /** The subscription as the customer sees it (`actions.pause` is true). */
  readonly subscription: PortalSubscription;

  constructor(subscription: PortalSubscription, continuation: RequestContinuation) {
    super('ap-request-pause-subscription', continuation);
    this.subscription = subscription;
  }
}
