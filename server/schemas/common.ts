import { z } from '@hono/zod-openapi';
import { errors, type ErrorCode, type ErrorStatus } from '../contract';
import { isCurrency } from '../lib/money';

const regionNames = new Intl.DisplayNames('en', { type: 'region' });
const notCountries = new Set(['ZZ', 'EU', 'EZ', 'UN', 'QO']);

/** Whether `code` is an ISO 3166-1 alpha-2 country code. */
export function isCountry(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && !notCountries.has(code) && regionNames.of(code) !== code;
}

/** Trimmed text of at most `max` characters; empty strings become null. */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Use at most ${max} characters.`)
    .transform((v) => (v === '' ? null : v))
    .nullable();

export const countryCode = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isCountry, 'Must be an ISO 3166-1 alpha-2 country code, such as "US" or "DE".')
  .nullable()
  .openapi({ example: 'DE' });

/** The canonical form of a BCP 47 tag, or undefined for one the runtime refuses (such as `xx-YY-zz`). */
function canonicalLocale(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

export const languageTag = z
  .string()
  .trim()
  .refine(
    (v) => /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(v) && canonicalLocale(v) !== undefined,
    'Must be a language tag such as "en" or "de".',
  )
  .transform((v) => canonicalLocale(v)!)
  .nullable()
  .openapi({ example: 'de' });

export const currencyCode = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isCurrency, 'Must be an ISO 4217 currency code, such as "USD".')
  .openapi({ example: 'USD' });

/** Amount in minor units (cents): a non-negative integer. */
export const minorUnits = z
  .number()
  .int()
  .min(0)
  .max(1e12)
  .openapi({ description: 'Amount in minor units of the currency (cents).', example: 1900 });

export const emailAddress = z
  .string()
  .trim()
  .max(254)
  .toLowerCase()
  .pipe(z.email('Must be an email address.'))
  .openapi({ example: 'ada@example.com' });

/** ISO 8601 instant in responses. */
export const isoDate = z.string().openapi({ format: 'date-time', example: '2026-11-21T09:30:00.000Z' });

export const idParam = (name: string, prefix: string) =>
  z.object({
    [name]: z
      .string()
      .max(64)
      .openapi({ param: { name, in: 'path' }, example: `${prefix}_4k9x2m7q1w8e5r3t6y0u` }),
  });

export const cursorQuery = {
  cursor: z.string().max(200).optional().openapi({ description: 'The `nextCursor` of the previous page.' }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
};

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

/** A documented error response: the house error shape. */
export interface ErrorResponse {
  description: string;
  content: { 'application/json': { schema: typeof errorSchema } };
}

/**
 * The documented error responses of a route, written from the contract: for each
 * status, the codes the route may answer with and the contract's message for each,
 * with an optional note (what `details` holds, a header to honour). Give all of a
 * route's codes in one list: two spread objects with the same status would hide
 * the first one's codes.
 */
export function documentedErrors<const C extends ErrorCode>(
  codes: readonly C[],
  notes: Partial<Record<C, string>> = {},
): { [S in ErrorStatus<C>]: ErrorResponse } {
  const byStatus = new Map<number, string[]>();
  for (const code of new Set(codes)) {
    const { status, message } = errors[code];
    const note = notes[code] ? ` ${notes[code]}` : '';
    byStatus.set(status, [...(byStatus.get(status) ?? []), `- \`${code}\`: ${message}${note}`]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, lines]) => [
      status,
      { description: lines.join('\n'), content: { 'application/json': { schema: errorSchema } } },
    ]),
  ) as { [S in ErrorStatus<C>]: ErrorResponse };
}

/** The errors every Server API route may answer with. */
const apiErrorCodes = [
  'unauthorized',
  'not_found',
  'validation_failed',
  'too_many_auth_failures_from_address',
  'too_many_auth_failures_for_user',
] as const satisfies readonly ErrorCode[];

const apiErrorNotes = { not_found: 'Also for ids of another store.' } as const;

/** The standard error responses of the Server API's routes. */
export const errorResponses = documentedErrors(apiErrorCodes, apiErrorNotes);

/** The Server API's standard error responses and a route's own codes. */
export const apiErrorsWith = <const C extends ErrorCode>(
  codes: readonly C[],
  notes: Partial<Record<C | (typeof apiErrorCodes)[number], string>> = {},
) => documentedErrors([...apiErrorCodes, ...codes], { ...apiErrorNotes, ...notes });

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable() });

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
