import { BlockList, isIP } from 'node:net';

/**
 * Which reverse proxies in front of the server are trusted to say who the client is
 * (`TRUST_PROXY`): nothing (`false`, `0`), a number of proxy hops (`true` is one), or
 * the proxies' own addresses and CIDR ranges.
 */
export type TrustProxy = boolean | number | readonly string[];

/** The most hops a deployment can plausibly have in front of it. */
const MAX_HOPS = 32;

const TRUST_PROXY_HELP =
  'Use false, true (one proxy), a hop count such as 1 or 2, or a comma-separated list of ' +
  "the proxies' addresses such as 10.0.0.1,10.0.0.2 (CIDR ranges such as 10.0.0.0/8 too).";

/**
 * Reads a `TRUST_PROXY` value: `true`/`false`, a hop count, or a comma-separated list of
 * proxy addresses. Returns the problem in words for anything else.
 */
export function parseTrustProxy(raw: string): { value: number | string[] } | { problem: string } {
  const value = raw.trim().toLowerCase();
  if (value === 'true') return { value: 1 };
  if (value === 'false' || value === '') return { value: 0 };
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return hops <= MAX_HOPS ? { value: hops } : { problem: `At most ${MAX_HOPS} proxy hops. ${TRUST_PROXY_HELP}` };
  }
  const entries = value.split(',').map((entry) => entry.trim());
  const bad = entries.filter((entry) => !isAddressOrRange(entry));
  if (bad.length > 0)
    return {
      problem: `Not an IP address or CIDR range: ${bad.map((b) => JSON.stringify(b)).join(', ')}. ${TRUST_PROXY_HELP}`,
    };
  return { value: entries };
}

function isAddressOrRange(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

const proxyLists = new WeakMap<readonly string[], BlockList>();

/** The proxies of a list as a BlockList (built once per list). */
function proxyMatcher(proxies: readonly string[]): BlockList {
  let list = proxyLists.get(proxies);
  if (!list) {
    list = new BlockList();
    for (const entry of proxies) {
      const [address, prefix] = entry.split('/');
      const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (prefix === undefined) list.addAddress(address, type);
      else list.addSubnet(address, Number(prefix), type);
    }
    proxyLists.set(proxies, list);
  }
  return list;
}

/** `::ffff:10.0.0.1` (an IPv4 client of a dual-stack socket) is `10.0.0.1`; ports are dropped. */
function plainAddress(entry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  const address = bracketed
    ? bracketed[1]
    : /^[\d.]+:\d+$/.test(entry)
      ? entry.slice(0, entry.lastIndexOf(':'))
      : entry;
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address) ? address.slice(7) : address;
}

function isTrustedProxy(address: string, proxies: readonly string[]): boolean {
  const plain = plainAddress(address);
  const family = isIP(plain);
  return family !== 0 && proxyMatcher(proxies).check(plain, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The client's address as the trusted proxy nearest to the client saw it.
 *
 * `X-Forwarded-For` lists addresses left to right, each proxy appending the peer it
 * saw, so only its right-most entries were written by proxies we trust; whatever a
 * client writes comes first. With a hop count N the client is the N-th entry from
 * the right (the left-most when there are fewer). With a list of proxies the socket's
 * peer must itself be one of them for the header to count at all; the entries are
 * then walked from the right past the trusted proxies, and the first other address
 * is the client's (the left-most when all of them are proxies). Without a trusted
 * header the socket's peer is the client.
 */
export function resolveClientIp(
  socketAddress: string | undefined,
  forwardedFor: string | undefined,
  trust: TrustProxy,
): string | undefined {
  const hops = trust === true ? 1 : trust === false ? 0 : trust;
  const entries =
    forwardedFor
      ?.split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '') ?? [];
  if (entries.length === 0) return socketAddress;
  if (typeof hops === 'number') {
    if (hops <= 0) return socketAddress;
    return plainAddress(entries[Math.max(0, entries.length - hops)]);
  }
  if (socketAddress === undefined || !isTrustedProxy(socketAddress, hops)) return socketAddress;
  for (let i = entries.length - 1; i > 0; i--) {
    if (!isTrustedProxy(entries[i], hops)) return plainAddress(entries[i]);
  }
  return plainAddress(entries[0]);
}
