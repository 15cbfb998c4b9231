/** The orders domain: what routes and other domains use of it. */
export { recordChargeOrder, type ChargeLine } from './charge-orders';
export { getPortalOrder, listPortalOrders } from './customer-view';
export { anonymiseCustomerOrders, keptRecords, type KeptRecords } from './customer-erasure';
export { exportCustomerInvoices, exportCustomerOrders } from './customer-export';
export { assertFetchableDownloads, createDownloadLink, openDownloadLink, type DownloadTarget } from './downloads';
export { fetchPrivateDownload } from './private-downloads';
export { revokeFulfilment, revokeOrderFulfilments } from './revocations';
export { getOrderView, invoiceNumberOf, listOrderViews } from './merchant-view';
export { issueInvoice } from './invoices/issue';
export { issueMissingInvoices } from './invoices/backfill';
export { generateReference } from './numbering';
export {
  customerInvoicePdf,
  customerInvoiceXml,
  getCustomerInvoice,
  getMerchantInvoice,
  merchantInvoicePdf,
  merchantInvoiceXml,
} from './invoices/access';
export { correctInvoice } from './invoices/corrections';
export { invoiceDocument, paperOf, renderInvoicePdf, type DocumentPdf } from './invoices/pdf';
export { customerCreditNotePdf, issueCreditNote, merchantCreditNotePdf } from './credit-notes';
export { creditNoteSource, customerCreditNoteXml, merchantCreditNoteXml } from './credit-note-xml';
export {
  creditNoteAttachment,
  invoiceAttachment,
  issuedInvoiceAttachment,
  renderAttachedDocument,
} from './attachments';
export { toEInvoice, type EInvoiceKind, type EInvoiceLine, type EInvoiceSource } from './invoices/e-invoice';
export { invoiceSource, renderInvoiceXml, renderUbl, type InvoiceXml } from './invoices/e-invoice-xml';
