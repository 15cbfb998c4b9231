import { z } from '@hono/zod-openapi';
import { errorCodes, errors, type ErrorCode, type ErrorStatus } from '../contract';
import { errorBody, type ErrorBody } from '../lib/errors';
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

/** A list's query: optionally of one account, a page at a time. */
export const ofAccountQuery = z.object({ accountId: z.string().max(64).optional(), ...cursorQuery });

/** Every code of the contract (server/contract/errors.ts), as the documents name them. */
export const errorCodeSchema = z.enum(errorCodes as [ErrorCode, ...ErrorCode[]]).openapi('ErrorCode', {
  description: "The error's stable, machine-readable code. Each response lists the codes it may carry.",
});

/** The body of every error response: one schema for both APIs. */
export const errorSchema = z
  .object({
    error: z.object({
      code: errorCodeSchema,
      message: z.string().openapi({ description: 'What went wrong, in plain English.' }),
      details: z.unknown().optional().openapi({ description: 'More about it, where the code says so.' }),
    }),
  })
  .openapi('Error');

/** A documented error response: the house error shape, with an example for each code it may carry. */
export interface ErrorResponse {
  description: string;
  content: {
    'application/json': {
      schema: typeof errorSchema;
      examples: Record<string, { summary: string; description?: string; value: ErrorBody }>;
    };
  };
}

/** The error responses of a route, by status. */
export type ErrorResponses<C extends ErrorCode> = { [S in ErrorStatus<C>]: ErrorResponse };

/** Every 429 says when to try again; its note says so unless it names the header itself. */
const noteOf = (code: ErrorCode, note: string | undefined): string | undefined =>
  errors[code].status === 429 && !note?.includes('Retry-After')
    ? [note, '`Retry-After` says when.'].filter(Boolean).join(' ')
    : note;

/**
 * The documented error responses of a route, written from the contract: for each
 * status, the codes the route may answer with and the contract's message for each,
 * with an optional note (what `details` holds, a header to honour), as a list in the
 * description and as one named example per code.
 */
export function documentedErrors<const C extends ErrorCode>(
  codes: readonly C[],
  given: Partial<Record<ErrorCode, string>> = {},
): ErrorResponses<C> {
  const notes = Object.fromEntries(errorCodes.map((code) => [code, noteOf(code, given[code])]));
  const byStatus = new Map<number, C[]>();
  for (const code of new Set(codes)) {
    const { status } = errors[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, inStatus]) => [
      status,
      {
        description: inStatus
          .map((code) => `- \`${code}\`: ${errors[code].message}${notes[code] ? ` ${notes[code]}` : ''}`)
          .join('\n'),
        content: {
          'application/json': {
            schema: errorSchema,
            examples: Object.fromEntries(
              inStatus.map((code) => [
                code,
                {
                  summary: code,
                  ...(notes[code] && { description: notes[code] }),
                  value: errorBody(code),
                },
              ]),
            ),
          },
        },
      },
    ]),
  ) as unknown as ErrorResponses<C>;
}

/**
 * An optional request field that the server fills in with `value` when it is left
 * out. The document states the default in words rather than as a `default` keyword:
 * openapi-typescript (with its default `defaultNonNullable`) types a property of a
 * named schema that has a `default` as always present, so a merchant's generated
 * client would have to send it.
 */
export const defaulted = <T extends z.ZodType>(schema: T, value: z.output<T>, description?: string) =>
  schema
    .optional()
    .transform((v): z.output<T> => (v === undefined ? value : v))
    .openapi({ description: `${description ? `${description} ` : ''}Default: ${JSON.stringify(value)}.` });

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
