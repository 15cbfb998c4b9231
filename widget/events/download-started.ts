/** What a download is: a purchased file, an invoice (PDF or e-invoice XML) or a credit note. */
export type DownloadKind = 'file' | 'invoice' | 'e-invoice' | 'credit-note';

/**
 * A download was handed to the browser: a purchased file (through a signed link
 * valid 5 minutes), an invoice PDF or e-invoice, or a credit note. A failed one
 * fires `ap-error` instead, with `action` `download-file`, `download-invoice`,
 * `download-e-invoice` or `download-credit-note`.
 */
export class ApDownloadStartedEvent extends Event {
  /** What was downloaded. */
  readonly kind: 'file' | 'invoice' | 'e-invoice' | 'credit-note';
  /** The order it belongs to (`ord_…`). */
  readonly orderId: string;
  /** The fulfilment (`file`) or credit note (`credit-note`, or `e-invoice` of a credit note) it is; null for the invoice's. */
  readonly documentId: string | null;
  /** The file name the browser was given, when the portal knows it. */
  readonly fileName: string | null;

  constructor(kind: DownloadKind, orderId: string, documentId: string | null, fileName: string | null) {
    super('ap-download-started', { bubbles: true, composed: true });
    this.kind = kind;
    this.orderId = orderId;
    this.documentId = documentId;
    this.fileName = fileName;
  }
}
