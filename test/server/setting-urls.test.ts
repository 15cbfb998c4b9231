import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isSettingUrl, settingUrlProblem } from '../../server/lib/setting-urls';

describe('settingUrlProblem', () => {
  test('accepts https URLs, and mailto: only where it is allowed', () => {
    for (const url of [
      'https://shop.example/help',
      'https://shop.example:8443/a?b=c#d',
      'https://xn--bcher-kva.example/',
    ]) {
      assert.equal(settingUrlProblem(url, ['https:']), null, url);
    }
    assert.equal(settingUrlProblem('mailto:help@shop.example', ['https:', 'mailto:']), null);
    assert.equal(settingUrlProblem('mailto:help@shop.example?subject=Order', ['https:', 'mailto:']), null);
    assert.match(settingUrlProblem('mailto:help@shop.example', ['https:'])!, /https:/);
  });

  test('refuses every other scheme, however it is spelled', () => {
    for (const url of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'javascript://shop.example/%0aalert(1)',
      'data:text/html,<b>x</b>',
      'vbscript:msgbox',
      'http://shop.example/help',
      'ftp://shop.example/',
      'file:///etc/passwd',
      '//shop.example/help',
      '/help',
      'shop.example/help',
      'mailto:',
      'mailto:nobody',
      'mailto:a@b.example,c@d.example/x',
    ]) {
      assert.ok(settingUrlProblem(url, ['https:', 'mailto:']), url);
    }
  });

  test('refuses control characters, whitespace, quotes, angle brackets and backslashes', () => {
    for (const url of [
      'https://cdn.example/logo.svg" onerror="alert(1)',
      "https://cdn.example/it's.svg",
      'https://cdn.example/a b.svg',
      'https://cdn.example/a\tb',
      ' https://cdn.example/a',
      'https://cdn.example/a\n',
      'java\nscript:alert(1)',
      '\u0000https://cdn.example/',
      'https://cdn.example/<svg>',
      'https://cdn.example/`x`',
      'https:\\\\cdn.example\\a',
      'https://cdn.example/\u00a0',
      'https://cdn.example/\u2028',
    ]) {
      assert.ok(settingUrlProblem(url, ['https:']), JSON.stringify(url));
    }
  });

  test('refuses URLs without a host, with credentials, or too long', () => {
    assert.ok(settingUrlProblem('https://user:pw@cdn.example/', ['https:']));
    assert.ok(settingUrlProblem('https://user@cdn.example/', ['https:']));
    assert.ok(settingUrlProblem(`https://cdn.example/${'a'.repeat(2000)}`, ['https:']));
    assert.equal(isSettingUrl(null, ['https:']), false);
    assert.equal(isSettingUrl(42, ['https:']), false);
  });
});
