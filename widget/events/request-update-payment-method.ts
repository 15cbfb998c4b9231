import { ApRequestEvent, type RequestContinuation } from './request';

/**
 * The customer asked to add or replace a payment method. Cancelable: a host page
 * that runs its own processor's flow calls `preventDefault()`, shows its own form,
 * attaches the new token through the Server API and then calls the portal's
 * `refresh()`; or calls `continue()` to show the portal's own card form after all.
 */
export class ApRequestUpdatePaymentMethodEvent extends ApRequestEvent {
  /** The subscription the method is for, when it is for one (`sub_…`), else null. */
  readonly subscriptionId: string | null;

  constructor(subscriptionId: string | null, continuation: RequestContinuation) {
    super('ap-request-update-payment-method', continuation);
    this.subscriptionId = subscriptionId;
  }
}
