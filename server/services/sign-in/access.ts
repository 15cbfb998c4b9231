import type { Tx } from '../../db/client';
import type { Deps } from '../../deps';
import { notFound } from '../../lib/errors';
import { getAccount } from '../accounts';
import { recordActivity } from '../activity';
import { revokeDevices } from './devices';
import { endAllSessions } from './sessions';
import { deleteToken, deleteUsableTokens } from './tokens';

/** What ending an account's access ended. */
export interface EndedAccess {
  sessions: number;
  links: number;
  devices: number;
}

/**
 * Ends every way into an account that does not prove the mailbox again, in one
 * transaction: its sessions; every link that could still be used — unused login
 * links, invitations, pre-authenticated URLs, management URLs and download links;
 * and its remembered devices. Afterwards the customer gets in only with a new login
 * link (or a new URL from the merchant, or their password if they set one).
 */
export async function endAccountAccess(
  deps: Pick<Deps, 'db' | 'clock'>,
  storeId: string,
  accountId: string,
): Promise<EndedAccess> {
  return await deps.db.transaction(async (tx) => {
    const account = await getAccount(tx, storeId, accountId);
    const now = deps.clock.now();
    const ended = await endAccessInTransaction(tx, storeId, account.id, now);
    const entry = { storeId, accountId: account.id, kind: 'access_ended', actor: 'merchant' } as const;
    await recordActivity(tx, { ...entry, details: { sessions: ended.sessions } }, now);
    return ended;
  });
}

/** {@link endAccountAccess} inside the caller's transaction (erasing an account does it too). */
export async function endAccessInTransaction(
  tx: Tx,
  storeId: string,
  accountId: string,
  now: Date,
): Promise<EndedAccess> {
  return {
    sessions: await endAllSessions(tx, storeId, accountId, now),
    links: await deleteUsableTokens(tx, storeId, accountId),
    devices: await revokeDevices(tx, storeId, accountId, now),
  };
}

/**
 * Revokes one pre-authenticated URL the merchant issued for an account. Revoking
 * one that was used already changes nothing (end the account's access for that);
 * an id that is not such a URL of this account and store is a 404.
 */
export async function revokeAuthenticateUrl(
  deps: Pick<Deps, 'db'>,
  storeId: string,
  accountId: string,
  urlId: string,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const account = await getAccount(tx, storeId, accountId);
    if (!(await deleteToken(tx, storeId, account.id, 'authenticate', urlId)))
      throw notFound('Pre-authenticated URL', { urlId });
  });
}
