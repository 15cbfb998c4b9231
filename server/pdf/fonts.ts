import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { jsPDF } from 'jspdf';

/** The family name documents use. Noto Sans covers Latin, Greek and Cyrillic. */
export const FONT_FAMILY = 'NotoSans';

const files = {
  normal: { vfsName: 'NotoSans-Regular.ttf', module: '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf' },
  bold: { vfsName: 'NotoSans-Bold.ttf', module: '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf' },
} as const;

// Read once per process: the files are 600 kB each and every document needs both.
let cache: Record<keyof typeof files, string> | undefined;

/** The font files as jspdf's virtual file system wants them (binary strings, read once per process). */
function fontData(): Record<keyof typeof files, string> {
  if (!cache) {
    const require = createRequire(import.meta.url);
    // A binary ("latin1") string starting with the TrueType tag, which jspdf takes as is (no base64 decoding).
    const read = (path: string) => readFileSync(require.resolve(path)).toString('latin1');
    cache = { normal: read(files.normal.module), bold: read(files.bold.module) };
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
