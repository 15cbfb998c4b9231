/** The billing domain: what routes and other domains use of it. */
export {
  attachPaymentMethod,
  listPaymentMethods,
  listPortalPaymentMethods,
  removePaymentMethod,
  savePaymentMethod,
  setDefaultPaymentMethod,
  setSubscriptionPaymentMethod,
  toPaymentMethodView,
} from './payment-methods/payment-methods';
export { anonymiseCustomerBilling, forgetAtProcessor, liveSubscriptionIds } from './customer-erasure';
export { exportCustomerPaymentMethods, exportCustomerRefunds, exportCustomerSubscriptions } from './customer-export';
export { handleGatewayEvent, type GatewayEventOutcome } from './gateway-events';
export { completePaymentSetup, setupForPage, setupParentOrigins, startPaymentSetup } from './payment-methods/setups';
export { emptySummary, runRenewals, type RenewalSummary } from './renewals/run';
export { createRenewalWorker } from './renewals/worker';
export { runReminders, type ReminderSummary } from './reminders/run';
export { createReminderWorker } from './reminders/worker';
export { type Actor } from './subscription-record';
export { cancelSubscription, listCancellationReasons, resumeSubscription } from './subscriptions/cancellations';
export { chargeSummary, type ChargeAttempt } from './subscriptions/charge-outcomes';
export {
  confirmAuthentication,
  startAuthentication,
  type AuthenticationOutcome,
} from './subscriptions/payment-actions';
export { getPortalSubscription, listPortalSubscriptions } from './subscriptions/customer-view';
export { renewNow } from './subscriptions/manual-renewal';
export { pauseSubscription, unpauseSubscription } from './subscriptions/pauses';
export { applyPlanChange, undoScheduledChange } from './subscriptions/plan-change-confirm';
export { listPlanOptions, previewPlanChange } from './subscriptions/plan-change-quotes';
export {
  listSubscriptions,
  loadSubscriptionView,
  startSubscription,
  taxRatePpm,
  toSubscriptionView,
  toSubscriptionViews,
} from './subscriptions/subscriptions';
export { listRefunds, refundOrder, settlePendingRefunds } from './refunds/refunds';
