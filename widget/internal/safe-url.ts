/** The schemes a link or image from the store's configuration may have. */
export type SafeScheme = 'https:' | 'mailto:';

// As on the server (server/lib/setting-urls.ts): nothing that can end an attribute or hide a scheme.
const UNSAFE_CHARACTER = /[\p{Cc}\s"'<>`\\]/u;

/**
 * `value` when it may become an `href` or `src` on the merchant's page: an
 * absolute URL with one of `schemes` and no control characters, whitespace or
 * quotes; otherwise undefined. The server already refuses anything else when a
 * merchant sets it; this keeps data stored before that rule off the page too.
 */
export function safeUrl(value: string | null | undefined, schemes: readonly SafeScheme[]): string | undefined {
  if (!value || value.length > 2000 || UNSAFE_CHARACTER.test(value)) return undefined;
  try {
    const url = new URL(value);
    if (!(schemes as readonly string[]).includes(url.protocol)) return undefined;
    if (url.protocol === 'https:' && (!url.hostname || url.username || url.password)) return undefined;
    return value;
  } catch {
    return undefined;
  }
}
