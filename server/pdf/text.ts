import bidiFactory from 'bidi-js';
import { hasArabic, shapeArabic } from './arabic';
import { fontOf, type Face, type FontStyle } from './fonts';

const bidi = bidiFactory();

/** The base direction of a paragraph; `auto` takes it from its first strong character (as `dir="auto"`). */
export type Direction = 'ltr' | 'rtl' | 'auto';

/** What choosing fonts for a text needs besides the text. */
export interface FaceChoice {
  style: FontStyle;
  /** The face of Han characters in this document (see `hanFace`). */
  han: Face;
  /** The face to try after Noto Sans for a character outside the known scripts: the document language's. */
  fallback: Face | undefined;
}

/** A stretch of a line drawn in one face, in visual order; its width in ems. */
export interface Run {
  text: string;
  face: Face;
  width: number;
}

/** A line ready to draw from left to right: its runs and their total width in ems. */
export interface SetLine {
  runs: Run[];
  width: number;
}

/**
 * A line of text as it is drawn: Arabic shaped, reordered from logical to visual
 * order by the Unicode bidi algorithm (UAX #9, through bidi-js) with mirrored
 * brackets swapped, invisible controls dropped, and split into runs of one face
 * each. Left-to-right runs (numbers, Latin names, invoice numbers) inside
 * right-to-left text keep their order.
 */
export function setLine(text: string, direction: Direction, choice: FaceChoice): SetLine {
  const logical = prepare(text);
  const visual = direction === 'rtl' || STRONG_RTL.test(logical) ? reorder(logical, direction) : logical;
  return runsOf(visual.replace(INVISIBLE, ''), choice);
}

/** The visual order of a line alone (for tests and previews): what `setLine` draws from left to right. */
export const visualOrder = (text: string, direction: Direction, choice: FaceChoice): string =>
  setLine(text, direction, choice)
    .runs.map((r) => r.text)
    .join('');

/** The width of a text in ems; reordering does not change it, so none is done. */
export const measure = (text: string, choice: FaceChoice): number =>
  runsOf(prepare(text).replace(INVISIBLE, ''), choice).width;

/** Characters that make a line right to left, or reorder it: Hebrew, Arabic, Syriac, Thaana, NKo, their presentation forms, and the marks and overrides. */
const STRONG_RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\u200f\u202b\u202e\u2067]/;
/** Bidi controls and zero-width formatting characters: they steer the reordering, then draw nothing. */
const INVISIBLE = /[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** What `prepare` changes: line breaks and tabs, surrogates, Arabic letters, variation selectors. */
const UNPREPARED = /[\t\r\n\ud800-\udfff\u0600-\u06ff]/;
const VARIATION = /\p{Variation_Selector}/u;
const VARIATIONS = /\p{Variation_Selector}/gu;

/** One line, Arabic shaped, variation selectors dropped; characters beyond U+FFFF (which jspdf cannot address) become U+FFFD. */
function prepare(text: string): string {
  if (!UNPREPARED.test(text) && !VARIATION.test(text)) return text;
  const flat = text
    .replace(/[\t\r\n]/g, ' ')
    .replace(VARIATIONS, '')
    .replace(/[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]/g, '\ufffd');
  return hasArabic(flat) ? shapeArabic(flat) : flat;
}

function reorder(text: string, direction: Direction): string {
  const levels = bidi.getEmbeddingLevels(text, direction === 'auto' ? undefined : direction);
  const chars = text.split('');
  for (const [index, mirror] of bidi.getMirroredCharactersMap(text, levels.levels)) chars[index] = mirror;
  for (const [start, end] of bidi.getReorderSegments(text, levels)) {
    const reversed = chars.slice(start, end + 1).reverse();
    chars.splice(start, reversed.length, ...reversed);
  }
  return chars.join('');
}

/** The face whose script a character belongs to, when it is not Noto Sans's. */
function scriptFace(code: number, han: Face): Face | undefined {
  if (code < 0x0590) return undefined;
  if (code <= 0x05ff || (code >= 0xfb1d && code <= 0xfb4f)) return 'NotoSansHebrew';
  if (code <= 0x08ff || (code >= 0xfb50 && code <= 0xfdff) || (code >= 0xfe70 && code <= 0xfefe)) {
    return code <= 0x06ff || code >= 0x0750 ? 'NotoSansArabic' : undefined;
  }
  if ((code >= 0x1100 && code <= 0x11ff) || (code >= 0x3130 && code <= 0x318f) || (code >= 0xac00 && code <= 0xd7ff)) {
    return 'NotoSansKR';
  }
  if (
    (code >= 0x2e80 && code <= 0x2fdf) ||
    (code >= 0x3000 && code <= 0x9fff) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xffef)
  ) {
    return han;
  }
  return undefined;
}

/** Letters (of any script) pick their own face; digits, spaces, punctuation and symbols go with their neighbours. */
const LETTER = /\p{L}|\p{M}/u;
const isLetter = (code: number, char: string) =>
  code < 0x80 ? (code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a : LETTER.test(char);

/** The face a letter picks for itself; undefined for a character that goes with its neighbours. */
function ownFace(code: number, char: string, choice: FaceChoice): Face | undefined {
  const face = scriptFace(code, choice.han);
  if (face) return face;
  if (!isLetter(code, char)) return undefined;
  if (fontOf('NotoSans', choice.style).has(code)) return 'NotoSans';
  return choice.fallback && fontOf(choice.fallback, choice.style).has(code) ? choice.fallback : 'NotoSans';
}

const draws = (face: Face | undefined, style: FontStyle, code: number) =>
  face !== undefined && fontOf(face, style).has(code);

/**
 * Splits a visual line into runs of one face: a script's letters in its face, other
 * letters in Noto Sans (or the fallback); digits, punctuation and spaces in the face
 * of the letters before them (else after them) when it has them, so that a Japanese
 * date or an Arabic amount reads in one face. A character no face has becomes U+FFFD.
 */
function runsOf(text: string, choice: FaceChoice): SetLine {
  const { style, fallback } = choice;
  const n = text.length;
  const assigned: (Face | undefined)[] = new Array(n);
  for (let i = 0; i < n; i++) assigned[i] = ownFace(text.charCodeAt(i), text[i], choice);
  const next: (Face | undefined)[] = new Array(n + 1);
  for (let i = n - 1; i >= 0; i--) next[i] = assigned[i] ?? next[i + 1];
  for (let i = 0; i < n; i++) {
    if (assigned[i] !== undefined) continue;
    const code = text.charCodeAt(i);
    const before = i > 0 ? assigned[i - 1] : undefined;
    if (draws(before, style, code)) assigned[i] = before;
    else if (draws(next[i], style, code)) assigned[i] = next[i];
    else assigned[i] = draws('NotoSans', style, code) || !draws(fallback, style, code) ? 'NotoSans' : fallback;
  }
  const runs: Run[] = [];
  let width = 0;
  let last: Run | undefined;
  for (let i = 0; i < n; i++) {
    let face = assigned[i]!;
    let font = fontOf(face, style);
    let code = text.charCodeAt(i);
    if (!font.has(code)) {
      // jspdf would cut the run short at a character its font lacks: print a visible replacement instead.
      face = 'NotoSans';
      font = fontOf(face, style);
      if (!font.has(code)) code = 0xfffd;
    }
    const advance = font.advance(code) / font.unitsPerEm;
    width += advance;
    if (last && last.face === face) {
      last.text += String.fromCharCode(code);
      last.width += advance;
    } else {
      runs.push((last = { text: String.fromCharCode(code), face, width: advance }));
    }
  }
  return { runs, width };
}
