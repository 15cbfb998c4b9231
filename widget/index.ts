/**
 * The widget's entry module: importing it defines `<account-portal>`, its sign-in
 * screen and the orders list (safely: loading it twice on a page is harmless), and
 * exports the public classes and event types. The other screens (an order, the
 * subscriptions, payment methods and account tabs with the activity log, and their dialogs) are chunks
 * that `<account-portal>` loads the first time it shows them (internal/lazy-elements.ts);
 * their classes are exported here as types.
 */
// First: it starts what the page's portal needs before the rest of the entry runs.
import './internal/start-early';
import { AccountPortal } from './account-portal/account-portal';
import { ApOrders } from './components/orders/orders';
import { ApSignIn } from './components/sign-in/sign-in';

AccountPortal.define('account-portal');
ApSignIn.define('ap-sign-in');
ApOrders.define('ap-orders');

export { AccountPortal, ApOrders, ApSignIn };
export type { ApAccountForm } from './components/account-form/account-form';
export type { ApActivity } from './components/activity/activity';
export type { ApDialog } from './components/dialog/dialog';
export type { ApLicenceKey, ApLicenseKey } from './components/license-key/license-key';
export type { ApOrderDetail } from './components/order-detail/order-detail';
export type { ApOrderInvoice } from './components/order-invoice/order-invoice';
export type { ApPaymentMethodSetup } from './components/payment-method-setup/payment-method-setup';
export type { ApPasswordSettings } from './components/password-settings/password-settings';
export type { ApPaymentMethods } from './components/payment-methods/payment-methods';
export type { ApSubscriptionDetail } from './components/subscription-detail/subscription-detail';
export type { ApSubscriptions } from './components/subscriptions/subscriptions';
export * from './events';
export type { ChargeSummary } from '../server/schemas/subscription-actions';
export type {
  PortalAccountView,
  PortalActivityEntry,
  PortalConfig,
  PortalInvoice,
  PortalPaymentMethod,
  PortalSubscription,
  SessionScope,
  Theme,
} from './internal/types';
