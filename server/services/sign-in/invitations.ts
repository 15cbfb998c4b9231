import type { Tx } from '../../db/client';
import type { Deps } from '../../deps';
import { invitationEmail } from '../../email/templates';
import { getLiveAccount } from '../accounts';
import { queueEmail } from '../../email/queue';
import { TOKEN_PARAM } from '../../contract';
import { issueManagementUrl, linkWithToken, portalUrl } from './portal-links';
import { limits } from './limits';
import { assertWithinLimits, recordHits } from './rate-limits';
import { issueToken } from './tokens';
import type { AccountRow, StoreRow } from '../../db/schema';
import { storeSettings } from '../../lib/store-settings';
import { quietObserver } from '../../lib/observer';

const invitationLimit = (store: StoreRow, account: AccountRow) => limits.invitations(store.id, account.id);

/** Sends an invitation through the Server API; more than 5 in 30 minutes is a 429. */
export async function inviteAccount(deps: Deps, store: StoreRow, accountId: string): Promise<{ expiresAt: Date }> {
  return await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const account = await getLiveAccount(tx, store.id, accountId);
    await assertWithinLimits(tx, [invitationLimit(store, account)], now, deps.metrics);
    return await queueInvitation(tx, store, account, deps.config.publicBaseUrl, now);
  });
}

/**
 * Sends an invitation because a subscription started (store setting
 * `inviteOnSubscription`), inside the order's transaction. Silently skipped when
 * the account was invited too often lately.
 */
export async function inviteOnSubscription(
  tx: Tx,
  store: StoreRow,
  account: AccountRow,
  publicBaseUrl: string,
  now: Date,
): Promise<void> {
  if (!storeSettings(store).inviteOnSubscription) return;
  try {
    // Nobody is refused here (the invitation is just not sent), so nothing is counted.
    await assertWithinLimits(tx, [invitationLimit(store, account)], now, quietObserver);
  } catch {
    return;
  }
  await queueInvitation(tx, store, account, publicBaseUrl, now);
}

async function queueInvitation(tx: Tx, store: StoreRow, account: AccountRow, publicBaseUrl: string, now: Date) {
  const ttlSeconds = storeSettings(store).invitationTtlSeconds;
  const { token, expiresAt } = await issueToken(
    tx,
    {
      storeId: store.id,
      accountId: account.id,
      purpose: 'invitation',
      ttlMs: ttlSeconds * 1000,
    },
    now,
  );
  const management = await issueManagementUrl(tx, store, account, publicBaseUrl, now);
  const email = invitationEmail(store, account, {
    url: linkWithToken(portalUrl(store, publicBaseUrl), TOKEN_PARAM, token),
    managementUrl: management.url,
    ttlSeconds,
  });
  await queueEmail(
    tx,
    {
      store,
      accountId: account.id,
      to: account.email,
      kind: 'invitation',
      email,
      linkExpiries: [expiresAt, management.expiresAt],
    },
    now,
  );
  await recordHits(tx, [invitationLimit(store, account)], now);
  return { expiresAt };
}
