const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|::1|\[::1\])$/i;

/**
 * Whether a host name or address reaches this machine only: `localhost`,
 * `127.x.x.x` or `::1` (bare, as in `HOST`, or bracketed, as in a URL's host).
 */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host);
}
