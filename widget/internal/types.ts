/**
 * The Portal API shapes the widget reads. Types only: the widget never imports
 * server code at run time, so both halves agree at compile time and the bundle
 * carries none of it.
 */
export type { PortalAccountView, PortalConfigView as PortalConfig } from '../../server/schemas/portal';
export type { Theme } from '../../server/lib/theme';
export type { PortalPaymentMethodView as PortalPaymentMethod } from '../../server/schemas/payment-methods';
export type { PortalSubscriptionView as PortalSubscription } from '../../server/schemas/subscriptions';
export type { InvoiceView as PortalInvoice } from '../../server/schemas/invoices';
export type { SessionScopeView as SessionScope } from '../../server/schemas/session-scope';
export type { ActivityView as PortalActivityEntry } from '../../server/schemas/activity';
