/** Postal code formats of a few countries, to catch typos; other countries are not checked. */
const postalCodes: Record<string, { pattern: RegExp; example: string }> = {
  US: { pattern: /^\d{5}(-\d{4})?$/, example: '94103 or 94103-1234' },
  DE: { pattern: /^\d{5}$/, example: '10115' },
  GB: { pattern: /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i, example: 'SW1A 1AA' },
  AT: { pattern: /^\d{4}$/, example: '1010' },
  CH: { pattern: /^\d{4}$/, example: '8001' },
  FR: { pattern: /^\d{5}$/, example: '75001' },
  NL: { pattern: /^\d{4} ?[A-Z]{2}$/i, example: '1012 AB' },
  CA: { pattern: /^[A-Z]\d[A-Z] ?\d[A-Z]\d$/i, example: 'K1A 0B1' },
};

/**
 * Why a postal code cannot be right for a country, in plain words, or undefined when
 * it is plausible (or the country's format is not known here).
 */
export function postalCodeProblem(
  country: string | null | undefined,
  postalCode: string | null | undefined,
): string | undefined {
  const format = country ? postalCodes[country] : undefined;
  if (!format || !postalCode || format.pattern.test(postalCode)) return undefined;
  return `This postal code does not match the country; it should look like ${format.example}.`;
}
