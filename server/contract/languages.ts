/**
 * The languages the portal speaks — in the widget, emails, invoice PDFs and every
 * page the server writes — and how a BCP 47 tag picks one. English is the source;
 * every other locale file has exactly its keys.
 */
export const languages = [
  'en',
  'de',
  'fr',
  'es',
  'it',
  'pt-BR',
  'pt-PT',
  'nl',
  'sv',
  'da',
  'nb',
  'fi',
  'pl',
  'cs',
  'sk',
  'hu',
  'ro',
  'bg',
  'tr',
  'ru',
  'uk',
  'el',
  'ja',
  'zh-CN',
  'zh-TW',
  'ko',
  'ar',
  'he',
  'id',
  'vi',
] as const;

export type Language = (typeof languages)[number];

/** Languages written right to left. */
export const rtlLanguages: readonly Language[] = ['ar', 'he'];

/** `dir` for a language. */
export const directionOf = (language: Language): 'rtl' | 'ltr' => (rtlLanguages.includes(language) ? 'rtl' : 'ltr');

/**
 * What a bare language or a region we do not have means: `pt` is Brazilian Portuguese,
 * `zh` simplified Chinese (Taiwan, Hong Kong and Macau read traditional), `no` and `nn`
 * Norwegian Bokmål, `iw` the old code for Hebrew, `in` for Indonesian.
 */
const aliases: Record<string, Language> = {
  pt: 'pt-BR',
  zh: 'zh-CN',
  'zh-hans': 'zh-CN',
  'zh-sg': 'zh-CN',
  'zh-hant': 'zh-TW',
  'zh-hk': 'zh-TW',
  'zh-mo': 'zh-TW',
  no: 'nb',
  nn: 'nb',
  iw: 'he',
  in: 'id',
};

const byLowerCase = new Map<string, Language>(languages.map((language) => [language.toLowerCase(), language]));

/**
 * The language closest to a BCP 47 tag, or undefined when the portal does not speak
 * it: the exact tag (`pt-PT`), then a known alias (`zh-Hant-HK` → `zh-TW`), then the
 * language alone (`de-AT` → `de`, `pt` → `pt-BR`).
 */
export function matchLanguage(tag: string | null | undefined): Language | undefined {
  if (!tag) return undefined;
  const subtags = tag.trim().replace(/_/g, '-').toLowerCase().split('-').filter(Boolean);
  if (subtags.length === 0) return undefined;
  // Longest prefix first, the script before the region: `zh-hant-hk` tries `zh-hant-hk`, `zh-hant`, `zh-hk`, `zh`.
  const candidates = subtags.map((_, end) => subtags.slice(0, subtags.length - end).join('-'));
  if (subtags.length === 3) candidates.splice(2, 0, `${subtags[0]}-${subtags[2]}`);
  for (const candidate of candidates) {
    const found = byLowerCase.get(candidate) ?? aliases[candidate];
    if (found) return found;
  }
  return undefined;
}

/** The first of `tags` the portal speaks, English when none is. */
export function pickLanguage(...tags: (string | null | undefined)[]): Language {
  for (const tag of tags) {
    const found = matchLanguage(tag);
    if (found) return found;
  }
  return 'en';
}
