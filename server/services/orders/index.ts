/** The orders domain: what routes and other domains use of it. */
export { recordChargeOrder, type ChargeLine } from './charge-orders';
export { getPortalOrder, listPortalOrders } from './customer-view';
export { assertFetchableDownloads, createDownloadLink, openDownloadLink, type DownloadTarget } from './downloads';
export { fetchPrivateDownload } from './private-downloads';
export { revokeFulfilment } from './revocations';
export { getOrderView, listOrderViews } from './merchant-view';
export { generateReference, nextInvoiceNumber } from './numbering';
