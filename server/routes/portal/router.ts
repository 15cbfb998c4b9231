import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { ErrorCode } from '../../contract';
import { validationHook } from '../../middleware/errors';
import type { Deps } from '../../deps';
import { requireSession, type PortalEnv } from '../../middleware/portal';
import { documentedErrors } from '../../schemas/common';
import { authenticateSession } from '../../services/sign-in';

/** A Portal API sub-router: validation failures answer 422 in the house error shape. */
export const portalRouter = () => new OpenAPIHono<PortalEnv>({ defaultHook: validationHook });

/** The store path parameter every Portal API route has. */
export const storeParam = z.object({
  storeId: z
    .string()
    .max(40)
    .openapi({ param: { name: 'storeId', in: 'path' }, example: 'demo' }),
});

export const bearerAuth = [{ bearerAuth: [] }];

/** The errors every Portal API route may answer with. */
const portalErrorCodes = [
  'invalid_session',
  'session_expired',
  'store_not_found',
  'not_found',
  'validation_failed',
  'rate_limited',
] as const satisfies readonly ErrorCode[];

const portalErrorNotes = {
  not_found: "Also for another customer's ids.",
  rate_limited: '`Retry-After` says when.',
} as const;

/** The standard error responses of the Portal API's routes. */
export const portalErrors = documentedErrors(portalErrorCodes, portalErrorNotes);

/** The Portal API's standard error responses and a route's own codes. */
export const portalErrorsWith = <const C extends ErrorCode>(
  codes: readonly C[],
  notes: Partial<Record<C | (typeof portalErrorCodes)[number], string>> = {},
) => documentedErrors([...portalErrorCodes, ...codes], { ...portalErrorNotes, ...notes });

/** Requires a signed-in customer of the route's store (a valid bearer session). */
export const requireCustomer = (deps: Deps) =>
  requireSession((store, token) => authenticateSession(deps.db, store, token, deps.clock.now()));
