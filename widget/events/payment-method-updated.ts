import type { PortalPaymentMethod } from '../internal/types';

/** The customer added, removed or chose a payment method (as default, or for a subscription). */
export class ApPaymentMethodUpdatedEvent extends Event {
  /** The customer's saved payment methods afterwards, default first. */
  readonly paymentMethods: PortalPaymentMethod[];

  constructor(paymentMethods: PortalPaymentMethod[]) {
    super('ap-payment-method-updated', { bubbles: true, composed: true });
    this.paymentMethods = paymentMethods;
  }
}
