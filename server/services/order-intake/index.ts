/** Recording the merchant's completed orders: accounts, orders, subscriptions and payment methods in one transaction. */
export { recordOrder, recordOrderThen } from './intake';
