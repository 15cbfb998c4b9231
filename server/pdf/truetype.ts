/**
 * A TrueType font file, read once: which characters it draws, how wide they are,
 * and subsets of it that hold only the glyphs of some characters.
 *
 * jspdf parses a whole font for every document that embeds it and copies its
 * cmap, hmtx, loca and post tables whole into the PDF; for a CJK font of 17,000 to
 * 31,000 glyphs that would be hundreds of kilobytes and many milliseconds per
 * document. So each document embeds a subset cut from the parsed font: the glyphs
 * of the characters it prints (and the glyphs composite glyphs are built from),
 * renumbered, with only the tables a PDF needs (cmap, glyf, loca, hmtx, hhea, maxp,
 * post without glyph names, name, head, OS/2).
 *
 * Only TrueType outlines (`glyf`) are handled; a CFF-flavoured OpenType font
 * (`OTTO`) or a collection is refused with an error when it is read.
 */
export class TrueTypeFont {
  /** Design units per em: advances divided by this are in ems. */
  readonly unitsPerEm: number;
  private readonly src: DataView;
  /** The file as a plain Uint8Array, whose slice() copies (a Node Buffer's is a view into the file). */
  private readonly font: Uint8Array;
  private readonly tables: Map<string, TableRecord>;
  /** Code point → glyph id, for every character the font maps. */
  private readonly cmap: Map<number, number>;
  private readonly numGlyphs: number;
  private readonly numberOfHMetrics: number;
  private readonly longLoca: boolean;

  constructor(file: Uint8Array, name = 'The font') {
    this.font = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
    this.src = new DataView(file.buffer, file.byteOffset, file.byteLength);
    const tag = this.src.getUint32(0);
    if (tag === 0x4f54544f)
      throw new Error(`${name} has CFF outlines (OTTO); only TrueType (glyf) fonts can be subset.`);
    if (tag !== 0x00010000 && tag !== 0x74727565) throw new Error(`${name} is not a single TrueType font.`);
    this.tables = readDirectory(this.src);
    for (const required of ['cmap', 'glyf', 'head', 'hhea', 'hmtx', 'loca', 'maxp', 'name', 'post', 'OS/2']) {
      if (!this.tables.has(required)) throw new Error(`${name} has no ${required} table.`);
    }
    const head = this.table('head').offset;
    this.unitsPerEm = this.src.getUint16(head + 18);
    this.longLoca = this.src.getInt16(head + 50) === 1;
    this.numGlyphs = this.src.getUint16(this.table('maxp').offset + 4);
    this.numberOfHMetrics = this.src.getUint16(this.table('hhea').offset + 34);
    this.cmap = readCmap(this.src, this.table('cmap').offset);
  }

  /** Whether the font draws a character. */
  has(code: number): boolean {
    return this.cmap.has(code);
  }

  /** A character's advance width in design units (0 when the font lacks it). */
  advance(code: number): number {
    const glyph = this.cmap.get(code);
    if (glyph === undefined) return 0;
    const hmtx = this.table('hmtx').offset;
    return this.src.getUint16(hmtx + Math.min(glyph, this.numberOfHMetrics - 1) * 4);
  }

  /**
   * A font with only the glyphs of `codes` (those the font has, at most U+FFFF), the
   * glyphs composite ones are made of, and .notdef; glyphs are renumbered in the order
   * of the characters so that the cmap needs few segments.
   */
  subset(codes: Iterable<number>): Uint8Array {
    const { src, font } = this;
    const glyf = this.table('glyf').offset;
    const codeMap = new Map<number, number>();
    for (const code of codes) {
      const glyph = this.cmap.get(code);
      if (glyph !== undefined && code < 0xffff) codeMap.set(code, glyph);
    }
    const keep = new Set<number>([0, ...codeMap.values()]);
    const queue = [...keep];
    while (queue.length > 0) {
      for (const component of components(src, glyf, this.glyphRange(queue.pop()!))) {
        if (!keep.has(component.glyph) && component.glyph < this.numGlyphs) {
          keep.add(component.glyph);
          queue.push(component.glyph);
        }
      }
    }
    const byCode = new Set([...codeMap].sort((x, y) => x[0] - y[0]).map(([, glyph]) => glyph));
    byCode.delete(0);
    const rest = [...keep].filter((g) => g !== 0 && !byCode.has(g)).sort((x, y) => x - y);
    const order = [0, ...byCode, ...rest];
    const newId = new Map(order.map((old, index) => [old, index]));

    const glyphs: Uint8Array[] = [];
    const offsets = [0];
    for (const old of order) {
      const range = this.glyphRange(old);
      const data = font.slice(glyf + range[0], glyf + range[1]);
      const view = viewOf(data);
      for (const component of components(src, glyf, range)) {
        view.setUint16(component.at - glyf - range[0], newId.get(component.glyph)!);
      }
      const padded = new Uint8Array((data.length + 3) & ~3);
      padded.set(data);
      glyphs.push(padded);
      offsets.push(offsets.at(-1)! + padded.length);
    }

    const hmtx = new DataView(new ArrayBuffer(order.length * 4));
    const hmtxAt = this.table('hmtx').offset;
    const metrics = this.numberOfHMetrics;
    order.forEach((old, index) => {
      hmtx.setUint16(index * 4, src.getUint16(hmtxAt + Math.min(old, metrics - 1) * 4));
      const lsb =
        old < metrics ? src.getInt16(hmtxAt + old * 4 + 2) : src.getInt16(hmtxAt + metrics * 4 + (old - metrics) * 2);
      hmtx.setInt16(index * 4 + 2, lsb);
    });

    const locaOut = new DataView(new ArrayBuffer(offsets.length * 4));
    offsets.forEach((offset, index) => locaOut.setUint32(index * 4, offset));
    const headOut = this.copy('head');
    viewOf(headOut).setUint32(8, 0);
    viewOf(headOut).setInt16(50, 1);
    const hhea = this.copy('hhea');
    viewOf(hhea).setUint16(34, order.length);
    const maxp = this.copy('maxp');
    viewOf(maxp).setUint16(4, order.length);
    const post = this.copy('post').slice(0, 32);
    viewOf(post).setUint32(0, 0x00030000);

    return writeFont(
      new Map<string, Uint8Array>([
        ['OS/2', this.copy('OS/2')],
        ['cmap', writeCmap([...codeMap].map(([code, old]) => [code, newId.get(old)!] as [number, number]))],
        ['glyf', concat(glyphs)],
        ['head', headOut],
        ['hhea', hhea],
        ['hmtx', new Uint8Array(hmtx.buffer)],
        ['loca', new Uint8Array(locaOut.buffer)],
        ['maxp', maxp],
        ['name', this.copy('name')],
        ['post', post],
      ]),
    );
  }

  private table(tag: string): TableRecord {
    return this.tables.get(tag)!;
  }

  private copy(tag: string): Uint8Array {
    const t = this.table(tag);
    return this.font.slice(t.offset, t.offset + t.length);
  }

  /** Where a glyph's data lies within the glyf table: [start, end). */
  private glyphRange(id: number): [number, number] {
    const loca = this.table('loca').offset;
    return this.longLoca
      ? [this.src.getUint32(loca + id * 4), this.src.getUint32(loca + id * 4 + 4)]
      : [this.src.getUint16(loca + id * 2) * 2, this.src.getUint16(loca + id * 2 + 2) * 2];
  }
}

const viewOf = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

interface TableRecord {
  offset: number;
  length: number;
}

function readDirectory(src: DataView): Map<string, TableRecord> {
  const tables = new Map<string, TableRecord>();
  const count = src.getUint16(4);
  for (let i = 0; i < count; i++) {
    const at = 12 + i * 16;
    const tag = String.fromCharCode(src.getUint8(at), src.getUint8(at + 1), src.getUint8(at + 2), src.getUint8(at + 3));
    tables.set(tag, { offset: src.getUint32(at + 8), length: src.getUint32(at + 12) });
  }
  return tables;
}

/** Code point → glyph id from the font's Unicode cmap (format 12, else format 4). */
function readCmap(src: DataView, cmap: number): Map<number, number> {
  const map = new Map<number, number>();
  const count = src.getUint16(cmap + 2);
  let format4 = -1;
  let format12 = -1;
  for (let i = 0; i < count; i++) {
    const platform = src.getUint16(cmap + 4 + i * 8);
    const encoding = src.getUint16(cmap + 6 + i * 8);
    const at = cmap + src.getUint32(cmap + 8 + i * 8);
    const format = src.getUint16(at);
    if (format === 12 && (platform === 3 || platform === 0)) format12 = at;
    if (format === 4 && ((platform === 3 && encoding === 1) || platform === 0)) format4 = at;
  }
  if (format12 >= 0) {
    const groups = src.getUint32(format12 + 12);
    for (let g = 0; g < groups; g++) {
      const at = format12 + 16 + g * 12;
      const start = src.getUint32(at);
      const end = src.getUint32(at + 4);
      const glyph = src.getUint32(at + 8);
      for (let code = start; code <= end; code++) if (glyph + code - start !== 0) map.set(code, glyph + code - start);
    }
    return map;
  }
  if (format4 < 0) throw new Error('The font has no Unicode cmap.');
  const segments = src.getUint16(format4 + 6) / 2;
  const ends = format4 + 14;
  const starts = ends + segments * 2 + 2;
  const deltas = starts + segments * 2;
  const rangeOffsets = deltas + segments * 2;
  for (let s = 0; s < segments; s++) {
    const start = src.getUint16(starts + s * 2);
    const end = src.getUint16(ends + s * 2);
    const delta = src.getInt16(deltas + s * 2);
    const rangeOffset = src.getUint16(rangeOffsets + s * 2);
    for (let code = start; code <= end && code !== 0xffff; code++) {
      let glyph = rangeOffset === 0 ? code : src.getUint16(rangeOffsets + s * 2 + rangeOffset + (code - start) * 2);
      if (rangeOffset !== 0 && glyph === 0) continue;
      glyph = (glyph + delta) & 0xffff;
      if (glyph !== 0) map.set(code, glyph);
    }
  }
  return map;
}

/** The components of a composite glyph: each one's glyph id and where that id is stored. */
function components(src: DataView, glyf: number, [start, end]: [number, number]): { glyph: number; at: number }[] {
  if (end <= start || src.getInt16(glyf + start) >= 0) return [];
  const found: { glyph: number; at: number }[] = [];
  let at = glyf + start + 10;
  for (;;) {
    const flags = src.getUint16(at);
    found.push({ glyph: src.getUint16(at + 2), at: at + 2 });
    at += 4 + (flags & 0x0001 ? 4 : 2);
    if (flags & 0x0008) at += 2;
    else if (flags & 0x0040) at += 4;
    else if (flags & 0x0080) at += 8;
    if (!(flags & 0x0020)) return found;
  }
}
/** A cmap with one format 4 subtable (Windows, Unicode BMP). */
function writeCmap(pairs: [number, number][]): Uint8Array {
  const sorted = pairs.filter(([code]) => code < 0xffff).sort((a, b) => a[0] - b[0]);
  const segments: { start: number; end: number; delta: number }[] = [];
  for (const [code, glyph] of sorted) {
    const last = segments.at(-1);
    if (last && code === last.end + 1 && glyph - code === last.delta) last.end = code;
    else segments.push({ start: code, end: code, delta: glyph - code });
  }
  segments.push({ start: 0xffff, end: 0xffff, delta: 1 });
  const n = segments.length;
  const length = 16 + n * 8;
  const view = new DataView(new ArrayBuffer(12 + length));
  view.setUint16(0, 0);
  view.setUint16(2, 1);
  view.setUint16(4, 3);
  view.setUint16(6, 1);
  view.setUint32(8, 12);
  const t = 12;
  const search = 2 ** Math.floor(Math.log2(n));
  view.setUint16(t, 4);
  view.setUint16(t + 2, length);
  view.setUint16(t + 6, n * 2);
  view.setUint16(t + 8, search * 2);
  view.setUint16(t + 10, Math.log2(search));
  view.setUint16(t + 12, n * 2 - search * 2);
  segments.forEach((s, i) => {
    view.setUint16(t + 14 + i * 2, s.end);
    view.setUint16(t + 16 + n * 2 + i * 2, s.start);
    view.setUint16(t + 16 + n * 4 + i * 2, s.delta & 0xffff);
    view.setUint16(t + 16 + n * 6 + i * 2, 0);
  });
  return new Uint8Array(view.buffer);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function writeFont(tables: Map<string, Uint8Array>): Uint8Array {
  const tags = [...tables.keys()].sort();
  const headerLength = 12 + tags.length * 16;
  const padded = tags.map((tag) => (tables.get(tag)!.length + 3) & ~3);
  const out = new Uint8Array(headerLength + padded.reduce((a, b) => a + b, 0));
  const view = new DataView(out.buffer);
  const search = 2 ** Math.floor(Math.log2(tags.length));
  view.setUint32(0, 0x00010000);
  view.setUint16(4, tags.length);
  view.setUint16(6, search * 16);
  view.setUint16(8, Math.log2(search));
  view.setUint16(10, tags.length * 16 - search * 16);
  let offset = headerLength;
  tags.forEach((tag, i) => {
    const data = tables.get(tag)!;
    const at = 12 + i * 16;
    for (let c = 0; c < 4; c++) view.setUint8(at + c, tag.charCodeAt(c));
    out.set(data, offset);
    view.setUint32(at + 4, checksum(out, offset, padded[i]));
    view.setUint32(at + 8, offset);
    view.setUint32(at + 12, data.length);
    offset += padded[i];
  });
  return out;
}

function checksum(bytes: Uint8Array, offset: number, length: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, length);
  let sum = 0;
  for (let i = 0; i < length; i += 4) sum = (sum + view.getUint32(i)) >>> 0;
  return sum;
}
