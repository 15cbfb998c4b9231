import { errors, type ErrorCode, type ErrorStatus } from '../contract';

/**
 * An error with a meaning for the client: an HTTP status, a stable machine-readable
 * code from the contract (server/contract/errors.ts) and a plain-words message.
 * Services throw it; the app's error handler turns it into
 * `{ error: { code, message, details } }`. It deliberately does not depend on Hono
 * so that services stay framework-free. Build one with {@link problem}, which
 * takes the status and the message from the contract.
 */
export class DomainError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, such as `Retry-After`. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** The error for a contract code, with the contract's status and message. */
export function problem(code: ErrorCode, details?: unknown, headers?: Record<string, string>): DomainError {
  return new DomainError(errors[code].status, code, errors[code].message, details, headers);
}

/**
 * The same with a message that names the specifics — the product key that is
 * taken, the subscriptions a card pays for, the processor's reason for a decline
 * (the contract's message when there is none). Use it only where the contract's
 * general message would leave the client guessing.
 */
export function problemSaying(
  code: ErrorCode,
  message: string | null,
  details?: unknown,
  headers?: Record<string, string>,
): DomainError {
  return new DomainError(errors[code].status, code, message ?? errors[code].message, details, headers);
}

export const notFound = (what: string, details?: unknown) => problemSaying('not_found', `${what} not found.`, details);

export const invalid = (message: string, details?: unknown) => problemSaying('validation_failed', message, details);

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** An error response's body; the message is the contract's unless one is given. */
export function errorBody(code: ErrorCode, message: string = errors[code].message, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}
