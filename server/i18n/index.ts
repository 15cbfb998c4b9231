import i18next, { type TFunction } from 'i18next';
import de from './locales/de.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

/** Languages with complete translations; everything else falls back to English. */
export const supportedLanguages = ['en', 'de'] as const;
export type Language = (typeof supportedLanguages)[number];

// A private instance, initialised synchronously once: translating never waits.
const i18n = i18next.createInstance();
void i18n.init({
  resources: { en: { translation: en }, de: { translation: de } },
  supportedLngs: [...supportedLanguages],
  fallbackLng: 'en',
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** The supported language closest to a BCP 47 tag (`de-AT` → `de`), English when none is. */
export function pickLanguage(tag: string | null | undefined): Language {
  const base = tag?.toLowerCase().split('-')[0];
  return (supportedLanguages as readonly string[]).includes(base ?? '') ? (base as Language) : 'en';
}

/** A translate function fixed to the language closest to `tag`. */
export function translator(tag: string | null | undefined): { language: Language; t: TFunction } {
  const language = pickLanguage(tag);
  return { language, t: i18n.getFixedT(language) };
}
