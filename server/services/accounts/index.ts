/** The accounts domain: what routes and other domains use of it. */
export {
  anonymiseAccount,
  assertLive,
  createAccount,
  deletedAccountEmail,
  findAccountByEmail,
  getAccount,
  getLiveAccount,
  insertAccount,
  listAccounts,
  normaliseEmail,
  rememberProcessorCustomer,
  toAccountView,
  updateAccount,
  useBillingDetailsForFuture,
} from './accounts';
export { replaceOwnBillingDetails, toPortalAccountView, updateOwnContact } from './customer-view';
