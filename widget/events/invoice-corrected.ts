import type { PortalInvoice } from '../internal/types';

/** The customer corrected the billing details on an order's invoice, which made a new revision of it. */
export class ApInvoiceCorrectedEvent extends Event {
  /** The invoice now: its number, `revision` and billing details. */
  readonly invoice: PortalInvoice;

  constructor(invoice: PortalInvoice) {
    super('ap-invoice-corrected', { bubbles: true, composed: true });
    this.invoice = invoice;
  }
}
