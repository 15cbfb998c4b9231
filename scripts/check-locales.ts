/**
 * Checks locale files against English: every key English has, no key it lacks, the
 * same interpolation placeholders, and every plural form the language needs by its
 * CLDR rules (`Intl.PluralRules`), no more. The locales test runs it for every
 * language; translators run it on their files:
 *
 *   npx tsx scripts/check-locales.ts [lang…]     (all languages when none is given)
 *
 * It also lists values left identical to English (as warnings: "Status" or "PDF"
 * may rightly stay the same).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { languages } from '../server/contract';

type Tree = { [key: string]: string | Tree };

/** The locale folders: the widget's and the server's (emails, PDFs, pages). */
export const localeDirs = ['widget/locales', 'server/i18n/locales'] as const;

const root = fileURLToPath(new URL('..', import.meta.url));

export function readLocale(dir: string, language: string): Tree | undefined {
  const file = `${root}${dir}/${language}.json`;
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Tree) : undefined;
}

/** `a.b.c` → value, for every string in a tree. */
export function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

const pluralSuffix = /_(zero|one|two|few|many|other)$/;
const placeholders = (text: string) => new Set([...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]));

export interface LocaleReport {
  errors: string[];
  /** Keys whose value is the same as English's. */
  sameAsEnglish: string[];
}

/** Compares one locale with English. */
export function checkLocale(english: Tree, locale: Tree, language: string): LocaleReport {
  const en = flatten(english);
  const other = flatten(locale);
  const errors: string[] = [];
  const sameAsEnglish: string[] = [];
  const needed = new Intl.PluralRules(language).resolvedOptions().pluralCategories;

  // Plural groups: `x_one`/`x_other` in English is the group `x`, which needs the language's own forms.
  const groups = new Map<string, string>(); // base → English `_other` text
  for (const [key, value] of en) {
    const match = pluralSuffix.exec(key);
    if (match) {
      const base = key.slice(0, match.index);
      if (match[1] === 'other' || !groups.has(base)) groups.set(base, value);
    }
  }
  const expected = new Map<string, string>(); // key → English text to compare placeholders with
  for (const [key, value] of en) if (!pluralSuffix.test(key)) expected.set(key, value);
  for (const [base, text] of groups) for (const form of needed) expected.set(`${base}_${form}`, text);

  for (const [key, englishText] of expected) {
    const text = other.get(key);
    if (text === undefined) {
      errors.push(`missing: ${key}`);
      continue;
    }
    if (text.trim() === '') errors.push(`empty: ${key}`);
    const want = placeholders(englishText);
    const got = placeholders(text);
    const plural = pluralSuffix.test(key);
    for (const name of want) {
      // A plural form may leave the number out ("one day", Arabic's dual) but nothing else.
      if (!got.has(name) && !(plural && name === 'count')) errors.push(`${key}: lacks {{${name}}}`);
    }
    for (const name of got) if (!want.has(name)) errors.push(`${key}: has {{${name}}}, which English does not`);
    if (language !== 'en' && text === englishText && /[A-Za-z]{3}/.test(text)) sameAsEnglish.push(key);
  }
  for (const key of other.keys()) if (!expected.has(key)) errors.push(`not in English: ${key}`);
  return { errors, sameAsEnglish };
}

function main(argv: string[]) {
  const asked = argv.length > 0 ? argv : languages.filter((l) => l !== 'en');
  let failed = false;
  for (const dir of localeDirs) {
    const english = readLocale(dir, 'en')!;
    for (const language of asked) {
      const locale = readLocale(dir, language);
      if (!locale) {
        console.log(`${dir}/${language}.json: missing`);
        failed = true;
        continue;
      }
      const { errors, sameAsEnglish } = checkLocale(english, locale, language);
      if (errors.length > 0) failed = true;
      console.log(`${dir}/${language}.json: ${errors.length} errors, ${sameAsEnglish.length} values as in English`);
      for (const error of errors) console.log(`  error ${error}`);
      for (const key of sameAsEnglish) console.log(`  same as English: ${key}`);
    }
  }
  process.exitCode = failed ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
