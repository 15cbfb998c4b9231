import { createHash } from 'node:crypto';

/** A strong ETag for content: the first 22 characters of its SHA-256, base64url (`"…"`). */
export function contentEtag(content: string | Uint8Array, suffix = ''): string {
  return `"${createHash('sha256').update(content).digest('base64url').slice(0, 22)}${suffix}"`;
}

/** Whether an `If-None-Match` header names `etag` (weak comparison, as RFC 9110 asks for it; `*` matches). */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const value = tag.trim();
    return value === '*' || value.replace(/^W\//, '') === etag;
  });
}
