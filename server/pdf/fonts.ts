import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { jsPDF } from 'jspdf';
import { subsetFont } from './font-subset';

/** The family name documents use. */
export const FONT_FAMILY = 'NotoSans';

/**
 * The characters documents can print: Latin (with Vietnamese and the combining
 * accents), modern Greek, Cyrillic, punctuation, currency signs, letterlike
 * symbols (№, ™), arrows and math operators. Noto Sans covers them all.
 */
export const FONT_RANGES = [
  [0x20, 0x7e],
  [0xa0, 0x24f],
  [0x2b0, 0x36f],
  [0x370, 0x3ff],
  [0x400, 0x52f],
  [0x1e00, 0x1eff],
  [0x2000, 0x206f],
  [0x20a0, 0x20cf],
  [0x2100, 0x214f],
  [0x2190, 0x21ff],
  [0x2200, 0x22ff],
  [0xfffd, 0xfffd],
] as const;

const files = {
  normal: {
    vfsName: 'NotoSans-Regular.ttf',
    module: '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
  },
  bold: { vfsName: 'NotoSans-Bold.ttf', module: '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf' },
} as const;

// Read and cut down once per process: the files are 600 kB each and every document needs both.
let cache: Record<keyof typeof files, string> | undefined;

/**
 * The fonts as jspdf's virtual file system wants them: binary strings starting with
 * the TrueType tag (which jspdf takes without base64 decoding), reduced to
 * FONT_RANGES. Read once per process.
 */
export function fontData(): Record<keyof typeof files, string> {
  if (!cache) {
    const require = createRequire(import.meta.url);
    const read = (path: string) =>
      Buffer.from(subsetFont(readFileSync(require.resolve(path)), FONT_RANGES)).toString('latin1');
    cache = { normal: read(files.normal.module), bold: read(files.bold.module) };
    rememberParsedFonts();
  }
  return cache;
}

/** Embeds Noto Sans regular and bold in a document (jspdf writes only the glyphs it uses) and selects regular. */
export function useNotoSans(doc: jsPDF): void {
  const data = fontData();
  for (const style of ['normal', 'bold'] as const) {
    doc.addFileToVFS(files[style].vfsName, data[style]);
    doc.addFont(files[style].vfsName, FONT_FAMILY, style, 'Identity-H');
  }
  doc.setFont(FONT_FAMILY, 'normal');
}

/**
 * jspdf parses a font anew for every document that adds it. The parsed font holds
 * no document's state — the glyphs a document used are reset when it adds the
 * font, and documents render synchronously, one at a time — so the parse of our
 * fonts is kept and handed out again.
 */
function rememberParsedFonts(): void {
  const api = (jsPDF as unknown as { API: { TTFFont: { open(file: Uint8Array): unknown } } }).API;
  const open = api.TTFFont.open.bind(api.TTFFont);
  const ours = new Map(Object.values(cache!).map((data) => [data.length, data]));
  const parsed = new Map<number, unknown>();
  api.TTFFont.open = (file: Uint8Array) => {
    const ourData = ours.get(file.length);
    if (!ourData || !sameBytes(file, ourData)) return open(file);
    let font = parsed.get(file.length);
    if (!font) parsed.set(file.length, (font = open(file)));
    return font;
  };
}

/** Whether bytes equal a binary string, sampled (the lengths are equal and the fonts are ours). */
function sameBytes(file: Uint8Array, data: string): boolean {
  for (let i = 0; i < file.length; i += 4099) if (file[i] !== data.charCodeAt(i)) return false;
  return file[file.length - 1] === data.charCodeAt(data.length - 1);
}
