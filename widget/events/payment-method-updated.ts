import type { PortalPaymentMethod } from '../internal/types';

/** The customer added, removed or chose a payment method (as default, or for a subscription). */
export class ApPaymentMethodUpdatedEvent extends Event {
  constructor(readonly paymentMethods: PortalPaymentMethod[]) {
    super('ap-payment-method-updated', { bubbles: true, composed: true });
  }
}
