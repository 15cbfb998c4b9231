import { existsSync, readFileSync } from 'node:fs';
import i18next, { type TFunction } from 'i18next';
import { languages, matchLanguage, pickLanguage, type Language } from '../contract';
import en from './locales/en.json' with { type: 'json' };
import { projectPath } from '../lib/project-root';

export { directionOf, languages, matchLanguage, pickLanguage, type Language } from '../contract';

/** The server's messages in English, the shape every locale file has. */
export type Messages = typeof en;

const localeFile = (language: Language) => projectPath('server/i18n/locales', `${language}.json`);

/**
 * Every locale file, read once at start (English from the import above). A language
 * whose file is missing falls back to English; the locale test makes sure none is.
 */
const resources = Object.fromEntries(
  languages.map((language) => {
    const file = localeFile(language);
    const messages = language === 'en' || !existsSync(file) ? en : (JSON.parse(readFileSync(file, 'utf8')) as Messages);
    return [language, { translation: messages }];
  }),
) as Record<Language, { translation: Messages }>;

// A private instance, initialised synchronously once: translating never waits.
const i18n = i18next.createInstance();
void i18n.init({
  resources,
  supportedLngs: [...languages],
  fallbackLng: 'en',
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** One translate function per language, made once: each email and page asks for one. */
const fixedT = new Map<Language, TFunction>();

/**
 * i18next's translate function for `language`, remembering the messages asked for by
 * key alone (no values to fill in, so always the same text): an email asks for a
 * dozen such labels, and i18next resolves each anew at some cost (a renewal run
 * writes one email per renewal).
 */
function remembering(language: Language): TFunction {
  const t = i18n.getFixedT(language) as unknown as (...args: unknown[]) => unknown;
  const known = new Map<string, unknown>();
  const translate = (...args: unknown[]) => {
    if (args.length !== 1 || typeof args[0] !== 'string') return t(...args);
    const key = args[0];
    let text = known.get(key);
    if (text === undefined) known.set(key, (text = t(key)));
    return text;
  };
  return translate as unknown as TFunction;
}

/** A translate function fixed to the language closest to `tag`. */
export function translator(tag: string | null | undefined): { language: Language; t: TFunction } {
  const language = pickLanguage(tag);
  let t = fixedT.get(language);
  if (!t) fixedT.set(language, (t = remembering(language)));
  return { language, t };
}

/** A language's messages as an object, for pages that lay out many of them at once. */
export function messages(language: Language): Messages {
  return resources[language].translation;
}

/**
 * The language of a page the server writes: `?lang=` when the portal speaks it,
 * else the first language of the `Accept-Language` header it speaks, by preference
 * (`de-AT;q=0.9, en;q=0.8` → `de`), else English.
 */
export function requestLanguage(query: string | undefined, acceptLanguage: string | undefined): Language {
  const asked = matchLanguage(query);
  if (asked) return asked;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find(Boolean);
      return { tag: tag.trim(), q: q ? Number(q[1]) : 1, index };
    })
    .filter((entry) => entry.tag && entry.tag !== '*' && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked.map((entry) => matchLanguage(entry.tag)).find(Boolean) ?? 'en';
}
