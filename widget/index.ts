/**
 * The widget's one side-effect module: importing it defines `<account-portal>` and
 * its parts (safely: loading it twice on a page is harmless) and exports the public
 * classes and event types.
 */
import { AccountPortal } from './account-portal/account-portal';
import { ApAccountForm } from './components/account-form/account-form';
import { ApDialog } from './components/dialog/dialog';
import { ApLicenceKey, ApLicenseKey } from './components/license-key/license-key';
import { ApOrderDetail } from './components/order-detail/order-detail';
import { ApOrderInvoice } from './components/order-invoice/order-invoice';
import { ApOrders } from './components/orders/orders';
import { ApPaymentMethodSetup } from './components/payment-method-setup/payment-method-setup';
import { ApPaymentMethods } from './components/payment-methods/payment-methods';
import { ApSignIn } from './components/sign-in/sign-in';
import { ApSubscriptionDetail } from './components/subscription-detail/subscription-detail';
import { ApSubscriptions } from './components/subscriptions/subscriptions';

AccountPortal.define('account-portal');
ApSignIn.define('ap-sign-in');
ApOrders.define('ap-orders');
ApOrderDetail.define('ap-order-detail');
ApOrderInvoice.define('ap-order-invoice');
ApLicenseKey.define('ap-license-key');
// The old name, so that pages written for it keep working.
ApLicenceKey.define('ap-licence-key');
ApAccountForm.define('ap-account-form');
ApDialog.define('ap-dialog');
ApPaymentMethods.define('ap-payment-methods');
ApPaymentMethodSetup.define('ap-payment-method-setup');
ApSubscriptions.define('ap-subscriptions');
ApSubscriptionDetail.define('ap-subscription-detail');

export { AccountPortal, ApAccountForm, ApDialog, ApLicenceKey, ApLicenseKey, ApOrderDetail, ApOrderInvoice, ApOrders, ApPaymentMethodSetup, ApPaymentMethods, ApSignIn,
  ApSubscriptionDetail, ApSubscriptions };
export * from './events';
export type { PortalAccountView, PortalConfig, Theme } from './internal/types';
