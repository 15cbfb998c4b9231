import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { ErrorCode } from '../../contract';
import { validationHook } from '../../middleware/errors';
import type { Deps } from '../../deps';
import { requireSession, type PortalEnv } from '../../middleware/portal';
import { authenticateSession } from '../../services/sign-in';
import { defineOperation, type OperationConfig } from '../operations';

/** A Portal API sub-router: validation failures answer 422 in the house error shape. */
export const portalRouter = () => new OpenAPIHono<PortalEnv>({ defaultHook: validationHook });

/** The store path parameter every Portal API route has. */
export const storeParam = z.object({
  storeId: z
    .string()
    .max(40)
    .openapi({ param: { name: 'storeId', in: 'path' }, example: 'demo' }),
});

/** The errors of the session check (`requireCustomer`), which every route but the public ones may answer with. */
const sessionErrors = ['invalid_session', 'session_expired'] as const satisfies readonly ErrorCode[];

/** A Portal API route as its file declares it. */
export type PortalOperationConfig = OperationConfig & {
  /**
   * Reachable without a session (the config and the ways in): documented with
   * `security: []`. Every other route needs the bearer session that `requireCustomer` checks.
   */
  public?: true;
};

/** A Portal API route: the bearer session (or none, for a public one), its errors and the store's, added. */
export const portalRoute = <R extends PortalOperationConfig>({ public: isPublic, ...config }: R) =>
  defineOperation(config, {
    security: () => (isPublic ? [] : [{ bearerAuth: [] }]),
    codes: () => ['store_not_found', ...(isPublic ? [] : sessionErrors)],
    notes: { not_found: "Also for another customer's ids." },
  });

/** Requires a signed-in customer of the route's store (a valid bearer session). */
export const requireCustomer = (deps: Deps) =>
  requireSession((store, token) => authenticateSession(deps.db, store, token, deps.clock.now()));
