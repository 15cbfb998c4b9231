import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkLocale, flatten, localeDirs, readLocale } from '../../scripts/check-locales';
import { directionOf, languages } from '../../server/contract';
import { loginLinkEmail } from '../../server/email/templates';
import { messages } from '../../server/i18n';
import { getStore } from '../../server/services/stores';
import { createTestContext } from '../helpers/app';

describe('locale files', () => {
  for (const dir of localeDirs) {
    const english = readLocale(dir, 'en')!;
    for (const language of languages.filter((l) => l !== 'en')) {
      test(`${dir}/${language}.json has every key of English, its placeholders and its language's plural forms`, () => {
        const locale = readLocale(dir, language);
        assert.ok(locale, `${dir}/${language}.json is missing`);
        assert.deepEqual(checkLocale(english, locale, language).errors, []);
      });
    }
  }

  test('the check itself finds a missing key, a stray key, a renamed placeholder and a missing plural form', () => {
    const english = { a: 'Hello {{name}}', n_one: '{{count}} day', n_other: '{{count}} days' };
    assert.deepEqual(
      checkLocale(english, { a: 'Cześć {{imie}}', n_one: '{{count}} dzień', n_other: '{{count}} dnia', b: 'x' }, 'pl')
        .errors,
      [
        'a: lacks {{name}}',
        'a: has {{imie}}, which English does not',
        'missing: n_few',
        'missing: n_many',
        'not in English: b',
      ],
    );
    // Japanese has one plural form; the number may be left out of a form only where the language counts in words.
    assert.deepEqual(checkLocale(english, { a: '{{name}}さん', n_other: '{{count}}日' }, 'ja').errors, []);
    assert.deepEqual(checkLocale(english, { a: '{{name}}', n_one: '一天', n_other: '{{count}}天' }, 'ja').errors, [
      'not in English: n_one',
    ]);
  });
});

describe('every language', () => {
  test('the sign-in email is written in it, in its direction, with nothing left in English', async () => {
    const ctx = await createTestContext();
    const store = await getStore(ctx.db, 'shop');
    const links = { url: 'https://portal.test/t', managementUrl: 'https://portal.test/m', ttlSeconds: 86_400 };
    const english = loginLinkEmail(store, { email: 'a@example.com', firstName: 'Ada', language: 'en' }, links);
    for (const language of languages) {
      const email = loginLinkEmail(store, { email: 'a@example.com', firstName: 'Ada', language }, links);
      const words = messages(language).email.loginLink;
      assert.equal(email.language, language);
      assert.equal(email.subject, words.subject.replace('{{store}}', store.name), language);
      assert.ok(email.html.includes(`<html lang="${language}" dir="${directionOf(language)}">`), language);
      assert.ok(email.text.includes(words.button), `${language}: the button's words in the text body`);
      if (language !== 'en') {
        assert.notEqual(email.subject, english.subject, language);
        assert.ok(!email.text.includes(english.subject), `${language}: no English subject in the body`);
      }
    }
  });

  test('no value is left in English where the language writes in another script', () => {
    // Latin-script languages may rightly share words with English ("Status", "Plan"); these may not.
    const otherScripts = ['bg', 'el', 'ru', 'uk', 'ja', 'zh-CN', 'zh-TW', 'ko', 'ar', 'he'] as const;
    // Brand names (cards, browsers, systems), formats and units are written in Latin letters everywhere.
    const allowed =
      /^[\s\p{P}\p{S}\d]*$|^(Visa|Mastercard|American Express|Discover|JCB|Diners Club|UnionPay|HTML|PDF|JSON|MM\/YY)$|^(Chrome|Edge|Firefox|Safari|Opera|Samsung Internet|Windows|macOS|Android|Linux|ChromeOS)$|^\s*px$/u;
    for (const dir of localeDirs) {
      const english = flatten(readLocale(dir, 'en')!);
      for (const language of otherScripts) {
        for (const [key, value] of flatten(readLocale(dir, language)!)) {
          const bare = value.replace(/\{\{[^}]*\}\}/g, '');
          if (english.get(key) === value && !allowed.test(bare))
            assert.fail(`${dir}/${language}.json ${key}: "${value}"`);
        }
      }
    }
  });
});
