/**
 * The walk through every screen in one language, failing on English where the locale
 * has its own words and on raw message keys. The languages are spread over a few test
 * files (the runner gives each file two minutes), each with a customer of its own.
 */
import { expect } from '@open-wc/testing';
import { directionOf, type Language } from '../../../server/contract';
import en from '../../../widget/locales/en.json' with { type: 'json' };
import type { AccountPortal } from '../../../widget/index';
import { until } from './fixtures';
import {
  labelsWithoutTheirText,
  mountPortal,
  mountSignIn,
  renderedTexts,
  richWorld,
  screens,
  type World,
} from './screens';

type Messages = { [key: string]: string | Messages };

/** Every message of a locale file by its key path (`orders.title`). */
function flatten(messages: Messages, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(messages)) {
    if (typeof value === 'string') out.set(`${prefix}${key}`, value);
    else for (const [path, text] of flatten(value, `${prefix}${key}.`)) out.set(path, text);
  }
  return out;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const PLACEHOLDER = /\{\{[^}]+\}\}/g;

/** A message as a pattern a rendered text matches when it is that message, whatever went into its placeholders. */
function pattern(message: string): RegExp {
  const parts = message.replace(/\s+/g, ' ').trim().split(PLACEHOLDER);
  return new RegExp(`^${parts.map(escape).join('.+?')}$`, 's');
}

/** The letters of a message outside its placeholders: a message that is nearly all placeholder says nothing of its language. */
const literalLetters = (message: string) => message.replace(PLACEHOLDER, '').replace(/[^\p{L}]/gu, '').length;

/**
 * What in `texts` is English where the locale has its own words, or a raw key: a text
 * that is an English message (placeholders filled in) and no message of the locale; a
 * longer English phrase inside a text that the locale does not use itself; a key path.
 */
export function untranslated(texts: string[], local: Map<string, string>): string[] {
  const english = flatten(en as Messages);
  const keys = [...english.keys()].flatMap((key) => [key, key.replace(/_(zero|one|two|few|many|other)$/, '')]);
  const localPatterns = [...local.values()].filter((message) => literalLetters(message) >= 1).map(pattern);
  const localText = [...local.values()].join('\n');
  const englishPatterns = [...english]
    .filter(([key, message]) => local.get(key) !== message && literalLetters(message) >= 3)
    .map(([, message]) => ({ message, regex: pattern(message) }));
  const phrases = [...english.values()]
    .flatMap((message) => message.split(PLACEHOLDER).map((part) => part.trim()))
    .filter((part) => part.length >= 14 && /\p{L}{3}/u.test(part) && !localText.includes(part));
  const found: string[] = [];
  for (const text of new Set(texts)) {
    const key = keys.find((k) => new RegExp(`(^|[^\\w.])${escape(k)}($|[^\\w.])`).test(text));
    if (key) found.push(`raw key ${key} in "${text}"`);
    const isLocal = localPatterns.some((regex) => regex.test(text));
    if (isLocal) continue;
    const message = englishPatterns.find(({ regex }) => regex.test(text));
    if (message) found.push(`English "${text}" (${message.message})`);
    const phrase = phrases.find((part) => text.includes(part));
    if (phrase) found.push(`English phrase "${phrase}" in "${text}"`);
  }
  return found;
}

export const localeOf = async (language: Language) =>
  flatten((await (await fetch(`/widget/i18n/${language}.json`)).json()) as Messages);

/**
 * The texts of the sign-in screen and of every screen and dialog of a signed-in customer,
 * in `language`; and under `labels` (when given), the controls whose label lacks their text.
 */
export async function walk(world: World, language: Language, labels: string[] = []): Promise<Record<string, string[]>> {
  const texts: Record<string, string[]> = {};
  const shows = (el: AccountPortal) =>
    until(() => el.shadowRoot!.querySelector('.portal')?.getAttribute('lang') === language, 4000, language);
  const signIn = await mountSignIn(world, language);
  await shows(signIn);
  texts['sign-in'] = renderedTexts(signIn);
  signIn.remove();
  const el = await mountPortal(world, language);
  await shows(el);
  expect(el.dir).to.equal(directionOf(language));
  for (const screen of screens) {
    await screen.show(el, world);
    texts[screen.name] = renderedTexts(el);
    labels.push(...labelsWithoutTheirText(el).map((problem) => `${screen.name}: ${problem}`));
    await screen.leave?.(el);
  }
  el.remove();
  return texts;
}

/** The languages other than English, in the groups the walk files take (locales-walk-{1…4}.test.ts). */
export const walkGroups: readonly (readonly Language[])[] = [
  ['de', 'fr', 'es', 'it', 'pt-BR', 'pt-PT', 'nl'],
  ['sv', 'da', 'nb', 'fi', 'pl', 'cs', 'sk'],
  ['hu', 'ro', 'bg', 'tr', 'ru', 'uk', 'el', 'id'],
  ['ja', 'zh-CN', 'zh-TW', 'ko', 'ar', 'he', 'vi'],
];

/**
 * One test per language: every screen and dialog speaks it, with no English and no raw
 * key, and every control's label contains the text it shows.
 */
export function describeLanguages(languages: readonly Language[]): void {
  describe(`the portal in ${languages.join(', ')}`, () => {
    let world: World;
    before(async function () {
      this.timeout(30_000);
      world = await richWorld();
    });
    afterEach(() => sessionStorage.clear());

    for (const language of languages) {
      it(`${language}: every screen and dialog is in ${language} (${directionOf(language)}), with no English, no raw key, labels that contain their text`, async function () {
        this.timeout(60_000);
        const local = await localeOf(language);
        const labels: string[] = [];
        const texts = await walk(world, language, labels);
        const problems = Object.entries(texts).flatMap(([screen, found]) =>
          untranslated(found, local).map((problem) => `${screen}: ${problem}`),
        );
        problems.push(...new Set(labels));
        expect(problems, problems.join('\n')).to.deep.equal([]);
      });
    }
  });
}
