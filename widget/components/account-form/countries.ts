/**
 * ISO 3166-1 alpha-2 country codes (all 249 officially assigned), plus XK (Kosovo),
 * which the standard leaves user-assigned but stores and payment processors use.
 * One string of two-letter pairs keeps the bundle small.
 */
const packed =
  'ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZ' +
  'DEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQIRISIT' +
  'JEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLCLILKLRLSLTLULVLYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNENFNGNI' +
  'NLNONPNRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPTPWPYQARERORSRURWSASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTK' +
  'TLTMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVIVNVUWFWSXKYEYTZAZMZW';

export const countryCodes: readonly string[] = packed.match(/[A-Z]{2}/g) ?? [];

/** One choice of a `<select>`: the value sent to the server and what the customer reads. */
export interface Choice {
  value: string;
  label: string;
  /** The language the label is written in, when it differs from the page's. */
  lang?: string;
}

const sortedByLanguage = new Map<string, readonly Choice[]>();

/**
 * Every country with its name in `language` (from `Intl.DisplayNames`), sorted by
 * that name the way the language sorts. Computed once per language.
 */
export function countryChoices(language: string): readonly Choice[] {
  let choices = sortedByLanguage.get(language);
  if (!choices) {
    const names = new Intl.DisplayNames(language, { type: 'region' });
    const collator = new Intl.Collator(language);
    choices = countryCodes
      .map((code) => ({ value: code, label: names.of(code) ?? code }))
      .sort((a, b) => collator.compare(a.label, b.label));
    sortedByLanguage.set(language, choices);
  }
  return choices;
}
