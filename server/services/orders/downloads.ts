import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { fulfilments } from '../../db/schema';
import type { Deps } from '../../deps';
import { MINUTE } from '../../lib/clock';
import { notFound } from '../../lib/errors';
import { findLiveToken, issueToken } from '../sign-in';

/** How long a signed download link works. */
export const DOWNLOAD_LINK_TTL_MS = 5 * MINUTE;

/** Where download links point; `GET` there redirects to the file. */
export const DOWNLOADS_PATH = '/downloads';

/**
 * A download fulfilment owned by the account (the purchaser of an ordinary order,
 * the recipient of a gift), or undefined. The gift's purchaser never owns one.
 */
function findOwnedDownload(db: DbOrTx, storeId: string, accountId: string, fulfilmentId: string) {
  const row = db.select().from(fulfilments).where(and(
    eq(fulfilments.storeId, storeId), eq(fulfilments.id, fulfilmentId), eq(fulfilments.accountId, accountId),
    eq(fulfilments.type, 'download'),
  )).get();
  return row?.downloadUrl ? { ...row, downloadUrl: row.downloadUrl } : undefined;
}

/**
 * Issues a signed link to one of the account's downloads, valid for 5 minutes and
 * usable several times within them (browsers retry downloads). Anything that is
 * not the account's own download is a 404.
 */
export function createDownloadLink(deps: Deps, storeId: string, accountId: string, fulfilmentId: string) {
  return deps.db.transaction((tx) => {
    if (!findOwnedDownload(tx, storeId, accountId, fulfilmentId)) throw notFound('Download', { fulfilmentId });
    const { token, expiresAt } = issueToken(tx, {
      storeId, accountId, purpose: 'download', subjectId: fulfilmentId, ttlMs: DOWNLOAD_LINK_TTL_MS,
    }, deps.clock.now());
    return { url: `${deps.config.publicBaseUrl}${DOWNLOADS_PATH}/${token}`, expiresAt: expiresAt.toISOString() };
  });
}

/**
 * The file URL a download link points to, or undefined when the link is unknown,
 * expired, or its fulfilment no longer belongs to the account it was issued to.
 */
export function resolveDownloadLink(db: DbOrTx, token: string, now: Date): string | undefined {
  const row = findLiveToken(db, token, 'download', now);
  if (!row?.subjectId) return undefined;
  return findOwnedDownload(db, row.storeId, row.accountId, row.subjectId)?.downloadUrl;
}
