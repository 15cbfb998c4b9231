/**
 * The widget package entry. The `<account-portal>` element comes with its own
 * issue; for now this module re-exports the API shapes the server returns, so the
 * widget and the server agree on them at compile time (types only, no server code).
 */
export type { AccountView } from '../server/schemas/accounts';
export type { OrderView } from '../server/schemas/orders';
export type { SubscriptionView } from '../server/schemas/subscriptions';
export type { PaymentMethodView } from '../server/schemas/payment-methods';
