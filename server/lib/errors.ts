/**
 * An error with a meaning for the client: an HTTP status, a stable machine-readable
 * code and a plain-words message. Services throw it; the app's error handler turns
 * it into `{ error: { code, message, details } }`. It deliberately does not depend
 * on Hono so that services stay framework-free.
 */
export class DomainError extends Error {
  constructor(
    readonly status: 400 | 401 | 402 | 403 | 404 | 409 | 410 | 413 | 414 | 415 | 422 | 429 | 502 | 503,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, such as `Retry-After`. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string, details?: unknown) =>
  new DomainError(404, 'not_found', `${what} not found.`, details);

export const invalid = (message: string, details?: unknown) =>
  new DomainError(422, 'validation_failed', message, details);

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}
