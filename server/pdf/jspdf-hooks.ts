import { deflateSync } from 'node:zlib';
import { jsPDF } from 'jspdf';
import { letterOf } from './arabic';

/*
 * Where this renderer steps into jspdf, each through a hook jspdf itself offers
 * (its plugin API, a document's event subscriptions, a font record); what each
 * changes and why is said at it. After a jspdf upgrade, run the PDF tests
 * (test/server/pdf-*.test.ts): they check the visual order, the copyable Arabic
 * and the embedded fonts these hooks are for.
 */

let nativeFlate = false;

type Filters = (data: string, chain: string | string[] | undefined) => { data: string; reverseChain: string };

/**
 * jspdf compresses every stream (page contents, embedded fonts) with a JavaScript
 * deflate and then rebuilds the result one character at a time; zlib does the same
 * work natively, several times faster, with the same output format. jspdf looks its
 * filters up on `jsPDF.API.processDataByFilters`, so that is where zlib goes in — for
 * plain Flate streams only; every other filter chain is left to jspdf.
 */
export function useNativeFlate(): void {
  if (nativeFlate) return;
  nativeFlate = true;
  const api = (jsPDF as unknown as { API: { processDataByFilters: Filters } }).API;
  const original = api.processDataByFilters;
  api.processDataByFilters = (data, chain) => {
    const filters = typeof chain === 'string' ? [chain] : (chain ?? []);
    if (filters.length !== 1 || filters[0].replace('/', '') !== 'FlateEncode') return original(data, chain);
    const input = Buffer.from(data, 'latin1');
    // A window no larger than the stream: most streams here are a few kilobytes, and zlib's set-up
    // for its default 32 kB window costs more than compressing them.
    const windowBits = Math.min(15, Math.max(9, Math.ceil(Math.log2(input.length + 262))));
    return { data: deflateSync(input, { windowBits }).toString('latin1'), reverseChain: '/FlateDecode' };
  };
}

/** The parts of jspdf's font record that are used here. */
interface FontEntry {
  metadata: { toUnicode: Record<number, number>; subset: { encode(): Uint8Array } };
}

const fontEntry = (doc: jsPDF, face: string, style: string) =>
  (doc as unknown as { getFont(face: string, style: string): FontEntry }).getFont(face, style);

interface TextEvents {
  getTopics(): Record<string, Record<string, [(...args: unknown[]) => unknown, boolean]>>;
}

/**
 * jspdf runs every text through its own Arabic shaper and bidi engine. Ours have
 * already shaped and reordered it (and jspdf's would reorder it back), so both are
 * unsubscribed from this document: jspdf's Arabic shaper is `API.processArabic`, its
 * bidi step the text hook that calls `doBidiReorder`.
 */
export function withoutTextRewriting(doc: jsPDF): void {
  const shaper = (jsPDF as unknown as { API: { processArabic: unknown } }).API.processArabic;
  const topics = (doc.internal.events as unknown as TextEvents).getTopics();
  let removed = 0;
  for (const topic of ['preProcessText', 'postProcessText']) {
    for (const [token, [callback]] of Object.entries(topics[topic] ?? {})) {
      if (callback === shaper || String(callback).includes('doBidiReorder')) {
        delete topics[topic][token];
        removed++;
      }
    }
  }
  if (removed !== 2) throw new Error(`jspdf's text hooks changed: ${removed} of its Arabic and bidi steps found.`);
}

/**
 * The text a reader copies or searches from an Arabic line should be its letters,
 * not their presentation forms: once the text is drawn (jspdf fills the map as it
 * draws), the ToUnicode map of an Arabic font says which letter each shaped glyph
 * stands for (a lam-alef ligature keeps its own code, which
 * Unicode normalisation (NFKC) turns into lam and alef).
 */
export function copyableArabic(doc: jsPDF, name: string, style: string): void {
  const map = fontEntry(doc, name, style).metadata.toUnicode;
  for (const glyph of Object.keys(map)) {
    const letter = letterOf(map[Number(glyph)]);
    if (letter !== undefined) map[Number(glyph)] = letter;
  }
}

/**
 * jspdf would cut an embedded font down again to the glyphs drawn with it — exactly
 * the ones a per-document subset has already, under the same glyph ids — rebuilding
 * every table in JavaScript arrays; it is given the subset as it is.
 */
export function embedAsItIs(doc: jsPDF, face: string, style: string, subset: Uint8Array): void {
  fontEntry(doc, face, style).metadata.subset.encode = () => subset;
}
