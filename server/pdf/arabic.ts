/**
 * Arabic shaping through the presentation forms of Unicode: each letter becomes its
 * isolated, final, initial or medial form by the letters it joins (the joining types
 * of Unicode's ArabicShaping.txt), and lam followed by alef becomes their ligature.
 * jspdf maps one character to one glyph and knows no OpenType features, and Noto
 * Sans Arabic maps the presentation forms to the same glyphs its `init`, `medi`,
 * `fina` and `rlig` features would choose.
 *
 * Works on text in logical order, before the bidi reordering.
 */

/** Dual-joining letters: the first of their four forms (isolated, final, initial, medial). */
const dual: Record<number, number> = {
  0x0626: 0xfe89,
  0x0628: 0xfe8f,
  0x062a: 0xfe95,
  0x062b: 0xfe99,
  0x062c: 0xfe9d,
  0x062d: 0xfea1,
  0x062e: 0xfea5,
  0x0633: 0xfeb1,
  0x0634: 0xfeb5,
  0x0635: 0xfeb9,
  0x0636: 0xfebd,
  0x0637: 0xfec1,
  0x0638: 0xfec5,
  0x0639: 0xfec9,
  0x063a: 0xfecd,
  0x0641: 0xfed1,
  0x0642: 0xfed5,
  0x0643: 0xfed9,
  0x0644: 0xfedd,
  0x0645: 0xfee1,
  0x0646: 0xfee5,
  0x0647: 0xfee9,
  0x064a: 0xfef1,
  // Persian and Urdu letters, for names.
  0x067e: 0xfb56,
  0x0686: 0xfb7a,
  0x06a4: 0xfb6a,
  0x06a9: 0xfb8e,
  0x06af: 0xfb92,
  0x06cc: 0xfbfc,
};

/** Right-joining letters (they join the letter before them only): isolated and final form. */
const right: Record<number, number> = {
  0x0622: 0xfe81,
  0x0623: 0xfe83,
  0x0624: 0xfe85,
  0x0625: 0xfe87,
  0x0627: 0xfe8d,
  0x0629: 0xfe93,
  0x062f: 0xfea9,
  0x0630: 0xfeab,
  0x0631: 0xfead,
  0x0632: 0xfeaf,
  0x0648: 0xfeed,
  0x0649: 0xfeef,
  0x0671: 0xfb50,
  0x0698: 0xfb8a,
};

/** Lam followed by one of these alefs: the isolated form of their ligature (the final form is the next code). */
const lamAlef: Record<number, number> = { 0x0622: 0xfef5, 0x0623: 0xfef7, 0x0625: 0xfef9, 0x0627: 0xfefb };

const LAM = 0x0644;
/** Tatweel and zero-width joiner join on both sides without changing form. */
const joinCausing = (code: number) => code === 0x0640 || code === 0x200d;
/** Marks (harakat, superscript alef, Quranic marks) are skipped when looking for the neighbours a letter joins. */
const transparent = (code: number) =>
  (code >= 0x0610 && code <= 0x061a) ||
  (code >= 0x064b && code <= 0x065f) ||
  code === 0x0670 ||
  (code >= 0x06d6 && code <= 0x06dc) ||
  (code >= 0x06df && code <= 0x06e4) ||
  code === 0x06e7 ||
  code === 0x06e8 ||
  (code >= 0x06ea && code <= 0x06ed);

const joinsNext = (code: number | undefined) => code !== undefined && (code in dual || joinCausing(code));
const joinsPrevious = (code: number | undefined) =>
  code !== undefined && (code in dual || code in right || joinCausing(code));

/** Whether a text has letters this module shapes. */
export const hasArabic = (text: string) => /[\u0600-\u06ff]/.test(text);

/** The text with its Arabic letters in their contextual presentation forms and lam-alef ligated. */
export function shapeArabic(text: string): string {
  const codes = [...text].map((c) => c.codePointAt(0)!);
  const neighbour = (from: number, step: 1 | -1) => {
    for (let i = from + step; i >= 0 && i < codes.length; i += step) if (!transparent(codes[i])) return codes[i];
    return undefined;
  };
  let out = '';
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    const afterPrevious = joinsNext(neighbour(i, -1));
    if (code === LAM) {
      const nextIndex = codes.findIndex((c, j) => j > i && !transparent(c));
      const next = nextIndex < 0 ? undefined : codes[nextIndex];
      if (next !== undefined && next in lamAlef) {
        // The marks between lam and alef follow the ligature.
        out += String.fromCodePoint(lamAlef[next] + (afterPrevious ? 1 : 0));
        for (let j = i + 1; j < nextIndex; j++) out += String.fromCodePoint(codes[j]);
        i = nextIndex;
        continue;
      }
    }
    if (code in dual) {
      const beforeNext = joinsPrevious(neighbour(i, 1));
      const form = afterPrevious ? (beforeNext ? 3 : 1) : beforeNext ? 2 : 0;
      out += String.fromCodePoint(dual[code] + form);
    } else if (code in right) {
      out += String.fromCodePoint(right[code] + (afterPrevious ? 1 : 0));
    } else {
      out += String.fromCodePoint(code);
    }
  }
  return out;
}

const unshaped = new Map<number, number>();
for (const [letter, first] of Object.entries(dual)) for (let f = 0; f < 4; f++) unshaped.set(first + f, Number(letter));
for (const [letter, first] of Object.entries(right))
  for (let f = 0; f < 2; f++) unshaped.set(first + f, Number(letter));

/**
 * The letter a presentation form stands for (U+FEE3 → U+0645), so that the text a
 * reader copies or searches is the letters themselves; undefined for anything else,
 * lam-alef ligatures included (they stand for two letters).
 */
export const letterOf = (form: number): number | undefined => unshaped.get(form);
