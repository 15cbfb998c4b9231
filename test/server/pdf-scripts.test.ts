import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { translator } from '../../server/i18n';
import { renderPdf } from '../../server/pdf/render';
import { formatsFor } from '../../server/pdf/format';
import { scriptInvoice, scripts, type Script } from '../../scripts/pdf-samples';
import { pdfFonts, pdfText, pdfWords, type PdfWord } from '../helpers/invoices';

/** pdftotext's reading order, without the embedding marks it puts around right-to-left runs, normalised (NFKC). */
const readable = (bytes: Uint8Array) =>
  pdfText(bytes)
    .replace(/[\u202a-\u202e\u200e\u200f]/g, '')
    .normalize('NFKC');

const cjk: Script[] = ['japanese', 'chinese-simplified', 'chinese-traditional', 'korean'];
const rtl: Script[] = ['arabic', 'hebrew'];

/** The words of one line (same top, within half a point), left to right. */
const lineOf = (words: PdfWord[], anchor: PdfWord) =>
  words
    .filter((w) => w.page === anchor.page && Math.abs(w.yMin - anchor.yMin) < 0.5)
    .sort((a, b) => a.xMin - b.xMin)
    .map((w) => w.text);

describe('renderPdf in every script', () => {
  for (const script of scripts) {
    test(`prints a ${script} invoice: its names, products and amounts`, () => {
      const document = scriptInvoice(script);
      const bytes = renderPdf(document);
      const text = readable(bytes);
      const f = formatsFor(document.language, document.currency);
      const expected = [
        translator(document.language).t('pdf.invoice'),
        document.seller.name,
        document.buyer.name!,
        ...document.seller.addressLines,
        ...document.lines.map((l) => l.description),
        document.number,
      ];
      // Word by word: descriptions wrap in their column, and pdftotext reassembles a right-to-left
      // line mixed with numbers and brackets in its own way.
      for (const piece of expected.flatMap((w) =>
        w
          .normalize('NFKC')
          .split(/[\s()]+/)
          .filter(Boolean),
      )) {
        assert.ok(text.includes(piece), `"${piece}" in:\n${text}`);
      }
      // Amounts as Intl writes them in the language (digits and separators; the symbol may stand apart in RTL).
      for (const amount of [document.totals.total, document.lines[0].unitPrice!, document.lines[2].tax]) {
        const formatted = f
          .money(amount)
          .replace(/[\u061c\u200e\u200f]/g, '')
          .normalize('NFKC');
        const digits = /[\d.,\u00a0\u202f]*\d/.exec(formatted)![0];
        assert.ok(text.includes(rtl.includes(script) ? digits : formatted), `${formatted} in:\n${text}`);
      }
      const limit = cjk.includes(script) ? 250_000 : 100_000;
      assert.ok(bytes.byteLength <= limit, `${bytes.byteLength} bytes`);
    });
  }

  test('prints the Hebrew line with the invoice number and the amount in right-to-left visual order', () => {
    const document = scriptInvoice('hebrew');
    const amount = formatsFor('he', 'ILS').money(123_450);
    const bytes = renderPdf({ ...document, payment: `שולם עבור חשבונית ${document.number} סך ${amount}` });
    const words = pdfWords(bytes);
    const line = lineOf(
      words,
      words.find((w) => w.text === document.number && w.yMin > 400)!,
    );
    // From the left: the amount with its shekel sign, then the words of the sentence from its end,
    // each drawn right to left, with the invoice number and the amount's digits in their own order.
    assert.deepEqual(line.join(' ').replace(/\u00a0/g, ' '), '₪ 1,234.50 ךס NW-2026-000123 תינובשח רובע םלוש');
    // …and pdftotext, reading it back, finds the Hebrew words in their logical order.
    const read = readable(bytes)
      .split('\n')
      .find((l) => l.includes('שולם'))!;
    for (const part of ['שולם עבור חשבונית', 'סך', document.number, '1,234.50']) assert.ok(read.includes(part), read);
  });

  test('lays Arabic and Hebrew invoices out mirrored: title and descriptions at the right, amounts at the left', () => {
    const pageWidth = 595.28;
    for (const script of rtl) {
      const document = scriptInvoice(script);
      const words = pdfWords(renderPdf(document));
      const word = (text: string) => words.find((w) => w.text === text)!;
      // A right-to-left word is drawn (and listed) with its letters from left to right.
      const title = words.find((w) =>
        translator(document.language)
          .t('pdf.invoice')
          .startsWith([...w.text].reverse().join('')),
      )!;
      assert.ok(title.xMax > pageWidth - 60, `${script}: the title ends at the right margin (${title.xMax})`);
      assert.ok(word('billing@northwind.example').xMin < 60, `${script}: the seller is at the left margin`);
      // The second line: "Studio Pro (…)" starts the row at the right, its amount ends it at the left.
      const total = /[\d.,]*\d/.exec(
        formatsFor(document.language, document.currency).money(document.lines[1].total),
      )![0];
      assert.ok(word('Studio').xMin > pageWidth / 2, `${script}: the description is at the right`);
      assert.ok(word(total).xMin < 100, `${script}: the line's amount is at the left (${word(total).xMin})`);
    }
    // …and a left-to-right invoice is not mirrored.
    const words = pdfWords(renderPdf(scriptInvoice('latin')));
    assert.ok(words.find((w) => w.text === 'Studio')!.xMin < 100);
  });

  test('shapes Arabic and lets a reader copy it as letters', () => {
    const document = scriptInvoice('arabic');
    const raw = pdfText(renderPdf(document));
    // The buyer's name as letters (not presentation forms) in reading order.
    assert.ok(raw.includes('محمد عبد الله'), raw);
    assert.doesNotMatch(raw.replace(/[\ufefb-\ufefc\ufef5-\ufefa]/g, ''), /[\ufe70-\ufeff]/);
  });

  test('embeds the faces a document prints with, each as a tagged subset, and no other', () => {
    const embedded = (script: Script) =>
      pdfFonts(renderPdf(scriptInvoice(script)))
        .filter((f) => f.embedded)
        .map((f) => {
          assert.ok(f.subset, `${f.name} is a subset`);
          assert.match(f.name, /^[A-Z]{6}\+/);
          return f.name.slice(7);
        })
        .sort();
    assert.deepEqual(embedded('latin'), ['NotoSans', 'NotoSans-Bold']);
    assert.deepEqual(embedded('japanese'), ['NotoSans', 'NotoSans-Bold', 'NotoSansJP', 'NotoSansJP-Bold']);
    assert.deepEqual(embedded('arabic'), ['NotoSans', 'NotoSans-Bold', 'NotoSansArabic', 'NotoSansArabic-Bold']);
    assert.deepEqual(embedded('korean'), ['NotoSans', 'NotoSans-Bold', 'NotoSansKR', 'NotoSansKR-Bold']);
  });

  test('never prints one word over another: long labels wrap in their column, a long value moves under its label', () => {
    for (const script of scripts) {
      // A renewal's service period is the longest fact; the languages with translations give long labels.
      const document = scriptInvoice(script, {
        supply: { start: new Date('2026-01-15T12:00:00Z'), end: new Date('2026-02-15T12:00:00Z') },
      });
      const words = pdfWords(renderPdf(document));
      for (const word of words) {
        const overlapping = words.find(
          (other) =>
            other !== word &&
            other.page === word.page &&
            Math.abs(other.yMin - word.yMin) < 2 &&
            other.xMin < word.xMax - 0.5 &&
            other.xMax > word.xMin + 0.5,
        );
        assert.equal(overlapping, undefined, `${script}: "${word.text}" and "${overlapping?.text}" overlap`);
      }
    }
  });
});
