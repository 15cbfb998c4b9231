import fc from 'fast-check';

/** A JSON Schema as an OpenAPI 3.1 document holds it (only what the generators read). */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  format?: string;
  example?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: Schema;
}

/** One operation of an OpenAPI document, with its URL prefix (`/api`, `/portal`). */
export interface Operation {
  /** `POST /portal/{storeId}/login-links` */
  name: string;
  method: string;
  prefix: string;
  path: string;
  parameters: Parameter[];
  body?: Schema;
  auth: 'basic' | 'bearer' | 'none';
  /** The error codes the document lists, by status (`'404'`: `['not_found', …]`). */
  errors: Record<string, string[]>;
}

interface Document {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Parameter[];
        requestBody?: { content: Record<string, { schema: Schema }> };
        security?: Record<string, unknown>[];
        responses?: Record<string, { content?: Record<string, { examples?: Record<string, unknown> }> }>;
      }
    >
  >;
  components?: { schemas?: Record<string, Schema> };
}

/** Every operation of a document, its `$ref`s resolved. */
export function operationsOf(doc: Document, prefix: string): Operation[] {
  const resolve = (schema: Schema, seen = 0): Schema => {
    if (seen > 20) return {};
    if (schema.$ref) return resolve(doc.components!.schemas![schema.$ref.split('/').pop()!], seen + 1);
    const out: Schema = { ...schema };
    if (schema.properties)
      out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, resolve(v, seen + 1)]));
    if (schema.items) out.items = resolve(schema.items, seen + 1);
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const)
      if (schema[key]) out[key] = schema[key]!.map((s) => resolve(s, seen + 1));
    return out;
  };
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const body = op.requestBody?.content['application/json']?.schema;
      const scheme = op.security?.[0] ? Object.keys(op.security[0])[0] : undefined;
      return {
        name: `${method.toUpperCase()} ${prefix}${path}`,
        method: method.toUpperCase(),
        prefix,
        path,
        parameters: op.parameters ?? [],
        body: body && resolve(body),
        auth:
          scheme === 'basicAuth'
            ? ('basic' as const)
            : scheme === 'bearerAuth'
              ? ('bearer' as const)
              : ('none' as const),
        errors: Object.fromEntries(
          Object.entries(op.responses ?? {})
            .filter(([status]) => Number(status) >= 400)
            .map(([status, response]) => [status, Object.keys(response.content?.['application/json']?.examples ?? {})]),
        ),
      };
    }),
  );
}

const hostileString = fc.oneof(
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 1 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 1 },
  {
    arbitrary: fc.string({
      unit: fc.constantFrom(
        '\u0000',
        '\ud800',
        '\udfff',
        '\u202e',
        '\ufeff',
        'é',
        '\u0301',
        '😀',
        '"',
        '\\',
        '%',
        '\n',
      ),
      maxLength: 20,
    }),
    weight: 1,
  },
  { arbitrary: fc.integer({ min: 300, max: 20_000 }).map((n) => 'x'.repeat(n)), weight: 1 },
  {
    arbitrary: fc.constantFrom(
      '',
      ' ',
      'null',
      'undefined',
      'NaN',
      '0',
      '-1',
      '1e309',
      '__proto__',
      'constructor',
      '<script>alert(1)</script>',
      "' OR 1=1 --",
      '../../etc/passwd',
      'openapi.json',
      'acc_',
      'ord_4k9x2m7q1w8e5r3t6y0u',
      '2026-02-30T25:61:00Z',
      'a@b',
      '@',
      'ZZ',
      'xx-YY-zz',
    ),
    weight: 3,
  },
);

const hostileNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(Number),
  fc.constantFrom(0, -0, -1, 0.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, 2 ** 53, 5e-324),
);

/** Arrays and objects nested `depth` deep around a leaf. */
const nestedArb = fc.tuple(fc.integer({ min: 5, max: 31 }), fc.boolean()).map(([depth, objects]) => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = objects ? { a: value } : [value];
  return value;
});

/** Anything at all where a value goes: wrong types, nulls, huge and nested values, odd text. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constant(null), weight: 3 },
  { arbitrary: hostileString, weight: 4 },
  { arbitrary: hostileNumber, weight: 3 },
  { arbitrary: fc.boolean(), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 2 },
  { arbitrary: nestedArb, weight: 1 },
  {
    arbitrary: fc.constantFrom({}, [], [null], { __proto__: null }, JSON.parse('{"__proto__":{"polluted":true}}')),
    weight: 1,
  },
  { arbitrary: fc.integer({ min: 100, max: 3000 }).map((n) => Array.from({ length: n }, (_, i) => i)), weight: 1 },
);

/** A value that fits the schema more often than not, with hostile values mixed in at any depth. */
export function valueFor(schema: Schema | undefined, depth = 0, hostility = 0.15): fc.Arbitrary<unknown> {
  const fitting = fittingValue(schema ?? {}, depth, hostility);
  return fc.oneof(
    { arbitrary: fitting, weight: Math.round((1 - hostility) * 100) },
    { arbitrary: hostileValue, weight: Math.round(hostility * 100) },
  );
}

function fittingValue(schema: Schema, depth: number, hostility: number): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant(null);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => fittingValue(s, depth + 1, hostility)));
  if (schema.allOf?.length) return fittingValue(Object.assign({}, ...schema.allOf), depth + 1, hostility);
  const types = Array.isArray(schema.type)
    ? schema.type
    : schema.type
      ? [schema.type]
      : ['string', 'integer', 'object'];
  return fc.oneof(...types.map((type) => typed(type, schema, depth, hostility)));
}

function typed(type: string, schema: Schema, depth: number, hostility: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      const min = Math.ceil(schema.minimum ?? 0);
      const max = Math.floor(Math.min(schema.maximum ?? 10_000, Number.MAX_SAFE_INTEGER));
      // The bounds themselves, where sums and products overflow first.
      return fc.oneof(
        { arbitrary: fc.integer({ min, max: Math.min(max, min + 10_000) }), weight: 3 },
        fc.integer({ min, max }),
        fc.constantFrom(min, max),
      );
    }
    case 'number':
      return fc.double({ min: schema.minimum ?? 0, max: Math.min(schema.maximum ?? 10_000, 1e15), noNaN: true });
    case 'array':
      return fc.array(valueFor(schema.items, depth + 1, hostility), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 3, 3),
      });
    case 'object':
      return objectFor(schema, depth, hostility);
    default:
      return stringFor(schema);
  }
}

function objectFor(schema: Schema, depth: number, hostility: number): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const record = fc.record(
    Object.fromEntries(Object.entries(properties).map(([key, s]) => [key, valueFor(s, depth + 1, hostility)])),
    { requiredKeys: Object.keys(properties).filter((k) => required.has(k)) },
  );
  // Now and then an unknown field, or a required one left out.
  return fc
    .tuple(
      record,
      fc.option(fc.tuple(fc.string({ maxLength: 12 }), hostileValue), { freq: 8 }),
      fc.option(fc.constantFrom(...required, '-'), { freq: 12 }),
    )
    .map(([value, extra, dropped]) => {
      const out: Record<string, unknown> = { ...value };
      if (extra) out[extra[0]] = extra[1];
      if (dropped) delete out[dropped];
      return out;
    });
}

const examples: Record<string, fc.Arbitrary<string>> = {
  email: fc.oneof(fc.emailAddress(), fc.constantFrom('ada@example.com', 'nobody@example.com')),
  'date-time': fc
    .date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  uri: fc.constantFrom(
    'https://hooks.example/portal',
    'https://cdn.example/file.zip',
    'http://127.0.0.1/x',
    'ftp://x',
    'javascript:alert(1)',
  ),
};

function stringFor(schema: Schema): fc.Arbitrary<string> {
  const choices: fc.Arbitrary<string>[] = [
    fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 30, 30) }),
  ];
  if (schema.format && examples[schema.format]) choices.push(examples[schema.format], examples[schema.format]);
  if (typeof schema.example === 'string') choices.push(fc.constant(schema.example), fc.constant(schema.example));
  return fc.oneof(...choices);
}

/** Text that is not the JSON it claims to be, or is JSON of the wrong kind. */
export const malformedJson = fc.oneof(
  fc.constantFrom(
    '{',
    '[',
    '{"a":',
    '{"a":1}}',
    '[1,]',
    '{,}',
    'nul',
    'tru',
    '"',
    "'{}'",
    '{a:1}',
    '\u0000',
    '\ufeff{}',
    'NaN',
    'Infinity',
    '1e99999',
    '-',
    '"\\ud800"',
    '"\\u00"',
    '{"a":"\\x41"}',
    '[]',
    '""',
    '0',
    'null',
    'true',
    '{}{}',
    '{"__proto__":{"isAdmin":true}}',
    '{"constructor":{"prototype":{"x":1}}}',
    ' '.repeat(1000),
  ),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.jsonValue().map((v) => JSON.stringify(v)),
);

/** The string with lone surrogates replaced, as `encodeURIComponent` needs it. */
const wellFormed = (s: string) =>
  s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

/** A string that is safe to put in a URL path segment, or a hostile one (malformed escapes included). */
export const hostilePathSegment = fc.oneof(
  hostileString.map((s) => encodeURIComponent(wellFormed(s))),
  fc.constantFrom(
    '%',
    '%ZZ',
    '%E0%A4%A',
    '%00',
    '%2e%2e',
    '..',
    '.',
    '%2F',
    'a%2Fb',
    '%C0%AE',
    '%FF',
    '%25',
    '%u0041',
    '~',
    "!$&'()*+,;=:@",
  ),
);

/** A header value a client could send (visible Latin-1, as HTTP allows). */
export const headerValue = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 300 }),
  fc.string({ unit: fc.integer({ min: 0xa0, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 40 }),
  fc.constantFrom('', ' ', '*', 'de', 'en-GB,en;q=0.9', 'xx-INVALID;q=abc', 'de;q=2', ',,,'),
);

/** The ids the fuzzer puts into paths, by parameter name: mostly real ones of the store, so handlers run. */
export type Ids = Record<string, string[]>;

/** The operation's path with its parameters filled in: real ids mostly, hostile ones too when asked. */
export function pathFor(operation: Operation, ids: Ids, hostile: boolean): fc.Arbitrary<string> {
  const params = operation.parameters.filter((p) => p.in === 'path');
  const real = (name: string) => fc.constantFrom(...(ids[name]?.length ? ids[name] : ['x']));
  return fc
    .tuple(
      ...params.map((p) =>
        hostile && p.name !== 'storeId'
          ? fc.oneof(real(p.name), hostilePathSegment, fc.constantFrom(...Object.values(ids).flat()))
          : fc.oneof({ arbitrary: real(p.name), weight: 19 }, { arbitrary: hostilePathSegment, weight: 1 }),
      ),
    )
    .map(
      (values) =>
        operation.prefix +
        params.reduce((path, param, i) => path.replace(`{${param.name}}`, values[i]), operation.path),
    );
}

/** A query string (`?…` or empty) for the operation's parameters; hostile values, unknown keys and odd syntax when asked. */
export function queryFor(operation: Operation, hostile: boolean): fc.Arbitrary<string> {
  const params = operation.parameters.filter((p) => p.in === 'query');
  const text = (value: unknown) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));
  return fc
    .tuple(
      fc.tuple(...params.map((p) => fc.option(hostile ? hostileValue : valueFor(p.schema), { freq: 3 }))),
      hostile
        ? fc.array(fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 30 })), { maxLength: 4 })
        : fc.constant([]),
      hostile
        ? fc.constantFrom(
            '',
            '&limit=1&limit=2',
            '&%ZZ=1',
            '&cursor=%',
            '&a[b][c]=1',
            '&&&=&',
            `&limit=${'9'.repeat(400)}`,
          )
        : fc.constant(''),
    )
    .map(([values, extra, raw]) => {
      const search = new URLSearchParams();
      params.forEach((p, i) => values[i] !== null && search.append(p.name, text(values[i])));
      for (const [key, value] of extra) search.append(key, value);
      const query = search.toString() + raw;
      return query ? `?${query}` : '';
    });
}

/** The operation's header parameters (such as `Idempotency-Key`), `Accept-Language` and `Origin`, each now and then. */
export function headersFor(operation: Operation): fc.Arbitrary<Record<string, string>> {
  const names = [
    ...operation.parameters.filter((p) => p.in === 'header').map((p) => p.name),
    'accept-language',
    'origin',
  ];
  return fc
    .tuple(...names.map(() => fc.option(headerValue, { freq: 2 })))
    .map((values) => Object.fromEntries(names.flatMap((name, i) => (values[i] === null ? [] : [[name, values[i]!]]))));
}
