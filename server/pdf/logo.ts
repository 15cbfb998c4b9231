import type { PdfImage } from './document';

const MAX_BYTES = 1024 * 1024;
const TIMEOUT_MS = 2000;
const KEEP_MS = 10 * 60_000;
const KEEP_FAILURE_MS = 60_000;

interface Cached {
  image: PdfImage | null;
  until: number;
}
const cache = new Map<string, Cached>();
const pending = new Map<string, Promise<PdfImage | null>>();

/**
 * A store's logo for its documents: fetched once, kept in memory for 10 minutes
 * (a failure for 1 minute), with a 2-second timeout. Anything that is not a PNG
 * or JPEG of at most 1 MiB — or cannot be fetched at all — gives null: a logo
 * never fails a document.
 */
export async function loadLogo(
  url: string | null,
  options: { now?: () => number; fetch?: typeof fetch } = {},
): Promise<PdfImage | null> {
  if (!url) return null;
  const now = options.now ?? Date.now;
  const cached = cache.get(url);
  if (cached && cached.until > now()) return cached.image;
  let load = pending.get(url);
  if (!load) {
    load = fetchImage(url, options.fetch ?? fetch).finally(() => pending.delete(url));
    pending.set(url, load);
  }
  const image = await load;
  if (cache.size > 500) cache.clear();
  cache.set(url, { image, until: now() + (image ? KEEP_MS : KEEP_FAILURE_MS) });
  return image;
}

/** Forgets every cached logo (for tests). */
export function clearLogoCache(): void {
  cache.clear();
}

async function fetchImage(url: string, fetchFn: typeof fetch): Promise<PdfImage | null> {
  try {
    const response = await fetchFn(url, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'follow' });
    if (!response.ok) return null;
    if (Number(response.headers.get('content-length') ?? 0) > MAX_BYTES) return null;
    const data = new Uint8Array(await response.arrayBuffer());
    return data.byteLength <= MAX_BYTES ? imageOf(data) : null;
  } catch {
    return null;
  }
}

/** The image's format and pixel size from its header, or null when it is neither PNG nor JPEG. */
export function imageOf(data: Uint8Array): PdfImage | null {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.length > 24 && view.getUint32(0) === 0x89504e47 && view.getUint32(12) === 0x49484452) {
    const width = view.getUint32(16);
    const height = view.getUint32(20);
    return width > 0 && height > 0 ? { data, format: 'PNG', width, height } : null;
  }
  if (data.length > 4 && view.getUint16(0) === 0xffd8) return jpeg(data, view);
  return null;
}

function jpeg(data: Uint8Array, view: DataView): PdfImage | null {
  let offset = 2;
  while (offset + 9 < data.length) {
    if (data[offset] !== 0xff) return null;
    const marker = data[offset + 1];
    const length = view.getUint16(offset + 2);
    // Start-of-frame markers (baseline, progressive, …) carry the size; 0xC4, 0xC8 and 0xCC are not frames.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const height = view.getUint16(offset + 5);
      const width = view.getUint16(offset + 7);
      return width > 0 && height > 0 ? { data, format: 'JPEG', width, height } : null;
    }
    offset += 2 + length;
  }
  return null;
}
