import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { letterOf, shapeArabic } from '../../server/pdf/arabic';
import { fontOf, hanFace, type Face } from '../../server/pdf/fonts';
import { setLine, visualOrder, type FaceChoice } from '../../server/pdf/text';

const choice = (han: Face = 'NotoSansSC', fallback?: Face): FaceChoice => ({ style: 'normal', han, fallback });
const hex = (text: string) => [...text].map((c) => c.codePointAt(0)!.toString(16).toUpperCase()).join(' ');

describe('shapeArabic', () => {
  test('gives each letter its initial, medial, final or isolated form by the letters it joins', () => {
    // محمد: meem initial, hah medial, meem medial, dal final.
    assert.equal(hex(shapeArabic('محمد')), 'FEE3 FEA4 FEE4 FEAA');
    // A letter alone, and letters separated by a space, stand isolated.
    assert.equal(hex(shapeArabic('ب ب')), 'FE8F 20 FE8F');
  });

  test('starts again after a letter that joins only the one before it', () => {
    // دار: dal, alef and reh join nothing after them, so all three stand isolated.
    assert.equal(hex(shapeArabic('دار')), 'FEA9 FE8D FEAD');
    // باب: beh initial, alef final, beh isolated again.
    assert.equal(hex(shapeArabic('باب')), 'FE91 FE8E FE8F');
  });

  test('ligates lam and alef, isolated or joined to the letter before', () => {
    assert.equal(hex(shapeArabic('لا')), 'FEFB');
    // سلام: seen initial, lam-alef final, meem isolated (alef joins nothing after it).
    assert.equal(hex(shapeArabic('سلام')), 'FEB3 FEFC FEE1');
    // الأمل: alef, lam-alef-with-hamza, meem initial, lam final.
    assert.equal(hex(shapeArabic('الأمل')), 'FE8D FEF7 FEE3 FEDE');
  });

  test('looks past marks for the letters a letter joins', () => {
    // بَب: the fatha between the two behs keeps them joined.
    assert.equal(hex(shapeArabic('بَب')), 'FE91 64E FE90');
  });

  test('leaves other text as it is', () => {
    assert.equal(shapeArabic('Photo Toolkit 3 — 12.50 €'), 'Photo Toolkit 3 — 12.50 €');
  });

  test('knows which letter a presentation form stands for, so copied text is letters', () => {
    assert.equal(letterOf(0xfee3), 0x0645);
    assert.equal(letterOf(0xfe8e), 0x0627);
    assert.equal(letterOf(0xfefb), undefined, 'lam-alef stands for two letters');
    assert.equal(letterOf(0x0041), undefined);
  });
});

describe('setLine', () => {
  test('reorders a Hebrew line with an invoice number and an amount: both stay left to right', () => {
    const amount = new Intl.NumberFormat('he', { style: 'currency', currency: 'ILS' }).format(1234.5);
    const line = `חשבונית INV-2026-000123 על סך ${amount}`;
    // Drawn from the left: the shekel sign and amount (the end of the sentence), then the
    // Hebrew words reversed, with the invoice number and the digits in their own order.
    assert.equal(visualOrder(line, 'rtl', choice()), '₪\u00a01,234.50 ךס לע INV-2026-000123 תינובשח');
  });

  test('takes the direction of data from its first strong character', () => {
    assert.equal(visualOrder('6688123 תל אביב', 'auto', choice()), 'ביבא לת 6688123');
    assert.equal(visualOrder('Paid with Visa 4242.', 'auto', choice()), 'Paid with Visa 4242.');
    // The same English sentence as a right-to-left paragraph ends at the left, with its full stop.
    assert.equal(visualOrder('Paid with Visa 4242.', 'rtl', choice()), '.Paid with Visa 4242');
    // Brackets around Latin text after Latin text stay with it either way (UAX #9, N0).
    assert.equal(visualOrder('Studio Pro (monthly)', 'rtl', choice()), 'Studio Pro (monthly)');
  });

  test('mirrors brackets in right-to-left text', () => {
    assert.equal(visualOrder('(שלום)', 'rtl', choice()), '(םולש)');
  });

  test('shapes Arabic before reordering it, numbers kept in order', () => {
    assert.equal(hex(visualOrder('سلام 42', 'rtl', choice())), '34 32 20 FEE1 FEFC FEB3');
  });

  test('drops the invisible direction marks Intl puts into amounts', () => {
    const amount = new Intl.NumberFormat('ar', { style: 'currency', currency: 'SAR' }).format(8);
    assert.match(amount, /[\u061c\u200e\u200f]/);
    assert.doesNotMatch(visualOrder(amount, 'rtl', choice()), /[\u061c\u200e\u200f]/);
    // Soft hyphens, zero-width spaces and variation selectors draw nothing either.
    assert.equal(
      visualOrder('Font\u00adPack\u200b 写\ufe00真 ✓\ufe0f', 'ltr', choice('NotoSansJP')),
      'FontPack 写真 ✓',
    );
  });

  test('prints a Japanese line with a Latin product and a Cyrillic name, each in a face that has it', () => {
    const text = 'Анна Каренина様 Photo Toolkit 3 写真ツール';
    const { runs } = setLine(text, 'ltr', choice('NotoSansJP', 'NotoSansJP'));
    assert.equal(runs.map((r) => r.text).join(''), text);
    assert.deepEqual(
      runs.map((r) => [r.text, r.face]),
      [
        ['Анна Каренина', 'NotoSans'],
        ['様 ', 'NotoSansJP'],
        ['Photo Toolkit 3 ', 'NotoSans'],
        ['写真ツール', 'NotoSansJP'],
      ],
    );
    for (const run of runs) for (const char of run.text) assert.ok(fontOf(run.face, 'normal').has(char.charCodeAt(0)));
  });

  test('keeps digits and punctuation in the face of the letters around them', () => {
    const { runs } = setLine('2026年1月15日', 'ltr', choice('NotoSansJP'));
    assert.deepEqual(
      runs.map((r) => r.face),
      ['NotoSansJP'],
    );
  });

  test('prints a character no face has as a visible replacement character, never cutting the line short', () => {
    const { runs } = setLine('Thanks 😀 again', 'ltr', choice());
    assert.equal(runs.map((r) => r.text).join(''), 'Thanks \ufffd again');
  });

  test('measures lines from the advance widths of the faces', () => {
    const narrow = setLine('iiii', 'ltr', choice()).width;
    const wide = setLine('MMMM', 'ltr', choice()).width;
    assert.ok(narrow > 0 && wide > 2 * narrow, `${narrow} ${wide}`);
    // A CJK character is one em wide.
    assert.equal(setLine('写', 'ltr', choice('NotoSansJP')).width, 1);
  });
});

describe('hanFace', () => {
  test("prints Han characters in the document language's CJK face", () => {
    assert.equal(hanFace('ja', '東京'), 'NotoSansJP');
    assert.equal(hanFace('zh-CN', '北京'), 'NotoSansSC');
    assert.equal(hanFace('zh-TW', '台北'), 'NotoSansTC');
    assert.equal(hanFace('ko', '서울'), 'NotoSansKR');
  });

  test('in other languages goes by the kana or hangul of the data, else Simplified Chinese', () => {
    assert.equal(hanFace('en', '山田 ヤマダ'), 'NotoSansJP');
    assert.equal(hanFace('de', '金 김'), 'NotoSansKR');
    assert.equal(hanFace('fr', '王小明'), 'NotoSansSC');
  });
});
