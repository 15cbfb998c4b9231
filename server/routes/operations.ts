import { createRoute, z, type RouteConfig } from '@hono/zod-openapi';
import type { ErrorCode } from '../contract';
import { documentedErrors } from '../schemas/common';

/**
 * A route of the Server API or the Portal API as its file declares it: the success
 * answers in `responses`, the codes of its own in `errors`. `apiRoute` and
 * `portalRoute` (each API's router.ts) add the security requirement and every error
 * the route can answer with because of what it takes, so that no route can forget
 * them (test/server/openapi-documents.test.ts walks both documents).
 */
export type OperationConfig = Omit<RouteConfig, 'security' | 'operationId'> & {
  /**
   * The operation's name in generated clients: camelCase, unique in its document, and
   * stable — renaming one breaks every client generated from the document.
   */
  operationId: string;
  /** The codes the route's handler and services answer with, beyond those `requestErrorCodes` derives. */
  errors?: readonly ErrorCode[];
  /** A note per code: what `details` holds, a header to honour. */
  errorNotes?: Partial<Record<ErrorCode, string>>;
};

/** A route as the router registers it: the config with its security and every error response. */
export type Operation<R extends OperationConfig> = Omit<R, 'errors' | 'errorNotes'> & {
  security: Record<string, string[]>[];
};

/** What an API adds to each of its routes. */
export interface OperationConventions<R extends OperationConfig> {
  /** The route's security requirement (`[]` for a public one). */
  security(route: R): Record<string, string[]>[];
  /** The codes the API's middleware answers the route with (authentication, store, idempotency, …). */
  codes(route: R): readonly ErrorCode[];
  /** Notes on the API's own codes. */
  notes: Partial<Record<ErrorCode, string>>;
  /** Request headers the API reads on the route (such as `Idempotency-Key`). */
  headers?(route: R): z.ZodRawShape;
}

/** The fields of an object schema (route parameters, query strings and headers are objects). */
const shapeOf = (schema: unknown): z.ZodRawShape => (schema instanceof z.ZodObject ? schema.shape : {});

/**
 * The codes any route may answer with because of what it takes: a URL that is too
 * long or carries a NUL character (`%00`); input that fails validation; an id in the path that does not exist; a
 * body that is not JSON, not sent as JSON or too large; a cursor it did not issue.
 */
export function requestErrorCodes(route: OperationConfig): ErrorCode[] {
  const { params, query, headers, body } = route.request ?? {};
  const codes: ErrorCode[] = ['uri_too_long', 'bad_request'];
  if (params || query || headers || body) codes.push('validation_failed');
  if (Object.keys(shapeOf(params)).some((name) => name !== 'storeId')) codes.push('not_found');
  if (body) codes.push('invalid_json', 'unsupported_media_type', 'payload_too_large');
  if ('cursor' in shapeOf(query)) codes.push('invalid_cursor');
  return codes;
}

/** Builds a route of an API: its own config, the API's security and headers, and every error it can answer. */
export function defineOperation<R extends OperationConfig>(
  config: R,
  conventions: OperationConventions<R>,
): Operation<R> {
  const { errors = [], errorNotes = {}, ...route } = config;
  const errorStatus = Object.keys(route.responses).find((status) => Number(status) >= 400);
  if (errorStatus) {
    throw new Error(`${route.operationId}: list error codes in \`errors\`, not a ${errorStatus} in \`responses\``);
  }
  if (!/^[a-z][a-zA-Z0-9]*$/.test(route.operationId)) {
    throw new Error(`${route.operationId}: an operationId is camelCase`);
  }
  const extraHeaders = conventions.headers?.(config) ?? {};
  const request =
    Object.keys(extraHeaders).length === 0
      ? route.request
      : { ...route.request, headers: z.object({ ...shapeOf(route.request?.headers), ...extraHeaders }) };
  const codes = [...conventions.codes(config), ...requestErrorCodes({ ...route, request }), ...errors];
  return createRoute({
    ...route,
    ...(request && { request }),
    security: conventions.security(config),
    responses: { ...route.responses, ...documentedErrors(codes, { ...conventions.notes, ...errorNotes }) },
  }) as unknown as Operation<R>;
}
