import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import type { ErrorCode } from '../contract';
import { DomainError, errorBody } from '../lib/errors';
import type { Logger } from '../lib/logger';
import { routeOf } from './metrics';
import { requestIdOf } from './request-id';

/** Field-level problems in a form the widget can show next to each field. */
export function zodIssues(error: ZodError) {
  return error.issues.map((issue) => ({
    field: issue.path.join('.'),
    code: issue.code,
    message: issue.message,
  }));
}

/** The hook every OpenAPIHono router uses: invalid input is a 422 with the problems listed. */
export function validationHook(
  result: { success: true } | { success: false; error: ZodError; target?: string },
  c: Context,
) {
  if (!result.success) {
    const target = result.target === 'query' ? 'query string' : result.target === 'param' ? 'path' : 'request body';
    return c.json(errorBody('validation_failed', `The ${target} is invalid.`, zodIssues(result.error)), 422);
  }
}

/**
 * Maps every thrown error to the JSON error shape. Domain errors and HTTP exceptions
 * keep their status; anything else is logged and answered with a bare 500 that
 * reveals nothing about the server.
 */
export function errorHandler(logger: Logger): ErrorHandler {
  return (err, c) => {
    if (err instanceof DomainError) {
      for (const [name, value] of Object.entries(err.headers ?? {})) c.header(name, value);
      return c.json(errorBody(err.code, err.message, err.details), err.status);
    }
    if (err instanceof HTTPException) {
      const status = err.status as ContentfulStatusCode;
      if (status === 400 && /json/i.test(err.message)) return c.json(errorBody('invalid_json'), 400);
      if (status === 401) {
        return c.json(errorBody('unauthorized', err.message || undefined), 401, {
          'WWW-Authenticate': 'Basic realm="Account Portal Server API", charset="UTF-8"',
        });
      }
      return c.json(errorBody(codeForStatus(status), err.message || undefined), status);
    }
    // The route's pattern, not the path: a path may carry a token (a download link's).
    logger.error('unhandled error', { method: c.req.method, route: routeOf(c), requestId: requestIdOf(c), error: err });
    return c.json(errorBody('internal_error'), 500);
  };
}

/** The code of an HTTP error thrown by Hono or a middleware, by its status (`error` keeps an unusual status). */
function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'bad_request';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    case 429:
      return 'rate_limited';
    default:
      return 'error';
  }
}
