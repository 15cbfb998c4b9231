import type { Deps } from '../../deps';
import { invalid } from '../../lib/errors';
import { postalCodeProblem } from '../../lib/postal-codes';
import type { PortalAccountView, PortalBillingInput, PortalContactInput } from '../../schemas/portal';
import { toAccountView, updateAccount } from './accounts';
import type { AccountRow } from '../../db/schema';

/** The account as its owner sees it: no merchant-internal id, whether a password is set. */
export function toPortalAccountView(row: AccountRow): PortalAccountView {
  const { customUserId: _merchantOnly, deletedAt: _signedInIsLive, ...view } = toAccountView(row);
  return { ...view, hasPassword: row.passwordHash !== null };
}

/**
 * Changes the contact data the customer sent about themselves and emits
 * `account.updated` when anything changed. When the country or the postal code
 * changes, the two together must be plausible (a field error otherwise).
 */
export async function updateOwnContact(
  deps: Deps,
  account: AccountRow,
  input: PortalContactInput,
): Promise<AccountRow> {
  const postalCode = input.address?.postalCode;
  if (input.country !== undefined || postalCode !== undefined) {
    const problem = postalCodeProblem(
      input.country === undefined ? account.country : input.country,
      postalCode === undefined ? account.addressPostalCode : postalCode,
    );
    if (problem) {
      throw invalid('The request body is invalid.', [
        { field: 'address.postalCode', code: 'invalid_postal_code', message: problem },
      ]);
    }
  }
  return await updateAccount(deps, account.storeId, account.id, input, 'customer');
}

/** Replaces the customer's billing details as a whole and emits `account.updated` when anything changed. */
export async function replaceOwnBillingDetails(
  deps: Deps,
  account: AccountRow,
  input: PortalBillingInput,
): Promise<AccountRow> {
  return await updateAccount(deps, account.storeId, account.id, { billingDetails: input }, 'customer');
}
