import { createHash } from 'node:crypto';
import { randomSecret } from './crypto';

/** The prefix of download signing secrets; the rest is base64url, safe inside an nginx string. */
export const DOWNLOAD_SECRET_PREFIX = 'dls_';

/** A new download signing secret: `dls_` and 32 random bytes, base64url. */
export function newDownloadSigningSecret(): string {
  return randomSecret(32, DOWNLOAD_SECRET_PREFIX);
}

/**
 * The path as nginx's `$uri` holds it: percent-decoded, with runs of slashes merged
 * (`merge_slashes on`, nginx's default). `new URL` has already removed `.` and `..`.
 * Undefined when the path does not decode (such a URL cannot be signed).
 */
export function nginxUri(pathname: string): string | undefined {
  try {
    return decodeURIComponent(pathname).replace(/\/{2,}/g, '/');
  } catch {
    return undefined;
  }
}

/**
 * `url` with an nginx `secure_link` signature that expires at `expiresAt` (whole
 * seconds, rounded down): the query parameters `md5` and `expires` are appended,
 * where `md5` is the base64url MD5 (no padding) of `${expires}${uri} ${secret}` —
 * what `secure_link_md5 "$secure_link_expires$uri <secret>"` computes. The
 * signature covers the path only, not the query string.
 */
export function signDownloadUrl(url: string, secret: string, expiresAt: Date): string {
  const target = new URL(url);
  const uri = nginxUri(target.pathname);
  if (uri === undefined) throw new Error("The download URL's path cannot be decoded, so it cannot be signed.");
  const expires = Math.floor(expiresAt.getTime() / 1000);
  const md5 = createHash('md5').update(`${expires}${uri} ${secret}`).digest('base64url');
  const signature = `md5=${md5}&expires=${expires}`;
  target.search = target.search ? `${target.search}&${signature}` : `?${signature}`;
  return target.href;
}
