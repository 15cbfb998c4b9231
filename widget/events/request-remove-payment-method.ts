import type { PortalPaymentMethod } from '../internal/types';
import { ApRequestEvent, type RequestContinuation } from './request';

/**
 * The customer asked to remove a saved card ("Remove"), before the confirmation
 * dialog opens. Cancelable; `continue()` opens the dialog.
 */
export class ApRequestRemovePaymentMethodEvent extends ApRequestEvent {
  /** The card, with the subscriptions it pays for and the one that would take over (`successorId`). */
  readonly paymentMethod: PortalPaymentMethod;

  constructor(paymentMethod: PortalPaymentMethod, continuation: RequestContinuation) {
    super('ap-request-remove-payment-method', continuation);
    this.paymentMethod = paymentMethod;
  }
}
