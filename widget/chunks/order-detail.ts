/** The order screen's chunk: loaded the first time a customer opens an order. */
import { ApLicenceKey, ApLicenseKey } from '../components/license-key/license-key';
import { ApOrderDetail } from '../components/order-detail/order-detail';
import { ApOrderInvoice } from '../components/order-invoice/order-invoice';

ApOrderDetail.define('ap-order-detail');
ApOrderInvoice.define('ap-order-invoice');
ApLicenseKey.define('ap-license-key');
// The old name, so that pages written for it keep working.
ApLicenceKey.define('ap-licence-key');
