/** The orders domain: what routes and other domains use of it. */
export { recordChargeOrder, type ChargeLine } from './charge-orders';
export { getPortalOrder, listPortalOrders } from './customer-view';
export { createDownloadLink, resolveDownloadLink } from './downloads';
export { getOrderView, listOrderViews } from './merchant-view';
export { generateReference, nextInvoiceNumber } from './numbering';
