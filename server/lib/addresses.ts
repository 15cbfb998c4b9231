import { isIP } from 'node:net';

/**
 * What kind of address an IP is, for deciding whether the server may connect to
 * it on a merchant's behalf. Everything but `public` is somewhere a store's
 * credentials must not be able to reach: the server itself, the networks it sits
 * in, cloud metadata services.
 */
export type AddressKind =
  'public' | 'loopback' | 'private' | 'link_local' | 'shared' | 'unspecified' | 'multicast' | 'metadata' | 'reserved';

/** The kinds a development server may still connect to (a receiver on the same machine). */
export interface AddressPolicy {
  allowLoopback: boolean;
}

/** Production refuses every non-public address; development also allows loopback. */
export const addressPolicy = (production: boolean): AddressPolicy => ({ allowLoopback: !production });

const describedKinds: Record<Exclude<AddressKind, 'public'>, string> = {
  loopback: 'a loopback address',
  private: 'a private network address',
  link_local: 'a link-local address',
  shared: 'a carrier-grade NAT address',
  unspecified: 'an unspecified address',
  multicast: 'a multicast address',
  metadata: 'a cloud metadata address',
  reserved: 'a reserved address',
};

/** Cloud metadata services, named apart for a clearer error (their ranges are refused anyway). */
const METADATA = new Set([
  '169.254.169.254',
  '169.254.170.2',
  '100.100.100.200',
  '192.0.0.192',
  'fd00:ec2:0:0:0:0:0:254',
]);

/** IPv4 ranges other than public, as [first octets as a 32-bit number, prefix length, kind]. */
const IPV4_RANGES: [string, number, AddressKind][] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link_local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'reserved'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

const ipv4Number = (ip: string) => ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);

const ipv4Ranges = IPV4_RANGES.map(([base, bits, kind]) => ({ base: ipv4Number(base), size: 2 ** (32 - bits), kind }));

function classifyIpv4(ip: string): AddressKind {
  if (METADATA.has(ip)) return 'metadata';
  const n = ipv4Number(ip);
  return ipv4Ranges.find((r) => n >= r.base && n < r.base + r.size)?.kind ?? 'public';
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 part included). */
function ipv6Groups(ip: string): number[] {
  let text = ip;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = ipv4Number(dotted[1]);
    text = `${text.slice(0, dotted.index)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  return [...left, ...Array(8 - left.length - right.length).fill(0), ...right];
}

const embeddedIpv4 = (high: number, low: number) => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;

function classifyIpv6(ip: string): AddressKind {
  const g = ipv6Groups(ip);
  if (METADATA.has(g.map((x) => x.toString(16)).join(':'))) return 'metadata';
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 8)) return 'unspecified';
  if (zeros(0, 7) && g[7] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) reach an IPv4 host: judge that host.
  if (zeros(0, 5) && g[5] === 0xffff) return classifyIpv4(embeddedIpv4(g[6], g[7]));
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return classifyIpv4(embeddedIpv4(g[6], g[7]));
  // 6to4 (2002:a.b.c.d::/48) tunnels to the IPv4 host in its second and third groups.
  if (g[0] === 0x2002) return classifyIpv4(embeddedIpv4(g[1], g[2]));
  if (zeros(0, 6)) return 'reserved'; // IPv4-compatible ::a.b.c.d, deprecated
  if ((g[0] & 0xfe00) === 0xfc00) return 'private'; // fc00::/7 unique local
  if ((g[0] & 0xffc0) === 0xfe80) return 'link_local'; // fe80::/10
  if ((g[0] & 0xffc0) === 0xfec0) return 'private'; // fec0::/10 site-local, deprecated
  if ((g[0] & 0xff00) === 0xff00) return 'multicast'; // ff00::/8
  if (g[0] === 0x0100 && zeros(1, 4)) return 'reserved'; // 100::/64 discard
  if (g[0] === 0x2001 && (g[1] === 0x0db8 || g[1] === 0)) return 'reserved'; // documentation, Teredo
  if (g[0] === 0x64 && g[1] === 0xff9b) return 'reserved'; // 64:ff9b:1::/48 local-use NAT64
  return 'public';
}

/**
 * The kind of an IP address (IPv4, or IPv6 with an optional `%zone` or
 * brackets); `reserved` for anything that is not an IP address at all. Host names
 * must be resolved first, and numeric hosts normalised: `new URL` turns
 * `http://2130706433/` and `http://0177.0.0.1/` into `127.0.0.1`.
 */
export function classifyAddress(address: string): AddressKind {
  const ip = address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  switch (isIP(ip)) {
    case 4:
      return classifyIpv4(ip);
    case 6:
      return classifyIpv6(ip.toLowerCase());
    default:
      return 'reserved';
  }
}

/** Why the server may not connect to `address` under `policy`, in plain words; null when it may. */
export function addressRefusal(address: string, policy: AddressPolicy): string | null {
  const kind = classifyAddress(address);
  if (kind === 'public' || (kind === 'loopback' && policy.allowLoopback)) return null;
  return describedKinds[kind];
}

/** The error a refused connection fails with; `code` is `EADDRREFUSED`. */
export class AddressRefusedError extends Error {
  readonly code = 'EADDRREFUSED';

  constructor(
    readonly host: string,
    readonly address: string,
    readonly reason: string,
  ) {
    super(
      host === address
        ? `Refused to connect to ${address}: ${reason}.`
        : `Refused to connect to ${host}: it resolves to ${address}, ${reason}.`,
    );
    this.name = 'AddressRefusedError';
  }
}
