import type { Deps } from '../../deps';
import { addressPolicy, AddressRefusedError } from '../../lib/addresses';
import { SECOND } from '../../lib/clock';
import { problem } from '../../lib/errors';
import { createGuardedFetch } from '../../lib/outbound';
import type { DownloadTarget } from './downloads';

/** How long the merchant's server may take to start answering. */
export const PRIVATE_DOWNLOAD_HEADERS_TIMEOUT_MS = 15 * SECOND;

/** How long the file may stall mid-transfer before the download is cut off. */
export const PRIVATE_DOWNLOAD_IDLE_TIMEOUT_MS = 30 * SECOND;

type PrivateTarget = Extract<DownloadTarget, { delivery: 'private' }>;

/** The request headers a download may pass on to the merchant's server (resuming a download). */
export interface RangeHeaders {
  range?: string;
  ifRange?: string;
}

const unavailable = () => problem('download_unavailable');

/**
 * Fetches a private download from the merchant's server and returns it as the
 * response to the customer: streamed as it arrives (never held in memory), as an
 * attachment with the file's name, type and length, ranges passed through so a
 * browser can resume. The merchant's URL appears in no header, body or error the
 * customer sees. In production only public addresses are fetched (see
 * createGuardedFetch); redirects are not followed. A server that cannot be
 * reached, does not answer within 15 s or answers with anything but the file is
 * a 502 `download_unavailable`; a transfer that stalls for 30 s is cut off.
 */
export async function fetchPrivateDownload(
  deps: Pick<Deps, 'config' | 'logger'>,
  target: PrivateTarget,
  request: RangeHeaders,
): Promise<Response> {
  const fetch = createGuardedFetch(addressPolicy(deps.config.production));
  const log = { fulfilmentId: target.fulfilmentId };
  let upstream: Response;
  try {
    upstream = await fetch(target.url, {
      headers: {
        accept: '*/*',
        // The bytes are passed on as they come: a compressed answer would need its encoding passed on too.
        'accept-encoding': 'identity',
        'user-agent': 'AccountPortal-Downloads/1.0',
        ...(request.range && { range: request.range }),
        ...(request.range && request.ifRange && { 'if-range': request.ifRange }),
      },
      headersTimeoutMs: PRIVATE_DOWNLOAD_HEADERS_TIMEOUT_MS,
      idleTimeoutMs: PRIVATE_DOWNLOAD_IDLE_TIMEOUT_MS,
    });
  } catch (error) {
    const refused = error instanceof AddressRefusedError;
    deps.logger.warn(refused ? 'private download refused: internal address' : 'private download fetch failed', {
      ...log,
      error: error instanceof Error ? error.message : String(error),
    });
    throw unavailable();
  }
  if (upstream.status === 416) {
    await upstream.body?.cancel();
    return new Response(null, { status: 416, headers: pick(upstream.headers, ['content-range']) });
  }
  if (upstream.status !== 200 && upstream.status !== 206) {
    await upstream.body?.cancel().catch(() => undefined);
    deps.logger.warn("private download: the merchant's server did not send the file", {
      ...log,
      status: upstream.status,
    });
    throw unavailable();
  }
  const headers = pick(upstream.headers, ['content-length', 'content-range', 'accept-ranges', 'etag', 'last-modified']);
  headers.set('content-type', upstream.headers.get('content-type') ?? 'application/octet-stream');
  headers.set('content-disposition', contentDisposition(target.fileName));
  // Whatever the file is, it is never rendered on the portal's origin.
  headers.set('x-content-type-options', 'nosniff');
  headers.set('content-security-policy', "default-src 'none'; sandbox");
  return new Response(upstream.body, { status: upstream.status, headers });
}

function pick(from: Headers, names: string[]): Headers {
  const headers = new Headers();
  for (const name of names) {
    const value = from.get(name);
    if (value !== null) headers.set(name, value);
  }
  return headers;
}

/**
 * `attachment` with the file's name: an ASCII fallback (anything else, quotes,
 * backslashes and slashes become `_`) and the exact name as RFC 5987 `filename*`.
 */
export function contentDisposition(fileName: string | null): string {
  const name = (fileName ?? '').replace(/[\p{Cc}/\\]/gu, '_').trim() || 'download';
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
