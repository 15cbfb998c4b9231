/**
 * The customer asked to add or replace a payment method. Cancelable: a host page
 * that runs its own processor's flow calls `preventDefault()`, shows its own form,
 * attaches the new token through the Server API and then calls the portal's
 * `refresh()`. `subscriptionId` is set when the method is for one subscription.
 */
export class ApRequestUpdatePaymentMethodEvent extends Event {
  constructor(readonly subscriptionId: string | null) {
    super('ap-request-update-payment-method', { bubbles: true, composed: true, cancelable: true });
  }
}
