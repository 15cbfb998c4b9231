import type { PortalSubscription } from '../internal/types';
import { ApRequestEvent, type RequestContinuation } from './request';

/**
 * The customer asked to change a subscription's plan or quantity ("Change plan or
 * quantity", or `#/subscriptions/{id}/change`), before the dialog opens.
 * Cancelable; `continue()` opens the dialog.
 */
export class ApRequestChangePlanEvent extends ApRequestEvent {
  /** The subscription as the customer sees it (`actions.change` is true). */
  readonly subscription: PortalSubscription;

  constructor(subscription: PortalSubscription, continuation: RequestContinuation) {
    super('ap-request-change-plan', continuation);
    this.subscription = subscription;
  }
}
