import { OpenAPIHono, z } from '@hono/zod-openapi';
import { validationHook } from '../../middleware/errors';
import type { Deps } from '../../deps';
import { requireSession, type PortalEnv } from '../../middleware/portal';
import { errorSchema } from '../../schemas/common';
import { authenticateSession } from '../../services/sign-in';

/** A Portal API sub-router: validation failures answer 422 in the house error shape. */
export const portalRouter = () => new OpenAPIHono<PortalEnv>({ defaultHook: validationHook });

/** The store path parameter every Portal API route has. */
export const storeParam = z.object({
  storeId: z.string().max(40).openapi({ param: { name: 'storeId', in: 'path' }, example: 'demo' }),
});

export const bearerAuth = [{ bearerAuth: [] }];

const error = (description: string) => ({ description, content: { 'application/json': { schema: errorSchema } } });

export const portalErrors = {
  401: error('No valid session (`invalid_session`) or it expired (`session_expired`).'),
  404: error('Unknown store or id.'),
  422: error('Invalid input.'),
  429: error('Too many requests; see `Retry-After`.'),
} as const;

/** Requires a signed-in customer of the route's store (a valid bearer session). */
export const requireCustomer = (deps: Deps) =>
  requireSession((store, token) => authenticateSession(deps.db, store, token, deps.clock.now()));
