import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { TrueTypeFont } from './truetype';

/**
 * The Noto Sans families documents print with: Noto Sans for Latin (Vietnamese
 * included), Greek and Cyrillic, and one family each for Arabic, Hebrew, Japanese,
 * Simplified and Traditional Chinese and Korean. All are TrueType, regular and bold.
 */
export const faces = [
  'NotoSans',
  'NotoSansArabic',
  'NotoSansHebrew',
  'NotoSansJP',
  'NotoSansSC',
  'NotoSansTC',
  'NotoSansKR',
] as const;
export type Face = (typeof faces)[number];
export type FontStyle = 'normal' | 'bold';

const packages: Record<Face, string> = {
  NotoSans: 'noto-sans',
  NotoSansArabic: 'noto-sans-arabic',
  NotoSansHebrew: 'noto-sans-hebrew',
  NotoSansJP: 'noto-sans-jp',
  NotoSansSC: 'noto-sans-sc',
  NotoSansTC: 'noto-sans-tc',
  NotoSansKR: 'noto-sans-kr',
};

// Each file is read and parsed the first time a document needs it, then kept for the
// life of the process: the CJK files are 5 to 11 MB each and must never be read per
// document. A Latin invoice never touches them.
const loaded: Record<FontStyle, Partial<Record<Face, TrueTypeFont>>> = { normal: {}, bold: {} };
let reads = 0;

/** A face in a style, read from its package on first use and cached. */
export function fontOf(face: Face, style: FontStyle): TrueTypeFont {
  let font = loaded[style][face];
  if (!font) {
    const weight = style === 'bold' ? '700Bold' : '400Regular';
    const path = createRequire(import.meta.url).resolve(
      `@expo-google-fonts/${packages[face]}/${weight}/${face}_${weight}.ttf`,
    );
    reads++;
    font = new TrueTypeFont(readFileSync(path), `${face} ${weight}`);
    loaded[style][face] = font;
  }
  return font;
}

/** How many font files this process has read: each at most once. */
export const fontFilesRead = (): number => reads;

/** The face a script's language prints with, beside Noto Sans. */
export function languageFace(language: string): Face | undefined {
  switch (language) {
    case 'ar':
      return 'NotoSansArabic';
    case 'he':
      return 'NotoSansHebrew';
    case 'ja':
      return 'NotoSansJP';
    case 'zh-CN':
      return 'NotoSansSC';
    case 'zh-TW':
      return 'NotoSansTC';
    case 'ko':
      return 'NotoSansKR';
    default:
      return undefined;
  }
}

/**
 * Which CJK face draws the Han characters of a document — they are shared by
 * Chinese, Japanese and Korean, with regional glyph shapes: the document language's
 * own; in other languages Japanese when its text has kana, Korean when it has
 * hangul, else Simplified Chinese.
 */
export function hanFace(language: string, text: string): Face {
  const own = languageFace(language);
  if (own === 'NotoSansJP' || own === 'NotoSansSC' || own === 'NotoSansTC' || own === 'NotoSansKR') return own;
  if (/[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]/.test(text)) return 'NotoSansJP';
  if (/[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/.test(text)) return 'NotoSansKR';
  return 'NotoSansSC';
}
