import { first } from '../../db/query';
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { fulfilments, orders } from '../../db/schema';
import type { Deps } from '../../deps';
import { MINUTE } from '../../lib/clock';
import { signDownloadUrl } from '../../lib/download-signing';
import { addressPolicy } from '../../lib/addresses';
import { invalid, notFound, problem } from '../../lib/errors';
import { hostRefusal } from '../../lib/outbound';
import { storeSettings } from '../../lib/store-settings';
import type { OrderCreateInput } from '../../schemas/orders';
import { findLiveToken, issueToken } from '../sign-in';
import { downloadSigningSecret, getStore } from '../stores';

/** How long a download link works; a signed redirect target expires with it. */
export const DOWNLOAD_LINK_TTL_MS = 5 * MINUTE;

/** Where download links point; `GET` there redirects to the file or streams it. */
export const DOWNLOADS_PATH = '/downloads';

/** How a download reaches the customer (see `fulfilments.delivery`). */
export type DownloadDelivery = 'signed' | 'private';

/** Where a live download link leads. */
export type DownloadTarget =
  /** Redirect to the file's URL, signed to expire with the link. */
  | { delivery: 'signed'; url: string }
  /** Fetch the file from the merchant's URL and stream it; the URL never leaves the server. */
  | { delivery: 'private'; url: string; fulfilmentId: string; fileName: string | null };

/** The answer for a download the merchant revoked, or whose order was refunded. */
export const downloadRevoked = () => problem('download_revoked');

/**
 * A download fulfilment owned by the account (the purchaser of an ordinary order,
 * the recipient of a gift), with whether it was withdrawn (revoked, or its order
 * refunded); undefined otherwise. The gift's purchaser never owns one.
 */
async function findOwnedDownload(db: DbOrTx, storeId: string, accountId: string, fulfilmentId: string) {
  const row = first(
    await db
      .select({ fulfilment: fulfilments, orderStatus: orders.status })
      .from(fulfilments)
      .innerJoin(orders, eq(orders.id, fulfilments.orderId))
      .where(
        and(
          eq(fulfilments.storeId, storeId),
          eq(fulfilments.id, fulfilmentId),
          eq(fulfilments.accountId, accountId),
          eq(fulfilments.type, 'download'),
        ),
      ),
  );
  const url = row?.fulfilment.downloadUrl;
  if (!row || !url) return undefined;
  return { ...row.fulfilment, downloadUrl: url, withdrawn: isWithdrawn(row.fulfilment.revokedAt, row.orderStatus) };
}

/** Whether a fulfilment is withdrawn: revoked by the merchant (`revokedAt` set), or its order refunded. */
export function isWithdrawn(revokedAt: Date | string | null, orderStatus: string): boolean {
  return revokedAt !== null || orderStatus === 'refunded';
}

/**
 * Refuses an order at once when a download to be streamed (`private`, given or by
 * the store's default) names a host the server may not fetch from: an internal IP
 * or `localhost` (in production; loopback is fine outside it). Host names are
 * checked again, resolved, whenever the file is fetched.
 */
export async function assertFetchableDownloads(
  tx: DbOrTx,
  production: boolean,
  storeId: string,
  input: OrderCreateInput,
): Promise<void> {
  const fallback = storeSettings(await getStore(tx, storeId)).downloadDelivery;
  const policy = addressPolicy(production);
  input.items.forEach((item, i) =>
    item.fulfilments.forEach((f, j) => {
      if (f.type !== 'download' || (f.delivery ?? fallback) !== 'private') return;
      const refusal = hostRefusal(f.url, policy);
      if (refusal) {
        throw invalid(`A private download cannot be fetched from there. ${refusal}`, [
          { field: `items.${i}.fulfilments.${j}.url`, code: 'forbidden_address', message: refusal },
        ]);
      }
    }),
  );
}

/**
 * Issues a link to one of the account's downloads, valid for 5 minutes and usable
 * several times within them (browsers retry downloads). Anything that is not the
 * account's own download is a 404; a withdrawn one is a 410 `download_revoked`.
 */
export async function createDownloadLink(deps: Deps, storeId: string, accountId: string, fulfilmentId: string) {
  return await deps.db.transaction(async (tx) => {
    const download = await findOwnedDownload(tx, storeId, accountId, fulfilmentId);
    if (!download) throw notFound('Download', { fulfilmentId });
    if (download.withdrawn) throw downloadRevoked();
    const { token, expiresAt } = await issueToken(
      tx,
      {
        storeId,
        accountId,
        purpose: 'download',
        subjectId: fulfilmentId,
        ttlMs: DOWNLOAD_LINK_TTL_MS,
      },
      deps.clock.now(),
    );
    return { url: `${deps.config.publicBaseUrl}${DOWNLOADS_PATH}/${token}`, expiresAt: expiresAt.toISOString() };
  });
}

/**
 * Where a download link leads now: a signed redirect that expires when the link
 * does, or the private URL to stream from. Undefined when the link is unknown,
 * expired, or its fulfilment no longer belongs to the account it was issued to;
 * a 410 `download_revoked` when the download was withdrawn since.
 */
export async function openDownloadLink(
  deps: Pick<Deps, 'db' | 'clock'>,
  token: string,
): Promise<DownloadTarget | undefined> {
  return await deps.db.transaction(async (tx) => {
    const link = await findLiveToken(tx, token, 'download', deps.clock.now());
    if (!link?.subjectId) return undefined;
    const download = await findOwnedDownload(tx, link.storeId, link.accountId, link.subjectId);
    if (!download) return undefined;
    if (download.withdrawn) throw downloadRevoked();
    const store = await getStore(tx, link.storeId);
    const delivery = download.delivery ?? storeSettings(store).downloadDelivery;
    if (delivery === 'private') {
      return { delivery, url: download.downloadUrl, fulfilmentId: download.id, fileName: download.fileName };
    }
    const secret = await downloadSigningSecret(tx, store.id);
    return { delivery, url: signDownloadUrl(download.downloadUrl, secret, link.expiresAt) };
  });
}
