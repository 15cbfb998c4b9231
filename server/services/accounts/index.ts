/** The accounts domain: what routes and other domains use of it. */
export {
  createAccount,
  findAccountByEmail,
  getAccount,
  insertAccount,
  listAccounts,
  normaliseEmail,
  rememberProcessorCustomer,
  toAccountView,
  updateAccount,
  useBillingDetailsForFuture,
} from './accounts';
export { replaceOwnBillingDetails, toPortalAccountView, updateOwnContact } from './customer-view';
