import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { defaultHeaders } from './response-headers';

/** The header a request id arrives in (from a proxy or the client) and goes back in. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

/** An incoming id is kept when it is 1–64 characters of letters, digits, `.`, `_` and `-`; else one is made. */
const SANE_ID = /^[A-Za-z0-9._-]{1,64}$/;

type RequestIdEnv = { Variables: { requestId: string } };

/**
 * Gives every request an id: the one in its `X-Request-Id` header when that is sane
 * (a proxy's or a load balancer's, so one id follows the request through them), else a
 * random UUID. It is kept on the context (see {@link requestIdOf}) for the log lines
 * written for the request, and sent back in the response's `X-Request-Id` header.
 */
export function assignRequestId(): MiddlewareHandler<RequestIdEnv> {
  return async (c, next) => {
    const given = c.req.header(REQUEST_ID_HEADER);
    const id = given !== undefined && SANE_ID.test(given) ? given : randomUUID();
    c.set('requestId', id);
    await next();
    defaultHeaders(c, [[REQUEST_ID_HEADER, id]]);
  };
}

/** The request's id (undefined before {@link assignRequestId} has run). */
export const requestIdOf = (c: Context): string | undefined => (c as Context<RequestIdEnv>).get('requestId');
