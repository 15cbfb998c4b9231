import { createHash } from 'node:crypto';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The CSP source that allows exactly one inline `<style>` element with this
 * content (`'sha256-…'`), so a page can carry its own CSS without `'unsafe-inline'`.
 */
export function styleHashSource(css: string): string {
  return `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;
}

/**
 * The language to write a page in: the first supported language of an
 * `Accept-Language` header by preference (`de-AT;q=0.9, en;q=0.8` → `de`), else the fallback.
 */
export function preferredLanguage<L extends string>(
  header: string | undefined,
  supported: readonly L[],
  fallback: L,
): L {
  const ranked = (header ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find(Boolean);
      return { base: tag.trim().toLowerCase().split('-')[0], q: q ? Number(q[1]) : 1, index };
    })
    .filter((entry) => entry.base && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return (ranked.map((entry) => supported.find((l) => l === entry.base)).find(Boolean) ?? fallback) as L;
}
