import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { addressRefusal, AddressRefusedError, type AddressPolicy } from './addresses';

/**
 * Requests the server makes to URLs a merchant chose (webhook endpoints, private
 * downloads), where a store's credentials must not reach the server's own network.
 */

/** What {@link GuardedFetch} takes: a subset of fetch's options and two timeouts. */
export interface OutboundInit {
  method?: string;
  headers?: HeadersInit;
  body?: string | null;
  /** Aborts the request, and the response body if it is still streaming. */
  signal?: AbortSignal | null;
  /** Fails with a `TimeoutError` when no response headers arrived within this time. */
  headersTimeoutMs?: number;
  /** Fails with a `TimeoutError` when the connection sits idle this long, while waiting or streaming. */
  idleTimeoutMs?: number;
  /** Ignored: redirects are never followed (their target would escape the address check). */
  redirect?: RequestRedirect;
}

/** A fetch that connects only to addresses its policy allows. */
export type GuardedFetch = (url: string, init?: OutboundInit) => Promise<Response>;

/**
 * A fetch-like function over node:http(s) that refuses addresses the policy does
 * not allow. A host name is resolved once, every address it resolves to is
 * checked (one forbidden address refuses them all), and the connection goes to
 * exactly those vetted addresses, so a DNS answer that changes between the check
 * and the connection (DNS rebinding) cannot slip through; an IP host is checked
 * as it is. A refusal rejects with {@link AddressRefusedError}. Redirects are not
 * followed, bodies are streamed, not buffered.
 */
export function createGuardedFetch(policy: AddressPolicy): GuardedFetch {
  const lookup = vettedLookup(policy);
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input);
      if (url.protocol !== 'http:' && url.protocol !== 'https:')
        throw new TypeError(`Cannot fetch ${url.protocol} URLs.`);
      const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
      const refusal = isIP(host) ? addressRefusal(host, policy) : null;
      if (refusal) throw new AddressRefusedError(host, host, refusal);
      const method = (init.method ?? 'GET').toUpperCase();
      const headers = Object.fromEntries(new Headers(init.headers ?? {}));
      if (init.body != null) headers['content-length'] = String(Buffer.byteLength(init.body));
      const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)({
        hostname: host,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method,
        headers,
        lookup,
        agent: false,
        signal: init.signal ?? undefined,
      });
      const timer =
        init.headersTimeoutMs === undefined
          ? undefined
          : setTimeout(
              () => request.destroy(timeoutError('No response', init.headersTimeoutMs!)),
              init.headersTimeoutMs,
            );
      if (init.idleTimeoutMs !== undefined) {
        request.setTimeout(init.idleTimeoutMs, () => request.destroy(timeoutError('Idle', init.idleTimeoutMs!)));
      }
      request.on('response', (response) => {
        clearTimeout(timer);
        try {
          resolve(toResponse(response, method));
        } catch (error) {
          response.destroy();
          reject(error);
        }
      });
      // `on`, not `once`: a second error (while the body streams) must not go unhandled.
      request.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      request.end(init.body ?? undefined);
    });
}

/**
 * Why the server would refuse to connect to `url` under `policy`, judged now:
 * its IP host, or every address its host name resolves to within `timeoutMs`.
 * Null when allowed, or when the name does not resolve (yet): every request
 * checks again when it connects.
 */
export async function destinationRefusal(url: string, policy: AddressPolicy, timeoutMs = 3000): Promise<string | null> {
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) || isLocalhostName(host)) return hostRefusal(url, policy);
  const addresses = await Promise.race([
    new Promise<LookupAddress[]>((resolve) =>
      dnsLookup(host, { all: true }, (error, found) => resolve(error ? [] : found)),
    ),
    new Promise<LookupAddress[]>((resolve) => setTimeout(() => resolve([]), timeoutMs).unref()),
  ]);
  for (const { address } of addresses) {
    const refusal = refusalOf(host, address, policy);
    if (refusal) return refusal;
  }
  return null;
}

/**
 * Why the server would refuse to connect to `url` under `policy`, judged from the
 * URL alone (no DNS): an IP host, or `localhost` and names under `.localhost`,
 * which always mean this machine. Null otherwise.
 */
export function hostRefusal(url: string, policy: AddressPolicy): string | null {
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host)) return refusalOf(host, host, policy);
  return isLocalhostName(host) ? refusalOf(host, '127.0.0.1', policy) : null;
}

const isLocalhostName = (host: string) => /(^|\.)localhost\.?$/i.test(host);

function refusalOf(host: string, address: string, policy: AddressPolicy): string | null {
  const reason = addressRefusal(address, policy);
  return reason ? new AddressRefusedError(host, address, reason).message : null;
}

/** A `lookup` for node:net that resolves once and fails unless every address is allowed. */
function vettedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { family: options.family, hints: options.hints, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      for (const { address } of addresses) {
        const reason = addressRefusal(address, policy);
        if (reason) return callback(new AddressRefusedError(hostname, address, reason), '', 0);
      }
      if (addresses.length === 0)
        return callback(Object.assign(new Error(`No address for ${hostname}.`), { code: 'ENOTFOUND' }), '', 0);
      if (options.all) return callback(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

function timeoutError(what: string, ms: number): Error {
  const error = new Error(`${what} for ${ms} ms.`);
  error.name = 'TimeoutError';
  return error;
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

function toResponse(response: IncomingMessage, method: string): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (Array.isArray(value)) value.forEach((v) => headers.append(name, v));
    else if (value !== undefined) headers.set(name, value);
  }
  const status = response.statusCode ?? 0;
  const empty = method === 'HEAD' || NULL_BODY_STATUSES.has(status);
  if (empty) response.resume();
  return new Response(empty ? null : (Readable.toWeb(response) as ReadableStream<Uint8Array>), {
    status,
    statusText: response.statusMessage,
    headers,
  });
}
