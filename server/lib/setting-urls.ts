import { z } from 'zod';

/**
 * The schemes a stored URL may have where it becomes a link or an image: the
 * portal URL, the theme's logo and the support page are `https:`; the support
 * contact may also be `mailto:`.
 */
export type SettingUrlScheme = 'https:' | 'mailto:';

/** The longest URL a setting holds. */
export const MAX_SETTING_URL_LENGTH = 2000;

// Control characters, any whitespace, quotes, angle brackets, backticks and backslashes:
// none belongs in a URL as typed, and each one is a way out of an attribute or a parser's idea of it.
const UNSAFE_CHARACTER = /[\p{Cc}\s"'<>`\\]/u;

const MAILTO_ADDRESS = /^[^@/?#\s]+@[^@/?#\s]+\.[^@/?#\s]+$/;

/**
 * Why `value` is not a URL a store setting may hold with one of `schemes`, in
 * plain words; null when it is. The value is parsed with `new URL`; `https:`
 * URLs need a host and no user name or password, `mailto:` URLs one address.
 * The widget applies the same rule before it renders a stored link.
 */
export function settingUrlProblem(value: string, schemes: readonly SettingUrlScheme[]): string | null {
  const allowed = schemes.join(' or ');
  if (value.length > MAX_SETTING_URL_LENGTH) return `Use at most ${MAX_SETTING_URL_LENGTH} characters.`;
  if (UNSAFE_CHARACTER.test(value))
    return 'A URL cannot contain spaces, control characters, quotes, angle brackets or backslashes.';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `Not a URL: use an absolute ${allowed} URL.`;
  }
  if (!(schemes as readonly string[]).includes(url.protocol)) return `Use an ${allowed} URL.`;
  if (url.protocol === 'mailto:') {
    return MAILTO_ADDRESS.test(decodeSafely(url.pathname)) ? null : 'A mailto: URL names one email address.';
  }
  if (!url.hostname) return 'The URL needs a host name.';
  if (url.username || url.password) return 'The URL cannot contain a user name or password.';
  return null;
}

/** Whether `value` is a URL a store setting may hold with one of `schemes` (see settingUrlProblem). */
export function isSettingUrl(value: unknown, schemes: readonly SettingUrlScheme[]): value is string {
  return typeof value === 'string' && settingUrlProblem(value, schemes) === null;
}

/** A zod string that must be a setting URL with one of `schemes`. */
export function settingUrl(schemes: readonly SettingUrlScheme[]) {
  return z.string().superRefine((value, ctx) => {
    const problem = settingUrlProblem(value, schemes);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
