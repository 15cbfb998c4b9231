import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import { jsPDF } from 'jspdf';
import { renderPdf } from '../../server/pdf/render';
import { fontFilesRead, fontOf } from '../../server/pdf/fonts';
import { TrueTypeFont } from '../../server/pdf/truetype';
import { sampleInvoice, scriptInvoice } from '../../scripts/pdf-samples';

const require = createRequire(import.meta.url);
const notoSans = () => readFileSync(require.resolve('@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf'));
const codes = (text: string) => [...text].map((c) => c.codePointAt(0)!);

/** jspdf's own TrueType parser, as an independent reader of the fonts we write. */
interface ParsedGlyph {
  compound?: boolean;
  glyphIDs?: number[];
}
interface ParsedFont {
  characterToGlyph(code: number): number;
  glyf: { glyphFor(id: number): ParsedGlyph | null };
  maxp: { numGlyphs: number };
}
const parse = (bytes: Uint8Array) =>
  (jsPDF as unknown as { API: { TTFFont: { open(file: Uint8Array): ParsedFont } } }).API.TTFFont.open(bytes);

describe('TrueTypeFont', () => {
  test('refuses a CFF-flavoured OpenType font and anything that is not one TrueType font', () => {
    const otto = new Uint8Array(notoSans());
    new DataView(otto.buffer).setUint32(0, 0x4f54544f);
    assert.throws(() => new TrueTypeFont(otto, 'Some OTF'), /Some OTF has CFF outlines \(OTTO\)/);
    const collection = new Uint8Array(notoSans());
    new DataView(collection.buffer).setUint32(0, 0x74746366);
    assert.throws(() => new TrueTypeFont(collection), /not a single TrueType font/);
  });

  test('a subset has the glyphs of its characters and of the parts composite glyphs are built from', () => {
    const font = new TrueTypeFont(notoSans());
    // Vietnamese letters with two marks are composite glyphs in Noto Sans.
    const text = 'Nguyễn ệ ở';
    const subset = parse(font.subset(codes(text)));
    let composites = 0;
    for (const code of codes(text)) {
      const id = subset.characterToGlyph(code);
      assert.ok(id > 0, `U+${code.toString(16)} is in the subset`);
      const glyph = subset.glyf.glyphFor(id);
      if (code === 0x20) continue;
      assert.ok(glyph, `U+${code.toString(16)} has an outline`);
      if (!glyph.compound) continue;
      composites++;
      for (const part of glyph.glyphIDs!) {
        assert.ok(part < subset.maxp.numGlyphs, `component ${part} of U+${code.toString(16)} is renumbered`);
        assert.ok(subset.glyf.glyphFor(part), `component ${part} of U+${code.toString(16)} is in the subset`);
      }
    }
    assert.ok(composites >= 2, `${composites} composite glyphs`);
    assert.ok(subset.maxp.numGlyphs < 40, `${subset.maxp.numGlyphs} glyphs`);
  });

  test('subsetting leaves the font as it was read: the same characters give the same bytes', () => {
    const font = new TrueTypeFont(notoSans());
    const first = font.subset(codes('Nguyễn Thị Hương'));
    font.subset(codes('Photo Toolkit ở ệ Ελληνικά Кириллица'));
    assert.deepEqual(font.subset(codes('Nguyễn Thị Hương')), first);
  });

  test('measures characters in design units and knows which it has', () => {
    const font = fontOf('NotoSans', 'normal');
    assert.equal(font.unitsPerEm, 1000);
    assert.ok(font.has(0x41) && !font.has(0x5e9));
    assert.ok(font.advance(0x4d) > font.advance(0x69));
    assert.equal(font.advance(0x5e9), 0);
  });
});

describe('fontOf', () => {
  // Tests in a file share one process: this counts the font files it reads from its start.
  test('reads each font file once per process, a CJK or Arabic one only when a document needs it', () => {
    renderPdf(sampleInvoice());
    assert.equal(fontFilesRead(), 2, 'Noto Sans regular and bold');
    renderPdf(scriptInvoice('latin'));
    renderPdf(scriptInvoice('cyrillic'));
    renderPdf(scriptInvoice('greek'));
    renderPdf(scriptInvoice('vietnamese'));
    assert.equal(fontFilesRead(), 2, 'Latin, Cyrillic, Greek and Vietnamese need nothing more');

    renderPdf(scriptInvoice('japanese'));
    assert.equal(fontFilesRead(), 4, 'Noto Sans JP regular and bold');
    renderPdf(scriptInvoice('japanese'));
    renderPdf(scriptInvoice('japanese', { buyer: { ...sampleInvoice().buyer, name: '山田 花子' } }));
    assert.equal(fontFilesRead(), 4, 'a second and third Japanese invoice read no font file again');

    renderPdf(scriptInvoice('arabic'));
    assert.equal(fontFilesRead(), 6, 'Noto Sans Arabic regular and bold');
    renderPdf(scriptInvoice('arabic'));
    renderPdf(scriptInvoice('japanese'));
    assert.equal(fontFilesRead(), 6);
  });
});
