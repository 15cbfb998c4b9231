import { existsSync, readFileSync } from 'node:fs';
import i18next, { type TFunction } from 'i18next';
import { languages, matchLanguage, pickLanguage, type Language } from '../contract';
import en from './locales/en.json' with { type: 'json' };

export { directionOf, languages, matchLanguage, pickLanguage, type Language } from '../contract';

/** The server's messages in English, the shape every locale file has. */
export type Messages = typeof en;

const localeFile = (language: Language) => new URL(`./locales/${language}.json`, import.meta.url);

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

/** A translate function fixed to the language closest to `tag`. */
export function translator(tag: string | null | undefined): { language: Language; t: TFunction } {
  const language = pickLanguage(tag);
  return { language, t: i18n.getFixedT(language) };
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
