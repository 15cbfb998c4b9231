import i18next, { type i18n } from 'i18next';
import { directionOf, languages, matchLanguage, type Language } from '../../server/contract';
import en from '../locales/en.json' with { type: 'json' };

/** Every message key of the English source, `a.b.c` — a misspelt key is a type error. */
type Paths<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string
    ? `${Prefix}${K extends `${infer Base}_${'one' | 'other'}` ? Base : K}`
    : Paths<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

export type MessageKey = Paths<typeof en>;

export { directionOf, languages, matchLanguage, type Language } from '../../server/contract';

/**
 * The languages a customer can pick, each named in itself so a customer finds theirs
 * whatever the portal shows. A language the merchant stored that the portal does not
 * speak (say `sw`) stays selectable, so saving a form does not drop it.
 */
export function languageChoices(current = ''): { value: string; label: string; lang: string }[] {
  const codes: string[] =
    current && !languages.includes(current as Language) ? [...languages, current] : [...languages];
  return codes.map((code) => {
    let label = code;
    try {
      const name = new Intl.DisplayNames(code, { type: 'language' }).of(code) ?? code;
      label = name.charAt(0).toLocaleUpperCase(code) + name.slice(1);
    } catch {
      // An unusual stored tag: show it as it is.
    }
    return { value: code, label, lang: code };
  });
}

/** i18next's own options, which are not interpolated values. */
const i18nextOptions = new Set(['count', 'context', 'ordinal', 'defaultValue', 'lng', 'lngs', 'ns', 'returnObjects']);

/**
 * Values wrapped in FSI … PDI (U+2068, U+2069) when they have letters: numbers and dates
 * without letters stay bare, so that `{{month}}/{{year}}` still reads as one number.
 */
function isolateValues(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options)) {
    out[name] =
      typeof value === 'string' && !i18nextOptions.has(name) && /\p{L}/u.test(value) ? `\u2068${value}\u2069` : value;
  }
  return out;
}

/**
 * The widget's own translations and formatting: a private i18next instance (never
 * the host page's), and `Intl` formatters for money and dates in the same language.
 * Locales other than English are fetched from `localeBase` the first time they are
 * needed.
 */
export class Localizer {
  readonly #i18n: i18n = i18next.createInstance();
  readonly #listeners = new Set<() => void>();
  #language: Language = 'en';

  constructor(private readonly localeBase: string) {
    void this.#i18n.init({
      lng: 'en',
      fallbackLng: 'en',
      initAsync: false,
      resources: { en: { translation: en } },
      interpolation: { escapeValue: false },
      returnNull: false,
    });
  }

  get language(): Language {
    return this.#language;
  }

  /** The current language's direction. */
  get direction(): 'ltr' | 'rtl' {
    return directionOf(this.#language);
  }

  /**
   * Switches to the first supported language among `tags` (English when none is).
   * The latest call wins: one still waiting for its locale when a newer call comes
   * (the customer's language loading while the host sets `lang`) changes nothing.
   */
  async use(...tags: (string | null | undefined)[]): Promise<void> {
    const call = ++this.#calls;
    const language = tags.map(matchLanguage).find(Boolean) ?? 'en';
    if (language === this.#language) return;
    // Stay in the current language rather than show keys when a locale cannot be loaded.
    if (!(await this.#load(language)) || call !== this.#calls) return;
    await this.#i18n.changeLanguage(language);
    if (call !== this.#calls) return;
    this.#language = language;
    for (const listener of this.#listeners) listener();
  }

  #calls = 0;
  readonly #loading = new Map<Language, Promise<boolean>>();

  /** Fetches a locale once (concurrent callers share the request); false when it could not be loaded. */
  #load(language: Language): Promise<boolean> {
    if (this.#i18n.hasResourceBundle(language, 'translation')) return Promise.resolve(true);
    let loading = this.#loading.get(language);
    if (!loading) {
      loading = fetch(`${this.localeBase}/${language}.json`)
        .then(async (response) => {
          if (!response.ok) return false;
          this.#i18n.addResourceBundle(language, 'translation', await response.json());
          return true;
        })
        .catch(() => false)
        .finally(() => this.#loading.delete(language));
      this.#loading.set(language, loading);
    }
    return loading;
  }

  /** Calls `listener` whenever the language changes; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * The message for `key`. In a right-to-left language every interpolated text with
   * letters in it (a product name, an email, an amount with a currency code) is a
   * first-strong isolate, so a Latin name or a number inside Arabic or Hebrew text
   * keeps its own order and does not drag the punctuation around it along.
   */
  t(key: MessageKey, options?: Record<string, unknown>): string {
    return this.#i18n.t(key, this.direction === 'rtl' && options ? isolateValues(options) : options) as string;
  }

  /** `text` kept left to right (an LRI … PDI isolate) in a right-to-left language, else as it is: for codes such as `•••• 4242`. */
  ltr(text: string): string {
    return this.direction === 'rtl' ? `\u2066${text}\u2069` : text;
  }

  /** Formats minor units of `currency` (`1900`, `USD` → `$19.00`), honouring 0- and 3-decimal currencies. */
  money(minorUnits: number, currency: string): string {
    const format = this.#formatter(
      `money:${currency}`,
      () => new Intl.NumberFormat(this.#language, { style: 'currency', currency }),
    );
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    const amount = minorUnits / 10 ** digits;
    if (this.direction === 'ltr') return format.format(amount);
    // A Latin currency sign (`US$`) keeps its letters in order inside right-to-left text.
    return format
      .formatToParts(amount)
      .map((part) => (part.type === 'currency' && /[A-Za-z]/.test(part.value) ? this.ltr(part.value) : part.value))
      .join('');
  }

  date(iso: string, style: 'medium' | 'long' = 'medium'): string {
    return this.#formatter(`date:${style}`, () => new Intl.DateTimeFormat(this.#language, { dateStyle: style })).format(
      new Date(iso),
    );
  }

  /** A date with its time of day, in the reader's time zone (`Jan 15, 2026, 9:30 AM`). */
  dateTime(iso: string): string {
    return this.#formatter(
      'dateTime',
      () => new Intl.DateTimeFormat(this.#language, { dateStyle: 'medium', timeStyle: 'short' }),
    ).format(new Date(iso));
  }

  /** A country's name in the current language (`DE` → `Germany` / `Deutschland`). */
  country(code: string): string {
    return this.#formatter('region', () => new Intl.DisplayNames(this.#language, { type: 'region' })).of(code) ?? code;
  }

  // Intl formatters are costly to build and a list formats dozens of values: keep one per kind and language.
  readonly #formatters = new Map<string, unknown>();

  #formatter<T>(kind: string, create: () => T): T {
    const key = `${this.#language}|${kind}`;
    let formatter = this.#formatters.get(key) as T | undefined;
    if (!formatter) {
      formatter = create();
      this.#formatters.set(key, formatter);
    }
    return formatter;
  }

  /** A file size in the current language (`1800` → `1.8 kB`, `5200000` → `5.2 MB`), in decimal units. */
  fileSize(bytes: number): string {
    const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
    const exponent = Math.min(units.length - 1, Math.max(0, Math.floor(Math.log10(Math.max(bytes, 1)) / 3)));
    return new Intl.NumberFormat(this.#language, {
      style: 'unit',
      unit: units[exponent],
      // "998 bytes" rather than the short form's "998 byte"; "1.5 kB" from a kilobyte on.
      unitDisplay: exponent === 0 ? 'long' : 'short',
      maximumFractionDigits: 1,
    }).format(bytes / 1000 ** exponent);
  }
}
