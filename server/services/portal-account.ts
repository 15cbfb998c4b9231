import type { PortalAccountView } from '../schemas/portal';
import { toAccountView, type AccountRow } from './accounts';

/** The account as its owner sees it: no merchant-internal id, whether a password is set. */
export function toPortalAccountView(row: AccountRow): PortalAccountView {
  const { customUserId: _merchantOnly, ...view } = toAccountView(row);
  return { ...view, hasPassword: row.passwordHash !== null };
}
