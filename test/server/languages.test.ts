import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { directionOf, languages, matchLanguage, pickLanguage } from '../../server/contract';
import { requestLanguage } from '../../server/i18n';
import { createTestContext } from '../helpers/app';

describe('matchLanguage', () => {
  test('an exact tag, any case or separator', () => {
    assert.equal(matchLanguage('pt-PT'), 'pt-PT');
    assert.equal(matchLanguage('PT_pt'), 'pt-PT');
    assert.equal(matchLanguage('zh-tw'), 'zh-TW');
    assert.equal(matchLanguage('ja'), 'ja');
  });

  test('a region we do not have falls back to the language, a bare language to its main variant', () => {
    assert.equal(matchLanguage('de-AT'), 'de');
    assert.equal(matchLanguage('fr-CA'), 'fr');
    assert.equal(matchLanguage('en-US'), 'en');
    assert.equal(matchLanguage('pt'), 'pt-BR');
    assert.equal(matchLanguage('pt-AO'), 'pt-BR');
    assert.equal(matchLanguage('zh'), 'zh-CN');
    assert.equal(matchLanguage('no'), 'nb');
    assert.equal(matchLanguage('nb-NO'), 'nb');
    assert.equal(matchLanguage('iw'), 'he');
  });

  test('Chinese follows its script before its region', () => {
    assert.equal(matchLanguage('zh-Hant'), 'zh-TW');
    assert.equal(matchLanguage('zh-Hant-HK'), 'zh-TW');
    assert.equal(matchLanguage('zh-HK'), 'zh-TW');
    assert.equal(matchLanguage('zh-Hans-HK'), 'zh-CN');
    assert.equal(matchLanguage('zh-SG'), 'zh-CN');
  });

  test('languages the portal does not speak, and nonsense, match nothing', () => {
    for (const tag of ['sw', 'sw-KE', 'x', '', '-', '*', null, undefined]) assert.equal(matchLanguage(tag), undefined);
  });

  test('every language matches itself', () => {
    assert.equal(languages.length, 30);
    for (const language of languages) assert.equal(matchLanguage(language), language);
  });

  test('pickLanguage takes the first one spoken, English when none is', () => {
    assert.equal(pickLanguage('sw', undefined, 'uk-UA', 'de'), 'uk');
    assert.equal(pickLanguage('sw', null), 'en');
  });

  test('Arabic and Hebrew are written right to left, the rest left to right', () => {
    assert.deepEqual(
      languages.filter((language) => directionOf(language) === 'rtl'),
      ['ar', 'he'],
    );
  });
});

describe('requestLanguage', () => {
  test('?lang= wins when spoken; otherwise Accept-Language by preference, skipping what is not spoken', () => {
    assert.equal(requestLanguage('he', 'de'), 'he');
    assert.equal(requestLanguage('sw', 'pl;q=0.3, ja-JP;q=0.9'), 'ja');
    assert.equal(requestLanguage(undefined, 'sw, *;q=0.8, pt;q=0.5'), 'pt-BR');
    assert.equal(requestLanguage(undefined, 'ko;q=0, fi;q=0.1'), 'fi');
    assert.equal(requestLanguage(undefined, 'q=;;,,'), 'en');
    assert.equal(requestLanguage(undefined, undefined), 'en');
  });
});

describe('pages the server writes', () => {
  test('set lang and dir: right to left in Arabic and Hebrew, left to right otherwise', async () => {
    const { app } = await createTestContext();
    for (const [query, expected] of [
      ['he', '<html lang="he" dir="rtl">'],
      ['ar-EG', '<html lang="ar" dir="rtl">'],
      ['zh-Hant', '<html lang="zh-TW" dir="ltr">'],
    ]) {
      const html = await (await app.request(`/account/shop?lang=${query}`)).text();
      assert.ok(html.includes(expected), `${query}: ${html.slice(0, 80)}`);
    }
  });
});
