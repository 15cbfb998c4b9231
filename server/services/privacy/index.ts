/** The privacy domain: a customer's data export, and erasing an account. What routes use of it. */
export { eraseAccount } from './erasure';
export { EXPORT_LIMIT, exportAccount, exportFileName } from './export';
