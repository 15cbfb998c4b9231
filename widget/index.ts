/**
 * The widget's one side-effect module: importing it defines `<account-portal>` and
 * its parts (safely: loading it twice on a page is harmless) and exports the public
 * classes and event types.
 */
import { AccountPortal } from './account-portal/account-portal';
import { ApAccountForm } from './components/account-form/account-form';
import { ApLicenceKey } from './components/licence-key/licence-key';
import { ApOrderDetail } from './components/order-detail/order-detail';
import { ApOrders } from './components/orders/orders';
import { ApSignIn } from './components/sign-in/sign-in';

AccountPortal.define('account-portal');
ApSignIn.define('ap-sign-in');
ApOrders.define('ap-orders');
ApOrderDetail.define('ap-order-detail');
ApLicenceKey.define('ap-licence-key');
ApAccountForm.define('ap-account-form');

export { AccountPortal, ApAccountForm, ApLicenceKey, ApOrderDetail, ApOrders, ApSignIn };
export * from './events';
export type { PortalAccountView, PortalConfig, Theme } from './internal/types';
